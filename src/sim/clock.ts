import type { TimeUs } from './time.js';

/**
 * A host's clocks. The wall clock (what Redis's mstime()/gettimeofday reads) has an offset that
 * jumps can move in either direction; the monotonic clock (what the event loop's timers use,
 * ae.c) only drifts. Drift in ppm applies to both, since it is the oscillator that is off.
 */
export interface HostClock {
  /** Wall clock at global time 0, in microseconds since the Unix epoch. */
  readonly wallEpochUs: number;
  /** Sum of all jumps applied so far. */
  readonly jumpOffsetUs: number;
  /** Current drift rate; positive means the host clock runs fast. */
  readonly driftPpm: number;
  /** Global time when driftPpm last changed, and drift accumulated before then. */
  readonly driftAnchorUs: TimeUs;
  readonly driftBeforeAnchorUs: number;
}

/** 2026-01-01T00:00:00Z: a fixed start so wall-clock output never depends on the real date. */
export const DEFAULT_WALL_EPOCH_US = 1_767_225_600_000_000;

export function newClock(wallEpochUs = DEFAULT_WALL_EPOCH_US): HostClock {
  return { wallEpochUs, jumpOffsetUs: 0, driftPpm: 0, driftAnchorUs: 0, driftBeforeAnchorUs: 0 };
}

function driftUs(c: HostClock, nowUs: TimeUs): number {
  // Without drift the product is +0, and adding +0 changes no sum read below: the same value, cheaper
  // (every handler reads its clock, most of them several times).
  if (c.driftPpm === 0) return c.driftBeforeAnchorUs;
  return c.driftBeforeAnchorUs + ((nowUs - c.driftAnchorUs) * c.driftPpm) / 1e6;
}

/** Monotonic microseconds: global time plus accumulated drift, never jumps. */
export function monotonicUs(c: HostClock, nowUs: TimeUs): number {
  return Math.floor(nowUs + driftUs(c, nowUs));
}

/** Wall-clock microseconds since the Unix epoch. */
export function wallUs(c: HostClock, nowUs: TimeUs): number {
  return Math.floor(c.wallEpochUs + c.jumpOffsetUs + nowUs + driftUs(c, nowUs));
}

export function jumpClock(c: HostClock, byUs: number): HostClock {
  return { ...c, jumpOffsetUs: c.jumpOffsetUs + byUs };
}

export function setDrift(c: HostClock, nowUs: TimeUs, ppm: number): HostClock {
  return { ...c, driftBeforeAnchorUs: driftUs(c, nowUs), driftAnchorUs: nowUs, driftPpm: ppm };
}

/** Global microseconds that pass while this host's monotonic clock advances by `localUs`. */
export function globalDelayFor(c: HostClock, localUs: number): number {
  if (c.driftPpm === 0) return Math.ceil(localUs);
  return Math.ceil(localUs / (1 + c.driftPpm / 1e6));
}
