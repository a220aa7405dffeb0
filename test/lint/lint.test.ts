import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintFiles, lintString } from '../../src/lint/index.js';
import { runSubcommand } from '../cli/run-cli.js';

const CORPUS = join(import.meta.dirname, 'corpus');
const MODELS = join(import.meta.dirname, '../../models');

function tmpFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lint-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const codes = (path: string, mode?: 'redis' | 'sentinel') =>
  lintFiles([path], { cwd: CORPUS, mode }).files[0]!.warnings.map((w) => `${w.code}@${w.line}`);

describe('warnings: what Redis accepts but probably is not meant', () => {
  it('a time with a unit suffix is read as milliseconds by atoi', () => {
    const w = lintFiles(['sentinel-down-after-suffix.conf'], { cwd: CORPUS }).files[0]!.warnings;
    expect(w.map((x) => `${x.code}@${x.line}`)).toEqual(['time-unit-suffix@3']);
    expect(w[0]!.message).toContain("'30s' is read by atoi as 30");
  });
  it('parallel-syncs 0', () => {
    expect(codes('sentinel-parallel-syncs-zero.conf')).toEqual(['parallel-syncs@3']);
  });
  it('a non-numeric port is read as 0', () => {
    const w = lintFiles(['sentinel-port-nonnumeric.conf'], { cwd: CORPUS }).files[0]!.warnings;
    expect(w.map((x) => x.code)).toEqual(['non-numeric-port']);
    expect(w[0]!.message).toContain('port 0');
  });
  it("a '#' after a value is not a comment", () => {
    expect(codes('redis-inline-hash-in-value.conf')).toEqual(['inline-comment@2']);
    expect(codes('sentinel-inline-comment.conf')).toEqual(['inline-comment@3', 'atoi-number@3']);
  });
  it('settings before their monitor line', () => {
    expect(codes('sentinel-settings-before-monitor.conf')).toEqual(['before-monitor@2', 'before-monitor@3']);
  });
  it('min-replicas only on replicas (seed 004)', () => {
    const r = lintFiles(['docker-3node/node1.conf', 'docker-3node/node2.conf', 'docker-3node/node3.conf'], {
      cwd: MODELS,
      startupChecks: false,
    });
    const byFile = Object.fromEntries(r.files.map((f) => [f.file, f.warnings.map((w) => `${w.code}@${w.line}`)]));
    expect(byFile['docker-3node/node1.conf']).toEqual([]);
    expect(byFile['docker-3node/node2.conf']).toEqual(['min-replicas-on-replica@65']);
    expect(byFile['docker-3node/node3.conf']).toEqual(['min-replicas-on-replica@65']);
  });
  it('the same myid deployed to several hosts', () => {
    const dir = tmpFiles({
      'sentinel-a.conf': `sentinel myid ${'ab'.repeat(20)}\nsentinel monitor m 127.0.0.1 6379 2\n`,
      'sentinel-b.conf': `port 26380\nsentinel myid ${'ab'.repeat(20)}\nsentinel monitor m 127.0.0.1 6379 2\n`,
    });
    const r = lintFiles(['sentinel-a.conf', 'sentinel-b.conf'], { cwd: dir, startupChecks: false });
    expect(r.files.map((f) => f.warnings.map((w) => `${w.code}@${w.line}`))).toEqual([['duplicate-myid@1'], ['duplicate-myid@2']]);
    expect(lintFiles(['sentinel-a.conf', 'sentinel-b.conf'], { cwd: dir, startupChecks: false, strict: true }).exitCode).toBe(1);
  });
  it('seed 000/001 host names need resolve-hostnames: the refusal says how to fix it', () => {
    const v = lintFiles(['seed000-sentinel1-as-published.conf'], { cwd: CORPUS }).files[0]!.verdict;
    expect(v.accepted).toBe(false);
    if (!v.accepted) {
      expect(v.line).toBe(12);
      expect(v.reason).toBe("Can't resolve instance hostname.");
      expect(v.fix).toContain('sentinel resolve-hostnames yes');
    }
  });
  it("seed 002's lost line breaks: each glued directive is named, with the fix", () => {
    const f = lintFiles(['seed002-sentinel-as-published.conf'], { cwd: CORPUS }).files[0]!;
    expect(f.mode).toBe('sentinel');
    const glued = f.warnings.filter((w) => w.code === 'lost-line-break').map((w) => `${w.line}:${w.fix}`);
    expect(glued).toEqual([
      "1:put 'port 26379' on a line of its own",
      "9:put 'sentinel monitor master01 localhost 6379 1' on a line of its own",
      "12:put 'sentinel down-after-milliseconds master01 3000' on a line of its own",
      "18:put 'sentinel failover-timeout master01 6000' on a line of its own",
      "20:put 'sentinel parallel-syncs master01 6379 1' on a line of its own",
    ]);
    expect(f.verdict.accepted).toBe(false);
    if (!f.verdict.accepted) {
      expect(f.verdict.line).toBe(5);
      expect(f.verdict.fix).toContain('line breaks were lost');
    }
    expect(f.warnings.some((w) => w.code === 'escaped-underscore' && w.line === 5)).toBe(true);
  });
  it('a clean file has no warnings', () => {
    expect(codes('sentinel-minimal.conf')).toEqual([]);
    expect(codes('redis-minimal.conf')).toEqual([]);
  });
});

