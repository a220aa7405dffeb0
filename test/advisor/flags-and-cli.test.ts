import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bipartitions, generateCases } from '../../src/advisor/cases.js';
import { runSubcommand } from '../cli/run-cli.js';
import { analyseDeployment } from '../../src/advisor/deployment.js';
import { checkFlags } from '../../src/advisor/flags.js';
import { checkModel } from '../../src/advisor/report.js';
import { main } from '../../src/cli/main.js';
import { loadModel } from '../../src/scenario/model.js';

const F = 'test/advisor/fixtures';
const flagsOf = (path: string) => checkFlags(analyseDeployment(loadModel(path)));

describe('flags, from the configuration files alone', () => {
  it('the shipped models: zato and redis-ha-demo clean but for the docker host, docker-3node min-replicas on replicas only', () => {
    expect(flagsOf('models/zato')).toEqual([]);
    expect(flagsOf('models/redis-ha-demo').map((f) => f.id)).toEqual(['domain-takes-majority']);
    const d = flagsOf('models/docker-3node');
    expect(d.map((f) => f.id)).toEqual(['min-replicas-only-on-replicas']);
    expect(d[0]!.message).toBe(
      'min-replicas-to-write 1 / min-replicas-max-lag 10 are set on node2, node3 but not on the master node1: cut off on a minority side, node1 keeps accepting writes that are lost when it is demoted',
    );
  });

  it('quorum larger than the number of Sentinels', () => {
    const f = flagsOf(`${F}/quorum-too-high`);
    expect(f.map((x) => x.id)).toEqual(['quorum-above-sentinels']);
    expect(f[0]!.message).toBe('quorum 4 > 3 Sentinels monitoring mymaster: ODOWN can never be reached, so there is never an automatic failover');
  });

  it('an even number of Sentinels, quorum below the majority (redis/redis#10621)', () => {
    const f = flagsOf(`${F}/four-sentinels`);
    expect(f.map((x) => x.id)).toEqual(['quorum-below-majority', 'even-sentinels']);
    expect(f[0]!.message).toBe('quorum 2 < majority 3 of 4 Sentinels: 2 Sentinels mark the master ODOWN, but a leader still needs 3 votes; the effective quorum is 3');
  });

  it('divergent monitor lines (redis/redis#12271)', () => {
    const f = flagsOf(`${F}/divergent`);
    expect(f.map((x) => x.id)).toEqual(['divergent-monitor']);
    expect(f[0]!.message).toContain('s1, s2 at 10.0.5.1:6379; s3 at 10.0.5.2:6379');
  });

  it('stale known-sentinel entries inflate the majority; duplicate myids', () => {
    const f = flagsOf(`${F}/stale-known`);
    expect(f.every((x) => x.id === 'stale-known-sentinel')).toBe(true);
    expect(f.some((x) => x.message.startsWith(`${F}/stale-known/s2.conf:6: s2 lists known-sentinel aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa at 10.0.4.9:26379`) && x.message.includes('it counts 4 voters, so a leader needs 3 votes instead of 2'))).toBe(true);
    expect(f.some((x) => x.message.includes('but s1 there has id 1111111111111111111111111111111111111111') && x.message.includes('+sentinel-invalid-addr'))).toBe(true);
    expect(flagsOf(`${F}/dup-myid`).map((x) => x.id)).toEqual(['duplicate-myid']);
  });
});

