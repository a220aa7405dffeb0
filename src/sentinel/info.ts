import type { Ctx } from '../net/process.js';
import { sentinelEvent } from './events.js';
import { forceHelloUpdateForMaster } from './hello.js';
import { atoi } from './atoi.js';
import { crlfFrom, infoLineKind, L, type LineKind } from './infolines.js';
import { addrEqualsHostname, createAddr, createInstance, promotedOf, replicaName } from './instances.js';
import { sendSlaveOf } from './links.js';
import type { Out } from './out.js';
import { F, FS, type Addr, type Instance, type SentinelState } from './state.js';

/** sentinelRefreshInstanceInfo(): parse an INFO reply, then act on it outside TILT. */
export function refreshInstanceInfo(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, master: Instance | null, info: string, now: number): void {
  const role = parseInstanceInfo(s, ctx, out, ri, master, info, now);
  // The role bookkeeping happens even in TILT.
  if (role !== null && role !== ri.roleReported) noteReportedRole(s, ctx, ri, master, role, now);
  if (s.tilt) return;
  // A master claiming to be a replica: nothing here; the SDOWN role rule handles it.
  if (ri.flags & F.SLAVE && role === 'master') handleSlaveTurnedMaster(s, ctx, out, ri, master!, now);
  // A replica following the wrong master.
  if (ri.flags & F.SLAVE && role === 'slave' && (ri.slaveMasterPort !== master!.addr.port || !addrEqualsHostname(s, ctx, master!.addr, ri.slaveMasterHost))) {
    fixSlaveConfig(s, ctx, out, ri, master!, now);
  }
  // Progress of a replica being reconfigured during our failover (SRI_RECONF_SENT -> INPROG -> DONE, which sentinelFailoverReconfNextSlave() waits for).
  if (ri.flags & F.SLAVE && role === 'slave' && ri.flags & (F.RECONF_SENT | F.RECONF_INPROG)) detectSlaveReconfProgress(s, ctx, ri, master!);
}

/** The monitoring half of sentinelRefreshInstanceInfo() (also in TILT): the fields of an INFO reply, and the role it reports. */
function parseInstanceInfo(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, master: Instance | null, info: string, now: number): 'master' | 'slave' | null {
  let role: 'master' | 'slave' | null = null;
  ri.info = info;
  ri.masterLinkDownTime = 0;
  // The lines of info.split('\r\n'), walked with indexOf and matched in place, so that only a
  // field's value is cut out. The fields below start with distinct prefixes: infoLineKind() names
  // the one a line starts with, if any, from its first characters and one startsWith().
  for (let at = 0, end = 0; at <= info.length; at = end + 2) {
    end = crlfFrom(info, at);
    const kind = infoLineKind(info, at, end - at);
    if (kind === L.NONE) continue;
    if (kind === L.RUN_ID) updateRunId(s, ctx, ri, master, info.slice(at + 7, at + 47), now);
    else if (kind === L.SLAVE_N) {
      if (ri.flags & F.MASTER) addReplicaOfInfoLine(s, ctx, out, ri, info.slice(at, end), now);
    } else if (kind === L.LINK_DOWN_SINCE) ri.masterLinkDownTime = atoi(info.slice(at + 31, end)) * 1000;
    else if (kind === L.ROLE_MASTER) role = 'master';
    else if (kind === L.ROLE_SLAVE) role = 'slave';
    else if (role === 'slave') readReplicaInfoLine(ri, info, kind, at, end, now);
  }
  ri.infoRefresh = now;
  return role;
}

/** The `run_id:` line: a changed id is a restart (+reboot), which may start the master-reboot-down-after-period. */
function updateRunId(s: SentinelState, ctx: Ctx, ri: Instance, master: Instance | null, id: string, now: number): void {
  if (ri.runid === null) ri.runid = id;
  else if (ri.runid !== id) {
    sentinelEvent(s, ctx, 'notice', '+reboot', ri, master, '%@');
    if (ri.flags & F.MASTER && ri.masterRebootDownAfterPeriod !== 0) {
      ri.flags |= F.MASTER_REBOOT;
      ri.masterRebootSinceTime = now;
    }
    ri.runid = id;
  }
}

