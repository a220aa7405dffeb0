import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { timelineData } from '../../src/report/timeline.js';
import { failoverStories } from '../../src/report/failovers.js';

/**
 * redis/redis#2235 ("why does failover take so long?") and #12520 ("how low can it go?"): the
 * time from the fault to the switch is down-after-milliseconds, then ODOWN, the election, the
 * promotion and the reconfiguration, each a span on the leader's lane of the timeline.
 */
describe('redis/redis#2235, #12520: where a failover\'s time goes', () => {
  it('zato-stop-master: the leader\'s lane holds SDOWN after down-after, ODOWN, the election, select, promotion, reconfiguration, in order, and they add up to the switch', () => {
    const sc = loadScenario('scenarios/zato-stop-master.yaml');
    const res = runScenario(sc);
    const tl = timelineData(res.records, sc.model, res.endUs, res.summary.lostWrites);
    const stories = failoverStories({ records: res.records, acked: res.acked, failovers: res.summary.failovers, timeline: sc.timeline, model: sc.model, endUs: res.endUs, lostWrites: res.summary.lostWrites });
    const leader = stories[0]!.leader!;
    const lane = tl.spans.filter((x) => x.lane === leader && x.from > 30);
    const span = (state: string) => lane.find((x) => x.state === state)!;
    const exited = tl.bands.find((b) => b.what === 'node1 exited')!;
    // down-after-milliseconds 10000: SDOWN starts 10 s (and at most one PING period more) after node1 stops answering.
    expect(span('SDOWN').from - exited.from).toBeGreaterThanOrEqual(10);
    expect(span('SDOWN').from - exited.from).toBeLessThan(11.1);
    expect(span('ODOWN').from).toBeGreaterThanOrEqual(span('SDOWN').from);
    const phases = ['election', 'select-slave', 'send-slaveof-noone', 'wait-promotion', 'reconf-slaves'].map(span);
    expect(phases[0]!.from).toBe(span('ODOWN').from);
    for (let i = 1; i < phases.length; i++) expect(phases[i]!.from).toBe(phases[i - 1]!.to);
    // The election lasts until +elected-leader: the votes' round trip, well under a second here.
    expect(phases[0]!.to - phases[0]!.from).toBeLessThan(1);
    const leaderSwitch = res.records.find((x) => x.k === 'event' && x.p === leader && x.event === '+switch-master')!.t / 1e6;
    expect(phases.at(-1)!.to).toBeCloseTo(leaderSwitch, 6);
    // What `run` reports as "switched … later" starts at the fault and ends at the first Sentinel's +switch-master.
    expect(stories[0]!.faultToSwitchMs! / 1000).toBeGreaterThan(span('SDOWN').from - 30);
  });

  it('an election that is never won shows as an election span closed by the abort (models/two-node)', () => {
    const sc = loadScenario('scenarios/two-node-machine-down.yaml');
    const res = runScenario(sc);
    const tl = timelineData(res.records, sc.model, res.endUs);
    const el = tl.spans.filter((x) => x.lane === 'sentinel-b' && x.state === 'election');
    expect(el).toHaveLength(1);
    const abort = res.records.find((x) => x.k === 'event' && x.p === 'sentinel-b' && x.event === '-failover-abort-not-elected')!.t / 1e6;
    expect(el[0]!.to).toBeCloseTo(abort, 6);
    // min(10 s, failover-timeout) plus up to 1 s of desync.
    expect(el[0]!.to - el[0]!.from).toBeGreaterThan(10);
    expect(el[0]!.to - el[0]!.from).toBeLessThan(11.1);
  });
});
