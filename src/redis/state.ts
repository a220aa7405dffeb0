import type { CrashReportRange } from './crash.js';
import type { ConnId, NetEvent } from '../net/process.js';

/**
 * The state of one Redis 7.0 node process. Plain data only (immer drafts it per event). Field names
 * carry units; `...Sec` fields hold wall-clock Unix seconds as Redis's server.unixtime does, `...Ms`
 * wall-clock milliseconds as mstime().
 */

export const REDIS_VERSION = '7.0.15';

/** server.h: CONFIG_REPL_BACKLOG_MIN_SIZE. */
export const REPL_BACKLOG_MIN_BYTES = 16 * 1024;
/** server.h: PROTO_REPLY_CHUNK_BYTES, the size of a replication buffer block (the trim unit). */
export const REPL_BLOCK_BYTES = 16 * 1024;
/** 40 zeros: replid2 when there is no secondary history (replication.c: clearReplicationId2()). */
export const NULL_REPLID = '0'.repeat(40);
/**
 * Modelled RDB child speed: a fork plus a socket transfer at ~100 MB/s (one 1 Gbit/s link), so a
 * full sync of a small dataset costs a few ms on top of repl-diskless-sync-delay.
 */
export const RDB_FIXED_MS = 2;
export const RDB_BYTES_PER_MS = 100_000;
/**
 * How fast a replica loads the RDB of a full sync (rdbLoad() inside readSyncBulkPayload()), in RDB
 * bytes per ms. Measured on 7.0.15 on this project's machine (scripts/measure-rdb-load.sh, load
 * average ~10): a 50.6 MB RDB of 1 KB values loaded in 169-508 ms (median 193 ms, 262 bytes/µs);
 * 100-byte values load ~10x slower per byte (57 MB in 2.6 s), 10 KB values at 117-185 bytes/µs.
 */
export const RDB_LOAD_BYTES_PER_MS = 262_000;
/** Period of the node's only recurring timer: serverCron's 1000 ms work (replicationCron, save points). */
export const CRON_PERIOD_MS = 1000;

/** A replica's state as its master sees it (server.h: SLAVE_STATE_*). */
export type ReplicaSyncState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

/** A replica's link to its master (server.h: REPL_STATE_*; the RECEIVE_* ones are the handshake). */
export type ReplLinkState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'receive_pong'
  | 'receive_auth'
  | 'receive_port'
  | 'receive_ip'
  | 'receive_capa'
  | 'receive_psync'
  | 'transfer'
  | 'connected';

export interface ClientRec {
  id: ConnId;
  /** Remote "ip:port" and local "ip:port" as CLIENT LIST shows them. */
  addr: string;
  laddr: string;
  remoteIp: string;
  name: string;
  authenticated: boolean;
  createdSec: number;
  lastInteractionSec: number;
  /** Channels subscribed to, in subscription order (non-empty: a pubsub client). */
  channels: string[];
  /** MULTI state: queued argv (already resolved to canonical command names) and CLIENT_DIRTY_EXEC. */
  multi: { queued: string[][]; dirty: boolean; writes: boolean; denyStale: boolean; /** A queued command lacks the loading flag (cmd_inv_flags & CMD_LOADING). */ denyLoading?: boolean } | null;
  /** This connection is our link to our own master (CLIENT_MASTER). */
  isMaster: boolean;
  /** Set by SYNC/PSYNC (CLIENT_SLAVE). */
  isReplica: boolean;
  replState: ReplicaSyncState | null;
  listeningPort: number;
  /** REPLCONF ip-address (replica-announce-ip of the replica). */
  announcedIp: string | null;
  capaEof: boolean;
  capaPsync2: boolean;
  ackOffset: number;
  ackTimeSec: number;
  psyncInitialOffset: number;
  /** Stream accumulated while the RDB is produced/transferred (the replica's output buffer). */
  pending: string[][] | null;
  /** Bytes of `pending`. */
  pendingBytes: number;
  /** obuf_soft_limit_reached_time: when the soft output buffer limit was first seen reached (0: not). */
  obufSoftLimitReachedSec: number;
  /** CLIENT_CLOSE_AFTER_REPLY. */
  closeAfterReply: boolean;
  /** c->woff: master_repl_offset after this client's last propagated write (what WAIT waits for). */
  woff: number;
  /** Blocked in WAIT (BLOCKED_WAIT): how many replicas must acknowledge which offset. */
  waitAcks: { numreplicas: number; offset: number; /** c->bpop.timeout on the monotonic clock; 0: none. */ deadlineMonoMs: number } | null;
}

