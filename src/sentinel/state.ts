import type { Resp } from '../net/resp.js';
import type { ConnId } from '../net/process.js';
import type { SentinelTunables } from './constants.js';

/** Instance flags (sentinel.c SRI_*). */
export const F = {
  MASTER: 1 << 0,
  SLAVE: 1 << 1,
  SENTINEL: 1 << 2,
  S_DOWN: 1 << 3,
  O_DOWN: 1 << 4,
  MASTER_DOWN: 1 << 5,
  FAILOVER_IN_PROGRESS: 1 << 6,
  PROMOTED: 1 << 7,
  RECONF_SENT: 1 << 8,
  RECONF_INPROG: 1 << 9,
  RECONF_DONE: 1 << 10,
  FORCE_FAILOVER: 1 << 11,
  SCRIPT_KILL_SENT: 1 << 12,
  MASTER_REBOOT: 1 << 13,
} as const;

/** SENTINEL_FAILOVER_STATE_*; the strings are what `SENTINEL MASTER` shows. */
export const FS = {
  NONE: 0,
  WAIT_START: 1,
  SELECT_SLAVE: 2,
  SEND_SLAVEOF_NOONE: 3,
  WAIT_PROMOTION: 4,
  RECONF_SLAVES: 5,
  UPDATE_CONFIG: 6,
} as const;
export type FailoverState = (typeof FS)[keyof typeof FS];
export const FAILOVER_STATE_NAMES = ['none', 'wait_start', 'select_slave', 'send_slaveof_noone', 'wait_promotion', 'reconf_slaves', 'update_config'] as const;

export interface Addr {
  hostname: string;
  ip: string;
  port: number;
}

/** What a queued command's reply is for (hiredis callbacks, kept as data). */
export type PendingReply =
  | { k: 'ping'; ref: InstanceRef }
  | { k: 'info'; ref: InstanceRef }
  | { k: 'publish'; ref: InstanceRef }
  | { k: 'ismd'; ref: InstanceRef }
  | { k: 'ignore' };

/** Names an instance without holding it: resolved again when the reply arrives. */
export interface InstanceRef {
  master: string;
  type: 'master' | 'slave' | 'sentinel';
  name: string;
}

/** instanceLink (createInstanceLink()). Sentinel links may be shared by records of several masters. */
export interface Link {
  id: number;
  refcount: number;
  disconnected: boolean;
  pendingCommands: number;
  cc: ConnId | null;
  pc: ConnId | null;
  ccConnTime: number;
  pcConnTime: number;
  pcLastActivity: number;
  lastAvailTime: number;
  actPingTime: number;
  lastPingTime: number;
  lastPongTime: number;
  lastReconnTime: number;
  /** Replies still owed on cc, oldest first. */
  ccQueue: PendingReply[];
  /** Regular (non-subscribe) replies still owed on pc (AUTH, CLIENT SETNAME). */
  pcRegularPending: number;
  /** Local address of cc once connected: what anetFdToString(FD_TO_SOCK_NAME) gives the hello. */
  ccLocalIp: string | null;
}

/** sentinelRedisInstance (createSentinelRedisInstance()): one record per master, replica or other Sentinel, per master. */
export interface Instance {
  flags: number;
  name: string;
  runid: string | null;
  configEpoch: number;
  addr: Addr;
  linkId: number;
  lastPubTime: number;
  lastHelloTime: number;
  lastMasterDownReplyTime: number;
  sDownSinceTime: number;
  oDownSinceTime: number;
  downAfterPeriod: number;
  masterRebootDownAfterPeriod: number;
  masterRebootSinceTime: number;
  infoRefresh: number;
  roleReported: 'master' | 'slave' | null;
  roleReportedTime: number;
  slaveConfChangeTime: number;
  info: string;
  // Master only.
  sentinels: readonly Instance[];
  slaves: readonly Instance[];
  quorum: number;
  parallelSyncs: number;
  authPass: string | null;
  authUser: string | null;
  failoverTimeout: number;
  leader: string | null;
  leaderEpoch: number;
  failoverEpoch: number;
  failoverState: FailoverState;
  failoverStateChangeTime: number;
  failoverStartTime: number;
  failoverDelayLogged: number;
  /** Name ("ip:port") of the replica chosen for promotion. */
  promotedSlave: string | null;
  renamedCommands: Record<string, string>;
  notificationScript: string | null;
  clientReconfigScript: string | null;
  // Replica only.
  masterLinkDownTime: number;
  slavePriority: number;
  replicaAnnounced: boolean;
  slaveReconfSentTime: number;
  slaveMasterHost: string | null;
  slaveMasterPort: number;
  slaveMasterLinkStatus: 'up' | 'down';
  slaveReplOffset: number;
  /** Sort key emulating Redis's per-process dict order (see dictorder.ts). */
  dictRank: number;
}

/** A connection someone opened to this Sentinel (a client, or another Sentinel's link). */
export interface ClientConn {
  authed: boolean;
  name: string;
  subscriptions: string[];
  patterns: string[];
}

export type ConnRole = { k: 'link'; linkId: number; which: 'cc' | 'pc' } | { k: 'client'; client: ClientConn };

/** struct sentinelState plus what the server part of the process needs. */
export interface SentinelState {
  myid: string;
  currentEpoch: number;
  masters: readonly Instance[];
  tilt: boolean;
  tiltStartTime: number;
  previousTime: number;
  announceIp: string | null;
  announcePort: number;
  resolveHostnames: boolean;
  announceHostnames: boolean;
  denyScriptsReconfig: boolean;
  sentinelUser: string | null;
  sentinelPass: string | null;
  requirepass: string | null;
  port: number;
  /** This Sentinel's own host address, for the hello's announce address (see hello.ts). */
  hostIp: string;
  simfailureFlags: number;
  tun: SentinelTunables;
  links: Record<number, Link>;
  nextLinkId: number;
  conns: Record<number, ConnRole>;
  /** Seed of this process's dict order. */
  dictSeed: number;
  /** The config file as read, for the rewrite's unknown lines and name. */
  configFile: string;
  /** Ticks since start, for the trace. */
  ticks: number;
  /** server.shutdown_asap: a SIGTERM/SIGINT seen, the shutdown waits for the next serverCron (tick). */
  shutdownAsap?: boolean;
  /**
   * Wall-clock µs until which the event loop is still inside a sentinelFlushConfig() (flushcost.ts);
   * 0 when idle. Output queued meanwhile waits in `held` and leaves at that time.
   */
  busyUntilUs: number;
  held: { conn: number; msg: Resp }[];
}
