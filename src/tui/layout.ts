import { fit, seg, type Line } from './lines.js';
import {
  headerLine, HELP_TEXT, helpLine, logLines, markersOf, networkLine, redisLines, sentinelHeight, sentinelLines, timelineLines, voteLine, writesLine,
  type Marker,
} from './panels.js';
import type { PlaybackState } from '../recording/playback.js';
import type { LogEntry, Recording } from '../recording/recording.js';
import { screenModel } from './view.js';

/**
 * The whole screen for a size: exactly `height` lines of exactly `width` columns. What folds
 * first when rooms is short: blank separators, timers beyond the first, the network row, the
 * writes row, the timeline's labels; the event log keeps at least 5 lines. The timer column folds
 * when the width leaves it under 22 columns.
 */

export interface UiState {
  readonly help: boolean;
  /** Text typed after `g`, or null when not asking for a time. */
  readonly gotoText: string | null;
  /** A one-line message (bad time, end of the log). */
  readonly message: string | null;
}

export const INITIAL_UI: UiState = { help: false, gotoText: null, message: null };

export const MIN_LOG_LINES = 5;

export interface ScreenInput {
  readonly rec: Recording;
  /** The log as shown (filtered or every line); pb.index points into it. */
  readonly log: readonly LogEntry[];
  readonly markers: readonly Marker[];
  readonly pb: PlaybackState;
  readonly ui: UiState;
  readonly width: number;
  readonly height: number;
  readonly logMode: string;
}

export function screenLines(inp: ScreenInput): Line[] {
  const { rec, pb, ui, width, height } = inp;
  const m = screenModel(rec, pb.cursorUs);
  const header = headerLine(m, pb, width);
  const bottom = helpLine(width, ui.gotoText !== null ? `go to time: ${ui.gotoText}▏  (Enter: go · Esc: cancel)` : ui.message ?? (ui.help ? null : m.tiltNote));

  if (ui.help) {
    const body = HELP_TEXT.slice(0, Math.max(0, height - 2)).map((t) => [seg(` ${t}`)] as Line);
    return finish([header, ...body], bottom, width, height);
  }

  const opt = { blank: true, extraTimers: true, network: m.network !== null, writes: m.writes !== null, labels: true };
  const hasState = rec.frames.length > 0;
  const measure = (): number => {
    let n = 1 + 1 + (opt.labels ? 1 : 0) + 1; // header, bar, labels, help
    if (!hasState) return n + 1 + (opt.blank ? 1 : 0);
    n += (opt.blank ? 2 : 0) + 1 + m.redis.length + sentinelHeight(m.sentinels, { timers: true, extraTimerLines: opt.extraTimers }) + 1 + (opt.network ? 1 : 0) + (opt.writes ? 1 : 0);
    return n;
  };
  for (const drop of ['blank', 'extraTimers', 'network', 'writes', 'labels'] as const) {
    if (height - measure() >= MIN_LOG_LINES) break;
    opt[drop] = false;
  }
  const logH = Math.max(1, height - measure());

  const lines: Line[] = [header, ...timelineLines(inp.markers, pb.cursorUs, rec.totalUs, width, opt.labels)];
  if (!hasState) {
    if (opt.blank) lines.push([]);
    lines.push([seg(` ${rec.note ?? 'no state recorded'}`, { color: 'yellow' })]);
  } else {
    if (opt.blank) lines.push([]);
    lines.push(...redisLines(m.redis, width));
    lines.push(...sentinelLines(m.sentinels, width, { timers: true, extraTimerLines: opt.extraTimers }));
    lines.push(voteLine(m.votes, width));
    if (opt.network) lines.push(networkLine(m.network, width));
    if (opt.writes) lines.push(writesLine(m.writes, width));
    if (opt.blank) lines.push([]);
  }
  void inp.logMode;
  lines.push(...logLines(inp.log, pb.index, logH, width));
  return finish(lines, bottom, width, height);
}

function finish(body: Line[], bottom: Line, width: number, height: number): Line[] {
  const out = body.slice(0, Math.max(0, height - 1));
  while (out.length < height - 1) out.push([]);
  out.push(bottom);
  return out.map((l) => fit(l, width));
}
