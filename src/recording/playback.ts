/**
 * The player's playback state machine: a pure reducer over the cursor. It knows the times of the
 * events in the log (sorted, several may share an instant) and which of them are key events; it
 * knows nothing of the simulation or the screen.
 *
 * The cursor is a time plus the index of the highlighted log line. Moving by time puts the
 * highlight on the last event at or before the cursor; stepping by event moves the highlight one
 * line even among events of the same instant.
 */

/** Playback speeds: simulated time per real time. */
export const SPEEDS: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 4, 10, 20, 50, 100, 200, 500, 1000];
export const DEFAULT_SPEED_INDEX = SPEEDS.indexOf(4);
export const DEFAULT_SLICE_US = 100_000;

export interface PlaybackTimeline {
  /** Times (µs) of the log's events, ascending. */
  readonly eventTimes: readonly number[];
  /** Indices into eventTimes of the key events (+sdown, +odown, ... and faults), ascending. */
  readonly keyIndices: readonly number[];
  readonly totalUs: number;
}

export interface PlaybackState {
  readonly cursorUs: number;
  /** The highlighted event (-1: before the first one). */
  readonly index: number;
  readonly playing: boolean;
  readonly speedIndex: number;
  readonly sliceUs: number;
}

export type PlaybackAction =
  | { readonly type: 'toggle' }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  /** Real time passed while playing. */
  | { readonly type: 'tick'; readonly realMs: number }
  | { readonly type: 'faster' }
  | { readonly type: 'slower' }
  | { readonly type: 'nextEvent' }
  | { readonly type: 'prevEvent' }
  | { readonly type: 'nextKey' }
  | { readonly type: 'prevKey' }
  | { readonly type: 'slice'; readonly dir: 1 | -1 }
  | { readonly type: 'goto'; readonly us: number }
  | { readonly type: 'start' }
  | { readonly type: 'end' };

export function initialPlayback(tl: PlaybackTimeline, opts: { sliceUs?: number; speedIndex?: number; atUs?: number } = {}): PlaybackState {
  const cursorUs = clamp(opts.atUs ?? 0, 0, tl.totalUs);
  return {
    cursorUs,
    index: lastAtOrBefore(tl.eventTimes, cursorUs),
    playing: false,
    speedIndex: opts.speedIndex ?? DEFAULT_SPEED_INDEX,
    sliceUs: opts.sliceUs ?? DEFAULT_SLICE_US,
  };
}

export function speedOf(s: PlaybackState): number {
  return SPEEDS[s.speedIndex]!;
}

export function reducePlayback(tl: PlaybackTimeline, s: PlaybackState, a: PlaybackAction): PlaybackState {
  switch (a.type) {
    case 'toggle':
      return reducePlayback(tl, s, { type: s.playing ? 'pause' : 'play' });
    case 'play':
      if (s.playing) return s;
      // Playing from the very end starts again from the beginning.
      if (s.cursorUs >= tl.totalUs) return { ...atTime(tl, s, 0), playing: true };
      return { ...s, playing: true };
    case 'pause':
      return s.playing ? { ...s, playing: false } : s;
    case 'tick': {
      if (!s.playing || a.realMs <= 0) return s;
      const next = s.cursorUs + Math.round(a.realMs * 1000 * speedOf(s));
      if (next >= tl.totalUs) return { ...atTime(tl, s, tl.totalUs), playing: false };
      return atTime(tl, s, next);
    }
    case 'faster':
      return s.speedIndex < SPEEDS.length - 1 ? { ...s, speedIndex: s.speedIndex + 1 } : s;
    case 'slower':
      return s.speedIndex > 0 ? { ...s, speedIndex: s.speedIndex - 1 } : s;
    case 'nextEvent': {
      const i = s.index + 1;
      if (i >= tl.eventTimes.length) return paused(s);
      return { ...s, playing: false, index: i, cursorUs: tl.eventTimes[i]! };
    }
    case 'prevEvent': {
      if (s.index < 0) return paused(s);
      // Moved off the highlighted event by time: come back to it first.
      if (s.cursorUs > tl.eventTimes[s.index]!) return { ...s, playing: false, cursorUs: tl.eventTimes[s.index]! };
      const i = s.index - 1;
      if (i < 0) return { ...s, playing: false, index: -1, cursorUs: 0 };
      return { ...s, playing: false, index: i, cursorUs: tl.eventTimes[i]! };
    }
    case 'nextKey': {
      const k = tl.keyIndices.find((i) => i > s.index);
      if (k === undefined) return paused(s);
      return { ...s, playing: false, index: k, cursorUs: tl.eventTimes[k]! };
    }
    case 'prevKey': {
      let k: number | undefined;
      for (const i of tl.keyIndices) {
        if (i < s.index || (i === s.index && s.cursorUs > tl.eventTimes[i]!)) k = i;
        else break;
      }
      if (k === undefined) return paused(s);
      return { ...s, playing: false, index: k, cursorUs: tl.eventTimes[k]! };
    }
    case 'slice':
      return { ...atTime(tl, s, s.cursorUs + a.dir * s.sliceUs), playing: false };
    case 'goto':
      return { ...atTime(tl, s, a.us), playing: false };
    case 'start':
      return { ...atTime(tl, s, 0), playing: false };
    case 'end':
      return { ...atTime(tl, s, tl.totalUs), playing: false };
  }
}

function paused(s: PlaybackState): PlaybackState {
  return s.playing ? { ...s, playing: false } : s;
}

function atTime(tl: PlaybackTimeline, s: PlaybackState, us: number): PlaybackState {
  const cursorUs = clamp(us, 0, tl.totalUs);
  return { ...s, cursorUs, index: lastAtOrBefore(tl.eventTimes, cursorUs) };
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Index of the last element ≤ t in an ascending array, -1 if none (binary search). */
export function lastAtOrBefore(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * A time typed after `g`: "42", "42.5", "42.5s", "1500ms", "2m", "1m30s", "1:30". Bare numbers are
 * seconds. Undefined when it is not a time.
 */
export function parseTimeInput(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  let m = /^(\d+):(\d{1,2}(?:\.\d+)?)$/.exec(t);
  if (m) return Math.round((Number(m[1]) * 60 + Number(m[2])) * 1_000_000);
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1_000_000);
  const unit: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };
  let total = 0;
  let rest = t;
  const re = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)/;
  if (!re.test(rest)) return undefined;
  while (rest.length > 0) {
    m = re.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}
