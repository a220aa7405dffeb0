import { current, isDraft, type Draft } from 'immer';
import { command, type Resp } from '../net/resp.js';
import type { Behavior, ConnId, Ctx, NetEvent } from '../net/process.js';

/**
 * A TCP proxy with HAProxy's tcp-check health checks (HAProxy 1.5, `mode tcp`, `option
 * tcp-check`), as seed 002 configures it in front of a Redis master and replica:
 *
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
 * Health (checks.c, set_server_check_status()): a server's `health` runs from 0 to rise+fall-1;
 * it is UP while health >= rise. A passed check increments it (reaching `rise` marks the server
 * UP, after which it jumps to rise+fall-1); a failed check decrements it while above `rise`, and
 * at `rise` a failure drops it to 0, DOWN. At startup every server is UP with health = rise
 * ("up, but will fall down at first failure", cfgparse.c), so a replica goes DOWN at its first
 * check, while a master that dies needs `fall` failed checks.
 *
 * Timing (checks.c, start_checks() / process_chk()): server i of n gets its first check at
 * i·inter/n after start; without `timeout check`, `inter` bounds the whole check (connect +
 * read). The next check is due at start+inter; a check that ran until its timeout pushes the next
 * one by whole intervals (the `while (tick_is_expired) expire += inter` loop), so checks of a
 * silent server (paused, partitioned, or a replica never answering `role:master`) come every
 * 2·inter.
 *
 * `expect string` (tcpcheck_main()): a reply that does not contain the string is not a failure
 * yet, HAProxy waits for more data; the check fails at its timeout ("Layer7 timeout"), or at once
 * if the server closes the connection ("TCPCHK did not match content").
 *
 * Traffic: each accepted client connection is forwarded to one UP server (`balance roundrobin`,
 * HAProxy's default when the config says nothing, so with two UP servers — a split brain seen
 * by the checks — sessions alternate); RESP values are passed through unchanged both ways. No
 * server UP: the client connection is closed at once. A failed connect to the server closes the
 * client connection (HAProxy would first retry `retries` times, 3 by default, with a 1 s
 * turn-around; not modelled). `timeout client` / `timeout server` (6 s in the seed) close a
 * session idle that long in both directions.
 *
 * When a server goes DOWN, its sessions are left alone (they end when the server or the client
 * closes them) unless `on-marked-down shutdown-sessions` is configured on the server line; seed
 * 002 does not configure it. Sessions to a server that went DOWN and came back are not affected.
 */

