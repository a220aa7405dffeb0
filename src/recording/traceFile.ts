import { readBoundedFile } from '../config/boundedRead.js';
import { basename } from 'node:path';
import { inputError } from '../config/errors.js';
import type { TraceRecord } from '../sim/trace.js';
import { logEntries } from './record.js';
import { decodeRecord, TRACE_SCHEMA, TRACE_VERSION } from './traceCodec.js';
import { TraceRecordSchema } from './traceSchema.js';
import { MAX_DURATION_US } from '../scenario/inputLimits.js';
import type { Recording } from './recording.js';

/**
 * A saved run as the player reads it: `run --format jsonl` (Sentinel events), `run --trace` or a run
 * folder's trace.jsonl (every record). Since schema version 1 (traceSchema.ts) each starts with a
 * header and has {timeMs, kind, process, ...} lines; files of older versions ({t, k, ...} traces,
 * {timeMs, event, ...} jsonl without a header) are still read. None holds process states, so the
 * recording has the log and the timeline but no frames.
 */

/** The player holds a saved run in memory: past this, play the scenario itself instead. */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

export const TRACE_NOTE = 'a saved trace has events only: Redis, Sentinel, vote and network panels need the scenario (play <scenario.yaml>)';

export function isTraceFile(file: string, text?: string): boolean {
  if (/\.jsonl$/i.test(file)) return true;
  const t = text ?? '';
  return t.trimStart().startsWith('{');
}

export function loadTraceText(text: string, file: string): Recording {
  const records: TraceRecord[] = [];
  let seed: number | null = null;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw inputError(file, i + 1, 'not a JSON line (expected the output of `run --format jsonl` or a `run --trace` file)');
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw inputError(file, i + 1, 'each line must be a JSON object');
    const r = o as Record<string, unknown>;
    if (r.kind === 'header') seed = headerSeed(r, file, i + 1);
    else if (typeof r.timeMs === 'number' && typeof r.kind === 'string') records.push(decodeRecord(checkedRecord(r, file, i + 1)));
    else if (typeof r.t === 'number' && typeof r.k === 'string') records.push(r as TraceRecord);
    else if (typeof r.timeMs === 'number' && typeof r.event === 'string') {
      records.push({ t: Math.round(r.timeMs * 1000), k: 'event', p: r.process, level: r.level, event: r.event, text: r.text ?? '' });
    } else throw inputError(file, i + 1, 'a line with neither {timeMs, kind} (a trace record), {t, k} (an older trace record) nor {timeMs, event} (an older Sentinel event)');
  });
  if (seed === null && records.length === 0) throw inputError(file, 1, 'no header and no record: an empty file is not a saved run (expected the output of `run --format jsonl` or a `run --trace` file)');
  const log = logEntries(records);
  const totalUs = records.reduce((m, r) => Math.max(m, r.t), 0);
  return {
    title: basename(file),
    seed,
    source: 'trace',
    totalUs,
    log,
    procs: [],
    hosts: [],
    frames: [],
    frameTimes: [],
    note: TRACE_NOTE,
  };
}

/**
 * A record of the current schema, checked against it (traceSchema.ts): a hand-edited or foreign line
 * (`"level": "#"`, a reply with no command, a time of 1e300 ms) is refused at its line instead of
 * being drawn as "undefined" or silently dropped.
 */
function checkedRecord(r: Record<string, unknown>, file: string, line: number): Record<string, unknown> {
  const res = TraceRecordSchema.safeParse(r);
  if (res.success) {
    if ((r.timeMs as number) * 1000 <= MAX_DURATION_US) return r;
    throw inputError(file, line, `timeMs ${String(r.timeMs)} is past the end of the longest run sentinel-sim makes (720h)`);
  }
  const issue = res.error.issues[0]!;
  const key = issue.path.map(String).join('.');
  const why =
    issue.code === 'unrecognized_keys'
      ? `unknown key "${String((issue as { keys: string[] }).keys[0])}"`
      : issue.code === 'invalid_union' && issue.path.length === 0
        ? `unknown kind ${JSON.stringify(r.kind)}`
        : issue.code === 'invalid_type' && !(key in r)
          ? `missing "${key}"`
          : `${key}: ${issue.message.replace(/^Invalid input: /, '')}`;
  return (() => {
    throw inputError(file, line, `not a trace record of schema version ${TRACE_VERSION}: ${why}`);
  })();
}

/** The header's seed, after checking it is a header this version reads. */
function headerSeed(r: Record<string, unknown>, file: string, line: number): number | null {
  if (r.schema !== TRACE_SCHEMA) throw inputError(file, line, `a header of schema ${JSON.stringify(r.schema)}; expected "${TRACE_SCHEMA}"`);
  if (typeof r.version !== 'number' || r.version > TRACE_VERSION) {
    throw inputError(file, line, `trace schema version ${JSON.stringify(r.version)}: this sentinel-sim reads versions up to ${TRACE_VERSION} (a newer sentinel-sim wrote it)`);
  }
  return typeof r.seed === 'number' ? r.seed : null;
}

export function loadTraceFile(file: string): Recording {
  const bytes = readBoundedFile(file, MAX_TRACE_FILE_BYTES);
  if (!Buffer.isBuffer(bytes)) throw inputError(file, undefined, `cannot read the trace: ${bytes.error}`);
  return loadTraceText(bytes.toString('utf8'), file);
}
