import { command, commandOf, oneWordCommand, type Resp } from '../net/resp.js';
import type { Ctx, NetEvent } from '../net/process.js';
import { SENTINEL_HELLO_CHANNEL, SENTINEL_MAX_PENDING_COMMANDS } from './constants.js';
import { sentinelEvent } from './events.js';
import { createAddr, currentMasterAddr, linkOf, pendingFor } from './instances.js';
import type { Out } from './out.js';
import { F, type Instance, type Link, type PendingReply, type SentinelState } from './state.js';

/** Links to monitored instances: (re)connection, command queueing, periodic traffic: sentinelReconnectInstance(), sentinelSendPeriodicCommands(). */

/** sentinelInstanceMapCommand(): masters' and replicas' commands go through the master's rename-command map. */
export function mapCommand(ri: Instance, master: Instance | null, cmd: string): string {
  if (ri.flags & F.SENTINEL) return cmd;
  const m = ri.flags & F.MASTER ? ri : master;
  const renamed = m?.renamedCommands[LOWER_CASE[cmd] ?? cmd.toLowerCase()];
  return renamed ?? cmd;
}

/** The names mapCommand() is asked for every tick, lower-cased once (toLowerCase() makes a new string per call). */
const LOWER_CASE: Readonly<Record<string, string>> = { PING: 'ping', INFO: 'info', PUBLISH: 'publish', SUBSCRIBE: 'subscribe', AUTH: 'auth', CLIENT: 'client' };

/** redisAsyncCommand() on cc: queue the command and remember whose reply it is. */
export function sendOnCc(s: SentinelState, out: Out, link: Link, argv: string[], pending: PendingReply): boolean {
  return sendCommandOnCc(out, link, argv.length === 1 ? oneWordCommand(argv[0]!) : commandOf(argv), pending);
}

/** sendOnCc() of a command already built (the one-word PING and INFO every instance gets each period). */
function sendCommandOnCc(out: Out, link: Link, cmd: Resp, pending: PendingReply): boolean {
  if (link.cc === null) return false;
  out.send(link.cc, cmd);
  link.ccQueue.push(pending);
  return true;
}

/** sentinelSendAuthIfNeeded() */
function sendAuthIfNeeded(s: SentinelState, out: Out, ri: Instance, master: Instance | null, which: 'cc' | 'pc'): void {
  const link = linkOf(s, ri);
  let user: string | null;
  let pass: string | null;
  if (ri.flags & F.SENTINEL) {
    user = s.sentinelUser;
    pass = s.sentinelPass ?? s.requirepass;
    if (!s.sentinelPass) user = null;
  } else {
    const m = ri.flags & F.MASTER ? ri : master!;
    user = m.authUser;
    pass = m.authPass;
  }
  if (!pass) return;
  const argv = user ? [mapCommand(ri, master, 'AUTH'), user, pass] : [mapCommand(ri, master, 'AUTH'), pass];
  queueDiscard(s, out, link, which, argv);
}

/** A command whose reply is discarded (sentinelDiscardReplyCallback), on cc or pc. */
function queueDiscard(s: SentinelState, out: Out, link: Link, which: 'cc' | 'pc', argv: string[]): void {
  const conn = link[which];
  if (conn === null) return;
  out.send(conn, commandOf(argv));
  if (which === 'cc') link.ccQueue.push({ k: 'ignore' });
  else link.pcRegularPending++;
  link.pendingCommands++;
}

/** sentinelSetClientName() */
function setClientName(s: SentinelState, out: Out, ri: Instance, master: Instance | null, which: 'cc' | 'pc'): void {
  const type = which === 'cc' ? 'cmd' : 'pubsub';
  queueDiscard(s, out, linkOf(s, ri), which, [mapCommand(ri, master, 'CLIENT'), 'SETNAME', `sentinel-${s.myid.slice(0, 8)}-${type}`]);
}

/** sentinelSendPing() */
export function sendPing(s: SentinelState, out: Out, ri: Instance, master: Instance | null, now: number): boolean {
  const link = linkOf(s, ri);
  if (!sendCommandOnCc(out, link, oneWordCommand(mapCommand(ri, master, 'PING')), pendingFor(ri, master, 'ping'))) return false;
  link.pendingCommands++;
  link.lastPingTime = now;
  // Only the first unanswered PING starts the clock: we have been waiting since then.
  if (link.actPingTime === 0) link.actPingTime = now;
  return true;
}

