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
  return built;
}

export interface PlanJob {
  readonly plan: CheckPlan;
  /** How a worker rebuilds the same plan. */
  readonly source: { readonly modelPath: string; readonly variant: Variant; readonly maxPartitions?: number; readonly allowOutsideModel?: boolean };
}

/** `outcomes[job][case][seed]`, in plan order. */
export async function runJobs(jobs: readonly PlanJob[], workers: number, factories?: BehaviorFactories): Promise<SeedOutcome[][][]> {
  const grid = (j: PlanJob) => j.plan.cases.map(() => j.plan.plan.seeds.map(() => undefined as SeedOutcome | undefined));
  const out = jobs.map(grid);
  if (workers <= 1 || factories) {
    jobs.forEach((j, ji) => j.plan.cases.forEach((_, ci) => j.plan.plan.seeds.forEach((seed, si) => (out[ji]![ci]![si] = runPlannedCase(j.plan, ci, seed, factories)))));
    return out as SeedOutcome[][][];
  }
  // A run allocates many short-lived objects: a larger young generation than a worker's default
  // cut a worker's time by about 15 % on redis-ha-demo (12.6 s → 10.6 s, one thread, loaded machine).
  const pool = new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: workers, idleTimeout: 1000, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  try {
    const runs: Promise<void>[] = [];
    jobs.forEach((j, ji) =>
      j.plan.cases.forEach((_, ci) =>
        j.plan.plan.seeds.forEach((seed, si) => {
          const task: CaseTask = { ...j.source, seeds: j.plan.plan.seeds, caseIndex: ci, seed };
          runs.push(pool.run(task).then((o: SeedOutcome) => void (out[ji]![ci]![si] = o)));
        }),
      ),
    );
    await Promise.all(runs);
  } finally {
    await pool.destroy();
  }
  return out as SeedOutcome[][][];
}
