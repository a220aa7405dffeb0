import { current, isDraft } from 'immer';
import type { SentinelFileConfig, SentinelMasterConfig } from '../config/types.js';
import { argvOf, error, type Resp } from '../net/resp.js';
import type { Behavior, Ctx, NetEvent } from '../net/process.js';
import { executeCommand } from './commands.js';
import { DEFAULT_TUNABLES, type SentinelTunables } from './constants.js';
import { sentinelEvent } from './events.js';
import { receiveHelloMessage } from './hello.js';
import { createAddr, createInstance } from './instances.js';
import { linkConnectionError, onLinkEvent, PUBSUB_ERROR, PUBSUB_MESSAGE } from './links.js';
import { flushConfigCostUs } from './flushcost.js';
import { Out } from './out.js';
import { toFileConfig } from './persist.js';
import { dispatchReply } from './replies.js';
import type { SentinelState } from './state.js';
import { shutdownSentinel, sigShutdownHandler } from './shutdown.js';
import { sentinelTimer } from './timer.js';

export type { SentinelState } from './state.js';
export { renderConfig, toFileConfig } from './persist.js';
export { sentinelView, type SentinelView, type SentinelMasterView, type TimerView } from './view.js';
export { selectSlaveReport, type SelectionReport } from './failover/select.js';

export interface SentinelOptions {
  /** Overrides of the debug-tunable periods, as `SENTINEL DEBUG` would set them. */
  readonly tunables?: Partial<SentinelTunables>;
}

/** What a Sentinel keeps across restarts: its rewritten config file. */
export interface SentinelDisk {
  readonly config: SentinelFileConfig;
}

/**
 * A Redis 7.0 Sentinel process (sentinel.c). The state machine lives in the files beside this one;
 * this file only wires the process contract to them: boot from sentinel.conf (or the config it
 * rewrote before a restart), ticks, replies on its links, and commands from its clients.
 */
export function sentinelBehavior(cfg: SentinelFileConfig, opts: SentinelOptions = {}): Behavior<SentinelState> {
  return {
    kind: 'sentinel',
    init: (ctx, disk) => initSentinel(disk ? (disk as SentinelDisk).config : cfg, ctx, opts),
    listenPorts: (s) => [s.port],
    onTimer: (d, key, ctx) => {
      const s = d as SentinelState;
      if (key === 'write') return writeHeld(s, ctx);
      if (key === 'tick') onTick(s, ctx);
    },
    onSignal: (d, sig, ctx) => sigShutdownHandler(d as SentinelState, ctx, sig),
    onNet: (d, ev, ctx) => {
      const s = d as SentinelState;
      const out = Out.acquire(ctx);
      // One clock read per handler: virtual time does not move inside it.
      const nowUs = ctx.nowUs();
      onNet(s, ev, ctx, out, Math.floor(nowUs / 1000));
      endHandler(s, ctx, out, nowUs);
      out.release();
    },
  };
}

/**
 * The end of every handler: persist the config once if asked, then write the buffered output, at
 * once, or when the config flushes of this handler (and of any still blocking the loop) are done.
 * Returns the µs this handler's flushes blocked the loop. (Inlined in each handler rather than a
 * wrapper taking a closure: one closure per event adds up.) `nowUs`: ctx.nowUs() of this handler.
 */
function endHandler(s: SentinelState, ctx: Ctx, out: Out, nowUs: number): number {
  if (out.flushConfig) flushConfig(s, ctx);
  const costUs = flushConfigCostUs(ctx, out.flushes);
  // A wall clock stepped back leaves busyUntilUs far ahead: the flushes it stood for are long done.
  if (s.busyUntilUs - nowUs > BUSY_STALE_US) s.busyUntilUs = 0;
  if (costUs === 0 && s.busyUntilUs <= nowUs) {
    out.flush();
    return 0;
  }
  // The loop is (still) inside a config flush: this output leaves when the flushes end.
  s.busyUntilUs = Math.max(s.busyUntilUs, nowUs) + costUs;
  for (const h of out.take()) s.held.push(h);
  ctx.timer('write', (s.busyUntilUs - nowUs) / 1000);
  return costUs;
}

