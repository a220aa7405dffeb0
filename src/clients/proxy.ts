import { current, isDraft, type Draft } from 'immer';
import { command, type Resp } from '../net/resp.js';
import type { Behavior, ConnId, Ctx, NetEvent } from '../net/process.js';

/**
 * A TCP proxy with HAProxy's tcp-check health checks (HAProxy 1.5, `mode tcp`, `option
 * tcp-check`), as seed 002 configures it in front of a Redis master and replica:
 *
 *     defaults REDIS
 *       mode tcp
 *       timeout connect 3s
 *       timeout server 6s
 *       timeout client 6s
 *     frontend ft_redis
 *       bind *:6378 name redis
 *       default_backend bk_redis
 *     backend bk_redis
 *       option tcp-check
 *       tcp-check connect
 *       tcp-check send PING\r\n
 *       tcp-check expect string +PONG
 *       tcp-check send info\ replication\r\n
 *       tcp-check expect string role:master
 *       tcp-check send QUIT\r\n
 *       tcp-check expect string +OK
 *       server redis_6379 localhost:6379 check inter 1s
 *       server redis_6380 localhost:6380 check inter 1s
 *
 * Frontend, backend and server names are the configuration's; log lines use them as HAProxy does.
 *
 * Health (checks.c, set_server_check_status()): a server's `health` runs from 0 to rise+fall-1;
 * it is UP while health >= rise. A passed check increments it (reaching `rise` marks the server
 * UP, after which it jumps to rise+fall-1); a failed check decrements it while above `rise`, and
 * at `rise` a failure drops it to 0, DOWN. At startup every server is UP with health = rise
 * ("up, but will fall down at first failure", cfgparse.c), so a replica goes DOWN at its first
 * check, while a master that dies needs `fall` failed checks.
 *
 * Timing (checks.c, start_checks() / process_chk()): server i of n gets its first check at
 * i·inter/n after start. Without `timeout check`, `inter` bounds the whole check (connect +
 * read); with it, min(`timeout connect`, `inter`) bounds the connect and `timeout check` the rest
 * (configuration.txt, "timeout check"). The next check is due at start+inter; a check still
 * running then pushes it by whole intervals (the `while (tick_is_expired) expire += inter` loop),
 * so checks of a silent server (paused, partitioned, or a replica never answering `role:master`)
 * come every 2·inter.
 *
 * `expect string` (tcpcheck_main()): a reply that does not contain the string is not a failure
 * yet, HAProxy waits for more data; the check fails at its timeout ("Layer7 timeout"), or at once
 * if the server closes the connection ("TCPCHK did not match content").
 *
 * Traffic: each accepted client connection is forwarded to one UP server (`balance roundrobin`,
 * HAProxy's default, so with two UP servers — a split brain seen by the checks — sessions
 * alternate); RESP values pass through unchanged both ways. No server UP: the client connection
 * is closed at once. A connection attempt to the server is bounded by `timeout connect`; a failed
 * one is retried `retries` times (3 by default) on the same server (no `option redispatch`): at
 * once after a connect timeout, after a turn-around of min(`timeout connect`, 1 s) after a
 * refusal (configuration.txt, "retries"; session.c sess_update_st_cer()). Only when every retry
 * failed is the client's connection closed, so a client meanwhile waits, and may time out first.
 * `timeout client` / `timeout server` (6 s in the seed) close a session idle that long.
 *
 * When a server goes DOWN, its sessions are left alone (they end when the server or the client
 * closes them) unless `on-marked-down shutdown-sessions` is configured on the server line; seed
 * 002 does not configure it. Sessions to a server that went DOWN and came back are not affected.
 */

export interface ProxyBackend {
  /** The `server` line's name (`redis_6379`). */
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  /** Per-server `inter` / `rise` / `fall`; unset: the proxy's. */
  readonly interMs?: number;
  readonly rise?: number;
  readonly fall?: number;
  /** `on-marked-down shutdown-sessions` on this server's line. */
  readonly shutdownSessionsOnDown?: boolean;
}

