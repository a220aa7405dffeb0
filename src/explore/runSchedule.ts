import { basename, dirname, join } from 'node:path';
import type { PropertyName } from '../check/types.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import type { Model } from '../scenario/model.js';
import { runScenario, type RunResult } from '../scenario/runner.js';
import { DEFAULT_PROPERTIES, type PropertyChoice } from './properties.js';
import { modelForExplore, scheduleScenario } from './scenarioFile.js';
import type { Schedule } from './schedule.js';

/** Runs one fault schedule against a model and says which properties it violated. */

export interface RunScheduleOptions {
  /** The simulation seed (also written into the scenario). */
  readonly seed: number;
  /** Default: the properties on by default (DEFAULT_PROPERTIES). */
  readonly properties?: readonly (PropertyChoice | PropertyName)[];
  /** The run's length in ms (default 5 minutes); longer when `converges` needs time after the last heal. */
  readonly durationMs?: number;
  /** Replace the Redis / Sentinel models (e.g. a deliberately broken one, in a test). */
  readonly factories?: BehaviorFactories;
  /** Where the scenario file would be written (model paths in it are relative to it). Default: explore-out/<model>-explore.yaml. */
  readonly file?: string;
  /** The path the scenario names the model by (default: the model's own file, or the one with the default workload). */
  readonly modelFile?: string;
  readonly name?: string;
}

export interface ScheduleVerdict {
  readonly ok: boolean;
  /** The violated properties, in the order they were asked for. */
  readonly violated: readonly PropertyName[];
  /** The scenario file text of this run: `sentinel-sim run` on it replays the same verdict. */
  readonly yaml: string;
  /** The files that replay it: the scenario, and the model with the default workload when the model has none. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly result: RunResult;
}

export const DEFAULT_DURATION_MS = 5 * 60_000;

export const toChoices = (ps: readonly (PropertyChoice | PropertyName)[] | undefined): PropertyChoice[] =>
  (ps ?? DEFAULT_PROPERTIES).map((p) => (typeof p === 'string' ? { name: p } : p));

export function runSchedule(model: Model, schedule: Schedule, o: RunScheduleOptions): ScheduleVerdict {
  const props = toChoices(o.properties);
  const file = o.file ?? join('explore-out', `${model.name}-explore.yaml`);
  // A model without a workload client gets the default one (cached per model, as a model file beside the scenario).
  const m: ReturnType<typeof modelForExplore> = o.modelFile ? { model, file: o.modelFile } : withWorkload(model, dirname(file));
  const { text, scenario } = scheduleScenario(m.model, m.file, file, {
    name: o.name ?? basename(file).replace(/\.ya?ml$/, ''), seed: o.seed, schedule, properties: props, durationMs: o.durationMs ?? DEFAULT_DURATION_MS,
  });
  const result = runScenario(scenario, { factories: o.factories });
  const failed = new Set(scenario.expectations.filter((e, i) => e.kind === 'property' && !result.expectations[i]!.pass).map((e) => (e.kind === 'property' ? e.property : undefined)));
  const violated = props.map((p) => p.name).filter((n) => failed.has(n));
  const files = [{ path: file, text }, ...(m.text !== undefined ? [{ path: m.file, text: m.text }, ...(m.copies ?? [])] : [])];
  return { ok: violated.length === 0, violated, yaml: text, files, result };
}

const withWorkloadCache = new WeakMap<Model, Map<string, ReturnType<typeof modelForExplore>>>();

function withWorkload(model: Model, outDir: string): ReturnType<typeof modelForExplore> {
  if (!withWorkloadCache.has(model)) withWorkloadCache.set(model, new Map());
  const byDir = withWorkloadCache.get(model)!;
  if (!byDir.has(outDir)) byDir.set(outDir, modelForExplore(model, outDir));
  return byDir.get(outDir)!;
}
