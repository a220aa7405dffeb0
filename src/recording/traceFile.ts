import { readBoundedFile } from '../config/boundedRead.js';
import { basename } from 'node:path';
import { inputError } from '../config/errors.js';
import type { TraceRecord } from '../sim/trace.js';
import { logEntries } from './record.js';
import type { Recording } from './recording.js';

/**
 * A saved run as the player reads it: either `run --format jsonl` (one Sentinel event per line:
 * {timeMs, process, level, event, text}) or a full trace from `run --trace` ({t, k, ...}). Neither
 * holds process states, so the recording has the log and the timeline but no frames.
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
    if (typeof r.t === 'number' && typeof r.k === 'string') records.push(r as TraceRecord);
    else if (typeof r.timeMs === 'number' && typeof r.event === 'string') {
      records.push({ t: Math.round(r.timeMs * 1000), k: 'event', p: r.process, level: r.level, event: r.event, text: r.text ?? '' });
    } else throw inputError(file, i + 1, 'a line with neither {t, k} (a trace record) nor {timeMs, event} (a Sentinel event)');
  });
  const log = logEntries(records);
  const totalUs = records.reduce((m, r) => Math.max(m, r.t), 0);
  return {
    title: basename(file),
    seed: null,
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

export function loadTraceFile(file: string): Recording {
  const bytes = readBoundedFile(file, MAX_TRACE_FILE_BYTES);
  if (!Buffer.isBuffer(bytes)) throw inputError(file, undefined, `cannot read the trace: ${bytes.error}`);
  return loadTraceText(bytes.toString('utf8'), file);
}
