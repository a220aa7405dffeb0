import type { Ctx } from '../../net/process.js';
import { getLeader } from '../election.js';
import { sentinelEvent } from '../events.js';
import { SIMFAILURE_CRASH_AFTER_ELECTION } from '../info.js';
import { linkOf, promotedOf, resetMasterAndChangeAddress } from '../instances.js';
import { sendSlaveOf } from '../links.js';
import type { Out } from '../out.js';
import { F, FS, type Instance, type SentinelState } from '../state.js';
import { selectSlave } from './select.js';

/**
 * sentinelFailoverStateMachine(): exactly one state handler per tick, and only while
 * FAILOVER_IN_PROGRESS is set. WAIT_PROMOTION → RECONF_SLAVES is driven by the promoted
 * replica's INFO (info.ts); UPDATE_CONFIG is acted on at the end of the tick (timer.ts).
 */
export function failoverStateMachine(s: SentinelState, ctx: Ctx, out: Out, m: Instance, now: number): void {
  if (!(m.flags & F.FAILOVER_IN_PROGRESS)) return;
  switch (m.failoverState) {
    case FS.WAIT_START:
      return waitStart(s, ctx, out, m, now);
    case FS.SELECT_SLAVE:
      return selectSlaveState(s, ctx, m, now);
    case FS.SEND_SLAVEOF_NOONE:
      return sendSlaveOfNoOne(s, ctx, out, m, now);
    case FS.WAIT_PROMOTION:
      return waitPromotion(s, ctx, m, now);
    case FS.RECONF_SLAVES:
      return reconfNextSlave(s, ctx, out, m, now);
  }
}

/** sentinelFailoverWaitStart(). */
function waitStart(s: SentinelState, ctx: Ctx, out: Out, m: Instance, now: number): void {
  const leader = getLeader(s, ctx, out, m, m.failoverEpoch, now);
  const isLeader = leader !== null && leader.toLowerCase() === s.myid.toLowerCase();
  if (!isLeader && !(m.flags & F.FORCE_FAILOVER)) {
    const electionTimeout = Math.min(s.tun.electionTimeoutMs, m.failoverTimeout);
    if (now - m.failoverStartTime > electionTimeout) {
      sentinelEvent(s, ctx, 'warning', '-failover-abort-not-elected', m, null, '%@');
      abortFailover(m, now);
    }
    return;
  }
  sentinelEvent(s, ctx, 'warning', '+elected-leader', m, null, '%@');
  if (s.simfailureFlags & SIMFAILURE_CRASH_AFTER_ELECTION) {
    ctx.log('warning', 'Sentinel is simulating a failure after election. Exiting...');
    ctx.exit(99);
  }
  m.failoverState = FS.SELECT_SLAVE;
  m.failoverStateChangeTime = now;
  sentinelEvent(s, ctx, 'warning', '+failover-state-select-slave', m, null, '%@');
}

/** sentinelFailoverSelectSlave(): no timeout here, it aborts or moves on at once. */
function selectSlaveState(s: SentinelState, ctx: Ctx, m: Instance, now: number): void {
  const slave = selectSlave(s, m, now);
  if (!slave) {
    sentinelEvent(s, ctx, 'warning', '-failover-abort-no-good-slave', m, null, '%@');
    abortFailover(m, now);
    return;
  }
  sentinelEvent(s, ctx, 'warning', '+selected-slave', slave, m, '%@');
  slave.flags |= F.PROMOTED;
  m.promotedSlave = slave.name;
  m.failoverState = FS.SEND_SLAVEOF_NOONE;
  m.failoverStateChangeTime = now;
  sentinelEvent(s, ctx, 'notice', '+failover-state-send-slaveof-noone', slave, m, '%@');
}

/** sentinelFailoverSendSlaveOfNoOne(): the transition does not wait for the reply. */
function sendSlaveOfNoOne(s: SentinelState, ctx: Ctx, out: Out, m: Instance, now: number): void {
  const p = promotedOf(m)!;
  if (linkOf(s, p).disconnected) {
    if (now - m.failoverStateChangeTime > m.failoverTimeout) {
      sentinelEvent(s, ctx, 'warning', '-failover-abort-slave-timeout', m, null, '%@');
      abortFailover(m, now);
    }
    return;
  }
  if (!sendSlaveOf(s, out, p, m, null)) return;
  sentinelEvent(s, ctx, 'notice', '+failover-state-wait-promotion', p, m, '%@');
  m.failoverState = FS.WAIT_PROMOTION;
  m.failoverStateChangeTime = now;
}

/** sentinelFailoverWaitPromotion(): only the timeout lives here. */
function waitPromotion(s: SentinelState, ctx: Ctx, m: Instance, now: number): void {
  if (now - m.failoverStateChangeTime > m.failoverTimeout) {
    sentinelEvent(s, ctx, 'warning', '-failover-abort-slave-timeout', m, null, '%@');
    abortFailover(m, now);
  }
}