export type TcpCheckStep =
  | { readonly k: 'connect' }
  /** An inline command as HAProxy sends it, e.g. `PING` or `info replication` (without \r\n). */
  | { readonly k: 'send'; readonly text: string }
  | { readonly k: 'expect'; readonly string: string };

/** Seed 002's tcp-check sequence. */
export const REDIS_MASTER_TCP_CHECK: readonly TcpCheckStep[] = [
  { k: 'connect' },
  { k: 'send', text: 'PING' },
  { k: 'expect', string: '+PONG' },
  { k: 'send', text: 'info replication' },
  { k: 'expect', string: 'role:master' },
  { k: 'send', text: 'QUIT' },
  { k: 'expect', string: '+OK' },
];

/** HAProxy's default `retries`. */
export const DEFAULT_RETRIES = 3;
/** The longest turn-around before a retry after a refused connect (configuration.txt, "retries"). */
const MAX_TURNAROUND_MS = 1000;

export interface ProxyConfig {
  /** The frontend's name in log lines (`ft_redis`). */
  readonly frontend?: string;
  /** The backend's name in log lines (`bk_redis`). */
  readonly backend?: string;
  readonly port: number;
  readonly servers: readonly ProxyBackend[];
  /** `inter` (ms), default 2000 as HAProxy's; seed 002 sets 1s. */
  readonly interMs?: number;
  readonly rise?: number;
  readonly fall?: number;
  readonly steps?: readonly TcpCheckStep[];
  /** `timeout check`; unset: `inter` bounds the whole check. */
  readonly checkTimeoutMs?: number;
  /** `timeout connect`; unset: a connection attempt waits as long as the network does. */
  readonly connectTimeoutMs?: number;
  /** `retries`, default 3. */
  readonly retries?: number;
  /** `on-marked-down shutdown-sessions` for every server. */
  readonly shutdownSessionsOnDown?: boolean;
  /** `timeout client` / `timeout server` (the smaller); undefined: sessions never time out. */
  readonly idleTimeoutMs?: number;
}

interface ServerState {
  health: number;
  up: boolean;
  /** Check in progress: its connection, step index, what arrived, when it started (local mono ms). */
  check: { conn: ConnId; step: number; buf: string; startMs: number } | null;
  /** Local monotonic time the current/last check started. */
  lastStartMs: number;
  checks: number;
}

interface Session {
  readonly client: ConnId;
  readonly server: number;
  /** The current connection attempt to the server (a new one per retry). */
  backendConn: ConnId;
  /** Attempts made so far (1 + retries used). */
  attempts: number;
  established: boolean;
  queued: Resp[];
}

export interface ProxyState {
  servers: ServerState[];
  /** Client conn → session; backend conn → client conn. */
  sessions: Record<number, Session>;
  byBackend: Record<number, number>;
  /** Checks: conn → server index. */
  checkConns: Record<number, number>;
  rr: number;
}

/** The configuration with HAProxy's defaults filled in. */
interface Resolved {
  readonly cfg: ProxyConfig;
  readonly frontend: string;
  readonly backend: string;
  readonly steps: readonly TcpCheckStep[];
  readonly retries: number;
  readonly inter: (i: number) => number;
  readonly rise: (i: number) => number;
  readonly fall: (i: number) => number;
}

function resolve(cfg: ProxyConfig): Resolved {
  return {
    cfg,
    frontend: cfg.frontend ?? 'ft_redis',
    backend: cfg.backend ?? 'bk_redis',
    steps: cfg.steps ?? REDIS_MASTER_TCP_CHECK,
    retries: cfg.retries ?? DEFAULT_RETRIES,
    inter: (i) => cfg.servers[i]!.interMs ?? cfg.interMs ?? 2000,
    rise: (i) => cfg.servers[i]!.rise ?? cfg.rise ?? 2,
    fall: (i) => cfg.servers[i]!.fall ?? cfg.fall ?? 3,
  };
}

