import type { Draft } from 'immer';
import { argvOf, command, commandOf, respToJs, type Resp } from '../net/resp.js';
import type { Behavior, ConnId, Ctx, NetEvent } from '../net/process.js';
import { replyText, type CliEndpoint, type ReplyInfo } from './cli.js';

/**
 * An application client with a write/read workload, that finds the master either through the
 * Sentinels, following redis.io's guidelines for Sentinel clients, or at a fixed address (a proxy
 * such as HAProxy in front of the nodes, seed 002).
 *
 * Through the Sentinels:
 *  1. ask the Sentinels in order, each with a short timeout (`timeoutMs`, redis-py's
 *     socket_timeout), `SENTINEL get-master-addr-by-name`; the first that answers with an
 *     address moves to the front of the list; none: "No master found for '<name>'";
 *  2. connect to that address (AUTH first if a password is known) and check `ROLE`; not a
 *     master: close, wait `retryMs` and start again at 1;
 *  3. keep that connection. Start again at 1 when it is lost (a timeout, the server closing it —
 *     including the `CLIENT KILL TYPE normal` a Sentinel sends with a reconfiguration (sentinelSendSlaveOf()) —
 *     or a crash) and on a `-READONLY`, `-MASTERDOWN` or `-LOADING` reply (the node is not, or not
 *     yet, a usable master).
 *  With `resolve: 'every-op'` the client asks the Sentinels before every round of the workload,
 *  as seed 003's demo app does (it calls discover_master() every second and logs "No master found
 *  for 'mymaster'" while every Sentinel is paused, even though the master is fine); it keeps its
 *  connection while the answer does not change and reconnects when it does (the guidelines:
 *  "on address change close all connections"). `on-reconnect` asks only when it has no verified
 *  connection.
 *
 * At a fixed address: connect (AUTH if needed), no ROLE check (the client does not know there
 * are several nodes), keep the connection, reconnect on the same events.
 *
 * Workload, every `everyMs` (a round is skipped while the previous one is still running, as a
 * blocking client loop would):
 *  - `set-get`: `SET <key> <seconds since start>` then `GET <key>` (seed 003's demo app writes and
 *    reads a timestamp);
 *  - `unique`: `SET <key>:<client>:<n> <n>`, one new key per write, so every acknowledged write
 *    can be looked for at the end (Jepsen's question: which acknowledged writes were lost?).
 *
 * Records, as `state` effects the scenario runner turns into trace records:
 *  - `reply`: each workload command's outcome, as the scenario redis-cli reports them;
 *  - `op`: a history entry per command, `invoke` when it is sent and then `ok`, `fail` (surely
 *    not applied: an error reply, or never sent) or `info` (unknown: timeout or connection lost
 *    after sending), with key, value and the connection id (the proxy's session records name the
 *    backend behind a connection id);
 *  - `client`: connection changes (resolved, connected and verified, wrong role, lost).
 */

export type WorkloadKind = 'set-get' | 'unique';

export interface WorkloadClientConfig {
  readonly name: string;
  readonly via:
    | {
        readonly kind: 'sentinels';
        readonly master: string;
        readonly sentinels: readonly CliEndpoint[];
        readonly resolve?: 'every-op' | 'on-reconnect';
      }
    | { readonly kind: 'fixed'; readonly to: CliEndpoint };
  /** Password for the data nodes (AUTH); a Sentinel's own password is on its endpoint. */
  readonly password?: string;
  /** Socket timeout: per Sentinel asked, per connect and per command. */
  readonly timeoutMs: number;
  readonly everyMs: number;
  readonly workload: WorkloadKind;
  readonly key: string;
  /** Wait after a node that is not a master before asking again (spec: a few hundred ms). */
  readonly retryMs?: number;
  /** Name and password for an address a Sentinel reported (the model knows them). */
  readonly lookup?: (ip: string, port: number) => { readonly name?: string; readonly password?: string } | undefined;
}

interface Op {
  readonly n: number;
  readonly argv: string[];
  readonly f: 'SET' | 'GET';
  readonly key: string;
  readonly value?: string;
  sent: boolean;
}

type DataStage = 'connecting' | 'auth' | 'role' | 'ready';

