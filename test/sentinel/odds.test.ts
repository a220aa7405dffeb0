import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oddsFacts, simulateOdds, tally, type OddsFacts } from '../../src/conformance/odds.js';
import type { SentinelEvent } from '../../src/conformance/log.js';

/**
 * Issue 14's "odds", done-when: the split-start and leader-3/2 frequencies measured on both sides
 * (test/conformance/ODDS.md). The real side is the committed real runs, re-read from their
 * Sentinel events by the same code that reads the simulated ones; the simulated frequency over
 * 200 fixed seeds must fall inside the real frequency's 95 % (Wilson) interval.
 */
interface RealRun {
  readonly facts: OddsFacts;
  readonly events: Record<string, SentinelEvent[]>;
}
const real: RealRun[] = readFileSync('test/conformance/odds-real.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as RealRun);

function wilson(k: number, n: number): [number, number] {
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [centre - half, centre + half];
}

const sims = Array.from({ length: 200 }, (_, i) => simulateOdds(i + 1));
const simT = tally(sims);
const realT = tally(real.map((r) => oddsFacts(r.events)));

describe('the odds of the kill-master drill, real vs simulated', () => {
  it('the committed real runs re-read to the facts recorded with them', () => {
    expect(real.length).toBeGreaterThanOrEqual(40);
    for (const r of real) expect(oddsFacts(r.events)).toEqual(r.facts);
  });

  it('two Sentinels start a failover in the same epoch about as often as in the real runs', () => {
    const [lo, hi] = wilson(realT.split, realT.runs);
    const share = simT.split / simT.runs;
    process.stdout.write(`split start: real ${realT.split}/${realT.runs}, 95 % [${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}] %; sim ${simT.split}/${simT.runs}\n`);
    expect(share).toBeGreaterThanOrEqual(lo);
    expect(share).toBeLessThanOrEqual(hi);
  });

  it('the leader logs +odown #quorum 3/2 about as often as in the real runs', () => {
    const [lo, hi] = wilson(realT.leader32, realT.withLeader);
    const share = simT.leader32 / simT.withLeader;
    process.stdout.write(`leader 3/2: real ${realT.leader32}/${realT.withLeader}, 95 % [${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}] %; sim ${simT.leader32}/${simT.withLeader}\n`);
    expect(share).toBeGreaterThanOrEqual(lo);
    expect(share).toBeLessThanOrEqual(hi);
  });

  it('a split start still elects one leader in epoch 1 (the third Sentinel decides), as in every real split', () => {
    const realSplits = real.filter((r) => r.facts.splitEpochs.length > 0);
    expect(realSplits.every((r) => r.facts.splitEpochs[0] === 1 && r.facts.leader !== null)).toBe(true);
    const simSplits = sims.filter((f) => f.splitEpochs.length > 0);
    expect(simSplits.length).toBeGreaterThan(0);
    expect(simSplits.every((f) => f.splitEpochs[0] === 1 && f.leader !== null)).toBe(true);
  });
});