/** A role other than the one last reported: +role-change when it matches our view of the instance, -role-change when not. */
function noteReportedRole(s: SentinelState, ctx: Ctx, ri: Instance, master: Instance | null, role: 'master' | 'slave', now: number): void {
  ri.roleReportedTime = now;
  ri.roleReported = role;
  if (role === 'slave') ri.slaveConfChangeTime = now;
  const coherent = (ri.flags & F.MASTER && role === 'master') || (ri.flags & F.SLAVE && role === 'slave');
  sentinelEvent(s, ctx, 'verbose', coherent ? '+role-change' : '-role-change', ri, master, `%@ new reported role is ${role}`);
}

/** A replica reporting role:master: the replica we promoted (the failover moves on), or one that turned master on its own. */
function handleSlaveTurnedMaster(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, m: Instance, now: number): void {
  if (ri.flags & F.PROMOTED && m.flags & F.FAILOVER_IN_PROGRESS && m.failoverState === FS.WAIT_PROMOTION) {
    // The promotion is observed: from now on this failover can't be aborted (sentinelAbortFailover() is only reached before).
    m.configEpoch = m.failoverEpoch;
    m.failoverState = FS.RECONF_SLAVES;
    m.failoverStateChangeTime = now;
    out.flushConfigNow();
    sentinelEvent(s, ctx, 'warning', '+promoted-slave', ri, m, '%@');
    if (s.simfailureFlags & SIMFAILURE_CRASH_AFTER_PROMOTION) {
      ctx.log('warning', 'Sentinel is simulating a failure after promotion. Exiting...');
      ctx.exit(99);
    }
    sentinelEvent(s, ctx, 'warning', '+failover-state-reconf-slaves', m, null, '%@');
    forceHelloUpdateForMaster(s, m);
  } else {
    // A replica turned master on its own: wait a little for newer configs, then force our view.
    const waitTime = s.tun.publishPeriodMs * 4;
    if (!(ri.flags & F.PROMOTED) && masterLooksSane(s, m, now) && noDownFor(ri, waitTime, now) && now - ri.roleReportedTime > waitTime) {
      if (sendSlaveOf(s, out, ri, m, m.addr)) sentinelEvent(s, ctx, 'notice', '+convert-to-slave', ri, m, '%@');
    }
  }
}

/** A replica of the wrong master: pointed back at ours once the master looks sane and the replica's config has been stable for a failover timeout. */
function fixSlaveConfig(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, m: Instance, now: number): void {
  const waitTime = m.failoverTimeout;
  if (masterLooksSane(s, m, now) && noDownFor(ri, waitTime, now) && now - ri.slaveConfChangeTime > waitTime) {
    if (sendSlaveOf(s, out, ri, m, m.addr)) sentinelEvent(s, ctx, 'notice', '+fix-slave-config', ri, m, '%@');
  }
}

/** A replica we sent SLAVEOF during our failover: now following the promoted one (+slave-reconf-inprog), then linked up (+slave-reconf-done). */
function detectSlaveReconfProgress(s: SentinelState, ctx: Ctx, ri: Instance, master: Instance): void {
  const promoted = promotedOf(master);
  if (ri.flags & F.RECONF_SENT && promoted && ri.slaveMasterHost !== null && addrEqualsHostname(s, ctx, promoted.addr, ri.slaveMasterHost) && ri.slaveMasterPort === promoted.addr.port) {
    ri.flags &= ~F.RECONF_SENT;
    ri.flags |= F.RECONF_INPROG;
    sentinelEvent(s, ctx, 'notice', '+slave-reconf-inprog', ri, master, '%@');
  }
  if (ri.flags & F.RECONF_INPROG && ri.slaveMasterLinkStatus === 'up') {
    ri.flags &= ~F.RECONF_INPROG;
    ri.flags |= F.RECONF_DONE;
    sentinelEvent(s, ctx, 'notice', '+slave-reconf-done', ri, master, '%@');
  }
}

