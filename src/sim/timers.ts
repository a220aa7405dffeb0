import { globalDelayFor } from './clock.js';
import type { ProcRec } from './processTable.js';
import type { TimeUs } from './time.js';

/**
 * A process's timers: at most one pending fire per key, on the host's monotonic clock. A queued
 * timer event carries the generation it was armed with; re-arming or cancelling a key makes the
 * queued event stale instead of searching the queue for it.
 */
export interface TimerEv {
  readonly k: 'timer';
  readonly p: ProcRec;
  readonly inc: number;
  readonly key: string;
  readonly gen: number;
}

export interface TimerQueue {
  push(atUs: TimeUs, ev: TimerEv): void;
}

/**
 * A key whose timer fired or was cancelled. It stays in the maps (until sweepSpent()) instead of
 * being deleted: a Map that lives long sits in V8's old generation, and every delete-then-set of a
 * key leaves a hole that makes V8 rebuild the table there, so a 100 ms cron deleting and re-adding
 * its key filled the old generation with dead tables (most of a 24-hour soak's heap growth).
 * Generations start at 1, so SPENT never matches a queued timer event.
 */
const SPENT = 0;
/** The same for `freezable`, whose values are fire times (0 is a time). */
const UNFROZEN = -1;
/** Spent keys tolerated before they are swept: more than any process has fixed timer keys. */
const SWEEP_SPENT = 32;

export function armTimer(q: TimerQueue, nowUs: TimeUs, p: ProcRec, key: string, delayMs: number, freezeWhilePaused: boolean | undefined): void {
  // One counter per process, never per key: a key cancelled and armed again must not reuse
  // a generation that an already-queued (stale) timer event still carries.
  const gen = ++p.timerGen;
  if (p.timers.get(key) === SPENT) p.spentTimers--;
  p.timers.set(key, gen);
  const delay = globalDelayFor(p.host.clock, Math.max(0, delayMs) * 1000);
  q.push(nowUs + delay, { k: 'timer', p, inc: p.inc, key, gen });
  if (freezeWhilePaused) p.freezable.set(key, nowUs + delay);
  else if (p.freezable.has(key)) p.freezable.set(key, UNFROZEN);
}

/** The key's timer is no longer pending (fired or cancelled). */
function spend(p: ProcRec, key: string): void {
  const gen = p.timers.get(key);
  if (gen === undefined || gen === SPENT) return;
  p.timers.set(key, SPENT);
  if (p.freezable.has(key)) p.freezable.set(key, UNFROZEN);
  if (++p.spentTimers > SWEEP_SPENT && 2 * p.spentTimers > p.timers.size) sweepSpent(p);
}

/** Keys made of ids (a client's timeout, a proxy's check number) would pile up: drop the spent ones now and then. */
function sweepSpent(p: ProcRec): void {
  for (const [key, gen] of p.timers) if (gen === SPENT) p.timers.delete(key);
  for (const [key, atUs] of p.freezable) if (atUs === UNFROZEN) p.freezable.delete(key);
  p.spentTimers = 0;
}

export function cancelTimer(p: ProcRec, key: string): void {
  spend(p, key);
  p.frozen.delete(key);
}

/** Whether a queued timer event is still the one armed for its key in a living incarnation. */
export function isCurrent(p: ProcRec, inc: number, key: string, gen: number): boolean {
  return p.inc === inc && p.status !== 'down' && p.timers.get(key) === gen;
}

/** The timer fires now: it is no longer pending. */
export function consumeTimer(p: ProcRec, key: string): void {
  spend(p, key);
}

/** SIGSTOP: timers counted in the process's own loop iterations stop where they are (see Ctx.timer). */
export function freezeTimers(p: ProcRec, nowUs: TimeUs): void {
  for (const [key, atUs] of p.freezable) {
    if (atUs === UNFROZEN) continue;
    p.frozen.set(key, Math.max(0, atUs - nowUs));
    p.timers.set(key, ++p.timerGen); // the queued event is now stale
  }
  p.freezable.clear();
}

/** SIGCONT: frozen timers run on with the time they had left. */
export function thawTimers(q: TimerQueue, nowUs: TimeUs, p: ProcRec): void {
  const inc = p.inc;
  for (const [key, leftUs] of p.frozen) {
    const gen = ++p.timerGen;
    p.timers.set(key, gen);
    p.freezable.set(key, nowUs + leftUs);
    q.push(nowUs + leftUs, { k: 'timer', p, inc, key, gen });
  }
  p.frozen.clear();
}
