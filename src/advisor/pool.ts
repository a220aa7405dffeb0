/**
 * Every case × seed of a check, over `workers` threads through tinypool, or in this thread when
 * `workers` is 1 (or the models are test fakes, which cannot cross to a thread). Outcomes are
 * placed by their index, so the report is the same bytes whatever the number of workers.
 *
 * The worker is always the built file (dist/advisor/worker.js): from the build it sits next to
 * this module; from the TypeScript sources (tests) it is the same file under dist/, which the test
 * set-up builds when the sources are newer.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { runPlannedCase, type CheckPlan } from './report.js';
import type { SeedOutcome } from './simulate.js';
import type { CaseTask } from './worker.js';
import type { Variant } from './whatif.js';

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // '../advisor/': this file runs from dist/advisor/ or, bundled, from dist/cli/.
  const built = fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/advisor/worker.js' : '../advisor/worker.js', import.meta.url));
  if (!existsSync(built)) throw new Error(`the check worker ${built} is not built: run npm run build`);
  // The same worker as one file (scripts/bundle-cli.mjs), when the build made it: it starts faster.
  const bundled = built.replace(/worker\.js$/, 'worker.bundle.js');
  return existsSync(bundled) ? bundled : built;
}

export interface PlanJob {
  readonly plan: CheckPlan;
  /** How a worker rebuilds the same plan. */
  readonly source: { readonly modelPath: string; readonly variant: Variant; readonly maxPartitions?: number; readonly allowOutsideModel?: boolean };
}

/** One run: job, case and seed indices. */
export type Run = readonly [number, number, number];

/**
 * The runs cut into batches, in plan order: a batch is one tinypool task, and a task costs a
 * message each way and a heap measure in the worker (~1 ms), so 280 one-run tasks cost more
 * than 40 batches. Batches shrink as the runs left do (guided scheduling: a fourth of each
 * worker's share of what is left), so the workers still finish close together when a few runs
 * are much longer than the others (a partition whose failover is retried runs 410 s, not 35 s).
 * A batch holds runs of one job only, since a task names the one plan it runs.
 */
export function batchesOf(runs: readonly Run[], workers: number): Run[][] {
  const out: Run[][] = [];
  let i = 0;
  while (i < runs.length) {
    const size = Math.max(1, Math.floor((runs.length - i) / (4 * workers)));
    let end = Math.min(runs.length, i + size);
    for (let k = i + 1; k < end; k++) {
      if (runs[k]![0] !== runs[i]![0]) {
        end = k;
        break;
      }
    }
    out.push(runs.slice(i, end));
    i = end;
  }
  return out;
}

/**
 * A run allocates many short-lived objects, and a scavenge copies what is still alive: a world
 * mid-run. A young generation of 192 MB (semi-spaces of 64 MB) scavenges a third as often as 64 MB
 * did; on redis-ha-demo, two workers, that cut check's CPU by about 8 % (7.9 s → 7.3 s, load 13),
 * with the same peak RSS (~410 MB: the old generation, not the young one, sets it).
 */
const YOUNG_GENERATION_MB = 192;

/** `outcomes[job][case][seed]`, in plan order; `onRun(done, total)` after each run or batch (for progress lines). */
export async function runJobs(jobs: readonly PlanJob[], workers: number, factories?: BehaviorFactories, onRun?: (done: number, total: number) => void): Promise<SeedOutcome[][][]> {
  const out = jobs.map((j) => j.plan.cases.map(() => j.plan.plan.seeds.map(() => undefined as SeedOutcome | undefined)));
  const runs: Run[] = [];
  // Seed by seed: a thread settles a seed's world once and copies it for each case (runPlannedCase()).
  jobs.forEach((j, ji) => j.plan.plan.seeds.forEach((_seed, si) => j.plan.cases.forEach((_, ci) => runs.push([ji, ci, si]))));
  const seedOf = ([ji, , si]: Run) => jobs[ji]!.plan.plan.seeds[si]!;
  let done = 0;
  if (workers <= 1 || factories) {
    for (const r of runs) {
      out[r[0]]![r[1]]![r[2]] = runPlannedCase(jobs[r[0]]!.plan, r[1], seedOf(r), factories);
      onRun?.(++done, runs.length);
    }
    return out as SeedOutcome[][][];
  }
  const pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: workers, idleTimeout: 1000, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  try {
    await Promise.all(
      batchesOf(runs, workers).map(async (batch) => {
        const j = jobs[batch[0]![0]]!;
        const task: CaseTask = { ...j.source, seeds: j.plan.plan.seeds, runs: batch.map((r) => [r[1], seedOf(r)] as const) };
        const outcomes = (await pool.run(task)) as SeedOutcome[];
        batch.forEach((r, k) => (out[r[0]]![r[1]]![r[2]] = outcomes[k]!));
        onRun?.((done += batch.length), runs.length);
      }),
    );
  } finally {
    await pool.destroy();
  }
  return out as SeedOutcome[][][];
}