function plain(msg: Resp): Resp {
  return isDraft(msg) ? (current(msg as never) as Resp) : msg;
}

/** Longer than any run of flushes can block (the measured maximum is 0.64 s per flush). */
const BUSY_STALE_US = 10_000_000;

/** The loop is free again: write what waited, except to connections closed meanwhile (hiredis drops those buffers). */
function writeHeld(s: SentinelState, ctx: Ctx): void {
  // A held message read back through the handler's draft is a draft itself: send plain values.
  for (const h of s.held) if (s.conns[h.conn] !== undefined) ctx.send(h.conn, plain(h.msg));
  s.held = [];
}

/**
 * serverCron → sentinelTimer(). A tick due while a config flush still blocks the loop runs when it
 * ends; the next one is re-armed 1000/hz ms after this one's end, flushes included (ae.c
 * processTimeEvents() re-arms after the callback returns).
 */
function onTick(s: SentinelState, ctx: Ctx): void {
  const nowUs = ctx.nowUs();
  if (s.busyUntilUs > nowUs && s.busyUntilUs - nowUs <= BUSY_STALE_US) {
    ctx.timer('tick', (s.busyUntilUs - nowUs) / 1000);
    return;
  }
  // serverCron() checks shutdown_asap before it calls sentinelTimer(); the exit ends the loop.
  if (s.shutdownAsap) {
    shutdownSentinel(ctx);
    return;
  }
  const out = Out.acquire(ctx);
  const delayMs = sentinelTimer(s, ctx, out, Math.floor(nowUs / 1000));
  const costUs = endHandler(s, ctx, out, nowUs);
  out.release();
  ctx.timer('tick', delayMs + costUs / 1000);
}

export function flushConfig(s: SentinelState, ctx: Ctx): void {
  ctx.persist({ config: toFileConfig(s) } satisfies SentinelDisk);
}

/** initSentinel() + loading the config + sentinelIsRunning(). */
function initSentinel(cfg: SentinelFileConfig, ctx: Ctx, opts: SentinelOptions): SentinelState {
  const now = ctx.nowMs();
  const hostIp = ctx.resolve(ctx.hostName) ?? '127.0.0.1';
  const s: SentinelState = {
    myid: cfg.myid ?? '',
    currentEpoch: cfg.currentEpoch,
    masters: [],
    tilt: false,
    tiltStartTime: 0,
    previousTime: now,
    announceIp: cfg.announceIp ?? null,
    announcePort: cfg.announcePort,
    resolveHostnames: cfg.resolveHostnames,
    announceHostnames: cfg.announceHostnames,
    denyScriptsReconfig: cfg.denyScriptsReconfig,
    sentinelUser: cfg.sentinelUser ?? null,
    sentinelPass: cfg.sentinelPass ?? null,
    requirepass: cfg.requirepass ?? null,
    port: cfg.port,
    hostIp,
    simfailureFlags: 0,
    tun: { ...DEFAULT_TUNABLES, ...opts.tunables },
    links: {},
    nextLinkId: 1,
    conns: {},
    dictSeed: ctx.stream('dict').int(0x7fffffff),
    configFile: cfg.file,
    ticks: 0,
    busyUntilUs: 0,
    held: [],
  };
  // Pass 2 of the config loader: every monitor line, then the per-master settings, as loadSentinelConfigFromQueue() feeds sentinelHandleConfiguration().
  for (const mc of cfg.masters) loadMasterConfig(s, ctx, mc, now);
  sentinelIsRunning(s, ctx);
  // serverCron's first run is 1 ms after start (initServer: aeCreateTimeEvent(..., 1, serverCron)).
  ctx.timer('tick', 1);
  return s;
}

