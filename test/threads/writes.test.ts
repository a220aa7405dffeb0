import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { runSubcommand } from '../cli/run-cli.js';

type Res = ReturnType<typeof runScenario>;
const eventAt = (res: Res, event: string, text = '') => res.records.filter((x) => x.k === 'event' && x.event === event && String(x.text).startsWith(text)).map((x) => x.t / 1000);

describe('redis/redis#6062: a manual SENTINEL FAILOVER loses the writes the old master kept accepting', () => {
  const FILE = 'test/threads/fixtures/zato-manual-failover.yaml';

  it('node1 acknowledges writes from the switch until it is demoted about 10 s later; each of them is lost, per client', () => {
    const res = runScenario(loadScenario(FILE));
    expect(res.expectations.filter((e) => !e.pass).map((e) => e.name)).toEqual([]);
    const firstSwitch = Math.min(...eventAt(res, '+switch-master'));
    const demoted = eventAt(res, '+convert-to-slave', 'slave 127.0.0.1:16300 ')[0]!;
    // sentinelRefreshInstanceInfo(): a replica that reports role:master is converted only after
    // 4 × the hello period with the role unchanged, checked as its INFO (every 10 s) comes in.
    expect(demoted - firstSwitch).toBeGreaterThan(8_000);
    expect(demoted - firstSwitch).toBeLessThan(11_000);
    const lw = res.summary.lostWrites!;
    expect(lw.lost.length).toBeGreaterThanOrEqual(8);
    expect(new Set(lw.lost.map((w) => w.client))).toEqual(new Set(['zato']));
    expect(new Set(lw.lost.map((w) => w.ackedBy))).toEqual(new Set(['node1']));
    for (const w of lw.lost) {
      expect(w.ackedMs).toBeGreaterThanOrEqual(30_000);
      expect(w.ackedMs).toBeLessThanOrEqual(demoted);
    }
    expect(lw.windows.map((x) => x.client)).toEqual(['zato']);
  });

  it('run says so in its last line', async () => {
    const out = await runSubcommand('run', [FILE]);
    expect(out.exitCode).toBe(0);
    expect(out.stdout.trimEnd().split('\n').at(-1)).toMatch(/^# the Sentinels switched redis-ha from node1 to node[23] at 3\d\.\d{3} s \(failover led by sentinel1\); \d+ acknowledged writes lost$/);
  });
});

describe('redis/redis-py#460, redis/ioredis#439, redisson/redisson#5875: the client\'s view of a failover (READONLY, NOREPLICAS)', () => {
  const F = 'test/threads/fixtures/client-views';
  it('manual failover, min-replicas-to-write 1: the old master answers NOREPLICAS once its replicas left, then READONLY; the client pinned to it stays on READONLY, the Sentinel-aware one moves', async () => {
    const out = await runSubcommand('run', [`${F}/manual-failover.yaml`]);
    const lines = out.stdout.split('\n');
    const after = (client: string) => lines.filter((l) => l.includes(` ${client} [`) && Number(l.split(' ')[0]) > 21.5);
    const pinned = after('pinned');
    const aware = after('aware');
    expect(pinned.length).toBeGreaterThan(30);
    const demoted = Number(lines.find((l) => l.includes('+convert-to-slave slave 10.0.9.1:6379'))!.split(' ')[0]);
    for (const l of pinned) {
      if (Number(l.split(' ')[0]) < demoted) expect(l).toMatch(/ pinned \[redis-a\] SET \S+ \S+ -> \(error\) NOREPLICAS Not enough good replicas to write\.$/);
      else expect(l).toMatch(/ pinned \[redis-a\] SET \S+ \S+ -> \(error\) READONLY You can't write against a read only replica\.$/);
    }
    // The aware client keeps its connection to redis-a (NOREPLICAS is not a reason to ask again)
    // until the Sentinel's CLIENT KILL at the demotion, then asks and writes to the new master.
    const moved = aware.filter((l) => Number(l.split(' ')[0]) > demoted + 1);
    expect(moved.length).toBeGreaterThan(20);
    for (const l of moved) expect(l).toMatch(/ aware \[redis-[bc]\] SET \S+ \S+ -> OK$/);
    expect(aware.filter((l) => Number(l.split(' ')[0]) < demoted).every((l) => l.includes('NOREPLICAS'))).toBe(true);
  });

  it('min-replicas-to-write 1 and both replicas crash: the master refuses every write at once with NOREPLICAS', async () => {
    const out = await runSubcommand('run', [`${F}/replicas-gone.yaml`]);
    const after = out.stdout.split('\n').filter((l) => / (pinned|aware) \[/.test(l) && Number(l.split(' ')[0]) >= 20);
    expect(after.length).toBeGreaterThan(30);
    for (const l of after) expect(l).toMatch(/ (pinned|aware) \[redis-a\] SET \S+ \S+ -> \(error\) NOREPLICAS Not enough good replicas to write\.$/);
  });
});