/** The bytes a RESP value takes on the wire (what `expect string` searches). */
export function respWire(v: Resp): string {
  switch (v.t) {
    case 'status':
      return `+${v.s}\r\n`;
    case 'error':
      return `-${v.s}\r\n`;
    case 'int':
      return `:${v.n}\r\n`;
    case 'bulk':
      return v.s === null ? '$-1\r\n' : `$${v.s.length}\r\n${v.s}\r\n`;
    case 'array':
      return v.items === null ? '*-1\r\n' : `*${v.items.length}\r\n${v.items.map(respWire).join('')}`;
  }
}

// ------------------------------------------------------------------------------------ health checks

function upCount(s: Draft<ProxyState>): number {
  return s.servers.filter((x) => x.up).length;
}

function stepName(r: Resolved, i: number): string {
  const st = r.steps[i]!;
  return st.k === 'connect' ? 'connect' : st.k === 'send' ? 'send' : `expect string '${st.string}'`;
}

/** set_server_check_status(): the end of one check. */
function checkDone(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number, ok: boolean, reason: string, info: string): void {
  const sv = s.servers[i]!;
  const c = sv.check;
  if (!c) return;
  sv.check = null;
  delete s.checkConns[c.conn];
  ctx.close(c.conn);
  const verdict = { name: `${r.backend}/${r.cfg.servers[i]!.name}`, reason, infoText: info ? `, info: "${info}"` : '', durMs: ctx.monoMs() - c.startMs };
  if (ok) checkPassed(r, s, ctx, i, verdict);
  else checkFailed(r, s, ctx, i, verdict);
}

interface Verdict {
  readonly name: string;
  readonly reason: string;
  readonly infoText: string;
  readonly durMs: number;
}

function checkPassed(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number, v: Verdict): void {
  const sv = s.servers[i]!;
  const [rise, fall] = [r.rise(i), r.fall(i)];
  if (sv.health < rise + fall - 1) {
    sv.health++;
    if (sv.health === rise && !sv.up) {
      sv.up = true;
      ctx.log('warning', `Server ${v.name} is UP, reason: ${v.reason}${v.infoText}, check duration: ${v.durMs}ms. ${upCount(s)} active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`);
      ctx.state({ proxy: 'server', server: r.cfg.servers[i]!.name, status: 'UP', health: sv.health });
    } else if (!sv.up) {
      ctx.log('verbose', `Health check for server ${v.name} succeeded, reason: ${v.reason}${v.infoText}, check duration: ${v.durMs}ms, status: ${sv.health}/${rise} DOWN.`);
    }
  }
  if (sv.health >= rise) sv.health = rise + fall - 1;
}

function checkFailed(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number, v: Verdict): void {
  const sv = s.servers[i]!;
  const [rise, fall] = [r.rise(i), r.fall(i)];
  const server = r.cfg.servers[i]!.name;
  if (sv.health > rise) {
    sv.health--;
    ctx.log('verbose', `Health check for server ${v.name} failed, reason: ${v.reason}${v.infoText}, check duration: ${v.durMs}ms, status: ${sv.health - rise + 1}/${fall} UP.`);
    ctx.state({ proxy: 'check-failed', server, health: sv.health, reason: v.reason });
    return;
  }
  if (sv.health === 0 && !sv.up) {
    ctx.state({ proxy: 'check-failed', server, health: 0, reason: v.reason });
    return;
  }
  sv.health = 0;
  const wasUp = sv.up;
  sv.up = false;
  if (!wasUp) return;
  const active = Object.values(s.sessions).filter((x) => x.server === i).length;
  ctx.log('warning', `Server ${v.name} is DOWN, reason: ${v.reason}${v.infoText}, check duration: ${v.durMs}ms. ${upCount(s)} active and 0 backup servers left. ${active} sessions active, 0 requeued, 0 remaining in queue.`);
  ctx.state({ proxy: 'server', server, status: 'DOWN', health: 0, reason: v.reason });
  if (upCount(s) === 0) ctx.log('warning', `backend ${r.backend} has no server available!`);
  if (r.cfg.shutdownSessionsOnDown || r.cfg.servers[i]!.shutdownSessionsOnDown) {
    const doomed = Object.values(s.sessions).filter((x) => x.server === i).map((x) => x.client).sort((a, b) => a - b);
    for (const cl of doomed) closeSession(r, s, ctx, cl, 'server marked DOWN (on-marked-down shutdown-sessions)');
  }
}

