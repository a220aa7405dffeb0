import { flagsString } from './commands.js';
import { dictRank } from './dictorder.js';
import { currentMasterAddr, linkOf } from './instances.js';
import { F, FAILOVER_STATE_NAMES, FS, type Instance, type SentinelState } from './state.js';

/**
 * A read-only picture of one Sentinel at an instant, for the player, the advisor and tests.
 * Every number is computed from the model's own fields with the same formulas sentinel.c uses,
 * so a view never disagrees with what the state machine will do next.
 */
export interface TimerView {
  /** What the timer measures, e.g. "down-after". */
  readonly name: string;
  readonly elapsedMs: number;
  readonly limitMs: number;
}

export interface SentinelInstanceView {
  readonly name: string;
  readonly addr: string;
  readonly flags: string;
  readonly runid: string | null;
}

export interface SentinelMasterView {
  readonly name: string;
  /** Where this Sentinel says the master is now (the promoted replica once RECONF_SLAVES). */
  readonly addr: string;
  readonly flags: string;
  readonly sdown: boolean;
  readonly odown: boolean;
  readonly quorum: number;
  /** Known Sentinels including this one: the electorate of sentinelGetLeader(). */
  readonly voters: number;
  readonly majority: number;
  readonly configEpoch: number;
  readonly failoverState: string;
  readonly failoverEpoch: number;
  /** This Sentinel's own vote. */
  readonly leader: string | null;
  readonly leaderEpoch: number;
  /** Votes this Sentinel knows of in its current epoch (other Sentinels' replies plus its own vote). */
  readonly votes: readonly { readonly candidate: string; readonly count: number }[];
  readonly timers: readonly TimerView[];
  readonly replicas: readonly (SentinelInstanceView & { readonly priority: number; readonly offset: number; readonly masterLinkStatus: string })[];
  readonly sentinels: readonly (SentinelInstanceView & { readonly votedFor: string | null; readonly votedEpoch: number })[];
}

export interface SentinelView {
  readonly myid: string;
  readonly currentEpoch: number;
  readonly tilt: TimerView | null;
  readonly masters: readonly SentinelMasterView[];
}

export function sentinelView(s: SentinelState, nowMs: number): SentinelView {
  return {
    myid: s.myid,
    currentEpoch: s.currentEpoch,
    tilt: s.tilt ? { name: 'tilt', elapsedMs: nowMs - s.tiltStartTime, limitMs: s.tun.tiltPeriodMs } : null,
    masters: s.masters.map((m) => masterView(s, m, nowMs)),
  };
}

function addrString(i: Instance): string {
  return `${i.addr.ip}:${i.addr.port}`;
}

function masterView(s: SentinelState, m: Instance, now: number): SentinelMasterView {
  const link = linkOf(s, m);
  const timers: TimerView[] = [];
  // sentinelCheckSubjectivelyDown(): the clock that makes the master SDOWN.
  if (link.actPingTime) timers.push({ name: 'down-after', elapsedMs: now - link.actPingTime, limitMs: m.downAfterPeriod });
  else if (link.disconnected) timers.push({ name: 'down-after', elapsedMs: now - link.lastAvailTime, limitMs: m.downAfterPeriod });
  if (m.flags & F.FAILOVER_IN_PROGRESS) {
    if (m.failoverState === FS.WAIT_START && !(m.flags & F.FORCE_FAILOVER)) {
      timers.push({ name: 'election-timeout', elapsedMs: now - m.failoverStartTime, limitMs: Math.min(s.tun.electionTimeoutMs, m.failoverTimeout) });
    } else if (m.failoverState >= FS.SEND_SLAVEOF_NOONE) {
      timers.push({ name: 'failover-timeout', elapsedMs: now - m.failoverStateChangeTime, limitMs: m.failoverTimeout });
    }
  } else if (m.failoverStartTime !== 0 && now - m.failoverStartTime < m.failoverTimeout * 2) {
    // sentinelStartFailoverIfNeeded(): no new attempt before 2 × failover-timeout.
    timers.push({ name: 'retry-wait', elapsedMs: now - m.failoverStartTime, limitMs: m.failoverTimeout * 2 });
  }
  const counts = new Map<string, number>();
  for (const x of m.sentinels) if (x.leader !== null && x.leaderEpoch === s.currentEpoch) counts.set(x.leader, (counts.get(x.leader) ?? 0) + 1);
  if (m.leader !== null && m.leaderEpoch === s.currentEpoch) counts.set(m.leader, (counts.get(m.leader) ?? 0) + 1);
  const votes = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || dictRank(s.dictSeed, a[0]) - dictRank(s.dictSeed, b[0]))
    .map(([candidate, count]) => ({ candidate, count }));
  const cur = currentMasterAddr(m);
  const voters = m.sentinels.length + 1;
  return {
    name: m.name,
    addr: `${cur.ip}:${cur.port}`,
    flags: flagsString(s, m),
    sdown: (m.flags & F.S_DOWN) !== 0,
    odown: (m.flags & F.O_DOWN) !== 0,
    quorum: m.quorum,
    voters,
    majority: Math.floor(voters / 2) + 1,
    configEpoch: m.configEpoch,
    failoverState: m.flags & F.FAILOVER_IN_PROGRESS ? FAILOVER_STATE_NAMES[m.failoverState] : 'none',
    failoverEpoch: m.failoverEpoch,
    leader: m.leader,
    leaderEpoch: m.leaderEpoch,
    votes,
    timers,
    replicas: m.slaves.map((x) => ({
      name: x.name,
      addr: addrString(x),
      flags: flagsString(s, x),
      runid: x.runid,
      priority: x.slavePriority,
      offset: x.slaveReplOffset,
      masterLinkStatus: x.slaveMasterLinkStatus,
    })),
    sentinels: m.sentinels.map((x) => ({
      name: x.name,
      addr: addrString(x),
      flags: flagsString(s, x),
      runid: x.runid,
      votedFor: x.leader,
      votedEpoch: x.leaderEpoch,
    })),
  };
}
