import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

/**
 * Hostile YAML where lint reads a model (it reads model.yaml itself, for hosts and processes) and
 * keys that are lists or mappings anywhere. Before: lint's reader had none of the scenario reader's
 * guards, so aliases past the count were an internal error (exit 70) and deep nesting a "Maximum call
 * stack size exceeded"; a `? [a]` key printed a Node warning on stderr and was reported at line 1.
 */

const CLI = resolve('dist/cli/main.js');
const BAD = /internal error|\n\s+at |RangeError|TypeError|Maximum call stack|Warning:/;

/** Ten levels of aliases, each ten of the one before: 10^10 nodes if expanded. */
function billionLaughs(): string {
  const lines = [`l0: &l0 [${Array(10).fill('lol').join(', ')}]`];
  for (let i = 1; i < 10; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

const MODEL_HEAD = 'hosts:\n  - { name: ha, ip: 10.1.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: a.conf }\n';

describe('lint of a hostile model.yaml', () => {
  it('aliases past the count: exit 2 naming the model file (was exit 70, an internal error)', async () => {
    const dir = tempTree({ 'm/a.conf': 'port 6379\n', 'm/model.yaml': `${MODEL_HEAD}${billionLaughs()}\n` });
    const r = await cli(['lint', join(dir, 'm')]);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).toBe(`sentinel-sim lint: ${join(dir, 'm', 'model.yaml')}: not valid YAML: Excessive alias count indicates a resource exhaustion attack\n`);
    expect(r.code).toBe(2);
  });

  it('200,000 nested brackets and 1,000 nested block mappings: refused at the line (was a stack overflow message, or a heap abort)', async () => {
    const flow = tempTree({ 'm/model.yaml': `${MODEL_HEAD}x: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n` });
    const r = await cli(['lint', join(flow, 'm')]);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).toBe(`sentinel-sim lint: ${join(flow, 'm', 'model.yaml')}:5: nested too deeply (more than 64 levels of lists and mappings)\n`);
    expect(r.code).toBe(2);
    const block = tempTree({ 'm/model.yaml': `${MODEL_HEAD}${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n` });
    const b = spawnSync(process.execPath, [CLI, 'lint', join(block, 'm')], { encoding: 'utf8', timeout: 60_000 });
    expect(b.stderr).not.toMatch(BAD);
    expect(b.stderr).toBe(`sentinel-sim lint: ${join(block, 'm', 'model.yaml')}:69: nested too deeply (more than 64 levels of lists and mappings)\n`);
    expect(b.status).toBe(2);
  });

  it('a syntax error names model.yaml and its line', async () => {
    const dir = tempTree({ 'm/model.yaml': 'hosts: [\n' });
    const r = await cli(['lint', join(dir, 'm')]);
    expect(r.stderr).toMatch(new RegExp(`^sentinel-sim lint: ${join(dir, 'm', 'model.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid YAML: `));
    expect(r.stdout).toMatch(/model\.yaml:2: error: not valid YAML: /);
    expect(r.code).toBe(2);
  });
});

describe('a key that is a list or a mapping', () => {
  it('in a scenario: refused at its own line, with no Node warning on stderr', () => {
    const dir = tempTree({ 's.yaml': `model: ${BASIC}\nseed: 1\nduration: 1s\n? [a]\n: 1\n` });
    const r = spawnSync(process.execPath, [CLI, 'run', join(dir, 's.yaml')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe(`${join(dir, 's.yaml')}:4: a key must be a name or a number, not a list or a mapping\n`);
    expect(r.status).toBe(2);
  });

  it('in a flow mapping of a model, and in lint\'s reading of it', async () => {
    const dir = tempTree({
      'm/a.conf': 'port 6379\n',
      'm/model.yaml': `hosts:\n  - { name: ha, ip: 10.1.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: a.conf, {x: 1}: 2 }\n`,
      's.yaml': 'model: m\nseed: 1\nduration: 1s\n',
    });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).toBe(`${join(dir, 'm', 'model.yaml')}:4: a key must be a name or a number, not a list or a mapping\n`);
    expect(r.code).toBe(2);
    const l = await cli(['lint', join(dir, 'm')]);
    expect(l.stderr).toBe(`sentinel-sim lint: ${join(dir, 'm', 'model.yaml')}:4: a key must be a name or a number, not a list or a mapping\n`);
    expect(l.code).toBe(2);
  });
});
