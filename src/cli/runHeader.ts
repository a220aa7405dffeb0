import { traceHeader, type TraceHeader } from '../recording/traceCodec.js';
import { modelHash } from '../scenario/modelHash.js';
import type { Scenario } from '../scenario/scenario.js';
import { version } from './context.js';

/** The header line of `run`'s saved records (--trace, --format jsonl, --out): what ran, with which seed, on which files. */
export function runHeader(file: string, scenario: Scenario, seed: number, records: TraceHeader['records']): TraceHeader {
  return traceHeader({ simulatorVersion: version(), scenario: file, model: scenario.model.name, modelHash: modelHash(scenario.model), seed, records });
}