export interface WorkloadState {
  /** Sentinel indices in the order they will be asked. */
  order: number[];
  nextOp: number;
  round: number;
  /** Commands of the current round not yet finished (the first one may be in flight). */
  queue: Op[];
  /** A Sentinel being asked. */
  ask: { conn: ConnId; pos: number; stage: 'auth' | 'ask'; errors: string[] } | null;
  /** Waiting for the retry timer after a wrong role. */
  retrying: boolean;
  data: { conn: ConnId; stage: DataStage; ip: string; port: number; name: string; password?: string } | null;
  /** The address the Sentinels gave in this round (every-op), to compare with the connection. */
  resolvedThisRound: boolean;
  /**
   * Armed one-shot timers: name → the unique key of the live one. A timer is disarmed by
   * forgetting its key (a stale firing is ignored) rather than with cancelTimer, so re-arming
   * a name can never revive an older firing.
   */
  timers: Record<string, string>;
  timerSeq: number;
}

function arm(s: Draft<WorkloadState>, ctx: Ctx, name: string, ms: number): void {
  const key = `${name}:${++s.timerSeq}`;
  s.timers[name] = key;
  ctx.timer(key, ms);
}

function disarm(s: Draft<WorkloadState>, name: string): void {
  delete s.timers[name];
}

/** What the handlers read besides their state: the client's config and what follows from it, fixed for the run. */
interface Env {
  readonly cfg: WorkloadClientConfig;
  readonly sentinels: readonly CliEndpoint[];
  /** `resolve: 'every-op'`: ask the Sentinels before every round. */
  readonly everyOp: boolean;
  readonly master: string;
  readonly retryMs: number;
  /** A round that found no usable master by then gives up (the app's own retry budget). */
  readonly roundLimitMs: number;
}

function envOf(cfg: WorkloadClientConfig): Env {
  const via = cfg.via;
  const sentinels = via.kind === 'sentinels' ? via.sentinels : [];
  return {
    cfg,
    sentinels,
    everyOp: via.kind === 'sentinels' && (via.resolve ?? 'every-op') === 'every-op',
    master: via.kind === 'sentinels' ? via.master : '',
    retryMs: cfg.retryMs ?? 300,
    roundLimitMs: Math.max(cfg.everyMs, cfg.timeoutMs * (sentinels.length + 2), 1000),
  };
}

function sentinelName(e: Env, i: number): string {
  const ep = e.sentinels[i]!;
  return ep.name ?? `${ep.ip}:${ep.port}`;
}

function report(ctx: Ctx, op: Op, to: string, reply: unknown, error: boolean, text: string): void {
  const info: ReplyInfo = { job: op.n, to, cmd: op.argv.join(' '), reply, error, text };
  ctx.state({ reply: info });
}

function opRecord(ctx: Ctx, op: Op, phase: 'invoke' | 'ok' | 'fail' | 'info', extra: Record<string, unknown> = {}): void {
  ctx.state({ op: { n: op.n, phase, f: op.f, key: op.key, ...(op.value !== undefined ? { value: op.value } : {}), ...extra } });
}

/** Fail every command of the round that is not in flight (never sent: surely not applied). */
function failRound(s: Draft<WorkloadState>, ctx: Ctx, why: string, text: string, to: string): void {
  const ops = s.queue.splice(0);
  for (const op of ops) {
    if (op.sent) continue;
    report(ctx, op, to, { error: why }, true, text);
    opRecord(ctx, op, 'fail', { error: why });
  }
  disarm(s, 'op');
  disarm(s, 'round');
}

function dropData(s: Draft<WorkloadState>, ctx: Ctx, why: string, close: boolean): void {
  const d = s.data;
  if (!d) return;
  if (close) ctx.close(d.conn);
  s.data = null;
  disarm(s, 'op');
  disarm(s, 'connect');
  ctx.state({ client: 'disconnected', to: d.name, why });
}

// ---------------------------------------------------------------- resolution

function startResolve(e: Env, s: Draft<WorkloadState>, ctx: Ctx): void {
  if (s.ask || s.retrying) return;
  const via = e.cfg.via;
  if (via.kind === 'fixed') {
    if (!s.data) connectData(e, s, ctx, via.to.ip, via.to.port, via.to.name ?? `${via.to.ip}:${via.to.port}`, via.to.password ?? e.cfg.password);
    return;
  }
  askSentinel(e, s, ctx, 0, []);
}

