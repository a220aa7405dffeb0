import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { MemoryTrace } from '../../src/sim/trace.js';

/**
 * Must the Sentinel that loses the election log its own +odown before it takes the new config?
 * Not always, in real Redis 7.0.15 either. Once the master is ODOWN the leader asks the replicas for
 * INFO every second (sentinelSendPeriodicCommands(): info_period 1000, timed from info_refresh, the
 * last INFO reply), and sees the promotion (sentinelRefreshInstanceInfo(): role:master) at the first
 * of those after SLAVEOF NO ONE. When its 10 s INFO to the replicas came shortly before its ODOWN,
 * that is ~0.7-0.85 s after the ODOWN. The other Sentinel, SDOWN first and refused once by the
 * leader, asks again 1 s after that refusal (sentinelAskMasterStateToOtherSentinels(): SENTINEL_ASK_PERIOD
 * from last_master_down_reply_time) and is ODOWN a tick later; the leader's hello with the new
 * config (sentinelForceHelloUpdateForMaster() on +promoted-slave) can come first, and then
 * +config-update-from switches it with no +odown of its own.
 *
 * Real evidence: test/conformance/odown-info-phase-real.jsonl, from scripts/odown-phase-real.mjs (3+3,
 * quorum 2, down-after 2000; the master and its host's Sentinel SIGSTOPped at once, i.e. the host
 * gone without RST/FIN; the stop timed against the Sentinels' 10 s INFO phase). The kill-master
 * drill of ODDS.md never shows it: it kills right after start-up, so the first replica INFO after
 * the kill is the one the ODOWN itself triggers, and the promotion is seen >= 1 s after the ODOWN.
 */

type Row = { leaderInfoRefreshMs: number[]; leaderOdown: number; promoted: number; otherOdown: number | null; otherConfigUpdate: number };

/** The leader's last replica INFO reply at or before its ODOWN, as ms before the ODOWN. */
function infoLeadMs(refreshesMs: readonly number[], odownMs: number): number {
  const before = refreshesMs.filter((t) => t <= odownMs);
  return odownMs - Math.max(...before);
}

/** What both sides must show: the non-leader misses its +odown only when the promotion is seen early because an INFO came < 1 s before the leader's ODOWN. */
function checkRelation(r: { leadMs: number; promotedAfterOdownMs: number; otherOdownFirst: boolean }, what: string): void {
  if (!r.otherOdownFirst) {
    expect(r.leadMs, what).toBeLessThan(1000);
    expect(r.promotedAfterOdownMs, what).toBeLessThan(1000);
  }
  // An INFO at the ODOWN tick (or >= 1 s before it) puts the next one >= 1 s after the ODOWN.
  if (r.leadMs === 0 || r.leadMs >= 1000) expect(r.promotedAfterOdownMs, what).toBeGreaterThanOrEqual(1000);
}

describe('the non-leader may take the new config before its own +odown (the leader INFO phase)', () => {
  it('real Redis 7.0.15 does, when the leader refreshed the replicas < 1 s before its ODOWN', () => {
    const rows = readFileSync('test/conformance/odown-info-phase-real.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
    let late = 0;
    for (const [i, r] of rows.entries()) {
      const otherOdownFirst = r.otherOdown !== null && r.otherOdown <= r.otherConfigUpdate;
      if (!otherOdownFirst) late++;
      checkRelation({ leadMs: infoLeadMs(r.leaderInfoRefreshMs, r.leaderOdown), promotedAfterOdownMs: r.promoted - r.leaderOdown, otherOdownFirst }, `real run ${i}`);
    }
    expect(late).toBeGreaterThanOrEqual(3);
    expect(rows.length - late).toBeGreaterThanOrEqual(3);
  });

  it('the simulator does the same, for the same reason (zato, host of the master down, seeds 1-30)', () => {
    const scenario = parseScenario(
      ['name: odown-info-phase', 'model: ../../models/zato', 'seed: 1', 'duration: 45s', 'timeline:', '  - { at: 30s, host-down: redis1 }'].join('\n'),
      'test/sentinel/odown-info-phase.yaml',
    );
    const kinds = { late: 0, first: 0 };
    for (let seed = 1; seed <= 30; seed++) {
      const trace = new MemoryTrace();
      runScenario(scenario, { seed, trace, traceDetail: 'full' });
      const recs = trace.records as readonly Record<string, unknown>[];
      const ms = (r: Record<string, unknown>) => (r.t as number) / 1000;
      const ev = (p: string, name: string) => recs.find((r) => r.k === 'event' && r.p === p && r.event === name);
      const leader = ['sentinel2', 'sentinel3'].find((p) => ev(p, '+elected-leader'))!;
      const other = leader === 'sentinel2' ? 'sentinel3' : 'sentinel2';
      // Which connections are the leader's command links to the replicas, then their INFO replies.
      const connectedBy = new Map<unknown, unknown>(recs.filter((r) => r.k === 'net' && r.what === 'connected').map((r) => [r.c, r.p]));
      const toReplica = new Set(recs.filter((r) => r.k === 'net' && r.what === 'accepted' && (r.p === 'node2' || r.p === 'node3') && connectedBy.get(r.c) === leader).map((r) => r.c));
      const refreshes = recs.filter((r) => r.k === 'msg' && r.to === leader && toReplica.has(r.c) && String(r.m).startsWith('"# Server')).map(ms);
      const odown = ms(ev(leader, '+odown')!);
      const otherOdown = ev(other, '+odown');
      const update = ev(other, '+config-update-from')!;
      const otherOdownFirst = otherOdown !== undefined && ms(otherOdown) <= ms(update);
      kinds[otherOdownFirst ? 'first' : 'late']++;
      checkRelation({ leadMs: infoLeadMs(refreshes, odown), promotedAfterOdownMs: ms(ev(leader, '+promoted-slave')!) - odown, otherOdownFirst }, `seed ${seed}`);
    }
    // Both outcomes occur over the seeds, as in the real runs (seeds 1-30: 6 late).
    expect(kinds.late).toBeGreaterThan(0);
    expect(kinds.first).toBeGreaterThan(kinds.late);
  });
});