export interface BacklogBlock {
  /** Replication offset of the block's first byte. */
  startOffset: number;
  bytes: number;
  cmds: string[][];
}

/** A snapshot of the dataset that later writes must not show through (its view is what holders keep). */
export interface DbSnapshotLog {
  readonly view: Record<string, string>;
}

/** server.repl_backlog: `firstByteOffset` is Redis's repl_backlog->offset. */
export interface Backlog {
  firstByteOffset: number;
  histlenBytes: number;
  blocks: BacklogBlock[];
}

export interface MasterLinkInfo {
  /** server.master->replid / reploff / read_reploff */
  replid: string;
  reploff: number;
  readReploff: number;
  lastInteractionSec: number;
  /** Stream bytes of an open MULTI from the master, applied and proxied at its EXEC. */
  multiCmds: string[][];
}

export interface ReplicaSide {
  masterHost: string;
  masterPort: number;
  state: ReplLinkState;
  /** server.repl_transfer_s: the connection during connect/handshake/transfer, and then the master client. */
  conn: ConnId | null;
  transferLastIoSec: number;
  /** server.master: present only in state 'connected'. */
  link: MasterLinkInfo | null;
  /** server.cached_master: what PSYNC offers. */
  cached: { replid: string; reploff: number } | null;
  /** server.repl_down_since (0: never connected since becoming a replica). */
  downSinceSec: number;
  /** +FULLRESYNC answer being waited on (server.master_replid / master_initial_offset). */
  fullSync: { replid: string; offset: number } | null;
}

/** server.loading: a full sync's RDB being loaded (rdbLoad() called from readSyncBulkPayload()). */
export interface RdbLoading {
  /** The master link the RDB came on: nothing more is read from it until the load is done. */
  conn: ConnId;
  db: Record<string, string>;
  eof: boolean;
  flushedKeys: number;
  /** What arrived on the master link meanwhile, read once the load is done. */
  deferred: NetEvent[];
}

export interface RdbChild {
  /** 'socket' (diskless) or 'disk' target; a replication child serves `replicas`. */
  target: 'socket' | 'disk';
  replicas: ConnId[];
  snapshot: Record<string, string>;
  replid: string;
  offset: number;
  startedMs: number;
  bytes: number;
}

/** One class of client-output-buffer-limit (0: no limit). */
export interface ObufLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

export interface ObufLimits {
  normal: ObufLimit;
  replica: ObufLimit;
  pubsub: ObufLimit;
}

export interface RuntimeConf {
  port: number;
  requirepass: string | null;
  masterauth: string | null;
  masteruser: string | null;
  replicaPriority: number;
  replicaAnnounced: boolean;
  replicaAnnounceIp: string | null;
  replicaAnnouncePort: number;
  replicaServeStaleData: boolean;
  replicaReadOnly: boolean;
  minReplicasToWrite: number;
  minReplicasMaxLagSec: number;
  replBacklogSizeBytes: number;
  replBacklogTtlSec: number;
  replTimeoutSec: number;
  /** shutdown-timeout: how long SHUTDOWN waits for lagging replicas (0: not at all). */
  shutdownTimeoutSec: number;
  replPingReplicaPeriodSec: number;
  replDisklessSync: boolean;
  replDisklessSyncDelaySec: number;
  replDisklessSyncMaxReplicas: number;
  savePoints: { seconds: number; changes: number }[];
  appendonly: boolean;
  /** enable-debug-command: 7.0 default "no" refuses DEBUG to everyone. */
  enableDebugCommand: 'yes' | 'no' | 'local';
  obufLimits: ObufLimits;
  /** Not a Redis parameter: how long a segfault's bug report takes here (the model's `crashReportMs`). */
  crashReportMs: CrashReportRange;
  /**
   * Not a Redis parameter: bytes of dataset the model stands for beyond the keys it simulates (the
   * model's `datasetBytes`). Every RDB made here counts them: its save, its transfer, a full sync.
   */
  datasetBytes: number;
}