function askSentinel(e: Env, s: Draft<WorkloadState>, ctx: Ctx, pos: number, errors: string[]): void {
  if (pos >= s.order.length) {
    s.ask = null;
    const why = `No master found for '${e.master}'`;
    ctx.state({ client: 'no-master', errors: [...errors] });
    failRound(s, ctx, why, `${why} (${errors.join('; ')})`, 'master');
    return;
  }
  const ep = e.sentinels[s.order[pos]!]!;
  const conn = ctx.connect({ ip: ep.ip, port: ep.port });
  s.ask = { conn, pos, stage: ep.password ? 'auth' : 'ask', errors };
  arm(s, ctx, 'ask', e.cfg.timeoutMs);
}

function sentinelFailed(e: Env, s: Draft<WorkloadState>, ctx: Ctx, why: string): void {
  const a = s.ask!;
  ctx.close(a.conn);
  disarm(s, 'ask');
  const errors = [...a.errors, `${sentinelName(e, s.order[a.pos]!)}: ${why}`];
  s.ask = null;
  askSentinel(e, s, ctx, a.pos + 1, errors);
}

function resolved(e: Env, s: Draft<WorkloadState>, ctx: Ctx, ip: string, port: number): void {
  const a = s.ask!;
  ctx.close(a.conn);
  disarm(s, 'ask');
  // The Sentinel client guidelines, step 1: the first Sentinel that answers goes to the front of the list.
  if (a.pos > 0) {
    const idx = s.order.splice(a.pos, 1)[0]!;
    s.order.unshift(idx);
  }
  s.ask = null;
  s.resolvedThisRound = true;
  const known = e.cfg.lookup?.(ip, port);
  const name = known?.name ?? `${ip}:${port}`;
  if (s.data && s.data.ip === ip && s.data.port === port) {
    if (s.data.stage === 'ready') pump(e, s, ctx);
    return;
  }
  if (s.data) dropData(s, ctx, `the Sentinels now name ${name}`, true);
  connectData(e, s, ctx, ip, port, name, e.cfg.password ?? known?.password);
}

function connectData(e: Env, s: Draft<WorkloadState>, ctx: Ctx, ip: string, port: number, name: string, password: string | undefined): void {
  const conn = ctx.connect({ ip, port });
  s.data = { conn, stage: 'connecting', ip, port, name, ...(password !== undefined ? { password } : {}) };
  arm(s, ctx, 'connect', e.cfg.timeoutMs);
}

function afterAuth(e: Env, s: Draft<WorkloadState>, ctx: Ctx): void {
  const d = s.data!;
  if (e.cfg.via.kind === 'sentinels') {
    d.stage = 'role';
    ctx.send(d.conn, command('ROLE'));
    return;
  }
  ready(e, s, ctx);
}

function ready(e: Env, s: Draft<WorkloadState>, ctx: Ctx): void {
  const d = s.data!;
  d.stage = 'ready';
  disarm(s, 'connect');
  ctx.state({ client: 'connected', to: d.name, conn: d.conn });
  pump(e, s, ctx);
}

// ---------------------------------------------------------------- the workload

/** Send the first command of the round if the connection is ready and nothing is in flight. */
function pump(e: Env, s: Draft<WorkloadState>, ctx: Ctx): void {
  const d = s.data;
  const op = s.queue[0];
  if (!op || !d || d.stage !== 'ready' || op.sent) return;
  if (e.everyOp && !s.resolvedThisRound) return;
  op.sent = true;
  ctx.send(d.conn, commandOf(op.argv));
  opRecord(ctx, op, 'invoke', { to: d.name, conn: d.conn });
  arm(s, ctx, 'op', e.cfg.timeoutMs);
}

function finishOp(e: Env, s: Draft<WorkloadState>, ctx: Ctx, m: Resp): void {
  const d = s.data!;
  const op = s.queue.shift()!;
  disarm(s, 'op');
  const err = m.t === 'error';
  report(ctx, op, d.name, respToJs(m), err, replyText(m));
  if (err) opRecord(ctx, op, 'fail', { error: m.s, to: d.name, conn: d.conn });
  else opRecord(ctx, op, 'ok', { to: d.name, conn: d.conn, ...(op.f === 'GET' ? { read: respToJs(m) } : {}) });
  if (err && /^(READONLY|MASTERDOWN|LOADING)\b/.test(m.s)) {
    // Not (or not yet) a usable master: find the master again, as the Sentinel client guidelines ask.
    dropData(s, ctx, m.s.split(' ')[0]!, true);
    s.resolvedThisRound = false;
    if (s.queue.length > 0) startResolve(e, s, ctx);
    return;
  }
  if (s.queue.length === 0) disarm(s, 'round');
  pump(e, s, ctx);
}