/** sentinelFailoverReconfNextSlave(). */
function reconfNextSlave(s: SentinelState, ctx: Ctx, out: Out, m: Instance, now: number): void {
  let inProgress = 0;
  for (const sl of m.slaves) if (sl.flags & (F.RECONF_SENT | F.RECONF_INPROG)) inProgress++;
  const promoted = promotedOf(m)!;
  // The slot check comes before fetching each replica, so with no free slot nothing below runs at
  // all, not even the per-replica timeout (the parallel-syncs 1 quirk of sentinelFailoverReconfNextSlave()).
  for (let i = 0; inProgress < m.parallelSyncs && i < m.slaves.length; i++) {
    const sl = m.slaves[i]!;
    if (sl.flags & (F.PROMOTED | F.RECONF_DONE)) continue;
    if (sl.flags & F.RECONF_SENT && now - sl.slaveReconfSentTime > s.tun.slaveReconfTimeoutMs) {
      sentinelEvent(s, ctx, 'notice', '-slave-reconf-sent-timeout', sl, m, '%@');
      sl.flags &= ~F.RECONF_SENT;
      sl.flags |= F.RECONF_DONE;
      // sentinel.c falls through here: the replica is now DONE but not SENT/INPROG, so the
      // checks below let it get another SLAVEOF in the same pass. Kept as Redis does it.
    }
    if (sl.flags & (F.RECONF_SENT | F.RECONF_INPROG)) continue;
    if (linkOf(s, sl).disconnected) continue;
    if (sendSlaveOf(s, out, sl, m, promoted.addr)) {
      sl.flags |= F.RECONF_SENT;
      sl.slaveReconfSentTime = now;
      sentinelEvent(s, ctx, 'notice', '+slave-reconf-sent', sl, m, '%@');
      inProgress++;
    }
  }
  detectEnd(s, ctx, out, m, now);
}

/** sentinelFailoverDetectEnd(). */
function detectEnd(s: SentinelState, ctx: Ctx, out: Out, m: Instance, now: number): void {
  const promoted = promotedOf(m);
  if (!promoted || promoted.flags & F.S_DOWN) return;
  const elapsed = now - m.failoverStateChangeTime;
  let notReconfigured = 0;
  let timeout = false;
  for (const sl of m.slaves) {
    if (sl.flags & (F.PROMOTED | F.RECONF_DONE)) continue;
    if (sl.flags & F.S_DOWN) continue;
    notReconfigured++;
  }
  if (elapsed > m.failoverTimeout) {
    notReconfigured = 0;
    timeout = true;
    sentinelEvent(s, ctx, 'warning', '+failover-end-for-timeout', m, null, '%@');
  }
  if (notReconfigured === 0) {
    sentinelEvent(s, ctx, 'warning', '+failover-end', m, null, '%@');
    m.failoverState = FS.UPDATE_CONFIG;
    m.failoverStateChangeTime = now;
  }
  if (timeout) {
    // Best effort: these are queued, but the switch at the end of this tick frees the links
    // before anything is written, so in practice they never reach the replicas.
    for (const sl of m.slaves) {
      if (sl.flags & (F.PROMOTED | F.RECONF_DONE | F.RECONF_SENT)) continue;
      if (linkOf(s, sl).disconnected) continue;
      if (sendSlaveOf(s, out, sl, m, promoted.addr)) {
        sentinelEvent(s, ctx, 'notice', '+slave-reconf-sent-be', sl, m, '%@');
        sl.flags |= F.RECONF_SENT;
      }
    }
  }
}

/** sentinelAbortFailover(): only before the promotion was observed. */
export function abortFailover(m: Instance, now: number): void {
  m.flags &= ~(F.FAILOVER_IN_PROGRESS | F.FORCE_FAILOVER);
  m.failoverState = FS.NONE;
  m.failoverStateChangeTime = now;
  const p = promotedOf(m);
  if (p) p.flags &= ~F.PROMOTED;
  m.promotedSlave = null;
}

/** sentinelFailoverSwitchToPromotedSlave(): runs at the end of the tick that reached UPDATE_CONFIG. */
export function switchToPromotedSlave(s: SentinelState, ctx: Ctx, out: Out, m: Instance, now: number): void {
  const ref = promotedOf(m) ?? m;
  const host = (a: Instance) => (s.announceHostnames ? a.addr.hostname : a.addr.ip);
  sentinelEvent(s, ctx, 'warning', '+switch-master', m, null, `${m.name} ${host(m)} ${m.addr.port} ${host(ref)} ${ref.addr.port}`);
  resetMasterAndChangeAddress(s, ctx, out, m, { ...ref.addr }, now);
}
