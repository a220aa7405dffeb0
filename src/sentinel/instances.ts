import type { Ctx } from '../net/process.js';
import { SENTINEL_DEFAULT_PARALLEL_SYNCS, SENTINEL_DEFAULT_SLAVE_PRIORITY } from './constants.js';
import { dictInserted, dictRank } from './dictorder.js';
import { sentinelEvent } from './events.js';
import type { Out } from './out.js';
import { F, FS, type Addr, type Instance, type InstanceRef, type Link, type PendingReply, type SentinelState } from './state.js';

/** Instance records, their links, and the resets that rebuild them (sentinel.c, "instances" part). */

export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host));
}

/** createSentinelAddr(): an address, resolving a hostname only when resolve-hostnames allows it. */
export function createAddr(s: SentinelState, ctx: Ctx, hostname: string, port: number, acceptUnresolved: boolean): Addr | string {
  if (port < 0 || port > 65535) return 'Invalid port number.';
  if (isIpAddress(hostname)) return { hostname, ip: hostname, port };
  if (!s.resolveHostnames) return "Can't resolve instance hostname.";
  const ip = ctx.resolve(hostname);
  if (ip === undefined) {
    if (acceptUnresolved) return { hostname, ip: '', port };
    return "Can't resolve instance hostname.";
  }
  return { hostname, ip, port };
}

export function addrEqual(a: Addr, b: Addr): boolean {
  return a.port === b.port && a.ip.toLowerCase() === b.ip.toLowerCase();
}

/** sentinelAddrOrHostnameEqual(): with announce-hostnames compare hostnames, else IPs. */
export function addrOrHostnameEqual(s: SentinelState, a: Addr, b: Addr): boolean {
  if (a.port !== b.port) return false;
  return s.announceHostnames ? a.hostname.toLowerCase() === b.hostname.toLowerCase() : a.ip.toLowerCase() === b.ip.toLowerCase();
}

/** announceSentinelAddr(): the "ip:port" name of a replica record. */
export function replicaName(s: SentinelState, addr: Addr): string {
  const host = s.announceHostnames ? addr.hostname : addr.ip;
  return host.includes(':') ? `[${host}]:${addr.port}` : `${host}:${addr.port}`;
}

/** createInstanceLink(): disconnected, with availability timestamps at `now`. */
export function createLink(s: SentinelState, now: number): Link {
  const link: Link = {
    id: s.nextLinkId++,
    refcount: 1,
    disconnected: true,
    pendingCommands: 0,
    cc: null,
    pc: null,
    ccConnTime: 0,
    pcConnTime: 0,
    pcLastActivity: 0,
    lastAvailTime: now,
    actPingTime: now,
    lastPingTime: 0,
    lastPongTime: now,
    lastReconnTime: 0,
    ccQueue: [],
    pcRegularPending: 0,
    ccLocalIp: null,
  };
  s.links[link.id] = link;
  return link;
}

/** createSentinelRedisInstance() minus the error paths the callers check first. */
export function createInstance(
  s: SentinelState,
  type: 'master' | 'slave' | 'sentinel',
  name: string,
  addr: Addr,
  master: Instance | null,
  now: number,
  opts: { quorum?: number } = {},
): Instance {
  const flags = type === 'master' ? F.MASTER : type === 'slave' ? F.SLAVE : F.SENTINEL;
  const link = createLink(s, now);
  const ri: Instance = {
    flags,
    name,
    runid: null,
    configEpoch: 0,
    addr,
    linkId: link.id,
    lastPubTime: now,
    lastHelloTime: now,
    lastMasterDownReplyTime: now,
    sDownSinceTime: 0,
    oDownSinceTime: 0,
    downAfterPeriod: master ? master.downAfterPeriod : s.tun.defaultDownAfterMs,
    masterRebootDownAfterPeriod: 0,
    masterRebootSinceTime: 0,
    infoRefresh: 0,
    roleReported: type === 'master' ? 'master' : type === 'slave' ? 'slave' : null,
    roleReportedTime: now,
    slaveConfChangeTime: now,
    info: '',
    sentinels: [],
    slaves: [],
    quorum: opts.quorum ?? 0,
    parallelSyncs: SENTINEL_DEFAULT_PARALLEL_SYNCS,
    authPass: null,
    authUser: null,
    failoverTimeout: s.tun.defaultFailoverTimeoutMs,
    leader: null,
    leaderEpoch: 0,
    failoverEpoch: 0,
    failoverState: FS.NONE,
    failoverStateChangeTime: 0,
    failoverStartTime: 0,
    failoverDelayLogged: 0,
    promotedSlave: null,
    renamedCommands: {},
    notificationScript: null,
    clientReconfigScript: null,
    masterLinkDownTime: 0,
    slavePriority: SENTINEL_DEFAULT_SLAVE_PRIORITY,
    replicaAnnounced: true,
    slaveReconfSentTime: 0,
    slaveMasterHost: null,
    slaveMasterPort: 0,
    slaveMasterLinkStatus: 'down',
    slaveReplOffset: 0,
    dictRank: dictRank(s.dictSeed, name),
  };
  if (type === 'master') s.masters = dictInserted(s.masters, ri);
  else if (type === 'slave') master!.slaves = dictInserted(master!.slaves, ri);
  else master!.sentinels = dictInserted(master!.sentinels, ri);
  return ri;
}

