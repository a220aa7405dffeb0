import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeFactories } from '../scenario/fakes.js';
import { cli } from './helpers.js';

const BASIC = 'test/scenario/fixtures/basic.yaml';
const hooks = { factories: fakeFactories };

function scenarioFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-cli-'));
  const f = join(dir, 's.yaml');
  writeFileSync(f, `model: ${resolve('test/scenario/fixtures/basic')}\nseed: 3\nduration: 10s\n${body}`);
  return f;
}

describe('sentinel-sim CLI', () => {
  it('--help and --version exit 0', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Usage: sentinel-sim/);
    expect(h.stdout).toMatch(/run \[options\] <scenario>/);
    const v = await cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every subcommand has --help', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--seed <n>/);
    expect(r.stdout).toMatch(/--format <format>/);
    expect(r.stdout).toMatch(/--trace <file>/);
  });

  it('exit 0 when every expectation holds; the log names time, process and level', async () => {
    const r = await cli(['run', BASIC], hooks);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^# sentinel-sim .* seed=7 \(from the scenario\)$/);
    expect(r.stdout).toContain('0.000 s1 # +monitor master mymaster 10.1.0.1 6379 quorum 2');
    expect(r.stdout).toContain('7.000 s1 # +sdown master mymaster 10.1.0.1 6379');
    expect(r.stdout).toMatch(/\n5\.000 -- crash a\n/);
    expect(r.stdout).toMatch(/redis-cli \[a\] SET greeting hello -> OK/);
    expect(r.stdout).toMatch(/# all 10 expectations hold/);
  });

  it('exit 1 when an expectation fails, saying which, when and why', async () => {
    const f = scenarioFile('timeline:\n  - { at: 2s, crash: a }\nexpect:\n  - { event: +sdown, before: 3s }\n');
    const r = await cli(['run', f], hooks);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}\+sdown by 3s {2}\[.*s\.yaml:7\] \(at 3\.000\)/);
    expect(r.stdout).toMatch(/nearest outside the window: 4\.000 s1 # \+sdown/);
    expect(r.stderr).toMatch(/1 of 1 expectations failed/);
  });

  it('--format jsonl: one event object per line, the seed on stderr', async () => {
    const r = await cli(['run', BASIC, '--format', 'jsonl', '--seed', '11'], hooks);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^seed 11\n/);
    const [header, ...objs] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(header).toMatchObject({ kind: 'header', schema: 'sentinel-sim/trace', version: 1, seed: 11, records: 'events' });
    expect(objs.length).toBeGreaterThan(0);
    for (const o of objs) expect(Object.keys(o)).toEqual(['timeMs', 'kind', 'process', 'level', 'event', 'text']);
    expect(objs[0]).toMatchObject({ timeMs: 0, kind: 'event', process: 's1', event: '+monitor' });
  });

  it('--format json: a summary with roles, counts, failovers and expectations', async () => {
    const r = await cli(['run', BASIC, '--format', 'json'], hooks);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.seed).toBe(7);
    expect(s.finalRoles).toEqual({ a: 'master', b: 'slave' });
    expect(s.eventCounts).toMatchObject({ '+monitor': 1, '+sdown': 1, '-sdown': 1 });
    expect(s.failovers).toEqual([]);
    expect(s.expectations).toHaveLength(10);
    expect(s.passed).toBe(10);
    expect(r.stderr).toMatch(/^seed 7 \(from the scenario\)/);
  });

  it('--until stops early: expectations past the cut are "not reached", not failed', async () => {
    const r = await cli(['run', BASIC, '--until', '12s'], hooks);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^NOT REACHED {2}-sdown after 15s/m);
    expect(r.stdout).toMatch(/^# \d+ of 10 expectations hold; \d+ not reached: the run stopped at 12\.000 s$/m);
    expect(r.stdout).not.toMatch(/^FAIL/m);
    expect(r.stdout).not.toMatch(/^1[3-9]\.\d{3} /m);
  });

  it('--until: a failure more time cannot cure still fails', async () => {
    const f = scenarioFile('timeline:\n  - { at: 2s, crash: a }\nexpect:\n  - { event: +sdown, never: true, before: 9s }\n  - { event: +sdown, count: 0 }\n');
    const r = await cli(['run', f, '--until', '8s'], hooks);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^FAIL/gm)).toHaveLength(2);
  });

  it('--trace writes the full JSONL trace atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-trace-'));
    const out = join(dir, 'run.jsonl');
    const r = await cli(['run', BASIC, '--trace', out], hooks);
    expect(r.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['run.jsonl']);
    const [header, ...recs] = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(header).toMatchObject({ kind: 'header', seed: 7, records: 'all' });
    expect(recs.some((x) => x.kind === 'msg')).toBe(true);
    expect(recs.some((x) => x.kind === 'reply' && x.label === 'set')).toBe(true);
    expect(recs.some((x) => x.kind === 'event')).toBe(true);
  });

  it('bad flags and missing files exit 2 without a stack trace', async () => {
    for (const args of [
      ['run', BASIC, '--seed', 'abc'],
      ['run', BASIC, '--until', '5'],
      ['run', BASIC, '--format', 'xml'],
      ['run', 'no/such/file.yaml'],
      ['frobnicate'],
      [],
    ]) {
      const r = await cli(args, hooks);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    }
    const missing = await cli(['run', 'no/such/file.yaml']);
    expect(missing.stderr).toBe('no/such/file.yaml: scenario file not found\n');
  });

  it('an internal error is one line and exit 70', async () => {
    const broken = { factories: { ...fakeFactories, redis: () => { throw new TypeError('boom'); } } };
    const r = await cli(['run', BASIC], broken);
    expect(r.code).toBe(70);
    expect(r.stderr).toBe('sentinel-sim: internal error: TypeError: boom (this is a bug; please report it with the command line and the scenario)\n');
  });

  it('a --trace file is not left half-written when the run fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-trace-'));
    const out = join(dir, 'run.jsonl');
    const broken = { factories: { ...fakeFactories, sentinel: () => { throw new TypeError('boom'); } } };
    const r = await cli(['run', BASIC, '--trace', out], broken);
    expect(r.code).toBe(70);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('a folder of .conf files without model.yaml: says what it inferred', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-infer-'));
    writeFileSync(join(dir, 'a.conf'), 'bind 10.7.0.1\nport 6379\n');
    writeFileSync(join(dir, 'b.conf'), 'bind 10.7.0.2\nport 6379\nreplicaof 10.7.0.1 6379\n');
    writeFileSync(join(dir, 's.conf'), 'bind 10.7.0.2\nport 26379\nsentinel monitor m 10.7.0.1 6379 1\n');
    writeFileSync(join(dir, 'x.yaml'), 'model: .\nseed: 1\nduration: 5s\nexpect:\n  - { master: a, at: 2s }\n');
    const r = await cli(['run', join(dir, 'x.yaml')], hooks);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/inferred a model from 3 \.conf files/);
    expect(r.stderr).toMatch(/a: on host 10\.7\.0\.1 \(from "bind 10\.7\.0\.1"\), port 6379/);
  });
});