/** What survives a restart: the RDB file (with its replication aux fields), the AOF, the rewritten config. */
export interface RedisDisk {
  rdb?: { db: Record<string, string>; repl: { replid: string; offset: number } | null; savedMs: number };
  aof?: { db: Record<string, string> };
  conf?: { replicaof: { host: string; port: number } | null; params: Record<string, string> };
}

export interface RedisState {
  runId: string;
  startedMs: number;
  conf: RuntimeConf;
  /** The config file as CONFIG REWRITE last left it (replicaof and CONFIG SET values). */
  rewrittenConf: RedisDisk['conf'] | null;
  /** CONFIG SET values since boot, written to the config file by CONFIG REWRITE. */
  configSet: Record<string, string>;
  /** The last RDB on disk (kept so a later persist() rewrites the disk image whole). */
  diskRdb: RedisDisk['rdb'] | null;

  // replication identity (server.replid, replid2, second_replid_offset, master_repl_offset)
  replid: string;
  replid2: string;
  secondReplidOffset: number;
  masterReplOffset: number;
  backlog: Backlog | null;
  /** server.slaveseldb: -1 forces a SELECT before the next propagated command. */
  slaveSelDb: number;
  /** server.slaves, in attach order. */
  replicas: ConnId[];
  goodReplicas: number;
  noReplicasSinceSec: number;
  cronLoops: number;
  /** When the next once-a-second serverCron tick is due (monotonic ms), and the period it was armed with. */
  nextCronMonoMs: number;
  cronPeriodMs: number;
  /** A full sync's RDB being loaded: clients get -LOADING, serverCron does not run. */
  loading: RdbLoading | null;
  /** Clients blocked in WAIT with a timeout (server.clients_timeout_table); freed ones are dropped when next looked at. */
  waitTimeouts: ConnId[];
  /** replication_cron_loops (only incremented by replicationCron). */
  replCronLoops: number;
  child: RdbChild | null;

  /** Present while this node is a replica (server.masterhost != NULL). */
  repl: ReplicaSide | null;

  clients: Record<number, ClientRec>;
  /** The dataset. Write to it only through writableDb() (keyspace.ts): a save may share it. */
  db: Record<string, string>;
  /**
   * The number of keys in `db`, kept as keys are added and removed, so INFO and DBSIZE cost the
   * same whatever the size of the dataset (db.c keeps dictSize() the same way).
   */
  keyCount: number;
  /**
   * `db` is also held by a snapshot (an RDB, the AOF image, a replication child), so the next write
   * copies it first: a save costs nothing until the dataset changes (fork()'s copy-on-write).
   */
  dbShared: boolean;
  /** The undo logs of the snapshots still taken of `db` (dataset.ts); empty under immer. */
  dbSnapshots: DbSnapshotLog[];
  /** Changes since the last save (server.dirty) and last successful save time. */
  dirty: number;
  /** Every change ever (never reset), so the AOF image knows when it is stale. */
  changesTotal: number;
  /** The dataset as the AOF last wrote it, and changesTotal at that moment. */
  aofImage: { db: Record<string, string>; changes: number } | null;
  lastSaveSec: number;
  /** server.pubsub_channels: channel → subscribers in subscription order. */
  pubsub: Record<string, ConnId[]>;
  stats: { syncFull: number; syncPartialOk: number; syncPartialErr: number; commands: number; connections: number };
  shuttingDown: boolean;
  /**
   * A SHUTDOWN waiting for the replicas to catch up (server.c prepareForShutdown(): 7.0's
   * shutdown-timeout); writes are paused meanwhile. Null when no shutdown is in progress.
   */
  shutdown: { deadlineMs: number; save: boolean; nosave: boolean } | null;
  /** server.shutdown_asap / last_sig_received: a SIGTERM or SIGINT waiting for serverCron. */
  shutdownAsap: string | null;
}

export const unixSec = (nowMs: number): number => Math.floor(nowMs / 1000);
