import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { tempTree } from './helpers.js';

/**
 * An `include` that comes back to a file being read. Real redis-server 7.0.15 follows it until its
 * stack overflows and dies on a signal with no message (tried: `include` of the file itself); the
 * simulator says where the loop closes instead of dying on "Maximum call stack size exceeded".
 */

const NO_CRASH = /Maximum call stack|internal error|RangeError|\n\s+at /;

describe('include loops', () => {
  it('a file that includes itself: lint refuses it at the include line', async () => {
    const dir = tempTree({});
    const f = join(dir, 'self.conf');
    writeFileSync(f, `port 6379\ninclude ${f}\n`);
    const r = await cli(['lint', f]);
    expect(r.stdout + r.stderr).not.toMatch(NO_CRASH);
    expect(r.stdout).toContain(`include loop: '${f}' is already being read`);
    expect(r.code).toBe(1);
  });

  it('two files that include each other, in a model: run says file:line: reason, exit 2', async () => {
    const dir = tempTree({
      'm/model.yaml': 'hosts:\n  - { name: h, ip: 10.2.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: h, config: a.conf }\n',
      's.yaml': 'model: m\nseed: 1\nduration: 1s\n',
    });
    writeFileSync(join(dir, 'm/a.conf'), `port 6379\ninclude ${join(dir, 'm/b.conf')}\n`);
    writeFileSync(join(dir, 'm/b.conf'), `maxmemory 1mb\ninclude ${join(dir, 'm/a.conf')}\n`);
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).not.toMatch(NO_CRASH);
    expect(r.stderr).toContain(`${join(dir, 'm/b.conf')}:2: include loop: '${join(dir, 'm/a.conf')}' is already being read`);
    expect(r.code).toBe(2);
  });

  it('a glob include that matches the including file', async () => {
    const dir = tempTree({ 'x.conf': 'maxmemory 1mb\n' });
    writeFileSync(join(dir, 'all.conf'), `include ${join(dir, '*.conf')}\n`);
    const r = await cli(['lint', join(dir, 'all.conf')]);
    expect(r.stdout + r.stderr).not.toMatch(NO_CRASH);
    expect(r.stdout).toContain('include loop');
  });

  it('the same file included twice, not nested, is no loop (Redis reads it twice)', async () => {
    const dir = tempTree({ 'part.conf': 'maxmemory 1mb\n' });
    writeFileSync(join(dir, 'main.conf'), `include ${join(dir, 'part.conf')}\ninclude ${join(dir, 'part.conf')}\n`);
    const r = await cli(['lint', join(dir, 'main.conf')]);
    expect(r.stdout).toMatch(/accepted/);
    expect(r.code).toBe(0);
  });
});