describe('mode inference', () => {
  it('from the name or a sentinel monitor line; --mode overrides', () => {
    expect(lintFiles(['sentinel-empty.conf'], { cwd: CORPUS }).files[0]!.mode).toBe('sentinel');
    expect(lintFiles(['redis-sentinel-line.conf'], { cwd: CORPUS }).files[0]!.mode).toBe('sentinel');
    expect(lintFiles(['redis-sentinel-line.conf'], { cwd: CORPUS, mode: 'redis' }).files[0]!.verdict).toMatchObject({
      accepted: false,
      reason: 'sentinel directive while not in sentinel mode',
    });
  });
});

describe('sentinel-sim lint: output and exit codes', () => {
  const run = (...argv: string[]) => runSubcommand('lint', argv, { cwd: CORPUS });
  it('0 when every file is accepted', async () => {
    const r = await run('redis-minimal.conf', 'sentinel-minimal.conf');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      'redis-minimal.conf: accepted by redis-server 7.0.15\nsentinel-minimal.conf: accepted by redis-server --sentinel 7.0.15\n',
    );
  });
  it('0 with warnings, 1 with --strict', async () => {
    expect((await run('sentinel-down-after-suffix.conf')).exitCode).toBe(0);
    expect((await run('sentinel-down-after-suffix.conf', '--strict')).exitCode).toBe(1);
  });
  it('1 and Redis\'s own report when a file is refused', async () => {
    const r = await run('redis-unknown-directive.conf', 'redis-minimal.conf');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('redis-unknown-directive.conf:3: refused (config error): Bad directive or wrong number of arguments');
    expect(r.stdout).toContain('    *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***');
    expect(r.stdout).toContain("    >>> 'foo bar'");
  });
  it('json format', async () => {
    const r = await run('sentinel-quorum-zero.conf', '--format', 'json');
    const j = JSON.parse(r.stdout);
    expect(j.exitCode).toBe(1);
    expect(j.files[0].verdict).toMatchObject({ accepted: false, line: 2, reason: 'Quorum must be 1 or greater.' });
  });
  it('2 for a missing file, an unknown flag, a bad mode, or no file', async () => {
    expect(await run('no-such-file.conf')).toMatchObject({ exitCode: 2 });
    expect((await run('no-such-file.conf')).stderr).toContain('No such file or directory');
    expect((await run('redis-minimal.conf', '--bogus')).exitCode).toBe(2);
    expect((await run('redis-minimal.conf', '--mode', 'cluster')).exitCode).toBe(2);
    expect((await run()).exitCode).toBe(2);
  });
  it('--mode forces the reading', async () => {
    expect((await run('redis-sentinel-line.conf', '--mode', 'redis')).exitCode).toBe(1);
    expect((await run('redis-sentinel-line.conf', '--mode', 'sentinel')).exitCode).toBe(0);
  });
});

describe('lint never throws', () => {
  it('on random text in both modes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('redis', 'sentinel' as const), (text, mode) => {
        const f = lintString(text, 'fuzz.conf', { mode: mode as 'redis' | 'sentinel', cwd: CORPUS });
        expect(typeof f.verdict.accepted).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
  it('on config-like lines', () => {
    const word = fc.constantFrom('sentinel', 'monitor', 'm', '127.0.0.1', 'x', '#', 'port', '0', '-1', 'parallel-syncs', 'myid', 'dir', '/', 'include', '"', "'", 'bind', 'logfile', 'known-replica', '30s');
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 6 }).map((w) => w.join(' ')), { maxLength: 10 }), (ls) => {
        lintString(ls.join('\n'), 'fuzz.conf', { cwd: CORPUS });
      }),
      { numRuns: 300 },
    );
  });
});
