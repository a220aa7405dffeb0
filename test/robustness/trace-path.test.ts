import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

const scenario = `model: ${BASIC}\nseed: 1\nduration: 5s\n`;

describe('--trace paths that cannot work: file: reason, exit 2, nothing created', () => {
  it('a directory', async () => {
    const dir = tempTree({ 's.yaml': scenario });
    mkdirSync(join(dir, 'out'));
    const r = await cli(['run', join(dir, 's.yaml'), '--trace', join(dir, 'out')]);
    expect(r.stderr).toBe(`${join(dir, 'out')}: is a directory; the trace needs a file name\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['out', 's.yaml']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('a folder that does not exist', async () => {
    const dir = tempTree({ 's.yaml': scenario });
    const r = await cli(['run', join(dir, 's.yaml'), '--trace', join(dir, 'nowhere', 't.jsonl')]);
    expect(r.stderr).toBe(`${join(dir, 'nowhere', 't.jsonl')}: cannot write the trace: ${join(dir, 'nowhere')}: No such file or directory\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });

  it('a path under a regular file', async () => {
    const dir = tempTree({ 's.yaml': scenario });
    const r = await cli(['run', join(dir, 's.yaml'), '--trace', join(dir, 's.yaml', 't.jsonl')]);
    expect(r.stderr).toMatch(/s\.yaml\/t\.jsonl: cannot write the trace: Not a directory\n$/);
    expect(r.code).toBe(2);
  });

  it('a good path gets the whole trace and no .partial', async () => {
    const dir = tempTree({ 's.yaml': scenario });
    const r = await cli(['run', join(dir, 's.yaml'), '--trace', join(dir, 't.jsonl')]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['s.yaml', 't.jsonl']);
  });
});

describe('commands with glob arguments in a scenario', () => {
  it('CONFIG GET "[" and "[a-" are answered (empty lists), never an internal error', async () => {
    const dir = tempTree({
      's.yaml': `model: ${BASIC}\nseed: 1\nduration: 3s\ntimeline:\n  - { at: 1s, command: [CONFIG, GET, "["], to: a, label: c1 }\n  - { at: 1s, command: [CONFIG, GET, "[a-"], to: a, label: c2 }\n  - { at: 1s, command: [SENTINEL, CONFIG, GET, "["], to: s1, label: c3 }\nexpect:\n  - { reply: c1, equals: [] }\n  - { reply: c2, equals: [] }\n  - { reply: c3, equals: [] }\n`,
    });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
