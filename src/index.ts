/** The public library API of sentinel-sim. */
export { loadModel, inferModel, type Model, type ModelProcess, type ModelHost, type FailureDomain } from './scenario/model.js';
export { loadScenario, parseScenario, type Scenario, type TimedAction } from './scenario/scenario.js';
export { runScenario, type RunOptions, type RunResult, type RunSummary } from './scenario/runner.js';
export { buildWorld, type BuildOptions } from './scenario/build.js';
export { defaultFactories, type BehaviorFactories } from './scenario/behaviors.js';
export { parseDurationUs } from './scenario/duration.js';
export { modelJsonSchema, scenarioJsonSchema } from './scenario/schema.js';
export type { Expectation, ExpectationResult } from './check/types.js';
export { summarizeFailovers, countEvents, type FailoverSummary } from './check/summary.js';
export { cliBehavior, type CliJob } from './clients/cli.js';
export { World } from './sim/world.js';
export { createWorld, type NetWorld } from './net/world.js';
export * as faults from './faults/index.js';
export { FileTrace, HashTrace, MemoryTrace, type TraceRecord, type TraceSink } from './sim/trace.js';
export { InputError } from './config/errors.js';
export { encodeRecord, decodeRecord, traceHeader, TRACE_SCHEMA, TRACE_VERSION, type TraceHeader } from './recording/traceCodec.js';
export { TraceLineSchema, TraceRecordSchema, HeaderSchema, traceJsonSchema } from './recording/traceSchema.js';
