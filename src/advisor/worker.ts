/**
 * A check worker (run by tinypool in a worker thread): a batch of (case, seed) runs of one plan.
 * The plan is rebuilt from the same inputs as the main thread's (model path, what-if variant,
 * seeds, partition cap), so both number the cases alike, and kept for the worker's next batch
 * with its settled world (runPlannedCase()).
 */
import { loadModel } from '../scenario/model.js';
import { planCheck, runPlannedCase, type CheckPlan } from './report.js';
import type { SeedOutcome } from './simulate.js';
import { applyVariant, isEmptyVariant, type Variant } from './whatif.js';

export interface CaseTask {
  readonly modelPath: string;
  readonly variant: Variant;
  readonly seeds: readonly number[];
  readonly maxPartitions?: number;
  /** check --allow-outside-model: the worker reads the model as the main thread did. */
  readonly allowOutsideModel?: boolean;
  /** [case index, seed] of each run, in the order their outcomes come back. */
  readonly runs: readonly (readonly [number, number])[];
}

const plans = new Map<string, CheckPlan>();

export function planFor(t: Omit<CaseTask, 'runs'>): CheckPlan {
  const key = JSON.stringify([t.modelPath, t.variant, t.seeds, t.maxPartitions ?? null, t.allowOutsideModel ?? false]);
  let p = plans.get(key);
  if (!p) {
    const base = loadModel(t.modelPath, { allowOutsideModel: t.allowOutsideModel });
    const model = isEmptyVariant(t.variant) ? base : applyVariant(base, t.variant).model;
    p = planCheck(model, { seeds: t.seeds, maxPartitions: t.maxPartitions });
    plans.set(key, p);
  }
  return p;
}

export default function runCaseTask(t: CaseTask): SeedOutcome[] {
  const p = planFor(t);
  return t.runs.map(([caseIndex, seed]) => runPlannedCase(p, caseIndex, seed));
}