describe('the simulator agrees with the flags', () => {
  it('stale entries: losing the master machine leaves 2 votes of 4 known Sentinels, no leader', () => {
    const r = checkModel(loadModel(`${F}/stale-known`), { seeds: [1, 2] });
    const c = r.cases.find((x) => x.id === 'domain:a')!;
    expect(c.verdict).toBe('outage');
    expect(c.verdictText).toContain('no leader: 2 votes of 4 known Sentinels, a leader needs 3 (majority of 4 is 3)');
  });

  it('min-replicas on the master: cut off alone it accepts writes for about min-replicas-max-lag, then refuses', () => {
    const r = checkModel(loadModel(`${F}/min-replicas`), { seeds: [1, 2, 3] });
    const p = r.cases.find((x) => x.id === 'partition:m1|m2,m3')!;
    expect(p.verdict).toBe('writes-lost');
    expect(p.lostWritesMs!.untilHeal).toBe(false);
    expect(p.lostWritesMs!.min).toBeGreaterThanOrEqual(9_000);
    expect(p.lostWritesMs!.max).toBeLessThanOrEqual(12_000);
    const ro = r.cases.find((x) => x.id === 'pair:m2+m3')!;
    expect(ro.verdict).toBe('read-only');
    expect(ro.cells.writesLost).toMatch(/^none; refused from 1\d\.\d/);
  });

  it('four Sentinels, quorum 2: one machine may fail, two may not (majority of 4 is 3)', () => {
    const r = checkModel(loadModel(`${F}/four-sentinels`), { seeds: [1] });
    expect(r.cases.find((x) => x.id === 'domain:a')!.verdict).toBe('ok');
    expect(r.cases.find((x) => x.id === 'pair:a+c')!.verdictText).toContain('2 votes of 4 known Sentinels, a leader needs 3');
  });
});

describe('cases', () => {
  it('bipartitions: every two-sided split once, smaller sides first', () => {
    expect(bipartitions(['a', 'b'])).toEqual([[['a'], ['b']]]);
    expect(bipartitions(['a', 'b', 'c'])).toEqual([
      [['a'], ['b', 'c']],
      [['a', 'c'], ['b']],
      [['a', 'b'], ['c']],
    ]);
    for (let n = 2; n <= 8; n++) {
      const hs = Array.from({ length: n }, (_, i) => `h${i}`);
      const ps = bipartitions(hs);
      expect(ps.length).toBe(2 ** (n - 1) - 1);
      expect(new Set(ps.map(([a, b]) => [a.join(), b.join()].sort().join('|'))).size).toBe(ps.length);
      for (const [a, b] of ps) expect([...a, ...b].sort()).toEqual([...hs].sort());
    }
  });

  it('redis-ha-demo: pairs with the docker host are dropped as duplicates; 31 partitions of 6 hosts', () => {
    const d = analyseDeployment(loadModel('models/redis-ha-demo'));
    const { cases, notes } = generateCases(d, { pauseMs: 60_000 });
    expect(cases.filter((c) => c.kind === 'domain')).toHaveLength(7);
    expect(cases.filter((c) => c.kind === 'pair')).toHaveLength(15);
    expect(cases.filter((c) => c.kind === 'pause')).toHaveLength(3);
    expect(cases.filter((c) => c.kind === 'partition')).toHaveLength(31);
    expect(notes).toContain('6 pairs of domains take down no more than a case already run: not run');
    const capped = generateCases(d, { pauseMs: 60_000, maxPartitions: 6 });
    expect(capped.cases.filter((c) => c.kind === 'partition').map((c) => c.id)).toEqual([
      'partition:redis-master|redis-slave-1,redis-slave-2,redis-sentinel-1,redis-sentinel-2,redis-sentinel-3',
      'partition:redis-slave-1|redis-master,redis-slave-2,redis-sentinel-1,redis-sentinel-2,redis-sentinel-3',
      'partition:redis-slave-2|redis-master,redis-slave-1,redis-sentinel-1,redis-sentinel-2,redis-sentinel-3',
      'partition:redis-sentinel-1|redis-master,redis-slave-1,redis-slave-2,redis-sentinel-2,redis-sentinel-3',
      'partition:redis-sentinel-2|redis-master,redis-slave-1,redis-slave-2,redis-sentinel-1,redis-sentinel-3',
      'partition:redis-sentinel-3|redis-master,redis-slave-1,redis-slave-2,redis-sentinel-1,redis-sentinel-2',
    ]);
    expect(capped.notes).toContain('31 two-sided partitions of 6 hosts: running the first 6 (smaller side of 1 host first, then 2, ...), 25 left out');
    const fewPairs = generateCases(d, { pauseMs: 60_000, maxPairs: 4 });
    expect(fewPairs.cases.filter((c) => c.kind === 'pair').map((c) => c.id)).toEqual([
      'pair:redis-master+redis-slave-1', 'pair:redis-master+redis-slave-2', 'pair:redis-master+redis-sentinel-1', 'pair:redis-master+redis-sentinel-2',
    ]);
    expect(fewPairs.notes).toContain('15 pairs of failure domains: running the first 4 (in model order), 11 left out');
  });
});

