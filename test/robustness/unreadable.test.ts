import { spawnSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/boundedRead.js';

// Each case runs the built CLI in a child with a hard timeout: a regression here is a read that never
// returns (a FIFO, /dev/zero), which would hang an in-process test for good instead of failing it.
const CLI = resolve('dist/cli/main.js');
const runCli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });

function fifo(dir: string): string {
  const p = join(dir, 'pipe.conf');
  const r = spawnSync('mkfifo', [p]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  return p;
}

describe('files that never end or never fit are refused at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssim-unreadable-'));

  it('lint of a character device: "not a regular file", exit 2', () => {
    const r = runCli(['lint', '/dev/zero']);
    expect(r.signal).toBeNull();
    expect(r.stderr).toMatch(/\/dev\/zero: can't read it: not a regular file/);
    expect(r.status).toBe(2);
  });

  it('explore merge of a FIFO or /dev/zero: refused with the file named, exit 2, not blocked on', () => {
    for (const f of [fifo(join(mkdtempSync(join(tmpdir(), 'ssim-merge-')))), '/dev/zero']) {
      const r = runCli(['explore', 'merge', f]);
      expect(r.signal).toBeNull();
      expect(r.stderr).toContain(`${f}: cannot read: not a regular file`);
      expect(r.status).toBe(2);
    }
  });

  it('lint of a FIFO nobody writes to: refused, not blocked on', () => {
    const r = runCli(['lint', fifo(dir)]);
    expect(r.signal).toBeNull();
    expect(r.stderr).toMatch(/pipe\.conf: can't read it: not a regular file/);
    expect(r.status).toBe(2);
  });

  it('a config over the size limit: its size and the limit, exit 2', () => {
    const big = join(dir, 'big.conf');
    writeFileSync(big, 'port 6379\n');
    truncateSync(big, MAX_CONFIG_BYTES + 1);
    const r = runCli(['lint', big]);
    expect(r.stderr).toContain(`big.conf: can't read it: ${MAX_CONFIG_BYTES + 1} bytes, over the limit of ${MAX_CONFIG_BYTES} bytes (1 MiB)`);
    expect(r.status).toBe(2);
  });

  it('a config at the size limit is still read', () => {
    const edge = join(dir, 'edge.conf');
    writeFileSync(edge, 'port 6379\n' + '#'.repeat(MAX_CONFIG_BYTES - 11) + '\n');
    const r = runCli(['lint', edge]);
    expect(r.stdout).toMatch(/edge\.conf: accepted/);
    expect(r.status).toBe(0);
  });

  it('include /dev/zero: Redis\'s own "can\'t open config file" refusal, not a hang', () => {
    const inc = join(dir, 'inc.conf');
    writeFileSync(inc, 'port 6379\ninclude /dev/zero\n');
    const r = runCli(['lint', inc]);
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain("Fatal error, can't open config file '/dev/zero': not a regular file");
    expect(r.status).toBe(1);
  });

  it('a model whose redis config is a FIFO: file: reason, exit 2', () => {
    const m = join(dir, 'm');
    spawnSync('mkdir', ['-p', m]);
    spawnSync('mkfifo', [join(m, 'a.conf')]);
    writeFileSync(join(m, 's.conf'), 'port 26379\nsentinel monitor mm 10.9.0.1 6379 1\n');
    writeFileSync(
      join(m, 'model.yaml'),
      'hosts:\n  - { name: h1, ip: 10.9.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: h1, config: a.conf }\n  - { name: s, kind: sentinel, host: h1, config: s.conf }\n',
    );
    writeFileSync(join(dir, 's.yaml'), `model: ${m}\nseed: 1\nduration: 5s\n`);
    const r = runCli(['run', join(dir, 's.yaml')]);
    expect(r.signal).toBeNull();
    expect(r.stderr).toMatch(/a\.conf.*not a regular file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(2);
  });
});
