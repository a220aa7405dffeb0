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

export function armTimer(q: TimerQueue, nowUs: TimeUs, p: ProcRec, key: string, delayMs: number, freezeWhilePaused: boolean | undefined): void {
  // One counter per process, never per key: a key cancelled and armed again must not reuse
  // a generation that an already-queued (stale) timer event still carries.
  const gen = ++p.timerGen;
  p.timers.set(key, gen);
  const delay = globalDelayFor(p.host.clock, Math.max(0, delayMs) * 1000);
  q.push(nowUs + delay, { k: 'timer', p, inc: p.inc, key, gen });
  if (freezeWhilePaused) p.freezable.set(key, nowUs + delay);
  else if (p.freezable.size > 0) p.freezable.delete(key);
}

export function cancelTimer(p: ProcRec, key: string): void {
  p.timers.delete(key);
  p.freezable.delete(key);
  p.frozen.delete(key);
}

/** Whether a queued timer event is still the one armed for its key in a living incarnation. */
export function isCurrent(p: ProcRec, inc: number, key: string, gen: number): boolean {
  return p.inc === inc && p.status !== 'down' && p.timers.get(key) === gen;
}

/** The timer fires now: it is no longer pending. */
export function consumeTimer(p: ProcRec, key: string): void {
  p.timers.delete(key);
  if (p.freezable.size > 0) p.freezable.delete(key);
}

/** SIGSTOP: timers counted in the process's own loop iterations stop where they are (see Ctx.timer). */
export function freezeTimers(p: ProcRec, nowUs: TimeUs): void {
  for (const [key, atUs] of p.freezable) {
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