/** A `slaveN:` line of a master's INFO: the replica is added if it is new (part of sentinelRefreshInstanceInfo()). */
function addReplicaOfInfoLine(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, l: string, now: number): void {
  let ip: string;
  let port: string;
  const colon = l.indexOf(':');
  if (!l.includes('ip=')) {
    // Old format: slave0:<ip>,<port>,<state>
    const parts = l.slice(colon + 1).split(',');
    if (parts.length < 2) return;
    ip = parts[0]!;
    port = parts[1]!;
  } else {
    const ipAt = l.indexOf('ip=');
    const portAt = l.indexOf('port=');
    if (portAt < 0) return;
    ip = untilComma(l, ipAt + 3);
    port = untilComma(l, portAt + 5);
  }
  const p = atoi(port);
  if (lookupSlave(s, ctx, ri, ip, p) !== undefined) return;
  const a = createAddr(s, ctx, ip, p, false);
  if (typeof a === 'string') return;
  const name = replicaName(s, a);
  if (ri.slaves.some((x) => x.name === name)) return;
  const sl = createInstance(s, 'slave', name, a, ri, now);
  sentinelEvent(s, ctx, 'notice', '+slave', sl, ri, '%@');
  out.flushConfigNow();
}

/**
 * l.slice(from).split(',')[0] without splitting the rest of the line: a master's INFO has one
 * such line per replica, and every INFO split each of them twice into all its fields.
 */
function untilComma(l: string, from: number): string {
  const comma = l.indexOf(',', from);
  return comma < 0 ? l.slice(from) : l.slice(from, comma);
}

/** The line of INFO at [at, end), of `kind`, of an instance reporting role:slave: its master and replication state. */
function readReplicaInfoLine(ri: Instance, info: string, kind: LineKind, at: number, end: number, now: number): void {
  switch (kind) {
    case L.MASTER_HOST: {
      const h = info.slice(at + 12, end);
      if (ri.slaveMasterHost === null || ri.slaveMasterHost.toLowerCase() !== h.toLowerCase()) {
        ri.slaveMasterHost = h;
        ri.slaveConfChangeTime = now;
      }
      return;
    }
    case L.MASTER_PORT: {
      const p = atoi(info.slice(at + 12, end));
      if (ri.slaveMasterPort !== p) {
        ri.slaveMasterPort = p;
        ri.slaveConfChangeTime = now;
      }
      return;
    }
    case L.LINK_STATUS:
      ri.slaveMasterLinkStatus = info.slice(at + 19, end).toLowerCase() === 'up' ? 'up' : 'down';
      return;
    case L.PRIORITY:
      ri.slavePriority = atoi(info.slice(at + 15, end));
      return;
    case L.REPL_OFFSET:
      ri.slaveReplOffset = atoi(info.slice(at + 18, end));
      return;
    case L.ANNOUNCED:
      ri.replicaAnnounced = atoi(info.slice(at + 18, end)) !== 0;
      return;
  }
}

export const SIMFAILURE_CRASH_AFTER_ELECTION = 1 << 0;
export const SIMFAILURE_CRASH_AFTER_PROMOTION = 1 << 1;

/** sentinelRedisInstanceLookupSlave() */
function lookupSlave(s: SentinelState, ctx: Ctx, master: Instance, ip: string, port: number): Instance | undefined {
  const a = createAddr(s, ctx, ip, port, false);
  if (typeof a === 'string') return undefined;
  const name = replicaName(s, a);
  return master.slaves.find((x) => x.name === name);
}

/** sentinelMasterLooksSane() */
export function masterLooksSane(s: SentinelState, master: Instance, now: number): boolean {
  return (
    (master.flags & F.MASTER) !== 0 &&
    master.roleReported === 'master' &&
    (master.flags & (F.S_DOWN | F.O_DOWN)) === 0 &&
    now - master.infoRefresh < s.tun.infoPeriodMs * 2
  );
}

/** sentinelRedisInstanceNoDownFor(): no SDOWN/ODOWN *began* within the last `ms` (since-times are never cleared). */
export function noDownFor(ri: Instance, ms: number, now: number): boolean {
  const t = Math.max(ri.sDownSinceTime, ri.oDownSinceTime);
  return t === 0 || now - t > ms;
}
