import { render } from 'ink';
import { createElement } from 'react';
import { InputError } from '../config/errors.js';
import { parseScenario } from '../scenario/scenario.js';
import { checkTextSize, readTextFile } from '../scenario/yamlFile.js';
import { formatSeconds } from '../sim/time.js';
import { App, logFor } from './app.js';
import { INITIAL_UI, screenLines } from './layout.js';
import { plain } from './lines.js';
import { markersOf } from './panels.js';
import { initialPlayback, reducePlayback } from '../recording/playback.js';
import { recordScenario } from '../recording/record.js';
import type { LogEntry, Recording } from '../recording/recording.js';
import { timelineFor } from './app.js';
import { isTraceFile, loadTraceText, MAX_TRACE_FILE_BYTES } from '../recording/traceFile.js';

/**
 * The player behind `sentinel-sim play` (its options are parsed by the CLI, src/cli/play.ts).
 * On a terminal: the ink player. Otherwise: the plain log, and a note on stderr saying so.
 * stats: record, then report how long recording took, the frames kept, the heap they hold and
 * how long a screen at a random cursor takes to build (the cost of a rewind), then exit.
 */

export interface PlayIo {
  readonly stdin?: NodeJS.ReadStream | { isTTY?: boolean };
  readonly stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: { write(s: string): unknown };
}

export interface PlayArgs {
  readonly file: string;
  /** The file's text when it did not come from a file (`play -`: stdin, named `<stdin>`). */
  readonly text?: string;
  readonly seed?: number;
  readonly untilUs?: number;
  readonly frameEveryMs?: number;
  readonly stats: boolean;
  readonly allLogs: boolean;
}

export function loadForPlay(
  a: Pick<PlayArgs, 'file' | 'text' | 'seed' | 'untilUs' | 'frameEveryMs'>,
  opts: { measureHeap?: boolean; onProgress?: (simUs: number, endUs: number) => void } = {},
): { rec: Recording; notes: string[] } {
  // Read once at the trace's limit: a saved run is often past a scenario's 1 MiB (the zato drill's trace is 1.2 MB).
  const text = a.text ?? readTextFile(a.file, 'scenario or trace file', MAX_TRACE_FILE_BYTES);
  if (isTraceFile(a.file, text)) {
    const notes = a.seed !== undefined ? [`play: --seed is ignored for a saved trace (${a.file})`] : [];
    return { rec: loadTraceText(text, a.file), notes };
  }
  checkTextSize(a.file, 'scenario file', Buffer.byteLength(text));
  const scenario = parseScenario(text, a.file);
  const notes = [...scenario.model.inferred, ...scenario.model.warnings];
  const rec = recordScenario(scenario, { seed: a.seed, untilUs: a.untilUs, frameEveryMs: a.frameEveryMs, measureHeap: opts.measureHeap, onProgress: opts.onProgress });
  return { rec, notes };
}

/** Build `n` screens at cursors spread over the run, last to first (a rewind): ms per screen. */
export function measureRewind(rec: Recording, n: number, width = 100, height = 40): { perScreenMs: number; maxMs: number } {
  const log = logFor(rec, 'events');
  const tl = timelineFor(log, rec.totalUs);
  const markers = markersOf(rec.log);
  let pb = initialPlayback(tl);
  let max = 0;
  const t0 = performance.now();
  for (let k = n - 1; k >= 0; k--) {
    const s = performance.now();
    pb = reducePlayback(tl, pb, { type: 'goto', us: Math.round((rec.totalUs * (k * 7919 % n)) / n) });
    screenLines({ rec, log, markers, pb, ui: INITIAL_UI, width, height, logMode: 'events' });
    max = Math.max(max, performance.now() - s);
  }
  return { perScreenMs: (performance.now() - t0) / n, maxMs: max };
}

/**
 * A long recording says how far it got: after 2 s of wall time, one line on stderr every 2 s, when
 * stderr is a terminal (captured output stays byte-identical per seed). Wall time is read here,
 * never in the model.
 */
