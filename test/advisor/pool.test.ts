import { describe, expect, it } from 'vitest';
import { batchesOf, type Run } from '../../src/advisor/pool.js';

/**
 * check's runs go to the workers in batches (one tinypool task each). The batches must hold every
 * run once, in plan order (outcomes are placed by index), never mix two jobs (a task names one
 * plan), and shrink towards the end so that a long run left last delays only itself.
 */
const runsOf = (jobs: number[]): Run[] => jobs.flatMap((cases, ji) => Array.from({ length: cases * 5 }, (_, k) => [ji, Math.floor(k / 5), k % 5] as const));

describe('batchesOf', () => {
  it('redis-ha-demo on two workers: 280 runs in a few dozen batches, every run once and in order, the last ones single', () => {
    const runs = runsOf([56]);
    const b = batchesOf(runs, 2);
    expect(b.flat()).toEqual(runs);
    expect(b.length).toBeGreaterThan(20);
    expect(b.length).toBeLessThan(60);
    expect(b[0]!.length).toBe(35);
    for (let i = 1; i < b.length; i++) expect(b[i]!.length).toBeLessThanOrEqual(b[i - 1]!.length);
    expect(b.slice(-7).every((x) => x.length === 1)).toBe(true);
  });

  it('what-if columns: no batch mixes two jobs, and the runs stay in plan order', () => {
    const runs = runsOf([9, 3, 20]);
    const b = batchesOf(runs, 4);
    expect(b.flat()).toEqual(runs);
    for (const x of b) expect(new Set(x.map((r) => r[0])).size).toBe(1);
  });

  it('more workers, smaller batches; one run, one batch; none, none', () => {
    const runs = runsOf([56]);
    expect(batchesOf(runs, 8)[0]!.length).toBeLessThan(batchesOf(runs, 2)[0]!.length);
    expect(batchesOf(runs.slice(0, 1), 2)).toEqual([[runs[0]]]);
    expect(batchesOf([], 2)).toEqual([]);
  });
});