/** The connection went away or timed out with a command in flight: its outcome is unknown. */
function lostInFlight(s: Draft<WorkloadState>, ctx: Ctx, to: string, why: string, text: string): void {
  const op = s.queue[0];
  if (op && op.sent) {
    s.queue.shift();
    report(ctx, op, to, { error: why }, true, text);
    opRecord(ctx, op, 'info', { error: why });
    if (s.queue.length === 0) disarm(s, 'round');
  }
}

function newRound(e: Env, s: Draft<WorkloadState>, ctx: Ctx): void {
  const cfg = e.cfg;
  s.round++;
  const secs = String((s.round * cfg.everyMs) / 1000);
  const mk = (argv: string[], f: 'SET' | 'GET', key: string, value?: string): Op => ({ n: ++s.nextOp, argv, f, key, ...(value !== undefined ? { value } : {}), sent: false });
  if (cfg.workload === 'set-get') {
    s.queue.push(mk(['SET', cfg.key, secs], 'SET', cfg.key, secs), mk(['GET', cfg.key], 'GET', cfg.key));
  } else {
    const n = s.nextOp + 1;
    const key = `${cfg.key}:${ctx.pid}:${n}`;
    s.queue.push(mk(['SET', key, String(n)], 'SET', key, String(n)));
  }
  s.resolvedThisRound = false;
  arm(s, ctx, 'round', e.roundLimitMs);
  if (e.everyOp) {
    startResolve(e, s, ctx);
    return;
  }
  if (s.data) pump(e, s, ctx);
  else startResolve(e, s, ctx);
}

// ---------------------------------------------------------------- timers

function onTimer(e: Env, s: Draft<WorkloadState>, fullKey: string, ctx: Ctx): void {
  // The name before `:<seq>` (arm()), without split()'s array: a tick has no sequence number.
  const colon = fullKey.indexOf(':');
  const key = colon < 0 ? fullKey : fullKey.slice(0, colon);
  if (key !== 'tick') {
    if (s.timers[key] !== fullKey) return; // disarmed or re-armed since
    delete s.timers[key];
  }
  switch (key) {
    case 'tick':
      ctx.timer('tick', e.cfg.everyMs);
      if (s.queue.length === 0 && !s.ask && !s.retrying) newRound(e, s, ctx);
      return;
    case 'ask':
      if (s.ask) sentinelFailed(e, s, ctx, 'timeout');
      return;
    case 'round':
      return roundTimedOut(e, s, ctx);
    case 'retry':
      s.retrying = false;
      if (s.queue.length > 0) startResolve(e, s, ctx);
      return;
    case 'connect': {
      const d = s.data;
      if (!d || d.stage === 'ready') return;
      dropData(s, ctx, 'connect timeout', true);
      failRound(s, ctx, 'timeout', `Timeout connecting to ${d.name}`, d.name);
      return;
    }
    case 'op': {
      const d = s.data;
      if (!d) return;
      lostInFlight(s, ctx, d.name, 'timeout', 'Timeout reading from socket');
      // redis-py disconnects after a socket timeout; the next command reconnects.
      dropData(s, ctx, 'timeout', true);
      failRound(s, ctx, 'timeout', 'Timeout reading from socket', d.name);
      return;
    }
  }
}

/** No usable master within the round's budget: stop looking and fail what was never sent. */
function roundTimedOut(e: Env, s: Draft<WorkloadState>, ctx: Ctx): void {
  const op = s.queue[0];
  if (!op || op.sent) return; // in flight: the socket timeout decides
  if (s.ask) {
    ctx.close(s.ask.conn);
    disarm(s, 'ask');
    s.ask = null;
  }
  if (s.retrying) {
    s.retrying = false;
    disarm(s, 'retry');
  }
  if (s.data && s.data.stage !== 'ready') dropData(s, ctx, 'gave up', true);
  failRound(s, ctx, 'timeout', `no usable master within ${e.roundLimitMs} ms`, 'master');
}

// ---------------------------------------------------------------- the network

