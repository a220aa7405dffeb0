import type { RedisNodeConfig } from '../config/types.js';
import { argvOf, error } from '../net/resp.js';
import type { Behavior, Ctx, NetEvent } from '../net/process.js';
import { freeClient, newClient } from './clients.js';
import { processCommand } from './commands/dispatch.js';
import { findParam, runtimeConf } from './config.js';
import type { Node } from './node.js';
import { notice, warning } from './node.js';
import { finalSaveDone, shutdownCron, sigShutdownHandler } from './shutdown.js';
import { emptyDb, installDb } from './dataset.js';
import { clientsCronOutputBuffers } from './obuf.js';
import { handleBlockedClientsTimeout, isWaitTimer } from './wait.js';
import { crashReportDone, sigsegvHandler, type CrashReportRange } from './crash.js';
import { aofCron, saveCron } from './persistence.js';
import { createReplicationBacklog, masterCron, rdbChildDone } from './replication/master.js';
import { cacheMasterUsingMyself, onHandshakeEvent, onMasterStream, rdbLoadDone, replicaCron } from './replication/replica.js';
import { CRON_PERIOD_MS, NULL_REPLID, unixSec, type RedisDisk, type RedisState } from './state.js';
import { cronPeriodMs, startPhaseMs } from './cronDrift.js';

export type { RedisState } from './state.js';
export { masterAcceptsWrites, redisView, type RedisView } from './view.js';

/**
 * A Redis 7.0 node (server.c, replication.c). One recurring timer, `cron`, every 1000 ms of the host's
 * monotonic clock (plus the loop's slip, see cronDrift.ts) does serverCron's once-per-second work:
 * replicationCron() (reconnects, ACKs, master PINGs, timeouts, pending diskless forks, backlog TTL,
 * good-replica count) and the save points. The first tick comes 1 ms after start, as serverCron's
 * first timer, shifted by the seeded start phase (cronDrift.ts). `rdb` marks the end of an RDB child.
 */
export interface RedisOptions {
  /** How long a segfault's bug report takes before the process dies (default: measured, crash.ts). */
  readonly crashReportMs?: CrashReportRange;
  /** Dataset bytes beyond the simulated keys, counted by every RDB save and transfer (default 0). */
  readonly datasetBytes?: number;
}

export function redisBehavior(cfg: RedisNodeConfig, opts: RedisOptions = {}): Behavior<RedisState> {
  // One Node per behavior, refilled at each event instead of made per event: a process's handlers
  // never nest (the loop delivers one event at a time and a send is never delivered within the
  // handler that made it), and nothing keeps a Node past its event.
  const n: { d: RedisState; ctx: Ctx; cfg: RedisNodeConfig } = { d: undefined as unknown as RedisState, ctx: undefined as unknown as Ctx, cfg };
  const refill = (draft: unknown, ctx: Ctx): Node => {
    n.d = draft as RedisState;
    n.ctx = ctx;
    return n;
  };
  return {
    kind: 'redis',
    init: (ctx, disk) => initState(cfg, ctx, disk as RedisDisk | undefined, opts),
    listenPorts: (s) => [s.conf.port],
    onNet: (draft, ev, ctx) => afterEvent(onNet, refill(draft, ctx), ev),
    onTimer: (draft, key, ctx) => afterEvent(onTimer, refill(draft, ctx), key),
    onSignal: (draft, sig, ctx) => {
      refill(draft, ctx);
      if (n.d.shuttingDown) return;
      if (sig === 'SIGSEGV') sigsegvHandler(n);
      else sigShutdownHandler(n, sig);
    },
  };
}

/**
 * One ae loop iteration: the event, then beforeSleep()'s handleBlockedClientsTimeout(). A blocked
 * WAIT whose timeout passed is answered by whichever event wakes the loop first after it.
 */
function afterEvent<A>(handle: (n: Node, a: A) => void, n: Node, a: A): void {
  handle(n, a);
  if (n.d.waitTimeouts.length > 0) handleBlockedClientsTimeout(n);
}

function initState(cfg: RedisNodeConfig, ctx: Ctx, disk: RedisDisk | undefined, opts: RedisOptions): RedisState {
  const conf = runtimeConf(cfg, opts.crashReportMs, opts.datasetBytes);
  // A config file rewritten by CONFIG REWRITE is what the restarted process reads.
  let replicaof = cfg.replicaof ? { host: cfg.replicaof.host, port: cfg.replicaof.port } : null;
  if (disk?.conf) {
    replicaof = disk.conf.replicaof;
    for (const [k, v] of Object.entries(disk.conf.params)) findParam(k)?.set(conf, v);
  }
  const nowMs = ctx.nowMs();
  const d: RedisState = {
    runId: ctx.rng.hex40(),
    startedMs: nowMs,
    conf,
    rewrittenConf: disk?.conf ?? null,
    configSet: {},
    diskRdb: disk?.rdb ?? null,
    replid: ctx.rng.hex40(),
    replid2: NULL_REPLID,
    secondReplidOffset: -1,
    masterReplOffset: 0,
    backlog: null,
    slaveSelDb: -1,
    replicas: [],
    goodReplicas: 0,
    noReplicasSinceSec: unixSec(nowMs),
    cronLoops: 0,
    nextCronMonoMs: 0,
    cronPeriodMs: CRON_PERIOD_MS,
    waitTimeouts: [],
    loading: null,
    replCronLoops: 0,
    child: null,
    repl: replicaof
      ? { masterHost: replicaof.host, masterPort: replicaof.port, state: 'connect', conn: null, transferLastIoSec: 0, link: null, cached: null, downSinceSec: 0, fullSync: null }
      : null,
    clients: {},
    db: emptyDb(),
    keyCount: 0,
    dbShared: false,
    dbSnapshots: [],
    dirty: 0,
    changesTotal: 0,
    aofImage: null,
    lastSaveSec: unixSec(nowMs),
    pubsub: {},
    stats: { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0, commands: 0, connections: 0 },
    shuttingDown: false,
    shutdown: null,
    shutdownAsap: null,
  };
  const n: Node = { d, ctx, cfg };
  notice(n, 'Server initialized');
  loadDataFromDisk(n, disk);
  ctx.log('notice', 'Ready to accept connections');
  ctx.state({ what: 'boot', runId: d.runId, replid: d.replid, role: d.repl ? 'slave' : 'master', keys: d.keyCount, offset: d.masterReplOffset });
  const firstCronMs = 1 + startPhaseMs(ctx);
  ctx.timer('cron', firstCronMs, { freezeWhilePaused: true });
  d.nextCronMonoMs = ctx.monoMs() + firstCronMs;
  return d;
}

