import { describe, expect, it } from 'vitest';
import { deploy, threeByThree } from '../sentinel/harness.js';
import { crash, pause } from '../../src/faults/index.js';
import { selectSlaveReport, type SentinelState } from '../../src/sentinel/index.js';
import { checkModel } from '../../src/advisor/report.js';
import { analyseDeployment } from '../../src/advisor/deployment.js';
import { checkFlags } from '../../src/advisor/flags.js';
import { loadModel } from '../../src/scenario/model.js';

/**
 * Replica selection, as users meet it in -failover-abort-no-good-slave (sentinelSelectSlave():
 * SDOWN, disconnected, last ok PING over 5 s old, replica-priority 0, INFO too old, master link
 * down too long; each replica is dropped by the first filter it fails).
 */
const S = 1e6;

/** The leader's selection report at the instant it logged `event` (or null if it never did). */
function selectionAt(r: ReturnType<typeof deploy>, event: string, endS: number) {
  let report: ReturnType<typeof selectSlaveReport> | null = null;
  let who = '';
  for (let t = r.world.nowUs; t < endS * S && report === null; ) {
    t += 1000;
    r.world.runUntil(t);
    const e = r.events({ event })[0];
    if (e) {
      who = e.p;
      const st = r.world.stateOf<SentinelState>(e.p);
      report = selectSlaveReport(st, st.masters[0]!, r.world.hostNowMs(r.world.hostOfProcess(e.p)));
    }
  }
  return { report, who };
}

describe('redis/redis#7825: when does -failover-abort-no-good-slave occur?', () => {
  it('both replicas down, then the master: the leader finds no replica (each one SDOWN) and aborts; the retry 2 × failover-timeout later promotes the replica that came back', () => {
    const r = deploy(threeByThree({ failoverTimeoutMs: 10_000 }), 1);
    r.world.runUntil(20 * S);
    crash(r.world, 'r2');
    r.world.runUntil(22 * S);
    crash(r.world, 'r3');
    r.world.runUntil(24 * S);
    crash(r.world, 'r1');
    const { report, who } = selectionAt(r, '-failover-abort-no-good-slave', 40);
    expect(who).not.toBe('');
    expect(r.events({ event: '+selected-slave' })).toEqual([]);
    expect(report!.selected).toBeNull();
    expect(report!.excluded.map((x) => `${x.name} ${x.why}`).sort()).toEqual(['10.0.0.2:6379 sdown', '10.0.0.3:6379 sdown']);
    const abort = r.events({ p: who, event: '-failover-abort-no-good-slave' })[0]!;
    // r3 comes back as a replica of the dead master. Never connected since its start, it reports
    // master_link_down_since_seconds:-1 (server.repl_down_since is 0), so the link-down filter passes.
    r.world.runUntil(45 * S);
    r.world.start('r3');
    r.world.runUntil(90 * S);
    const retry = r.events({ p: who, event: '+try-failover' })[1]!;
    expect(retry.t - r.events({ p: who, event: '+try-failover' })[0]!.t).toBeGreaterThanOrEqual(20_000);
    expect(retry.t).toBeGreaterThan(abort.t);
    expect(r.lines(who)).toContain('+selected-slave slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.1 6379');
    expect(r.lines(who)).toContain('+switch-master mymaster 10.0.0.1 6379 10.0.0.3 6379');
  });
});

describe('redis/redis#1796: 2 data machines + 1 Sentinel-only machine, sometimes no promotion', () => {
  const F = 'test/threads/fixtures/two-plus-one';

  it('the only replica has replica-priority 0: flagged from the files, and check says which filter excluded it', () => {
    const flags = checkFlags(analyseDeployment(loadModel(F)));
    expect(flags.map((f) => f.id)).toEqual(['no-promotable-replica']);
    expect(flags[0]!.message).toBe('the only replica, redis-b, has replica-priority 0: Sentinel never promotes such a replica, so losing the master redis-a ends in -failover-abort-no-good-slave');
    const c = checkModel(loadModel(F), { seeds: [1] }).cases.find((x) => x.id === 'domain:a')!;
    expect(c.verdict).toBe('outage');
    expect(c.verdictText).toBe('OUTAGE: master down, no replica passes selection: redis-b priority-zero (replica-priority 0)');
  });

  it('a replica that stopped answering (paused) at the moment of selection is excluded by its last ok PING, before it is SDOWN', () => {
    const d = threeByThree({ downAfterMs: 30_000 });
    const r = deploy(d, 2);
    r.world.runUntil(20 * S);
    crash(r.world, 'r3');
    r.world.runUntil(60 * S);
    crash(r.world, 'r1');
    // down-after 30 s: the master is SDOWN at about 90 s; r2, paused at 80 s, is not SDOWN yet then.
    r.world.runUntil(80 * S);
    pause(r.world, 'r2');
    const { report } = selectionAt(r, '-failover-abort-no-good-slave', 120);
    expect(report).not.toBeNull();
    const r2 = report!.excluded.find((x) => x.name === '10.0.0.2:6379')!;
    expect(r2.why).toBe('last-ok-ping-too-old');
    expect(r2.detail).toMatch(/^last ok PING reply \d+ ms ago > 5000 ms$/);
    expect(report!.excluded.find((x) => x.name === '10.0.0.3:6379')!.why).toBe('sdown');
  });
});