const runCheckCommand = (argv: string[]) => runSubcommand('check', argv);

describe('sentinel-sim check', () => {
  it('is deterministic: the same model and seeds give byte-identical output, text and JSON', async () => {
    const a = await runCheckCommand(['models/two-node', '--seeds', '3,1']);
    const b = await runCheckCommand(['models/two-node', '--seeds', '3,1']);
    // Losing machine-a leaves no writable master: the default bar (single-failure) is missed.
    expect(a.exitCode).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe('check: seeds 3 1\n');
    expect(a.stdout).toContain('seeds 3 1; each case runs once per seed');
    const j1 = await runCheckCommand(['models/two-node', '--seeds', '3,1', '--format', 'json']);
    const j2 = await runCheckCommand(['models/two-node', '--seeds', '3,1', '--format', 'json']);
    expect(j1.stdout).toBe(j2.stdout);
    const j = JSON.parse(j1.stdout);
    expect(j.plan.seeds).toEqual([3, 1]);
    expect(j.cases.find((c: { id: string }) => c.id === 'domain:machine-a').verdict).toBe('outage');
  });

  it('a folder of .conf files without model.yaml: says what it inferred', async () => {
    const r = await runCheckCommand([`${F}/inferred`, '--seeds', '1']);
    expect(r.stderr).toContain(`inferred a model from 3 .conf files in ${F}/inferred`);
    expect(r.stdout).toContain('! single-sentinel:');
  });

  it('bad input exits 2 with file:line and the reason, no stack trace', async () => {
    const bad = await runCheckCommand([`${F}/bad-model`]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(`${F}/bad-model/model.yaml:6: unknown host "nowhere" (hosts: a)\n`);
    expect(bad.stdout).toBe('');
    const none = await runCheckCommand([`${F}/no-sentinel`]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain(`${F}/no-sentinel/model.yaml: no Sentinel process in this model`);
    expect((await runCheckCommand(['models/does-not-exist'])).exitCode).toBe(2);
    expect((await runCheckCommand(['models/zato', '--format', 'xml'])).exitCode).toBe(2);
    expect((await runCheckCommand(['models/zato', '--seeds', '1,x'])).exitCode).toBe(2);
    expect((await runCheckCommand(['models/zato', '--seeds', '1,1'])).exitCode).toBe(2);
    expect((await runCheckCommand([])).exitCode).toBe(2);
    for (const r of [bad, none]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help exits 0', async () => {
    const r = await runCheckCommand(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('--seeds <list>');
  });

  it('is wired into the sentinel-sim CLI', async () => {
    let out = '';
    let err = '';
    const code = await main(['check', 'models/haproxy', '--seeds', '1'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    // The one Sentinel's host down leaves nothing to fail over: the default bar is missed.
    expect(code).toBe(1);
    expect(out).toContain('! single-sentinel:');
    expect(err).toBe('check: seeds 1\n');
  });
});

describe('determinism rule for src/advisor', () => {
  it('calls no real clock, timer or random source', () => {
    const FORBIDDEN = [/\bDate\.now\s*\(/, /\bnew\s+Date\s*\(\s*\)/, /\bMath\.random\s*\(/, /\bsetTimeout\s*\(/, /\bsetInterval\s*\(/, /\bperformance\.now\s*\(/, /\bprocess\.hrtime\b/];
    const files = (dir: string): string[] =>
      !existsSync(dir) ? [] : readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
    const hits: string[] = [];
    for (const f of files('src/advisor')) {
      const src = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      src.split('\n').forEach((l, i) => {
        if (FORBIDDEN.some((re) => re.test(l))) hits.push(`${f}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(files('src/advisor').length).toBeGreaterThan(5);
    expect(hits).toEqual([]);
  });
});
