import type { ProcessStatus } from '../sim/world.js';
import { lastAtOrBefore, type PlaybackTimeline } from './playback.js';
import type { ClientWrites } from './writes.js';

/**
 * What the player plays: the log of a run and, when it came from a scenario, frames of every
 * process's state. Frames hold references to the Sentinels' immutable (immer) states, so a frame
 * costs a few arrays; unchanged states, views and partitions are shared between frames.
 */

export interface ProcInfo {
  readonly name: string;
  readonly kind: 'redis' | 'sentinel';
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  /** Was it configured as a replica (replicaof in its .conf)? Marks a promoted master. */
  readonly configuredReplica: boolean;
}

export interface Frame {
  /** Global simulated time (µs) of the state: after every event of that instant. */
  readonly t: number;
  /**
   * Per process of `procs` (undefined while down): a Sentinel's sentinelView() and a Redis node's
   * redisView(), taken at `t` with its host's clock. Views, not states: the simulation runs in place
   * (as fast as `run`), and a view is all the screen reads; a Sentinel's timers are advanced from
   * `t` to the cursor by the screen, which is exactly what sentinelView() at the cursor would give
   * while nothing happens in between.
   */
  readonly states: readonly unknown[];
  readonly status: readonly ProcessStatus[];
  /** Per process of `procs`, its host's wall clock in ms at `t` (what its timers read). */
  readonly hostMs: readonly number[];
  /** Blocked directed host pairs, "a>b", sorted. */
  readonly blocked: readonly string[];
}

export type KeyKind = 'sdown' | 'odown' | 'try-failover' | 'elected' | 'switch' | 'tilt' | 'fault';

export interface LogEntry {
  readonly t: number;
  /** The line as `run` prints it (time, process, level char, event, text). */
  readonly line: string;
  readonly p?: string;
  readonly event?: string;
  readonly key: KeyKind | null;
  /** A reply to a client's command: the client process's name. */
  readonly reply?: string;
  /** Log level of `log` and `event` records. */
  readonly level?: string;
  /** For faults: the action (crash, pause, partition...). */
  readonly fault?: string;
}

export interface RecordingStats {
  readonly simulateMs: number;
  readonly frames: number;
  readonly logLines: number;
  readonly steps: number;
  readonly heapBeforeBytes?: number;
  readonly heapAfterBytes?: number;
}

export interface Recording {
  readonly title: string;
  readonly seed: number | null;
  readonly source: 'scenario' | 'trace';
  readonly totalUs: number;
  readonly log: readonly LogEntry[];
  readonly procs: readonly ProcInfo[];
  readonly hosts: readonly { readonly name: string; readonly ip: string }[];
  /** Empty for a trace of events only. */
  readonly frames: readonly Frame[];
  readonly frameTimes: readonly number[];
  /** The Redis process listening at host:port as `from` resolves it (names, aliases, IPs), as an index of `procs`. */
  readonly procAt?: (host: string, port: number, from: number) => number;
  /** Why there are no state panels, when there are none. */
  readonly note?: string;
  /** Each workload client's acknowledged and lost writes over time (writeCountsAt() reads them). */
  readonly writes?: readonly ClientWrites[];
  readonly stats?: RecordingStats;
}

const KEY_EVENTS: Readonly<Record<string, KeyKind>> = {
  '+sdown': 'sdown',
  '+odown': 'odown',
  '+try-failover': 'try-failover',
  '+elected-leader': 'elected',
  '+switch-master': 'switch',
  '+tilt': 'tilt',
};

/** Faults that are scenario actions rather than book-keeping. */
const NOT_KEY_FAULTS = new Set(['link', 'note', 'skipped']);

export function keyKindOf(r: { readonly k: string; readonly event?: unknown; readonly what?: unknown; readonly t: number }): KeyKind | null {
  if (r.k === 'event') return KEY_EVENTS[String(r.event)] ?? null;
  if (r.k === 'fault') return NOT_KEY_FAULTS.has(String(r.what)) ? null : 'fault';
  return null;
}

export function playbackTimeline(rec: Recording): PlaybackTimeline {
  const keyIndices: number[] = [];
  rec.log.forEach((e, i) => {
    if (e.key) keyIndices.push(i);
  });
  return { eventTimes: rec.log.map((e) => e.t), keyIndices, totalUs: rec.totalUs };
}

/** The frame in force at `us`: the last one at or before it (binary search: rewinding is O(log n)). */
export function frameAt(rec: Recording, us: number): Frame | undefined {
  const i = lastAtOrBefore(rec.frameTimes, us);
  return i < 0 ? rec.frames[0] : rec.frames[i];
}
