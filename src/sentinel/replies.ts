import type { Resp } from '../net/resp.js';
import type { Ctx } from '../net/process.js';
import { receiveIsMasterDownReply } from './down.js';
import { refreshInstanceInfo } from './info.js';
import { linkOf, masterByName, recordByName } from './instances.js';
import { mapCommand, sendOnCc } from './links.js';
import type { Out } from './out.js';
import { F, type Instance, type Link, type PendingReply, type SentinelState } from './state.js';

/** The hiredis callbacks of sentinel.c, dispatched on what the reply was for. */
export function dispatchReply(s: SentinelState, ctx: Ctx, out: Out, link: Link, pending: PendingReply, reply: Resp, now: number): void {
  if (pending.k === 'ignore') {
    // sentinelDiscardReplyCallback()
    link.pendingCommands--;
    return;
  }
  const ref = pending.ref;
  const m = masterByName(s, ref.master);
  const master = m === null || ref.type === 'master' ? null : m;
  const ri = master === null ? m : recordByName(ref.type === 'slave' ? master.slaves : master.sentinels, ref.name);
  if (ri === null) return; // the record was released; its callbacks were neutralised
  link.pendingCommands--;
  switch (pending.k) {
    case 'ping':
      return pingReply(s, out, ri, master, link, reply, now);
    case 'info':
      // sentinelInfoReplyCallback(): only a bulk reply is parsed; errors leave info_refresh stale.
      if (reply.t === 'bulk' && reply.s !== null) refreshInstanceInfo(s, ctx, out, ri, master, reply.s, now);
      return;
    case 'publish':
      // sentinelPublishReplyCallback(): on error the hello is simply retried next tick.
      if (reply.t !== 'error') ri.lastPubTime = now;
      return;
    case 'ismd':
      return receiveIsMasterDownReply(s, ctx, ri, reply, now);
  }
}

/** sentinelPingReplyCallback(). */
function pingReply(s: SentinelState, out: Out, ri: Instance, master: Instance | null, link: Link, reply: Resp, now: number): void {
  if (reply.t === 'status' || reply.t === 'error') {
    const str = reply.s;
    if (str.startsWith('PONG') || str.startsWith('LOADING') || str.startsWith('MASTERDOWN')) {
      link.lastAvailTime = now;
      link.actPingTime = 0;
      if (ri.flags & F.MASTER_REBOOT && str.startsWith('PONG')) ri.flags &= ~F.MASTER_REBOOT;
    } else if (str.startsWith('BUSY') && ri.flags & F.S_DOWN && !(ri.flags & F.SCRIPT_KILL_SENT)) {
      // A master busy in a script looks down: try to kill the script, once.
      if (sendOnCc(s, out, linkOf(s, ri), [mapCommand(ri, master, 'SCRIPT'), 'KILL'], { k: 'ignore' })) linkOf(s, ri).pendingCommands++;
      ri.flags |= F.SCRIPT_KILL_SENT;
    }
  }
  link.lastPongTime = now;
}
