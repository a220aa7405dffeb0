import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSentinelConf } from '../../src/config/index.js';
import { lintString } from '../../src/lint/index.js';
import { main } from '../../src/cli/main.js';
import { cli } from '../cli/helpers.js';
import { runSubcommand } from '../cli/run-cli.js';

const runCheckCommand = (argv: string[]) => runSubcommand('check', argv);

/**
 * check gives a verdict a CI job can gate on (exit 1 below the bar --require names), a JSON
 * verdict, tables that fit the terminal, what-ifs without editing files, the same bytes for any
 * number of workers, and saved scenarios that run replays.
 */
const cps = (s: string) => [...s].length;

describe('the verdict and the exit code', () => {
  it('models/two-node misses the default bar (exit 1): losing machine-a leaves no writable master', async () => {
    const r = await runCheckCommand(['models/two-node', '--width', '1000']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('FAIL single-failure: any single failure domain may fail and a writable master remains (every seed); not met by domain:machine-a');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: FAIL (required: single-failure)');
  });

  it('models/zato meets it (exit 0), and misses no-lost-writes: the master cut off alone keeps taking writes', async () => {
    const r = await runCheckCommand(['models/zato']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verdict: PASS (required: single-failure)');
    const w = await runCheckCommand(['models/zato', '--seeds', '1', '--require', 'single-failure,no-lost-writes', '--format', 'json']);
    expect(w.exitCode).toBe(1);
    const j = JSON.parse(w.stdout);
    expect(Object.keys(j).slice(0, 2)).toEqual(['verdict', 'required']);
    expect(j.verdict).toBe('fail');
    expect(j.requirements.map((x: { name: string; pass: boolean }) => [x.name, x.pass])).toEqual([['single-failure', true], ['no-lost-writes', false]]);
    expect(j.requirements[1].failing).toContain('partition:redis1|redis2,redis3');
  });

  it('an unknown requirement is bad input (exit 2) naming the known ones; --help documents each', async () => {
    const r = await runCheckCommand(['models/zato', '--require', 'single-failure,fast']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown requirement "fast" (known: single-failure, two-failures, partitions, no-lost-writes, sentinel-pause, no-flags)');
    const h = await runCheckCommand(['--help']);
    for (const n of ['single-failure', 'two-failures', 'partitions', 'no-lost-writes', 'sentinel-pause', 'no-flags']) expect(h.stdout).toMatch(new RegExp(`^  ${n} +\\S`, 'm'));
  });
});

describe('text fits the terminal', () => {
  for (const width of [80, 100]) {
    it(`every line of the report, and of a side-by-side what-if, is at most ${width} columns`, async () => {
      const one = await runCheckCommand(['models/redis-ha-demo', '--seeds', '1', '--width', String(width)]);
      const two = await runCheckCommand(['models/two-node', '--seeds', '1', '--width', String(width), '--variant', 'sentinels=3,quorum=2']);
      for (const r of [one, two]) {
        expect(r.exitCode).toBeLessThan(2);
        const long = r.stdout.split('\n').filter((l) => cps(l) > width);
        expect(long).toEqual([]);
        expect(r.stdout.split('\n').some((l) => cps(l) > width - 10)).toBe(true); // it uses the room it has
      }
    });
  }
  it('100 columns when stdout is not a terminal, COLUMNS (the terminal width) when it is', async () => {
    const notTty = await cli(['check', 'models/two-node', '--seeds', '1']);
    expect(Math.max(...notTty.stdout.split('\n').map(cps))).toBe(100);
    let out = '';
    const io = { stdout: { write: (x: string) => (out += x), isTTY: true, columns: 200 }, stderr: { write: () => true } };
    await main(['check', 'models/two-node', '--seeds', '1'], io, { env: { COLUMNS: '90', NO_COLOR: '1' } });
    expect(Math.max(...out.split('\n').map(cps))).toBeLessThanOrEqual(90);
    expect(Math.max(...out.split('\n').map(cps))).toBeGreaterThan(80);
  });
});

describe('what-if without editing files', () => {
  it('two-node with a third Sentinel on a third machine and quorum 2 meets the bar; its sentinel.conf is one an operator would deploy', async () => {
    const r = await runCheckCommand(['models/two-node', '--seeds', '1,2', '--sentinels', '3', '--quorum', '2', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('pass');
    expect(j.label).toBe('sentinels=3,quorum=2');
    expect(j.model.sentinelNames).toEqual(['sentinel-a', 'sentinel-b', 'sentinel3']);
    expect(j.model.quorum).toBe(2);
    expect(j.addedSentinels).toHaveLength(1);
    const a = j.addedSentinels[0];
    expect([a.process, a.host, a.ip]).toEqual(['sentinel3', 'sentinel3-host', '10.0.0.3']);
    const conf: string = a.sentinelConf;
    expect(conf).toContain('\nbind 10.0.0.3\n');
    expect(conf).toContain('\nsentinel monitor mymaster 10.0.0.1 6379 2\n');
    expect(conf).toContain('\nsentinel down-after-milliseconds mymaster 5000\n');
    expect(conf).not.toMatch(/myid|known-sentinel|epoch/);
    // The real reader and lint (for its host) accept it as it is.
    expect(parseSentinelConf(conf, 'sentinel3.conf').masters[0]).toMatchObject({ name: 'mymaster', host: '10.0.0.1', port: 6379, quorum: 2, downAfterMs: 5000 });
    expect(lintString(conf, 'sentinel3.conf').verdict).toEqual({ accepted: true });
    const machineA = j.cases.find((c: { id: string }) => c.id === 'domain:machine-a');
    expect(machineA.verdict).toBe('ok');
    expect(machineA.failovers).toBe(2);
  });

  it('"is 2 of 3 safe, and what about 5 Sentinels?" is one command: a column per variant; the exit code is the deployment\'s own', async () => {
    const r = await runCheckCommand(['models/two-node', '--seeds', '1', '--variant', 'sentinels=3,quorum=2', '--variant', 'sentinels=5,quorum=3', '--format', 'json']);
    expect(r.exitCode).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('fail');
    expect(j.deployments.map((d: { label: string; verdict: string }) => [d.label, d.verdict, d.model.sentinels, d.model.quorum])).toEqual([
      ['as configured', 'fail', 2, 1],
      ['sentinels=3,quorum=2', 'pass', 3, 2],
      ['sentinels=5,quorum=3', 'pass', 5, 3],
    ]);
    const t = await runCheckCommand(['models/two-node', '--seeds', '1', '--variant', 'sentinels=3,quorum=2', '--variant', 'sentinels=5,quorum=3']);
    expect(t.stdout).toMatch(/^case +as configured +sentinels=3,quorum=2 +sentinels=5,quorum=3$/m);
    expect(t.stdout).toMatch(/^machine-a down \(redis-a sentinel-a\) +OUTAGE +ok, fails over [\d.–]+ s +ok, fails over [\d.–]+ s$/m);
    expect(t.stdout).toMatch(/^verdict +FAIL +PASS +PASS$/m);
  });

  it('fewer Sentinels, timings and min-replicas; bad settings are bad input', async () => {
    const r = await runCheckCommand(['models/zato', '--seeds', '1', '--sentinels', '2', '--down-after', '5s', '--min-replicas', '1', '--min-replicas-max-lag', '10', '--format', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.model.sentinelNames).toEqual(['sentinel1', 'sentinel2']);
    expect(j.model.downAfterMs).toBe(5000);
    expect(j.changes).toContain('1 Sentinel removed (the last in model order): sentinel3');
    expect(j.changes).toContain('on every Redis node: min-replicas-to-write 1, min-replicas-max-lag 10');
    // Two Sentinels: losing either Sentinel's host leaves 1 of 2, no leader.
    expect(r.exitCode).toBe(1);
    for (const bad of [['--quorum', '0'], ['--sentinels', 'x'], ['--variant', 'quorom=2'], ['--down-after', '5 s']]) {
      const b = await runCheckCommand(['models/zato', ...bad]);
      expect(b.exitCode, bad.join(' ')).toBe(2);
      expect(b.stdout).toBe('');
    }
  });
});

describe('check on every core', () => {
  it('--workers 1 and --workers 2 give the same bytes, text and JSON (what-if columns included)', async () => {
    const args = ['models/redis-ha-demo', '--seeds', '1,2', '--variant', 'quorum=3'];
    const one = await runCheckCommand([...args, '--workers', '1']);
    const two = await runCheckCommand([...args, '--workers', '2']);
    expect(one.exitCode).toBeLessThan(2);
    expect(two.stdout).toBe(one.stdout);
    expect(two.exitCode).toBe(one.exitCode);
    const j1 = await runCheckCommand([...args, '--workers', '1', '--format', 'json']);
    const j2 = await runCheckCommand([...args, '--workers', '2', '--format', 'json']);
    expect(j2.stdout).toBe(j1.stdout);
  });
});

describe('check --save DIR', () => {
  it('writes every case as a scenario; run replays "partition redis1 | redis2 redis3" with the verdict check gave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-save-'));
    const r = await runCheckCommand(['models/zato', '--seeds', '1', '--save', dir]);
    expect(r.exitCode).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(12);
    expect(files).toContain('partition-redis1--redis2-redis3.yaml');
    expect(files.some((f) => f.endsWith('.partial'))).toBe(false);
    const text = readFileSync(join(dir, 'partition-redis1--redis2-redis3.yaml'), 'utf8');
    expect(text).toContain('# check concluded: WRITES LOST: fails over');
    expect(text).toMatch(/partition:\n\s+from:\n\s+- redis1\n\s+to:\n\s+- redis2\n\s+- redis3/);
    const run = await cli(['run', join(dir, 'partition-redis1--redis2-redis3.yaml')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/fails over \(check: node[23] promoted\)/);
    // Every other case replays with what check concluded too.
    for (const f of files) expect((await cli(['run', join(dir, f)])).code, f).toBe(0);
    // A case where check saw no failover replays as one: machine-a of two-node.
    const dir2 = mkdtempSync(join(tmpdir(), 'check-save-'));
    await runCheckCommand(['models/two-node', '--seeds', '1', '--save', dir2]);
    const run2 = await cli(['run', join(dir2, 'domain-machine-a.yaml')]);
    expect(run2.code).toBe(0);
    expect(run2.stdout).toContain('no failover');
  });
});
