/**
 * The simulated side of a conformance case starts from the state the real harness faults: every
 * Sentinel knows every replica (RealDeployment.start() launches the Sentinels only once the master
 * lists every replica, then waitHealthy() waits for each Sentinel to know each one). A Sentinel that
 * started before a replica attached learns it only at its next INFO, 10 s later; before
 * SENTINEL_START_MS, that was after the origin in 7 of 100 seeds, and those seeds logged sequences
 * (`+slave slave node3 …` after the fault) that no real run can produce.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEEDS, simulate, type ConformanceCase } from '../../src/conformance/compare.js';
import { ALL_CASES } from '../../src/conformance/compare-cases.js';
import { topology } from '../../src/conformance/topology.js';

const idle = (nodes: number): ConformanceCase => ({
  id: `idle-${nodes}`,
  title: 'no fault',
  base: 26990,
  topology: { nodes, sentinels: 3, quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1 },
  async drive() {},
});

describe('the simulated warm-up', () => {
  for (const nodes of [3, 4]) {
    it(`${nodes} nodes: no Sentinel learns a replica after the origin, in any of the ${DEFAULT_SEEDS} seeds`, () => {
      const c = idle(nodes);
      const spec = topology({ base: c.base, ...c.topology });
      const late: string[] = [];
      // 11 s past the origin: past every Sentinel's next 10 s INFO of the master.
      for (let seed = 1; seed <= DEFAULT_SEEDS; seed++) {
        const o = simulate(c, spec, [], 11_000, seed);
        for (const [s, es] of Object.entries(o.events)) for (const e of es) if (e.event === '+slave') late.push(`seed ${seed} ${s} ${e.timeMs} ms: ${e.text}`);
      }
      expect(late).toEqual([]);
    });
  }

  it('every case runs at least the default seeds', () => {
    expect(ALL_CASES.filter((c) => (c.seeds ?? DEFAULT_SEEDS) < DEFAULT_SEEDS).map((c) => c.id)).toEqual([]);
  });
});
