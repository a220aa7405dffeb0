/**
 * sentinel-sim/testing: property-based tests of a deployment with fast-check. The arbitraries of
 * fault schedules over a model, the named properties (what real Sentinel promises, and what it
 * does not), a helper that runs one schedule against a model, and one that turns a schedule into
 * a scenario file that `sentinel-sim run` replays.
 */
import { basename, dirname, join } from 'node:path';
import type { Model } from './scenario/model.js';
import { toChoices, DEFAULT_DURATION_MS } from './explore/runSchedule.js';
import { modelForExplore, scheduleYaml } from './explore/scenarioFile.js';
import type { PropertyChoice, PropertyName } from './explore/properties.js';
import type { Schedule } from './explore/schedule.js';

export { scheduleArbitrary, faultArbitrary, applicableKinds, faultWindow, type ScheduleOptions } from './explore/arbitraries.js';
export { FAULT_KINDS, FAULT_DOCS, scheduleTimeline, describeFault, type Fault, type FaultKind, type Schedule } from './explore/schedule.js';
export { PROPERTY_NAMES, PROPERTY_DOCS, DEFAULT_PROPERTIES, parsePropertyChoice, type PropertyName, type PropertyChoice } from './explore/properties.js';
export { runSchedule, DEFAULT_DURATION_MS, type RunScheduleOptions, type ScheduleVerdict } from './explore/runSchedule.js';
export { explore, mergeResults, type ExploreOptions, type ExploreResult, type Violation } from './explore/explore.js';
export { modelForExplore as withDefaultWorkload, DEFAULT_WORKLOAD_CLIENT } from './explore/scenarioFile.js';
export { modelTimers, type ModelTimers } from './explore/timers.js';

export interface ScheduleYamlOptions {
  readonly seed: number;
  /** Default: the properties on by default. */
  readonly properties?: readonly (PropertyChoice | PropertyName)[];
  readonly durationMs?: number;
  /** Where the file will be written: the model path in it is relative to it. Default explore-out/<model>-explore.yaml. */
  readonly file?: string;
  readonly name?: string;
}

/**
 * A schedule as scenario YAML: the model, the seed, the timeline (each fault and its heal) and an
 * expectation per property. For a model without a workload client, the scenario names the model
 * file with the default workload (see withDefaultWorkload), which runSchedule's `files` carries.
 */
export function scheduleToYaml(model: Model, schedule: Schedule, o: ScheduleYamlOptions): string {
  const file = o.file ?? join('explore-out', `${model.name}-explore.yaml`);
  const m = modelForExplore(model, dirname(file));
  return scheduleYaml(m.model, m.file, file, {
    name: o.name ?? basename(file).replace(/\.ya?ml$/, ''), seed: o.seed, schedule, properties: toChoices(o.properties), durationMs: o.durationMs ?? DEFAULT_DURATION_MS,
  });
}