function progress(io: PlayIo): (simUs: number, endUs: number) => void {
  if (!(io.stderr as { isTTY?: boolean }).isTTY) return () => {};
  const startMs = performance.now();
  let nextMs = startMs + 2000;
  return (simUs, endUs) => {
    const now = performance.now();
    if (now < nextMs || simUs >= endUs) return;
    nextMs = now + 2000;
    const rate = simUs / ((now - startMs) * 1000);
    const left = (endUs - simUs) / 1e6 / rate;
    io.stderr.write(`sentinel-sim play: recording ${formatSeconds(simUs)} s of ${formatSeconds(endUs)} s simulated (${((100 * simUs) / endUs).toFixed(0)}%), about ${left.toFixed(0)} s to go\n`);
  };
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function runPlay(a: PlayArgs, io: PlayIo): Promise<number> {
  try {
    const measure = a.stats;
    const { rec, notes } = loadForPlay(a, { measureHeap: measure, onProgress: progress(io) });
    for (const n of notes) io.stderr.write(`${n}\n`);

    if (a.stats) {
      const s = rec.stats;
      const rw = measureRewind(rec, 1000);
      const heap = s && s.heapAfterBytes !== undefined && s.heapBeforeBytes !== undefined ? s.heapAfterBytes - s.heapBeforeBytes : undefined;
      const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
      io.stdout.write(
        [
          `${rec.title}: ${formatSeconds(rec.totalUs)} s simulated${rec.seed !== null ? `, seed ${rec.seed}` : ''}`,
          s ? `recording: ${(s.simulateMs / 1000).toFixed(2)} s real, ${s.steps} events, ${s.frames} frames, ${s.logLines} log lines` : `trace: ${rec.log.length} log lines, no frames`,
          `heap held by the run (states, frames, log): ${mb(heap)}${hasGc ? '' : ' (run node with --expose-gc for an exact figure)'}`,
          `rewind: a screen at a random cursor in ${rw.perScreenMs.toFixed(3)} ms on average, ${rw.maxMs.toFixed(2)} ms at worst (1000 jumps, last to first)`,
          '',
        ].join('\n'),
      );
      return 0;
    }

    const stdinTty = !!io.stdin && (io.stdin as { isTTY?: boolean }).isTTY === true;
    if (!io.stdout.isTTY || !stdinTty) {
      io.stderr.write(`sentinel-sim play: ${!io.stdout.isTTY ? 'stdout' : 'stdin'} is not a terminal; printing the plain log instead of the player\n`);
      if (rec.note) io.stderr.write(`sentinel-sim play: ${rec.note}\n`);
      const lines = a.allLogs ? rec.log : logFor(rec, rec.source === 'trace' ? 'all' : 'all');
      for (const e of lines) io.stdout.write(`${e.line}\n`);
      return 0;
    }

    const stdout = io.stdout as NodeJS.WriteStream;
    stdout.write('\x1b[?1049h\x1b[H');
    try {
      const inst = render(createElement(App, { rec, initialLogMode: a.allLogs ? 'all' : 'events' }), {
        stdout,
        stdin: io.stdin as NodeJS.ReadStream,
        stderr: io.stderr as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
      });
      await inst.waitUntilExit();
    } finally {
      stdout.write('\x1b[?1049l');
    }
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/**
 * For tests and scripts: the screen as plain text, with the cursor at a time or on one entry of
 * the recording's log (`entry`: that line is highlighted, even among others of the same instant).
 */
export function screenText(rec: Recording, at: number | { readonly entry: LogEntry }, width: number, height: number, logMode: 'events' | 'all' = 'events'): string {
  const log = logFor(rec, logMode);
  const tl = timelineFor(log, rec.totalUs);
  let pb = initialPlayback(tl);
  if (typeof at === 'number') pb = reducePlayback(tl, pb, { type: 'goto', us: at });
  else {
    const index = log.indexOf(at.entry);
    if (index < 0) throw new Error(`not in the ${logMode} log: ${at.entry.line}`);
    pb = { ...pb, cursorUs: at.entry.t, index };
  }
  return screenLines({ rec, log, markers: markersOf(rec.log), pb, ui: INITIAL_UI, width, height, logMode })
    .map(plain)
    .join('\n');
}
