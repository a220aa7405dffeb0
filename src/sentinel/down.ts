import type { Resp } from '../net/resp.js';
import type { Ctx } from '../net/process.js';
import { voteLeader } from './election.js';
import { sentinelEvent } from './events.js';
import { closeLinkConnection, linkOf, pendingFor } from './instances.js';
import { mapCommand, sendOnCc } from './links.js';
import type { Out } from './out.js';
import { F, FS, type Instance, type SentinelState } from './state.js';

/** sentinelCheckSubjectivelyDown(), including its stale-link closes (instanceLinkCloseConnection()). */
export function checkSubjectivelyDown(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, master: Instance | null, now: number): void {
  const link = linkOf(s, ri);
  let elapsed = 0;
  if (link.actPingTime) elapsed = now - link.actPingTime;
  else if (link.disconnected) elapsed = now - link.lastAvailTime;

  // A command link with a PING outstanding for over half the down-after and no reply of any kind.
  if (
    link.cc !== null &&
    now - link.ccConnTime > s.tun.minLinkReconnectPeriodMs &&
    link.actPingTime !== 0 &&
    now - link.actPingTime > ri.downAfterPeriod / 2 &&
    now - link.lastPongTime > ri.downAfterPeriod / 2
  ) {
    closeLinkConnection(s, out, link, 'cc');
  }
  // A Pub/Sub link with no traffic (not even our own hellos echoed back) for 3 publish periods.
  if (link.pc !== null && now - link.pcConnTime > s.tun.minLinkReconnectPeriodMs && now - link.pcLastActivity > s.tun.publishPeriodMs * 3) {
    closeLinkConnection(s, out, link, 'pc');
  }

  const down =
    elapsed > ri.downAfterPeriod ||
    (ri.flags & F.MASTER && ri.roleReported === 'slave' && now - ri.roleReportedTime > ri.downAfterPeriod + s.tun.infoPeriodMs * 2) ||
    (ri.flags & F.MASTER_REBOOT && now - ri.masterRebootSinceTime > ri.masterRebootDownAfterPeriod);
  if (down) {
    if (!(ri.flags & F.S_DOWN)) {
      sentinelEvent(s, ctx, 'warning', '+sdown', ri, master, '%@');
      ri.sDownSinceTime = now;
      ri.flags |= F.S_DOWN;
    }
  } else if (ri.flags & F.S_DOWN) {
    sentinelEvent(s, ctx, 'warning', '-sdown', ri, master, '%@');
    ri.flags &= ~(F.S_DOWN | F.SCRIPT_KILL_SENT);
  }
}

/** sentinelCheckObjectivelyDown(). */
export function checkObjectivelyDown(s: SentinelState, ctx: Ctx, master: Instance, now: number): void {
  let quorum = 0;
  let odown = false;
  if (master.flags & F.S_DOWN) {
    quorum = 1;
    const sentinels = master.sentinels;
    for (let i = 0; i < sentinels.length; i++) if (sentinels[i]!.flags & F.MASTER_DOWN) quorum++;
    if (quorum >= master.quorum) odown = true;
  }
  if (odown) {
    if (!(master.flags & F.O_DOWN)) {
      sentinelEvent(s, ctx, 'warning', '+odown', master, null, `%@ #quorum ${quorum}/${master.quorum}`);
      master.flags |= F.O_DOWN;
      master.oDownSinceTime = now;
    }
  } else if (master.flags & F.O_DOWN) {
    sentinelEvent(s, ctx, 'warning', '-odown', master, null, '%@');
    master.flags &= ~F.O_DOWN;
  }
}

/** sentinelAskMasterStateToOtherSentinels(). */
export function askMasterStateToOtherSentinels(s: SentinelState, out: Out, master: Instance, forced: boolean, now: number): void {
  // Indexed: this runs on every tick for every master, and a for-of iterator was allocated per call
  // until the function was optimised. The list is replaced, never changed in place, meanwhile.
  const sentinels = master.sentinels;
  for (let i = 0; i < sentinels.length; i++) {
    const ri = sentinels[i]!;
    const elapsed = now - ri.lastMasterDownReplyTime;
    if (elapsed > s.tun.askPeriodMs * 5) {
      ri.flags &= ~F.MASTER_DOWN;
      ri.leader = null;
    }
    if (!(master.flags & F.S_DOWN)) continue;
    const link = linkOf(s, ri);
    if (link.disconnected) continue;
    if (!forced && now - ri.lastMasterDownReplyTime < s.tun.askPeriodMs) continue;
    const host = s.announceHostnames ? master.addr.hostname : master.addr.ip;
    const argv = [
      mapCommand(ri, master, 'SENTINEL'),
      'is-master-down-by-addr',
      host,
      String(master.addr.port),
      String(s.currentEpoch),
      master.failoverState > FS.NONE ? s.myid : '*',
    ];
    if (sendOnCc(s, out, link, argv, pendingFor(ri, master, 'ismd'))) link.pendingCommands++;
  }
}

/** sentinelReceiveIsMasterDownReply(). */
export function receiveIsMasterDownReply(s: SentinelState, ctx: Ctx, ri: Instance, reply: Resp, now: number): void {
  if (reply.t !== 'array' || reply.items === null || reply.items.length !== 3) return;
  const [down, leader, epoch] = reply.items as [Resp, Resp, Resp];
  if (down.t !== 'int' || leader.t !== 'bulk' || leader.s === null || epoch.t !== 'int') return;
  ri.lastMasterDownReplyTime = now;
  if (down.n === 1) ri.flags |= F.MASTER_DOWN;
  else ri.flags &= ~F.MASTER_DOWN;
  if (leader.s !== '*') {
    if (ri.leaderEpoch !== epoch.n) ctx.log('warning', `${ri.name} voted for ${leader.s} ${epoch.n}`);
    ri.leader = leader.s;
    ri.leaderEpoch = epoch.n;
  }
}

/** The responder side of SENTINEL IS-MASTER-DOWN-BY-ADDR (sentinelCommand()'s is-master-down-by-addr branch): [isdown, leader, epoch]. */
export function isMasterDownByAddr(s: SentinelState, ctx: Ctx, out: Out, ip: string, port: number, reqEpoch: number, runid: string, now: number): { isdown: number; leader: string | null; leaderEpoch: number } {
  const ri = s.masters.find((m) => (s.announceHostnames ? m.addr.hostname : m.addr.ip) === ip && m.addr.port === port);
  const isdown = !s.tilt && ri && ri.flags & F.S_DOWN && ri.flags & F.MASTER ? 1 : 0;
  let leader: string | null = null;
  let leaderEpoch = 0;
  if (ri && ri.flags & F.MASTER && runid.toLowerCase() !== '*') {
    const v = voteLeader(s, ctx, out, ri, reqEpoch, runid, now);
    leader = v.leader;
    leaderEpoch = v.leaderEpoch;
  }
  return { isdown, leader, leaderEpoch };
}