export function linkOf(s: SentinelState, ri: Instance): Link {
  return s.links[ri.linkId]!;
}

/**
 * What a queued command's reply is for: made once per record and kind, then shared by every
 * command of that kind to that record (pending replies are read-only). A record's name, type and
 * master never change; the check below only guards against a record seen under another master.
 */
export function pendingFor(ri: Instance, master: Instance | null, k: 'ping' | 'info' | 'publish' | 'ismd'): PendingReply {
  let p = pendings.get(ri);
  const masterName = master ? master.name : ri.name;
  if (p === undefined || p.ref.master !== masterName) {
    const type = ri.flags & F.MASTER ? 'master' : ri.flags & F.SLAVE ? 'slave' : 'sentinel';
    const ref: InstanceRef = { master: masterName, type, name: ri.name };
    p = { ref, ping: { k: 'ping', ref }, info: { k: 'info', ref }, publish: { k: 'publish', ref }, ismd: { k: 'ismd', ref } };
    pendings.set(ri, p);
  }
  return p[k];
}
const pendings = new WeakMap<Instance, { ref: InstanceRef } & Record<'ping' | 'info' | 'publish' | 'ismd', PendingReply>>();

/** The master record named `name` (dictFind() on sentinel.masters). */
export function masterByName(s: SentinelState, name: string): Instance | null {
  const masters = s.masters;
  for (let i = 0; i < masters.length; i++) if (masters[i]!.name === name) return masters[i]!;
  return null;
}

/** The record named `name` in a master's replicas or Sentinels. */
export function recordByName(list: readonly Instance[], name: string): Instance | null {
  for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return list[i]!;
  return null;
}

/** instanceLinkCloseConnection(): close cc or pc; unsent output on it is discarded. */
export function closeLinkConnection(s: SentinelState, out: Out, link: Link, which: 'cc' | 'pc'): void {
  const conn = link[which];
  if (conn === null) return;
  if (which === 'cc') {
    link.cc = null;
    link.pendingCommands = 0;
    link.ccQueue = [];
  } else {
    link.pc = null;
    link.pcRegularPending = 0;
  }
  delete s.conns[conn];
  link.disconnected = true;
  out.close(conn);
}

/** releaseInstanceLink(): drop one reference; the last one closes the connections. */
function releaseLink(s: SentinelState, out: Out, linkId: number): void {
  const link = s.links[linkId];
  if (!link) return;
  link.refcount--;
  if (link.refcount > 0) return;
  closeLinkConnection(s, out, link, 'cc');
  closeLinkConnection(s, out, link, 'pc');
  delete s.links[linkId];
}

/** releaseInstance(): a record and, for a master, everything under it. */
export function releaseInstance(s: SentinelState, out: Out, ri: Instance): void {
  for (const r of ri.slaves) releaseInstance(s, out, r);
  for (const r of ri.sentinels) releaseInstance(s, out, r);
  ri.slaves = [];
  ri.sentinels = [];
  releaseLink(s, out, ri.linkId);
}

/**
 * sentinelTryConnectionSharing(): a Sentinel record that just learnt its run id shares the link of
 * a record with the same run id under another master, so one physical Sentinel gets one PING stream.
 */