/** Run check steps from the current one until one has to wait (connect/expect) or the end. */
function advanceCheck(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number): void {
  const c = s.servers[i]!.check!;
  for (;;) {
    if (c.step >= r.steps.length) return checkDone(r, s, ctx, i, true, 'Layer7 check passed', '(tcp-check)');
    const st = r.steps[c.step]!;
    if (st.k === 'send') {
      ctx.send(c.conn, command(...st.text.trim().split(/\s+/)));
      c.step++;
      continue;
    }
    if (st.k !== 'expect' || !c.buf.includes(st.string)) return; // wait for more data (or the timeout)
    // HAProxy 1.5 keeps reading into the same buffer; what matched is consumed.
    c.buf = c.buf.slice(c.buf.indexOf(st.string) + st.string.length);
    c.step++;
  }
}

/** The time a check may spend connecting: min(timeout connect, inter) with `timeout check`, else inter for the whole check. */
function checkConnectLimitMs(r: Resolved, i: number): number {
  const inter = r.inter(i);
  if (r.cfg.checkTimeoutMs === undefined) return inter;
  return Math.min(r.cfg.connectTimeoutMs ?? inter, inter);
}

function startCheck(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number): void {
  const sv = s.servers[i]!;
  const be = r.cfg.servers[i]!;
  const conn = ctx.connect({ ip: be.ip, port: be.port });
  sv.check = { conn, step: 0, buf: '', startMs: ctx.monoMs() };
  sv.lastStartMs = ctx.monoMs();
  sv.checks++;
  s.checkConns[conn] = i;
  // process_chk(): the next check is due at start + inter; one still running then (a check
  // that runs into its timeout) pushes it by another inter.
  ctx.timer(`chk:${i}`, r.inter(i));
  ctx.timer(`chkto:${i}:${sv.checks}`, checkConnectLimitMs(r, i));
}

/** The check's timer ran out: Layer4 timeout while connecting, Layer7 timeout after. */
function checkTimedOut(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number, gen: number): void {
  const c = s.servers[i]!.check;
  if (!c || gen !== s.servers[i]!.checks) return; // that check already ended
  const connected = c.step > 0 || r.steps[0]?.k !== 'connect';
  checkDone(r, s, ctx, i, false, connected ? 'Layer7 timeout' : 'Layer4 timeout', '');
}

function onCheckNet(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number, ev: NetEvent): void {
  const c = s.servers[i]!.check;
  if (!c || c.conn !== ev.conn) return;
  switch (ev.k) {
    case 'connected':
      if (r.steps[c.step]?.k === 'connect') c.step++;
      // `timeout check`: from here on, an additional read timeout instead of what is left of inter.
      if (r.cfg.checkTimeoutMs !== undefined) ctx.timer(`chkto:${i}:${s.servers[i]!.checks}`, r.cfg.checkTimeoutMs);
      return advanceCheck(r, s, ctx, i);
    case 'connectFailed':
      if (ev.reason === 'refused') return checkDone(r, s, ctx, i, false, 'Layer4 connection problem', 'Connection refused');
      return checkDone(r, s, ctx, i, false, 'Layer4 timeout', '');
    case 'data':
      c.buf += respWire(ev.msg);
      return advanceCheck(r, s, ctx, i);
    case 'closed':
      return checkClosed(r, s, ctx, i, ev.reason);
  }
}