export interface ProxyBackend {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
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

export interface ProxyConfig {
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
  /** `on-marked-down shutdown-sessions`. */
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
  readonly backendConn: ConnId;
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

export function proxyBehavior(cfg: ProxyConfig, kind = 'proxy'): Behavior<ProxyState> {
  const inter = cfg.interMs ?? 2000;
  const rise = cfg.rise ?? 2;
  const fall = cfg.fall ?? 3;
  const steps = cfg.steps ?? REDIS_MASTER_TCP_CHECK;
  const timeout = cfg.checkTimeoutMs ?? inter;
  const bk = cfg.backend ?? 'bk_redis';
  const n = cfg.servers.length;
  const stepName = (i: number) => {
    const s = steps[i]!;
    return s.k === 'connect' ? 'connect' : s.k === 'send' ? `send` : `expect string '${s.string}'`;
  };
  const upCount = (s: Draft<ProxyState>) => s.servers.filter((x) => x.up).length;

  const closeSession = (s: Draft<ProxyState>, ctx: Ctx, client: ConnId, why: string) => {
    const ss = s.sessions[client];
    if (!ss) return;
    delete s.sessions[client];
    delete s.byBackend[ss.backendConn];
    ctx.close(client);
    ctx.close(ss.backendConn);
    // The idle timer may still fire: the session is gone by then and it is ignored.
    ctx.state({ proxy: 'session-end', conn: client, server: cfg.servers[ss.server]!.name, why });
  };

  /** set_server_check_status(): the end of one check. */
  const checkDone = (s: Draft<ProxyState>, ctx: Ctx, i: number, ok: boolean, reason: string, info: string) => {
    const sv = s.servers[i]!;
    const c = sv.check;
    if (!c) return;
    sv.check = null;
    delete s.checkConns[c.conn];
    ctx.close(c.conn);
    const now = ctx.monoMs();
    const dur = now - c.startMs;
    const name = `${bk}/${cfg.servers[i]!.name}`;
    const infoText = info ? `, info: "${info}"` : '';
    if (ok) {
      if (sv.health < rise + fall - 1) {
        sv.health++;
        if (sv.health === rise && !sv.up) {
          sv.up = true;
          ctx.log('warning', `Server ${name} is UP, reason: ${reason}${infoText}, check duration: ${dur}ms. ${upCount(s)} active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`);
          ctx.state({ proxy: 'server', server: cfg.servers[i]!.name, status: 'UP', health: sv.health });
        } else if (!sv.up) {
          ctx.log('verbose', `Health check for server ${name} succeeded, reason: ${reason}${infoText}, check duration: ${dur}ms, status: ${sv.health}/${rise} DOWN.`);
        }
      }
      if (sv.health >= rise) sv.health = rise + fall - 1;
    } else if (sv.health > rise) {
      sv.health--;
      ctx.log('verbose', `Health check for server ${name} failed, reason: ${reason}${infoText}, check duration: ${dur}ms, status: ${sv.health - rise + 1}/${fall} UP.`);
      ctx.state({ proxy: 'check-failed', server: cfg.servers[i]!.name, health: sv.health, reason });
    } else if (sv.health > 0 || sv.up) {
      sv.health = 0;
      const wasUp = sv.up;
      sv.up = false;
      if (wasUp) {
        const active = Object.values(s.sessions).filter((x) => x.server === i).length;
        ctx.log('warning', `Server ${name} is DOWN, reason: ${reason}${infoText}, check duration: ${dur}ms. ${upCount(s)} active and 0 backup servers left. ${active} sessions active, 0 requeued, 0 remaining in queue.`);
        ctx.state({ proxy: 'server', server: cfg.servers[i]!.name, status: 'DOWN', health: 0, reason });
        if (upCount(s) === 0) ctx.log('warning', `backend ${bk} has no server available!`);
        if (cfg.shutdownSessionsOnDown) {
          const doomed = Object.values(s.sessions).filter((x) => x.server === i).map((x) => x.client).sort((a, b) => a - b);
          for (const cl of doomed) closeSession(s, ctx, cl, 'server marked DOWN (on-marked-down shutdown-sessions)');
        }
      }
    } else {
      ctx.state({ proxy: 'check-failed', server: cfg.servers[i]!.name, health: 0, reason });
    }
  };

  /** Run check steps from the current one until one has to wait (connect/expect) or the end. */
  const advance = (s: Draft<ProxyState>, ctx: Ctx, i: number) => {
    const c = s.servers[i]!.check!;
    for (;;) {
      if (c.step >= steps.length) return checkDone(s, ctx, i, true, 'Layer7 check passed', '(tcp-check)');
      const st = steps[c.step]!;
      if (st.k === 'send') {
        const argv = st.text.trim().split(/\s+/);
        ctx.send(c.conn, command(...argv));
        c.step++;
        continue;
      }
      if (st.k === 'expect') {
        if (c.buf.includes(st.string)) {
          // HAProxy 1.5 keeps reading into the same buffer; what matched is consumed.
          c.buf = c.buf.slice(c.buf.indexOf(st.string) + st.string.length);
          c.step++;
          continue;
        }
        return; // wait for more data (or the timeout)
      }
      return; // a `connect` step past the first: not used by the seed's sequence
    }
  };

  const startCheck = (s: Draft<ProxyState>, ctx: Ctx, i: number) => {
    const sv = s.servers[i]!;
    const be = cfg.servers[i]!;
    const conn = ctx.connect({ ip: be.ip, port: be.port });
    sv.check = { conn, step: 0, buf: '', startMs: ctx.monoMs() };
    sv.lastStartMs = ctx.monoMs();
    sv.checks++;
    s.checkConns[conn] = i;
    // process_chk(): the next check is due at start + inter; one still running then (a check
    // that runs into its timeout) pushes it by another inter.
    ctx.timer(`chk:${i}`, inter);
    ctx.timer(`chkto:${i}:${sv.checks}`, timeout);
  };

  const pickServer = (s: Draft<ProxyState>): number | undefined => {
    for (let k = 0; k < n; k++) {
      const i = (s.rr + k) % n;
      if (s.servers[i]!.up) {
        s.rr = (i + 1) % n;
        return i;
      }
    }
    return undefined;
  };

  const touch = (ctx: Ctx, client: ConnId) => {
    if (cfg.idleTimeoutMs !== undefined) ctx.timer(`idle:${client}`, cfg.idleTimeoutMs);
  };

  return {
    kind,
    init(ctx): ProxyState {
      const st: ProxyState = { servers: [], sessions: {}, byBackend: {}, checkConns: {}, rr: 0 };
      cfg.servers.forEach((_, i) => {
        st.servers.push({ health: rise, up: true, check: null, lastStartMs: 0, checks: 0 });
        ctx.timer(`chk:${i}`, Math.floor((inter * i) / n));
      });
      ctx.log('notice', `Proxy ft_redis started (${bk}: ${cfg.servers.map((x) => x.name).join(', ')}; inter ${inter}ms rise ${rise} fall ${fall}).`);
      return st;
    },
    listenPorts: () => [cfg.port],
    onTimer(s, key, ctx) {
      const [k, a, gen] = key.split(':');
      const i = Number(a);
      if (k === 'chk') {
        if (s.servers[i]!.check) ctx.timer(`chk:${i}`, inter);
        else startCheck(s, ctx, i);
      }
      else if (k === 'chkto') {
        const c = s.servers[i]!.check;
        if (!c || Number(gen) !== s.servers[i]!.checks) return; // that check already ended
        const connected = c.step > 0 || steps[0]?.k !== 'connect';
        if (!connected) checkDone(s, ctx, i, false, 'Layer4 timeout', '');
        else checkDone(s, ctx, i, false, 'Layer7 timeout', ` at step ${c.step + 1} of tcp-check (${stepName(c.step)})`);
      } else if (k === 'idle') {
        if (s.sessions[i]) closeSession(s, ctx, i, 'timeout client/server');
      }
    },
    onNet(s, ev: NetEvent, ctx) {
      // ---- health checks
      const ci = s.checkConns[ev.conn];
      if (ci !== undefined) {
        const c = s.servers[ci]!.check;
        if (!c || c.conn !== ev.conn) return;
        switch (ev.k) {
          case 'connected':
            if (steps[c.step]?.k === 'connect') c.step++;
            advance(s, ctx, ci);
            return;
          case 'connectFailed':
            checkDone(s, ctx, ci, false, ev.reason === 'refused' ? 'Layer4 connection problem' : 'Layer4 timeout', ev.reason === 'refused' ? 'Connection refused' : '');
            return;
          case 'data':
            c.buf += respWire(ev.msg);
            advance(s, ctx, ci);
            return;
          case 'closed': {
            // done = 1: a last look at what arrived, then the verdict.
            const st = steps[c.step];
            if (st?.k === 'expect' && c.buf.includes(st.string)) {
              advance(s, ctx, ci);
              if (!s.servers[ci]!.check) return;
            }
            const cur = s.servers[ci]!.check!;
            const step = steps[cur.step];
            if (cur.buf.length > 0 && step?.k === 'expect') {
              checkDone(s, ctx, ci, false, 'Layer7 wrong status', `TCPCHK did not match content '${step.string}' at step ${cur.step + 1}`);
            } else {
              const why = ev.reason === 'reset' ? 'Connection reset by peer' : 'Connection closed';
              checkDone(s, ctx, ci, false, 'Layer4 connection problem', `${why} at step ${cur.step + 1} of tcp-check (${stepName(cur.step)})`);
            }
            return;
          }
          case 'accepted':
            return;
        }
      }
      // ---- proxied sessions
      if (ev.k === 'accepted') {
        const i = pickServer(s);
        if (i === undefined) {
          ctx.close(ev.conn);
          ctx.state({ proxy: 'rejected', conn: ev.conn, why: `backend ${bk} has no server available` });
          return;
        }
        const be = cfg.servers[i]!;
        const b = ctx.connect({ ip: be.ip, port: be.port });
        s.sessions[ev.conn] = { client: ev.conn, server: i, backendConn: b, established: false, queued: [] };
        s.byBackend[b] = ev.conn;
        touch(ctx, ev.conn);
        ctx.state({ proxy: 'session', conn: ev.conn, server: be.name, from: `${ev.remote.ip}:${ev.remote.port}` });
        return;
      }
      const fromClient = s.sessions[ev.conn];
      const clientOfBackend = s.byBackend[ev.conn];
      const ss = fromClient ?? (clientOfBackend !== undefined ? s.sessions[clientOfBackend] : undefined);
      if (!ss) return;
      switch (ev.k) {
        case 'connected': {
          ss.established = true;
          for (const m of ss.queued) ctx.send(ss.backendConn, isDraft(m) ? (current(m) as Resp) : m);
          ss.queued = [];
          return;
        }
        case 'connectFailed':
          closeSession(s, ctx, ss.client, ev.reason === 'refused' ? 'server connection refused' : 'server connect timeout');
          return;
        case 'data':
          touch(ctx, ss.client);
          if (fromClient) {
            if (ss.established) ctx.send(ss.backendConn, ev.msg);
            else (ss.queued as Resp[]).push(ev.msg);
          } else ctx.send(ss.client, ev.msg);
          return;
        case 'closed':
          closeSession(s, ctx, ss.client, fromClient ? `client ${ev.reason}` : `server ${ev.reason}`);
          return;
      }
    },
  };
}
