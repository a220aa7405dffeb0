import fc from 'fast-check';
import { join } from 'node:path';
import type { PropertyName } from '../check/types.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { loadModel, type Model } from '../scenario/model.js';
import { rngStream } from '../sim/rng.js';
import { scheduleArbitrary } from './arbitraries.js';
import type { PropertyChoice } from './properties.js';
import { runSchedule } from './runSchedule.js';
import { modelForExplore } from './scenarioFile.js';
import { describeFault, sortedFaults, type FaultKind, type Schedule } from './schedule.js';

/**
 * The two jobs explore hands out, one run and one shrink, as functions of plain data, so the same
 * code runs in this thread or in a worker and gives the same answer. A run's schedule and
 * simulation seed come from (explore seed, run index) only, never from which worker or shard
 * ran it; shrinking is fast-check's own (fc.check with that seed), bounded by a count of runs.
 */

export interface ExploreSpec {
  readonly modelPath: string;
  readonly outDir: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly kinds?: readonly FaultKind[];
  readonly properties: readonly PropertyChoice[];
  readonly maxFaults: number;
  /** Simulations a shrink may spend before it settles for the smallest failing schedule so far. */
  readonly maxShrinks: number;
}

export interface Prepared {
  readonly model: Model;
  /** The model file scenarios name (the model's own, or the one with the default workload). */
  readonly modelFile: string;
  /** The text of that file when explore has to write it, and the configuration files copied beside it. */
  readonly modelText?: string;
  readonly modelCopies?: readonly { readonly path: string; readonly text: string }[];
  readonly arb: fc.Arbitrary<Schedule>;
}

export interface RunEntry {
  readonly index: number;
  readonly seed: number;
  readonly verdict: 'pass' | 'fail';
  readonly violated: readonly PropertyName[];
}

export interface Shrunk {
  readonly property: PropertyName;
  readonly index: number;
  readonly seed: number;
  readonly scenario: string;
  readonly text: string;
  readonly faults: readonly string[];
  /** Whether fast-check's shrinking reproduced the failure for this property alone. */
  readonly shrunk: boolean;
  /** Simulations the shrink ran. */
  readonly simulations: number;
}

export function prepare(spec: ExploreSpec, model: Model = loadModel(spec.modelPath)): Prepared {
  const m = modelForExplore(model, spec.outDir);
  const arb = scheduleArbitrary(m.model, { kinds: spec.kinds, durationMs: spec.durationMs, maxFaults: spec.maxFaults });
  return { model: m.model, modelFile: m.file, modelText: m.text, modelCopies: m.copies, arb };
}

/** Run i's seed: a function of the explore seed and i only. fast-check takes 32-bit seeds. */
export function runSeed(seed: number, index: number): number {
  return rngStream(seed, `explore/run/${index}`).int(0x7fffffff);
}

export function scenarioPath(spec: ExploreSpec, model: Model, property: PropertyName, index: number): string {
  return join(spec.outDir, `${model.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${property}-seed${spec.seed}-run${index}.yaml`);
}

/** The schedule fast-check generates first for this seed (what fc.check with numRuns 1 tries first). */
function firstSchedule(p: Prepared, seed: number): Schedule {
  let first: Schedule | undefined;
  fc.check(
    fc.property(p.arb, (s) => {
      first = s;
      return true;
    }),
    { seed, numRuns: 1 },
  );
  return first!;
}

export function runTask(p: Prepared, spec: ExploreSpec, index: number, factories?: BehaviorFactories): RunEntry {
  const seed = runSeed(spec.seed, index);
  const v = runSchedule(p.model, firstSchedule(p, seed), { seed, properties: spec.properties, durationMs: spec.durationMs, factories, modelFile: p.modelFile });
  return { index, seed, verdict: v.ok ? 'pass' : 'fail', violated: v.violated };
}

export function shrinkTask(p: Prepared, spec: ExploreSpec, index: number, property: PropertyName, factories?: BehaviorFactories): Shrunk {
  const seed = runSeed(spec.seed, index);
  const file = scenarioPath(spec, p.model, property, index);
  const name = file.replace(/^.*[\\/]/, '').replace(/\.yaml$/, '');
  const only = spec.properties.filter((c) => c.name === property);
  let simulations = 0;
  let last: { schedule: Schedule; text: string } | undefined;
  const out = fc.check(
    fc.property(p.arb, (s) => {
      if (simulations >= spec.maxShrinks) return true;
      simulations++;
      const v = runSchedule(p.model, s, { seed, properties: only, durationMs: spec.durationMs, factories, modelFile: p.modelFile, file, name });
      if (v.ok) return true;
      last = { schedule: s, text: v.yaml };
      return false;
    }),
    { seed, numRuns: 1 },
  );
  if (out.failed && last) {
    // The counterexample is the last failing schedule fast-check tried; rerun only if it is not.
    const cex = out.counterexample![0];
    const text = JSON.stringify(cex) === JSON.stringify(last.schedule) ? last.text
      : runSchedule(p.model, cex, { seed, properties: only, durationMs: spec.durationMs, factories, modelFile: p.modelFile, file, name }).yaml;
    return { property, index, seed, scenario: file, text, faults: sortedFaults(cex).map(describeFault), shrunk: true, simulations };
  }
  // Alone, the property held (its check changed the run): keep the run as it failed, with every property.
  const s = firstSchedule(p, seed);
  const v = runSchedule(p.model, s, { seed, properties: spec.properties, durationMs: spec.durationMs, factories, modelFile: p.modelFile, file, name });
  return { property, index, seed, scenario: file, text: v.yaml, faults: sortedFaults(s).map(describeFault), shrunk: false, simulations: simulations + 1 };
}