/** The server closed the check's connection: done = 1, a last look at what arrived, then the verdict. */
function checkClosed(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, i: number, reason: string): void {
  const c = s.servers[i]!.check!;
  const st = r.steps[c.step];
  if (st?.k === 'expect' && c.buf.includes(st.string)) {
    advanceCheck(r, s, ctx, i);
    if (!s.servers[i]!.check) return;
  }
  const cur = s.servers[i]!.check!;
  const step = r.steps[cur.step];
  if (cur.buf.length > 0 && step?.k === 'expect') {
    return checkDone(r, s, ctx, i, false, 'Layer7 wrong status', `TCPCHK did not match content '${step.string}' at step ${cur.step + 1}`);
  }
  const why = reason === 'reset' ? 'Connection reset by peer' : 'Connection closed';
  checkDone(r, s, ctx, i, false, 'Layer4 connection problem', `${why} at step ${cur.step + 1} of tcp-check (${stepName(r, cur.step)})`);
}

// ------------------------------------------------------------------------------------ sessions

function closeSession(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, client: ConnId, why: string): void {
  const ss = s.sessions[client];
  if (!ss) return;
  delete s.sessions[client];
  delete s.byBackend[ss.backendConn];
  ctx.close(client);
  ctx.close(ss.backendConn);
  // Idle, connect and retry timers may still fire: the session is gone by then and they are ignored.
  ctx.state({ proxy: 'session-end', conn: client, server: r.cfg.servers[ss.server]!.name, why });
}

function pickServer(r: Resolved, s: Draft<ProxyState>): number | undefined {
  const n = r.cfg.servers.length;
  for (let k = 0; k < n; k++) {
    const i = (s.rr + k) % n;
    if (s.servers[i]!.up) {
      s.rr = (i + 1) % n;
      return i;
    }
  }
  return undefined;
}

function touch(r: Resolved, ctx: Ctx, client: ConnId): void {
  if (r.cfg.idleTimeoutMs !== undefined) ctx.timer(`idle:${client}`, r.cfg.idleTimeoutMs);
}

/** One connection attempt to the session's server, bounded by `timeout connect`. */
function connectAttempt(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, ss: Draft<Session>): void {
  const be = r.cfg.servers[ss.server]!;
  delete s.byBackend[ss.backendConn];
  ss.backendConn = ctx.connect({ ip: be.ip, port: be.port });
  ss.attempts++;
  s.byBackend[ss.backendConn] = ss.client;
  if (r.cfg.connectTimeoutMs !== undefined) ctx.timer(`conto:${ss.client}:${ss.attempts}`, r.cfg.connectTimeoutMs);
}

function onAccepted(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, conn: ConnId, from: string): void {
  const i = pickServer(r, s);
  if (i === undefined) {
    ctx.close(conn);
    ctx.state({ proxy: 'rejected', conn, why: `backend ${r.backend} has no server available` });
    return;
  }
  s.sessions[conn] = { client: conn, server: i, backendConn: -1, attempts: 0, established: false, queued: [] };
  connectAttempt(r, s, ctx, s.sessions[conn]!);
  touch(r, ctx, conn);
  ctx.state({ proxy: 'session', conn, server: r.cfg.servers[i]!.name, from });
}

/**
 * A connection attempt failed: retry while `retries` allows, at once after a timeout, after the
 * turn-around min(timeout connect, 1 s) after a refusal; then give up and close the client.
 */
