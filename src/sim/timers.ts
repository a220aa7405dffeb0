import { globalDelayFor } from './clock.js';
import type { ProcRec } from './processTable.js';
import type { TimeUs } from './time.js';

/**
 * A process's timers: at most one pending fire per key, on the host's monotonic clock. Each key
 * has one slot per incarnation, and the slot itself is what the queue holds: a slot remembers the
 * queue sequence number of its latest arming, so a queued fire whose number is no longer the slot's
 * (re-armed, cancelled, frozen) is stale, without searching the queue for it, without a queued
 * object per arming and without a map lookup per fire (a Sentinel's 100 ms timer is a third of a
 * run's events).
 */
export interface TimerSlot {
  readonly k: 'timer';
  readonly p: ProcRec;
  /** The incarnation that armed it: a restart makes new slots, and the old ones never fire. */
  readonly inc: number;
  readonly key: string;
  /** The queue sequence number of the pending fire; SPENT (fired or cancelled) or FROZEN otherwise. */
  seq: number;
  /** Whether `key` is in p.freezable (spares a lookup at every arming). */
  inFreezable: boolean;
}

export interface TimerQueue {
  /** Queues the slot's fire and returns its sequence number (unique over the queue's life). */
  push(atUs: TimeUs, slot: TimerSlot): number;
}

/**
 * A key whose timer fired or was cancelled. Its slot stays in the map (until sweepSpent()) instead
 * of being deleted: a Map that lives long sits in V8's old generation, and every delete-then-set of
 * a key leaves a hole that makes V8 rebuild the table there, so a 100 ms cron deleting and re-adding
 * its key filled the old generation with dead tables (most of a 24-hour soak's heap growth).
 * Sequence numbers start at 0, so neither SPENT nor FROZEN ever matches a queued fire.
 */
const SPENT = -1;
/** Pending, but its queued fire no longer counts: the time left is in p.frozen until SIGCONT. */
const FROZEN = -2;
/** The same for `freezable`, whose values are fire times (0 is a time). */
const UNFROZEN = -1;
/** Spent keys tolerated before they are swept: more than any process has fixed timer keys. */
const SWEEP_SPENT = 32;

export function armTimer(q: TimerQueue, nowUs: TimeUs, p: ProcRec, key: string, delayMs: number, freezeWhilePaused: boolean | undefined): void {
  let s = p.timers.get(key);
  if (s === undefined) {
    s = { k: 'timer', p, inc: p.inc, key, seq: SPENT, inFreezable: false };
    p.timers.set(key, s);
  } else if (s.seq === SPENT) p.spentTimers--;
  const atUs = nowUs + globalDelayFor(p.host.clock, Math.max(0, delayMs) * 1000);
  s.seq = q.push(atUs, s);
  if (freezeWhilePaused) {
    p.freezable.set(key, atUs);
    s.inFreezable = true;
  } else if (s.inFreezable) p.freezable.set(key, UNFROZEN);
}

/** The key's timer is no longer pending (fired or cancelled). */
function spend(p: ProcRec, s: TimerSlot): void {
  if (s.seq === SPENT) return;
  s.seq = SPENT;
  if (s.inFreezable) p.freezable.set(s.key, UNFROZEN);
  if (++p.spentTimers > SWEEP_SPENT && 2 * p.spentTimers > p.timers.size) sweepSpent(p);
}

/** Keys made of ids (a client's timeout, a proxy's check number) would pile up: drop the spent ones now and then. */
function sweepSpent(p: ProcRec): void {
  for (const [key, s] of p.timers) if (s.seq === SPENT) p.timers.delete(key);
  for (const [key, atUs] of p.freezable) {
    if (atUs !== UNFROZEN) continue;
    p.freezable.delete(key);
    const s = p.timers.get(key);
    if (s !== undefined) s.inFreezable = false;
  }
  p.spentTimers = 0;
}

export function cancelTimer(p: ProcRec, key: string): void {
  const s = p.timers.get(key);
  if (s !== undefined) spend(p, s);
  p.frozen.delete(key);
}

/** Whether a queued fire (the slot and the sequence number it was queued with) is still the one armed, in a living incarnation. */
export function isCurrent(s: TimerSlot, seq: number): boolean {
  const p = s.p;
  return s.seq === seq && s.inc === p.inc && p.status !== 'down';
}

/** The timer fires now: it is no longer pending. */
export function consumeTimer(s: TimerSlot): void {
  spend(s.p, s);
}

/** SIGSTOP: timers counted in the process's own loop iterations stop where they are (see Ctx.timer). */
export function freezeTimers(p: ProcRec, nowUs: TimeUs): void {
  for (const [key, atUs] of p.freezable) {
    const s = p.timers.get(key)!;
    s.inFreezable = false;
    if (atUs === UNFROZEN) continue;
    p.frozen.set(key, Math.max(0, atUs - nowUs));
    s.seq = FROZEN; // the queued fire is now stale
  }
  p.freezable.clear();
}

/** SIGCONT: frozen timers run on with the time they had left. */
export function thawTimers(q: TimerQueue, nowUs: TimeUs, p: ProcRec): void {
  for (const [key, leftUs] of p.frozen) {
    const s = p.timers.get(key)!;
    p.freezable.set(key, nowUs + leftUs);
    s.inFreezable = true;
    s.seq = q.push(nowUs + leftUs, s);
  }
  p.frozen.clear();
}
