import type { TraceRecord } from '../sim/trace.js';

/**
 * The in-memory trace record ({t µs, k, p, c, m, ...}: short keys, hashed by the trace pins) to the
 * saved line ({timeMs, kind, process, conn, message, ...}: traceSchema.ts) and back. Only the
 * serialization changes; the model's records stay as they are.
 */

export const TRACE_SCHEMA = 'sentinel-sim/trace';
export const TRACE_VERSION = 1;

/** The first line of every file (traceSchema.ts HeaderSchema says what each key means). */
export interface TraceHeader {
  readonly kind: 'header';
  readonly schema: typeof TRACE_SCHEMA;
  readonly version: typeof TRACE_VERSION;
  readonly simulator: 'sentinel-sim';
  readonly simulatorVersion: string;
  readonly scenario: string;
  readonly model: string;
  readonly modelHash: string;
  readonly seed: number;
  readonly records: 'all' | 'events';
}

/** Short in-memory key → saved key (besides `t`, which also changes unit). */
const RENAMES: Readonly<Record<string, string>> = { k: 'kind', p: 'process', c: 'conn', m: 'message' };
const BACK: Readonly<Record<string, string>> = { kind: 'k', process: 'p', conn: 'c', message: 'm' };

/** A record of the running model as a line of the file: timeMs and kind first, then its fields in their order. */
export function encodeRecord(r: TraceRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { timeMs: r.t / 1000, kind: r.k };
  if (r.p !== undefined) out.process = r.p;
  // A state record's own `kind` (a sync's full/partial) would collide with the record's kind.
  const renames = r.k === 'state' ? { ...RENAMES, kind: 'syncKind' } : RENAMES;
  for (const key of Object.keys(r)) {
    if (key === 't' || key === 'k' || key === 'p') continue;
    // `c` and `conn` never meet in one record (net/msg use c, op/state use conn): keep either as conn.
    out[renames[key] ?? key] = r[key];
  }
  return out;
}

/** A saved record back to the in-memory shape the log and the player read. */
export function decodeRecord(o: Record<string, unknown>): TraceRecord {
  const t = Math.round((o.timeMs as number) * 1000);
  const k = o.kind as string;
  const out: Record<string, unknown> = { t, k };
  if (o.process !== undefined) out.p = o.process;
  for (const key of Object.keys(o)) {
    if (key === 'timeMs' || key === 'kind' || key === 'process') continue;
    const back = k === 'state' && key === 'syncKind' ? 'kind' : k === 'op' || k === 'state' ? key : BACK[key] ?? key;
    out[back] = o[key];
  }
  return out as TraceRecord;
}

export type HeaderFacts = Omit<TraceHeader, 'kind' | 'schema' | 'version' | 'simulator'>;

export function traceHeader(f: HeaderFacts): TraceHeader {
  return {
    kind: 'header', schema: TRACE_SCHEMA, version: TRACE_VERSION, simulator: 'sentinel-sim', simulatorVersion: f.simulatorVersion,
    scenario: f.scenario, model: f.model, modelHash: f.modelHash, seed: f.seed, records: f.records,
  };
}