function attemptFailed(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, ss: Draft<Session>, kind: 'refused' | 'timeout'): void {
  ctx.close(ss.backendConn);
  if (r.cfg.connectTimeoutMs !== undefined) ctx.cancelTimer(`conto:${ss.client}:${ss.attempts}`);
  if (ss.attempts > r.retries) {
    closeSession(r, s, ctx, ss.client, kind === 'refused' ? 'server connection refused' : 'server connect timeout');
    return;
  }
  ctx.state({ proxy: 'retry', conn: ss.client, server: r.cfg.servers[ss.server]!.name, attempt: ss.attempts + 1, reason: kind });
  if (kind === 'timeout') return connectAttempt(r, s, ctx, ss);
  delete s.byBackend[ss.backendConn];
  ctx.timer(`retry:${ss.client}:${ss.attempts}`, Math.min(r.cfg.connectTimeoutMs ?? MAX_TURNAROUND_MS, MAX_TURNAROUND_MS));
}

function onSessionNet(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, ev: NetEvent): void {
  const fromClient = s.sessions[ev.conn];
  const clientOfBackend = s.byBackend[ev.conn];
  const ss = fromClient ?? (clientOfBackend !== undefined ? s.sessions[clientOfBackend] : undefined);
  if (!ss) return;
  switch (ev.k) {
    case 'connected':
      ss.established = true;
      for (const m of ss.queued) ctx.send(ss.backendConn, isDraft(m) ? (current(m) as Resp) : m);
      ss.queued = [];
      return;
    case 'connectFailed':
      return attemptFailed(r, s, ctx, ss, ev.reason);
    case 'data':
      touch(r, ctx, ss.client);
      if (!fromClient) ctx.send(ss.client, ev.msg);
      else if (ss.established) ctx.send(ss.backendConn, ev.msg);
      else (ss.queued as Resp[]).push(ev.msg);
      return;
    case 'closed':
      return closeSession(r, s, ctx, ss.client, fromClient ? `client ${ev.reason}` : `server ${ev.reason}`);
  }
}

function onProxyTimer(r: Resolved, s: Draft<ProxyState>, ctx: Ctx, key: string): void {
  const [k, a, b] = key.split(':');
  const n = Number(a);
  if (k === 'chk') {
    if (s.servers[n]!.check) ctx.timer(`chk:${n}`, r.inter(n));
    else startCheck(r, s, ctx, n);
    return;
  }
  if (k === 'chkto') return checkTimedOut(r, s, ctx, n, Number(b));
  if (k === 'idle') {
    if (s.sessions[n]) closeSession(r, s, ctx, n, 'timeout client/server');
    return;
  }
  const ss = s.sessions[n];
  if (!ss || ss.established || ss.attempts !== Number(b)) return; // that attempt already ended
  if (k === 'conto') attemptFailed(r, s, ctx, ss, 'timeout');
  else if (k === 'retry') connectAttempt(r, s, ctx, ss);
}

export function proxyBehavior(cfg: ProxyConfig, kind = 'proxy'): Behavior<ProxyState> {
  const r = resolve(cfg);
  return {
    kind,
    init(ctx): ProxyState {
      const st: ProxyState = { servers: [], sessions: {}, byBackend: {}, checkConns: {}, rr: 0 };
      const n = cfg.servers.length;
      cfg.servers.forEach((_, i) => {
        st.servers.push({ health: r.rise(i), up: true, check: null, lastStartMs: 0, checks: 0 });
        ctx.timer(`chk:${i}`, Math.floor((r.inter(i) * i) / n));
      });
      ctx.log('notice', `Proxy ${r.frontend} started (${r.backend}: ${cfg.servers.map((x) => x.name).join(', ')}; inter ${r.inter(0)}ms rise ${r.rise(0)} fall ${r.fall(0)}).`);
      return st;
    },
    listenPorts: () => [cfg.port],
    onTimer: (s, key, ctx) => onProxyTimer(r, s, ctx, key),
    onNet(s, ev: NetEvent, ctx) {
      const ci = s.checkConns[ev.conn];
      if (ci !== undefined) return onCheckNet(r, s, ctx, ci, ev);
      if (ev.k === 'accepted') return onAccepted(r, s, ctx, ev.conn, `${ev.remote.ip}:${ev.remote.port}`);
      onSessionNet(r, s, ctx, ev);
    },
  };
}