export function tryConnectionSharing(s: SentinelState, out: Out, ri: Instance): void {
  if (!ri.runid) return;
  const mine = s.links[ri.linkId]!;
  if (mine.refcount > 1) return;
  for (const m of s.masters) {
    for (const other of m.sentinels) {
      if (other === ri || other.runid !== ri.runid || other.linkId === ri.linkId) continue;
      if (other.addr.port !== ri.addr.port || other.addr.ip !== ri.addr.ip) continue;
      releaseLink(s, out, ri.linkId);
      ri.linkId = other.linkId;
      s.links[other.linkId]!.refcount++;
      return;
    }
  }
}

/** sentinelGetCurrentMasterAddress(): the promoted replica's once our failover reached RECONF_SLAVES. */
export function currentMasterAddr(master: Instance): Addr {
  if (master.flags & F.FAILOVER_IN_PROGRESS && master.promotedSlave && master.failoverState >= FS.RECONF_SLAVES) {
    const p = master.slaves.find((x) => x.name === master.promotedSlave);
    if (p) return p.addr;
  }
  return master.addr;
}

export function promotedOf(master: Instance): Instance | null {
  if (!master.promotedSlave) return null;
  return master.slaves.find((x) => x.name === master.promotedSlave) ?? null;
}

/** sentinelResetMaster(). */
export function resetMaster(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, now: number, resetSentinels: boolean, generateEvent: boolean): void {
  for (const r of ri.slaves) releaseInstance(s, out, r);
  ri.slaves = [];
  if (resetSentinels) {
    for (const r of ri.sentinels) releaseInstance(s, out, r);
    ri.sentinels = [];
  }
  const link = linkOf(s, ri);
  closeLinkConnection(s, out, link, 'cc');
  closeLinkConnection(s, out, link, 'pc');
  ri.flags &= F.MASTER;
  ri.leader = null;
  ri.failoverState = FS.NONE;
  ri.failoverStateChangeTime = 0;
  ri.failoverStartTime = 0; // "We can failover again ASAP."
  ri.promotedSlave = null;
  ri.runid = null;
  ri.slaveMasterHost = null;
  link.actPingTime = now;
  link.lastPingTime = 0;
  link.lastAvailTime = now;
  link.lastPongTime = now;
  ri.roleReportedTime = now;
  ri.roleReported = 'master';
  if (generateEvent) sentinelEvent(s, ctx, 'warning', '+reset-master', ri, null, '%@');
}

/** sentinelResetMasterAndChangeAddress(). */
export function resetMasterAndChangeAddress(s: SentinelState, ctx: Ctx, out: Out, master: Instance, newAddr: Addr, now: number): void {
  const keep: Addr[] = [];
  for (const sl of master.slaves) {
    if (addrOrHostnameEqual(s, sl.addr, newAddr)) continue;
    keep.push({ ...sl.addr });
  }
  if (!addrOrHostnameEqual(s, newAddr, master.addr)) keep.push({ ...master.addr });
  resetMaster(s, ctx, out, master, now, false, false);
  master.addr = { ...newAddr };
  master.oDownSinceTime = 0;
  master.sDownSinceTime = 0;
  for (const a of keep) {
    const name = replicaName(s, a);
    if (master.slaves.some((x) => x.name === name)) continue;
    const sl = createInstance(s, 'slave', name, a, master, now);
    sentinelEvent(s, ctx, 'notice', '+slave', sl, master, '%@');
  }
  out.flushConfigNow();
}

/**
 * sentinelAddrEqualsHostname(): resolve the hostname and compare it with the address's IP; when it
 * does not resolve, compare the names themselves (the hostname with resolve-hostnames, else the IP).
 */
export function addrEqualsHostname(s: SentinelState, ctx: Ctx, a: Addr, hostname: string | null): boolean {
  if (hostname === null) return false;
  let ip: string | undefined = hostname;
  if (!isIpAddress(hostname)) ip = s.resolveHostnames ? ctx.resolve(hostname) : undefined;
  if (ip === undefined) return (s.resolveHostnames ? a.hostname : a.ip).toLowerCase() === hostname.toLowerCase();
  return ip.toLowerCase() === a.ip.toLowerCase();
}