/** One monitored master of the config, with its settings, known replicas and known Sentinels (sentinelHandleConfiguration()). */
function loadMasterConfig(s: SentinelState, ctx: Ctx, mc: SentinelMasterConfig, now: number): void {
  const addr = createAddr(s, ctx, mc.host, mc.port, s.resolveHostnames);
  if (typeof addr === 'string') return; // the config reader already refused such a file
  const m = createInstance(s, 'master', mc.name, addr, null, now, { quorum: mc.quorum });
  m.downAfterPeriod = mc.downAfterMs;
  m.failoverTimeout = mc.failoverTimeoutMs;
  m.parallelSyncs = mc.parallelSyncs;
  m.masterRebootDownAfterPeriod = mc.masterRebootDownAfterPeriodMs;
  m.authPass = mc.authPass ?? null;
  m.authUser = mc.authUser ?? null;
  m.notificationScript = mc.notificationScript ?? null;
  m.clientReconfigScript = mc.clientReconfigScript ?? null;
  m.renamedCommands = { ...mc.renamedCommands };
  m.configEpoch = mc.configEpoch;
  m.leaderEpoch = mc.leaderEpoch;
  if (mc.configEpoch > s.currentEpoch) s.currentEpoch = mc.configEpoch;
  for (const r of mc.knownReplicas) {
    const a = createAddr(s, ctx, r.host, r.port, s.resolveHostnames);
    if (typeof a === 'string') continue;
    const name = a.ip.includes(':') ? `[${a.ip}]:${a.port}` : `${a.ip}:${a.port}`;
    if (m.slaves.some((x) => x.name === name)) continue;
    createInstance(s, 'slave', name, a, m, now);
  }
  for (const k of mc.knownSentinels) {
    const a = createAddr(s, ctx, k.host, k.port, s.resolveHostnames);
    if (typeof a === 'string' || m.sentinels.some((x) => x.name === k.runid)) continue;
    const si = createInstance(s, 'sentinel', k.runid, a, m, now, { quorum: m.quorum });
    si.runid = k.runid;
  }
}

/** sentinelIsRunning(): an id is generated (and saved) only if the config had none; then the initial +monitor events. */
function sentinelIsRunning(s: SentinelState, ctx: Ctx): void {
  let generated = false;
  if (!s.myid || /^0+$/.test(s.myid)) {
    s.myid = ctx.rng.hex40();
    generated = true;
  }
  if (generated) {
    ctx.log('notice', 'Sentinel new configuration saved on disk');
    flushConfig(s, ctx);
  }
  ctx.log('warning', `Sentinel ID is ${s.myid}`);
  // sentinelGenerateInitialMonitorEvents()
  for (const m of s.masters) sentinelEvent(s, ctx, 'warning', '+monitor', m, null, `%@ quorum ${m.quorum}`);
}

function onNet(s: SentinelState, ev: NetEvent, ctx: Ctx, out: Out, now: number): void {
  if (ev.k === 'accepted') {
    s.conns[ev.conn] = { k: 'client', client: { authed: s.requirepass === null, name: '', subscriptions: [], patterns: [] } };
    return;
  }
  const role = s.conns[ev.conn];
  if (!role) return;
  if (role.k === 'client') {
    if (ev.k === 'closed') {
      delete s.conns[ev.conn];
      return;
    }
    if (ev.k !== 'data') return;
    const argv = argvOf(ev.msg);
    if (!argv || argv.length === 0) {
      out.send(ev.conn, error('ERR Protocol error: expected a command'));
      return;
    }
    executeCommand(s, ctx, out, ev.conn, role.client, argv, now);
    return;
  }
  const link = s.links[role.linkId];
  if (!link) return;
  const r = onLinkEvent(s, link, role.which, ev);
  if (r === null || ev.k !== 'data') return;
  if (r.k === PUBSUB_ERROR.k) {
    const conn = link.pc;
    linkConnectionError(s, link, 'pc');
    if (conn !== null) out.close(conn);
  } else if (r.k === PUBSUB_MESSAGE.k) {
    const owner = ownerOfPc(s, link.id);
    if (owner) receiveHelloMessage(s, ctx, out, owner, ev.msg, now);
  } else dispatchReply(s, ctx, out, link, r, ev.msg, now);
}

/** The master or replica record whose Pub/Sub link this is (those links are never shared). */
function ownerOfPc(s: SentinelState, linkId: number) {
  const masters = s.masters;
  for (let i = 0; i < masters.length; i++) {
    const m = masters[i]!;
    if (m.linkId === linkId) return m;
    const slaves = m.slaves;
    for (let j = 0; j < slaves.length; j++) if (slaves[j]!.linkId === linkId) return slaves[j]!;
  }
  return null;
}

