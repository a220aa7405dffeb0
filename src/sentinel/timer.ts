import type { Ctx } from '../net/process.js';
import { CONFIG_DEFAULT_HZ } from './constants.js';
import { askMasterStateToOtherSentinels, checkObjectivelyDown, checkSubjectivelyDown } from './down.js';
import { crand, startFailoverIfNeeded } from './election.js';
import { sentinelEvent } from './events.js';
import { failoverStateMachine, switchToPromotedSlave } from './failover/machine.js';
import { reconnectInstance, sendPeriodicCommands } from './links.js';
import type { Out } from './out.js';
import { F, FS, type Instance, type SentinelState } from './state.js';

/**
 * sentinelTimer(): called on every serverCron tick. Returns the delay to the next
 * tick: server.hz is redrawn as 10 + rand() % 10 at the end of every tick, and serverCron returns
 * 1000 / hz ms, measured on the monotonic clock (ae.c's timers). `now` is the wall clock in ms: it
 * is read once, since virtual time does not move inside a handler (sentinel.c reads mstime() per
 * instance; here every read would give the same value).
 */
export function sentinelTimer(s: SentinelState, ctx: Ctx, out: Out, now: number): number {
  s.ticks++;
  checkTiltCondition(s, ctx, now);
  handleDictOfRedisInstances(s, ctx, out, s.masters, null, now);
  const hz = CONFIG_DEFAULT_HZ + (crand(ctx) % CONFIG_DEFAULT_HZ);
  return Math.floor(1000 / hz);
}

/** sentinelCheckTiltCondition(): a tick gap over tilt-trigger, or time going backwards. */
function checkTiltCondition(s: SentinelState, ctx: Ctx, now: number): void {
  const delta = now - s.previousTime;
  if (delta < 0 || delta > s.tun.tiltTriggerMs) {
    s.tilt = true;
    s.tiltStartTime = now;
    sentinelEvent(s, ctx, 'warning', '+tilt', null, null, '#tilt mode entered');
  }
  s.previousTime = now;
}

/** sentinelHandleDictOfRedisInstances(). */
function handleDictOfRedisInstances(s: SentinelState, ctx: Ctx, out: Out, instances: readonly Instance[], master: Instance | null, now: number): void {
  let switchToPromoted: Instance | null = null;
  // No copy of the list: records are added and removed by replacing a list (dictInserted(),
  // filter), never in place (the state's lists are readonly), so this walks a snapshot anyway.
  for (let i = 0; i < instances.length; i++) {
    const ri = instances[i]!;
    handleRedisInstance(s, ctx, out, ri, master, now);
    if (ri.flags & F.MASTER) {
      handleDictOfRedisInstances(s, ctx, out, ri.slaves, ri, now);
      handleDictOfRedisInstances(s, ctx, out, ri.sentinels, ri, now);
      if (ri.failoverState === FS.UPDATE_CONFIG) switchToPromoted = ri;
    }
  }
  if (switchToPromoted) switchToPromotedSlave(s, ctx, out, switchToPromoted, now);
}

/** sentinelHandleRedisInstance(): monitoring always, acting only outside TILT. */
function handleRedisInstance(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, master: Instance | null, now: number): void {
  reconnectInstance(s, ctx, out, ri, master, now);
  sendPeriodicCommands(s, out, ri, master, now);

  if (s.tilt) {
    if (now - s.tiltStartTime < s.tun.tiltPeriodMs) return;
    s.tilt = false;
    sentinelEvent(s, ctx, 'warning', '-tilt', null, null, '#tilt mode exited');
  }

  checkSubjectivelyDown(s, ctx, out, ri, master, now);
  if (ri.flags & F.MASTER) {
    checkObjectivelyDown(s, ctx, ri, now);
    if (startFailoverIfNeeded(s, ctx, ri, now)) askMasterStateToOtherSentinels(s, out, ri, true, now);
    failoverStateMachine(s, ctx, out, ri, now);
    askMasterStateToOtherSentinels(s, out, ri, false, now);
  }
}