/** sentinelReconnectInstance(). */
export function reconnectInstance(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, master: Instance | null, now: number): void {
  const link = linkOf(s, ri);
  if (!link.disconnected) return;
  if (ri.addr.port === 0) return; // port 0 marks an invalid address
  if (now - link.lastReconnTime < s.tun.pingPeriodMs) return;
  link.lastReconnTime = now;

  if (link.cc === null) {
    // The instance may have been unresolvable earlier, or moved: re-resolve its hostname.
    if (s.resolveHostnames) {
      const a = createAddr(s, ctx, ri.addr.hostname, ri.addr.port, false);
      if (typeof a !== 'string') ri.addr = a;
    }
    if (ri.addr.ip === '') {
      sentinelEvent(s, ctx, 'debug', '-cmd-link-reconnection', ri, master, '%@ #Name or service not known');
      return;
    }
    const conn = ctx.connect({ ip: ri.addr.ip, port: ri.addr.port });
    link.cc = conn;
    link.ccQueue = [];
    link.ccLocalIp = null;
    s.conns[conn] = { k: 'link', linkId: link.id, which: 'cc' };
    link.pendingCommands = 0;
    link.ccConnTime = now;
    sendAuthIfNeeded(s, out, ri, master, 'cc');
    setClientName(s, out, ri, master, 'cc');
    // "Send a PING ASAP when reconnecting."
    sendPing(s, out, ri, master, now);
  }
  if (ri.flags & (F.MASTER | F.SLAVE) && link.pc === null) {
    const conn = ctx.connect({ ip: ri.addr.ip, port: ri.addr.port });
    link.pc = conn;
    link.pcRegularPending = 0;
    s.conns[conn] = { k: 'link', linkId: link.id, which: 'pc' };
    link.pcConnTime = now;
    sendAuthIfNeeded(s, out, ri, master, 'pc');
    setClientName(s, out, ri, master, 'pc');
    out.send(conn, command(mapCommand(ri, master, 'SUBSCRIBE'), SENTINEL_HELLO_CHANNEL));
  }
  // Cleared as soon as the connection objects exist, before the handshake completes, as sentinelReconnectInstance() does.
  if (link.cc !== null && (ri.flags & F.SENTINEL || link.pc !== null)) link.disconnected = false;
}

/** instanceLinkConnectionError(): a connection failed or closed; its pending replies never come. */
export function linkConnectionError(s: SentinelState, link: Link, which: 'cc' | 'pc'): void {
  const conn = link[which];
  if (conn !== null) delete s.conns[conn];
  if (which === 'cc') {
    link.cc = null;
    link.ccQueue = [];
  } else {
    link.pc = null;
    link.pcRegularPending = 0;
  }
  link.disconnected = true;
}

/** sentinelSendHello(). */
export function sendHello(s: SentinelState, out: Out, ri: Instance, master: Instance | null): boolean {
  const link = linkOf(s, ri);
  if (link.disconnected || link.cc === null) return false;
  const m = ri.flags & F.MASTER ? ri : master!;
  // Our address as the command socket's local end, unless announce-ip says otherwise. Before the
  // handshake completes the socket is already bound to our host's address.
  const announceIp = s.announceIp ?? link.ccLocalIp ?? s.hostIp;
  const announcePort = s.announcePort || s.port;
  const maddr = currentMasterAddr(m);
  const mhost = s.announceHostnames ? maddr.hostname : maddr.ip;
  const cmd = helloCommand(ri, mapCommand(ri, master, 'PUBLISH'), announceIp, announcePort, s.myid, s.currentEpoch, m.name, mhost, maddr.port, m.configEpoch);
  if (!sendCommandOnCc(out, link, cmd, pendingFor(ri, master, 'publish'))) return false;
  link.pendingCommands++;
  return true;
}

/**
 * The PUBLISH of a hello, `ip,port,runid,current_epoch,master_name,master_ip,master_port,
 * master_config_epoch`. Its fields rarely change, so the last command built for each record is
 * kept and sent again while they are the same (commands are immutable values): the hello is the
 * Sentinel's most frequent message, and rebuilding it was its largest allocation.
 */
function helloCommand(ri: Instance, publish: string, ip: string, port: number, myid: string, epoch: number, mname: string, mhost: string, mport: number, cfgEpoch: number): Resp {
  const h = hellos.get(ri);
  if (h !== undefined && h.publish === publish && h.ip === ip && h.port === port && h.myid === myid && h.epoch === epoch && h.mname === mname && h.mhost === mhost && h.mport === mport && h.cfgEpoch === cfgEpoch) return h.cmd;
  const payload = `${ip},${port},${myid},${epoch},${mname},${mhost},${mport},${cfgEpoch}`;
  const cmd = commandOf([publish, SENTINEL_HELLO_CHANNEL, payload]);
  hellos.set(ri, { publish, ip, port, myid, epoch, mname, mhost, mport, cfgEpoch, cmd });
  return cmd;
}
const hellos = new WeakMap<Instance, { publish: string; ip: string; port: number; myid: string; epoch: number; mname: string; mhost: string; mport: number; cfgEpoch: number; cmd: Resp }>();