/** An event on the connection to the Sentinel being asked. */
function onAskNet(e: Env, s: Draft<WorkloadState>, ev: NetEvent, ctx: Ctx): void {
  const a = s.ask!;
  const ep = e.sentinels[s.order[a.pos]!]!;
  switch (ev.k) {
    case 'connected':
      if (a.stage === 'auth') ctx.send(ev.conn, command('AUTH', ep.password!));
      else ctx.send(ev.conn, command('SENTINEL', 'get-master-addr-by-name', e.master));
      return;
    case 'connectFailed':
      return sentinelFailed(e, s, ctx, ev.reason === 'refused' ? 'Connection refused' : 'Connection timed out');
    case 'closed':
      return sentinelFailed(e, s, ctx, 'connection closed');
    case 'data': {
      const m = ev.msg;
      if (a.stage === 'auth') {
        if (m.t === 'error') return sentinelFailed(e, s, ctx, m.s);
        a.stage = 'ask';
        ctx.send(ev.conn, command('SENTINEL', 'get-master-addr-by-name', e.master));
        return;
      }
      const addr = m.t === 'array' && m.items && m.items.length === 2 ? argvOf(m) : undefined;
      if (!addr) return sentinelFailed(e, s, ctx, m.t === 'error' ? m.s : 'no address');
      return resolved(e, s, ctx, addr[0]!, Number(addr[1]));
    }
    case 'accepted':
      return;
  }
}

/** An event on the data connection. */
function onDataNet(e: Env, s: Draft<WorkloadState>, ev: NetEvent, ctx: Ctx): void {
  const d = s.data!;
  switch (ev.k) {
    case 'connected':
      if (d.password !== undefined) {
        d.stage = 'auth';
        ctx.send(d.conn, command('AUTH', d.password));
      } else afterAuth(e, s, ctx);
      return;
    case 'connectFailed': {
      const why = ev.reason === 'refused' ? 'Connection refused' : 'Connection timed out';
      dropData(s, ctx, why, false);
      failRound(s, ctx, why, `Error connecting to ${d.name}. ${why}.`, d.name);
      return;
    }
    case 'closed': {
      const why = ev.reason === 'reset' ? 'Connection reset by peer' : ev.reason === 'timeout' ? 'Connection timed out' : 'Connection closed by server.';
      lostInFlight(s, ctx, d.name, why, why);
      dropData(s, ctx, why, false);
      s.resolvedThisRound = false;
      // The Sentinel client guidelines: every reconnection starts with a fresh resolution.
      if (s.queue.length > 0) startResolve(e, s, ctx);
      return;
    }
    case 'data':
      return onDataReply(e, s, ev.msg, ctx);
    case 'accepted':
      return;
  }
}

/** A reply on the data connection: to AUTH, to ROLE, or to the command in flight. */
function onDataReply(e: Env, s: Draft<WorkloadState>, m: Resp, ctx: Ctx): void {
  const d = s.data!;
  if (d.stage === 'auth') {
    if (m.t === 'error') {
      dropData(s, ctx, m.s, true);
      failRound(s, ctx, m.s, `(error) ${m.s}`, d.name);
      return;
    }
    afterAuth(e, s, ctx);
    return;
  }
  if (d.stage === 'role') {
    const role = m.t === 'array' && m.items && m.items[0]?.t === 'bulk' ? m.items[0].s : m.t === 'error' ? m.s : '?';
    if (role === 'master') return ready(e, s, ctx);
    ctx.state({ client: 'wrong-role', to: d.name, role });
    dropData(s, ctx, `ROLE says ${role}`, true);
    s.resolvedThisRound = false;
    // The Sentinel client guidelines, step 3: not a master, wait a few hundred ms and ask again.
    s.retrying = true;
    arm(s, ctx, 'retry', e.retryMs);
    return;
  }
  if (d.stage === 'ready' && s.queue[0]?.sent) finishOp(e, s, ctx, m);
}

export function workloadClientBehavior(cfg: WorkloadClientConfig, kind = 'client'): Behavior<WorkloadState> {
  const e = envOf(cfg);
  return {
    kind,
    init(ctx): WorkloadState {
      ctx.timer('tick', cfg.everyMs);
      return { order: e.sentinels.map((_, i) => i), nextOp: 0, round: 0, queue: [], ask: null, retrying: false, data: null, resolvedThisRound: false, timers: {}, timerSeq: 0 };
    },
    listenPorts: () => [],
    onTimer: (s, key, ctx) => onTimer(e, s, key, ctx),
    onNet(s, ev: NetEvent, ctx) {
      if (s.ask && ev.conn === s.ask.conn) return onAskNet(e, s, ev, ctx);
      if (s.data && ev.conn === s.data.conn) onDataNet(e, s, ev, ctx);
    },
  };
}
