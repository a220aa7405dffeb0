/**
 * The 61 committed real runs of the kill-master drill (test/conformance/odds-real.jsonl, real Redis
 * 7.0.15 on this project's machine; ODDS.md) compared with simulated seeds 1..100 by the
 * conformance rules themselves (compareObservations(): outcome shares, every Sentinel's sequence,
 * widened timing ranges). It runs offline, so a change to a Sentinel rule that real runs contradict
 * fails here, not only in the real-Redis suite. 22 of the runs are split starts (two candidates in
 * epoch 1): they are compared like any other run, without the excuse they once had (D4).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareObservations, DEFAULT_SEEDS, observe, simulate, splitStart, type Observation, type Step } from '../../src/conformance/compare.js';
import { oddsCase, SIM_END_MS } from '../../src/conformance/odds.js';
import { noiseFigures } from '../../src/conformance/noise.js';
import { topology } from '../../src/conformance/topology.js';
import type { SentinelEvent } from '../../src/conformance/log.js';

type Events = Record<string, SentinelEvent[]>;
const runs: { load1: number; events: Events }[] = readFileSync('test/conformance/odds-real.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));

const c = oddsCase(27000);
const steps: Step[] = [{ atMs: 0, kind: 'kill9', target: 'node1' }];
/** No noise was probed during these runs: the allowance's floor (±375 ms). */
const noise = noiseFigures({ wakeLateMs: [], flushMs: [] });
const until = (events: Events, endMs: number): Events => Object.fromEntries(Object.entries(events).map(([s, es]) => [s, es.filter((e) => e.timeMs <= endMs)]));

/** The real drive's window: every Sentinel's +switch-master, then 500 ms (oddsCase()). */
function endOf(events: Events): number {
  const switches = Object.values(events).flat().filter((e) => e.event === '+switch-master');
  return Math.max(...switches.map((e) => e.timeMs)) + 500;
}

describe('the committed real kill-master runs against the simulated drill', () => {
  const spec = topology({ base: c.base, ...c.topology });
  // One long simulation per seed, cut at each real run's end (a run's past never depends on its end).
  const long = Array.from({ length: DEFAULT_SEEDS }, (_, i) => simulate(c, spec, steps, SIM_END_MS, i + 1));
  const problemsOf = (events: Events): string[] => {
    const endMs = endOf(events);
    const real = observe(c, 'real', until(events, endMs), steps, [], endMs);
    const sims: Observation[] = long.map((s) => observe(c, 'sim', until(s.events as Events, endMs), steps, [], endMs, s.seed));
    return compareObservations(c, real, sims, noise).problems;
  };

  it('every run agrees, split starts included, but run 11', () => {
    expect(runs.length).toBe(61);
    const disagree = runs.map((r, i) => ({ run: i + 1, problems: problemsOf(r.events) })).filter((x) => x.problems.length > 0);
    // Run 11 (load 18.4): sentinel3's +sdown came 3121 ms after the kill, ~1 s after its peers and
    // 944 ms past the simulated maximum; it had already voted for the leader. Not explained yet.
    expect(disagree.map((x) => x.run)).toEqual([11]);
    expect(disagree[0]!.problems).toHaveLength(1);
    expect(disagree[0]!.problems[0]).toMatch(/^timing other \+sdown master \| from kill9 node1: real 2143, 3121 ms not in simulated/);
  });

  it('the split starts are a third of the runs, so the comparison above covers them', () => {
    const split = runs.filter((r) => splitStart(observe(c, 'real', r.events, steps, [], endOf(r.events))));
    expect(split.length).toBe(22);
  });
});