/** sentinelSendPeriodicCommands(). */
export function sendPeriodicCommands(s: SentinelState, out: Out, ri: Instance, master: Instance | null, now: number): void {
  const link = linkOf(s, ri);
  if (link.disconnected) return;
  // INFO, PING and PUBLISH are not critical: don't pile them up on a link that doesn't answer.
  if (link.pendingCommands >= SENTINEL_MAX_PENDING_COMMANDS * link.refcount) return;
  let infoPeriod = s.tun.infoPeriodMs;
  if (ri.flags & F.SLAVE && (master!.flags & (F.O_DOWN | F.FAILOVER_IN_PROGRESS) || ri.masterLinkDownTime !== 0)) infoPeriod = 1000;
  let pingPeriod = ri.downAfterPeriod;
  if (pingPeriod > s.tun.pingPeriodMs) pingPeriod = s.tun.pingPeriodMs;

  if (!(ri.flags & F.SENTINEL) && (ri.infoRefresh === 0 || now - ri.infoRefresh > infoPeriod)) {
    if (sendCommandOnCc(out, link, oneWordCommand(mapCommand(ri, master, 'INFO')), pendingFor(ri, master, 'info'))) link.pendingCommands++;
  }
  if (now - link.lastPongTime > pingPeriod && now - link.lastPingTime > pingPeriod / 2) {
    sendPing(s, out, ri, master, now);
  }
  if (now - ri.lastPubTime > s.tun.publishPeriodMs) {
    sendHello(s, out, ri, master);
  }
}

/** sentinelSendSlaveOf(): MULTI, SLAVEOF, CONFIG REWRITE, CLIENT KILL ×2, EXEC; replies discarded. */
export function sendSlaveOf(s: SentinelState, out: Out, ri: Instance, master: Instance, to: { ip: string; hostname: string; port: number } | null): boolean {
  const link = linkOf(s, ri);
  if (link.cc === null) return false;
  const host = to ? (s.announceHostnames ? to.hostname : to.ip) : 'NO';
  const port = to ? String(to.port) : 'ONE';
  const mc = (c: string) => mapCommand(ri, master, c);
  const cmds = [[mc('MULTI')], [mc('SLAVEOF'), host, port], [mc('CONFIG'), 'REWRITE'], [mc('CLIENT'), 'KILL', 'TYPE', 'normal'], [mc('CLIENT'), 'KILL', 'TYPE', 'pubsub'], [mc('EXEC')]];
  for (const argv of cmds) {
    sendOnCc(s, out, link, argv, { k: 'ignore' });
    link.pendingCommands++;
  }
  return true;
}

/** What onLinkEvent() found besides a reply to a queued command (shared, constant values). */
export const PUBSUB_MESSAGE = { k: 'pubsub' } as const;
export const PUBSUB_ERROR = { k: 'pubsubError' } as const;
/** A regular reply on pc (AUTH, CLIENT SETNAME): discarded, as any { k: 'ignore' } reply. */
const PC_REGULAR_REPLY: PendingReply = { k: 'ignore' };

/**
 * Route a network event on one of our outgoing links: for data, what it answers (the reply itself
 * is ev.msg), a Pub/Sub message or a Pub/Sub error; null otherwise. Returns shared values, not a
 * new record per reply.
 */
export function onLinkEvent(s: SentinelState, link: Link, which: 'cc' | 'pc', ev: NetEvent): PendingReply | typeof PUBSUB_MESSAGE | typeof PUBSUB_ERROR | null {
  switch (ev.k) {
    case 'connected':
      if (which === 'cc') link.ccLocalIp = ev.local.ip;
      return null;
    case 'connectFailed':
    case 'closed':
      linkConnectionError(s, link, which);
      return null;
    case 'data':
      if (which === 'cc') return link.ccQueue.shift() ?? null;
      // On pc, AUTH and CLIENT SETNAME replies come first; everything after is Pub/Sub traffic.
      if (link.pcRegularPending > 0) {
        link.pcRegularPending--;
        return PC_REGULAR_REPLY;
      }
      // hiredis drops a connection on an error that answers no queued command (hiredis's redisProcessCallbacks()).
      if (ev.msg.t === 'error') return PUBSUB_ERROR;
      return PUBSUB_MESSAGE;
    default:
      return null;
  }
}
