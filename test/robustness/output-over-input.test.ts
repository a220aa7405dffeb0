import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { tempTree } from './helpers.js';

/**
 * An output flag naming a file the run reads (`--trace scenario.yaml`, `--html node1.conf`, an
 * `include`d file, through a symbolic link or not) used to overwrite it with the trace or the page,
 * exit 0: the scenario or the model was gone. Each is now `path: reason`, exit 2, before the run,
 * with every file as it was. Two outputs naming one file are refused the same way (the second
 * would replace the first).
 */

const MODEL = {
  'm/model.yaml': 'hosts:\n  - { name: ha, ip: 10.1.0.1 }\n  - { name: hb, ip: 10.1.0.2 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: a.conf }\n  - { name: b, kind: redis, host: hb, config: b.conf }\n  - { name: s1, kind: sentinel, host: hb, config: s1.conf }\n',
  'm/a.conf': 'port 6379\ninclude extra.conf\n',
  'm/extra.conf': 'maxclients 100\n',
  'm/b.conf': 'port 6379\nreplicaof 10.1.0.1 6379\n',
  'm/s1.conf': 'port 26379\nsentinel monitor mymaster 10.1.0.1 6379 1\nsentinel down-after-milliseconds mymaster 2000\n',
  's.yaml': 'model: m\nseed: 1\nduration: 5s\n',
};

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out[r] = readFileSync(join(dir, r), 'latin1');
    }
  };
  walk('');
  return out;
}

async function refused(args: (dir: string) => string[], message: (dir: string) => string, setup?: (dir: string) => void): Promise<void> {
  const dir = tempTree(MODEL);
  setup?.(dir);
  const before = snapshot(dir);
  const r = await cli(['run', join(dir, 's.yaml'), ...args(dir)]);
  expect(r.stderr).toBe(`${message(dir)}\n`);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(snapshot(dir)).toEqual(before);
}

describe('run: an output that names one of the run\'s own input files is refused, the file untouched', () => {
  it('--trace onto the scenario file', () =>
    refused(
      (d) => ['--trace', join(d, 's.yaml')],
      (d) => `${join(d, 's.yaml')}: is a file this run reads (the scenario); the trace would replace it`,
    ));

  it('--html onto a Redis config file', () =>
    refused(
      (d) => ['--html', join(d, 'm/a.conf')],
      (d) => `${join(d, 'm/a.conf')}: is a file this run reads (a configuration file); the page would replace it`,
    ));

  it('--trace onto the model.yaml', () =>
    refused(
      (d) => ['--trace', join(d, 'm/model.yaml')],
      (d) => `${join(d, 'm/model.yaml')}: is a file this run reads (the model); the trace would replace it`,
    ));

  it('--trace onto a file a config includes', () =>
    refused(
      (d) => ['--trace', join(d, 'm/extra.conf')],
      (d) => `${join(d, 'm/extra.conf')}: is a file this run reads (a configuration file); the trace would replace it`,
    ));

  it('--trace through a symbolic link to the Sentinel config', () =>
    refused(
      (d) => ['--trace', join(d, 'link.jsonl')],
      (d) => `${join(d, 'link.jsonl')}: is a file this run reads (a configuration file); the trace would replace it`,
      (d) => symlinkSync(join(d, 'm/s1.conf'), join(d, 'link.jsonl')),
    ));

  it('--trace and --html naming the same file', () =>
    refused(
      (d) => ['--trace', join(d, 'o.txt'), '--html', join(d, 'o.txt')],
      (d) => `${join(d, 'o.txt')}: --trace and --html name the same file; give each its own`,
    ));

  it('a new file beside the inputs is still written', async () => {
    const dir = tempTree(MODEL);
    const r = await cli(['run', join(dir, 's.yaml'), '--trace', join(dir, 'm/t.jsonl'), '--html', join(dir, 'p.html')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'm/t.jsonl'), 'utf8')).toMatch(/^\{"kind":"header"/);
    expect(readFileSync(join(dir, 'p.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });
});