/** server.c: loadDataFromDisk() — the AOF if enabled, else the RDB with its replication info. */
function loadDataFromDisk(n: Node, disk: RedisDisk | undefined): void {
  const d = n.d;
  if (d.conf.appendonly) {
    if (disk?.aof) {
      installDb(d, disk.aof.db);
      notice(n, 'DB loaded from append only file: 0.000 seconds');
    }
    return;
  }
  const rdb = disk?.rdb;
  if (!rdb) return;
  installDb(d, rdb.db);
  notice(n, 'DB loaded from disk: 0.000 seconds');
  if (!rdb.repl) return;
  if (d.repl) {
    // A replica keeps its history: the RDB's id/offset become a cached master to PSYNC with.
    d.replid = rdb.repl.replid;
    d.masterReplOffset = rdb.repl.offset;
    cacheMasterUsingMyself(n);
  } else {
    // A master offers the old history as replid2 (and has a backlog so it can serve it).
    createReplicationBacklog(n);
    d.replid2 = rdb.repl.replid;
    d.secondReplidOffset = rdb.repl.offset + 1;
    d.masterReplOffset = rdb.repl.offset;
    d.backlog!.firstByteOffset = d.masterReplOffset + 1;
  }
}

function onNet(n: Node, ev: NetEvent): void {
  const d = n.d;
  if (d.shuttingDown) return;
  if (d.loading && ev.conn === d.loading.conn) {
    d.loading.deferred.push(ev);
    return;
  }
  const r = d.repl;
  if (r && ev.conn === r.conn && r.state !== 'connected') {
    onHandshakeEvent(n, ev);
    return;
  }
  switch (ev.k) {
    case 'accepted':
      d.clients[ev.conn] = newClient(n, ev.conn, ev.local, ev.remote);
      d.stats.connections++;
      return;
    case 'closed':
      freeClient(n, ev.conn, false);
      return;
    case 'data': {
      const c = d.clients[ev.conn];
      if (!c) return;
      if (c.isMaster) {
        onMasterStream(n, c, ev.msg);
        return;
      }
      const argv = argvOf(ev.msg);
      if (!argv || argv.length === 0) {
        n.ctx.send(ev.conn, error("ERR Protocol error: expected '*', got something else"));
        freeClient(n, ev.conn, true);
        return;
      }
      processCommand(n, c, argv);
      return;
    }
    default:
      return;
  }
}

function onTimer(n: Node, key: string): void {
  const d = n.d;
  if (key === 'crash-report') {
    crashReportDone(n);
    return;
  }
  if (key === 'final-save') {
    finalSaveDone(n);
    return;
  }
  if (d.shuttingDown) return;
  if (key === 'rdb') {
    rdbChildDone(n);
    return;
  }
  if (key === 'rdb-load') {
    for (const ev of rdbLoadDone(n)) onNet(n, ev);
    return;
  }
  if (key === 'shutdown') {
    shutdownCron(n);
    return;
  }
  if (isWaitTimer(key)) {
    handleBlockedClientsTimeout(n);
    return;
  }
  if (key !== 'cron') {
    warning(n, `unknown timer ${key}`);
    return;
  }
  // replicationCron() runs every 10th serverCron loop (run_with_period(1000) at hz 10): loops missed
  // while the process was stopped never happen, so after SIGCONT the next one comes when the loop
  // count reaches it, not at once (measured on 7.0.15: a resumed replica ACKs 0-1 s later, D11).
  // The time left is kept exactly rather than rounded to the 100 ms loop.
  const periodMs = cronPeriodMs(n.ctx);
  n.ctx.timer('cron', periodMs, { freezeWhilePaused: true });
  d.nextCronMonoMs = n.ctx.monoMs() + periodMs;
  d.cronPeriodMs = periodMs;
  // A loading server runs no serverCron: the load blocks the event loop (only
  // processEventsWhileBlocked() answers clients, with -LOADING).
  if (d.loading) return;
  // replicationCron(): replica half, then master half (one function in Redis).
  replicaCron(n);
  masterCron(n, d.replCronLoops);
  d.replCronLoops++;
  clientsCronOutputBuffers(n);
  saveCron(n);
  aofCron(n);
  d.cronLoops++;
}

