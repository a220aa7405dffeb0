import type { Draft } from 'immer';
import { argvOf, command, respToJs, type Resp } from '../net/resp.js';
import type { Behavior, ConnId, Ctx, Endpoint, NetEvent } from '../net/process.js';

/**
 * The scenario's redis-cli: a process that runs a fixed script of commands at given times, each
 * on a fresh connection (as `redis-cli -h … -p … CMD` does), and records every reply. A job either
 * names its endpoint, or asks the Sentinels for the master first (`SENTINEL
 * get-master-addr-by-name`, trying them in order until one answers with an address).
 *
 * Replies are reported as `state` effects carrying a `reply` object; the scenario runner turns
 * them into `reply` trace records (the run loop has no dedicated effect for them).
 */

export interface CliJob {
  readonly id: number;
  /** Local monotonic time (ms since the client booted) to start at. */
  readonly atMs: number;
  readonly label?: string;
  readonly argv: readonly string[];
  /**
   * Commands sent after argv on the same connection, each once the one before was answered (as
   * redis-cli does with commands on its stdin), so e.g. WAIT counts the acks of the SET before it.
   */
  readonly then?: readonly (readonly string[])[];
  readonly to?: CliEndpoint;
  /** When `to` is absent: ask these Sentinels for `master`. */
  readonly viaSentinels?: {
    readonly master: string;
    readonly sentinels: readonly CliEndpoint[];
    readonly password?: string;
    /** Give up on one Sentinel after this long (redis-py's socket_timeout); default 300 ms. */
    readonly sentinelTimeoutMs?: number;
  };
  readonly timeoutMs: number;
  /** A probe made for an expectation (kept apart in reports). */
  readonly probe?: boolean;
}

export interface CliEndpoint extends Endpoint {
  /** Process name, for records. */
  readonly name?: string;
  readonly password?: string;
}

/** What a reply record carries. */
export interface ReplyInfo {
  readonly job: number;
  readonly label?: string;
  readonly probe?: boolean;
  readonly to: string;
  readonly cmd: string;
  /** Plain data (respToJs), or {error} for errors and failures. */
  readonly reply: unknown;
  readonly error: boolean;
  /** How redis-cli would print it, one line. */
  readonly text: string;
}

type Stage = 'sentinel-auth' | 'sentinel-ask' | 'auth' | 'cmd';

interface ConnState {
  readonly job: number;
  stage: Stage;
  /** Which Sentinel of the list (via-Sentinel jobs). */
  sentinelIdx: number;
}

interface JobState {
  done: boolean;
  /** Where the command went (filled once known). */
  to: string;
  target?: CliEndpoint;
  sentinelIdx: number;
  sentinelErrors: string[];
  /** Replies so far to a job with `then` commands, in order. */
  replies?: { reply: unknown; error: boolean; text: string }[];
}

export interface CliState {
  conns: Record<number, ConnState>;
  jobs: Record<number, JobState>;
}

export function replyText(v: Resp): string {
  switch (v.t) {
    case 'status':
      return v.s;
    case 'error':
      return `(error) ${v.s}`;
    case 'int':
      return `(integer) ${v.n}`;
    case 'bulk':
      return v.s === null ? '(nil)' : JSON.stringify(v.s);
    case 'array':
      return v.items === null ? '(nil)' : v.items.length === 0 ? '(empty array)' : v.items.map(replyText).join(' ');
  }
}

export interface CliOptions {
  /** Password and display name for an address a Sentinel reported (the model knows them). */
  readonly lookup?: (ip: string, port: number) => { readonly name?: string; readonly password?: string } | undefined;
}

/** What the handlers read besides their state: the script and options, fixed for the run. */
interface Env {
  readonly byId: ReadonlyMap<number, CliJob>;
  readonly opts: CliOptions;
}

function jobOf(e: Env, id: number): CliJob {
  return e.byId.get(id)!;
}

function finish(e: Env, s: Draft<CliState>, ctx: Ctx, id: number, conn: ConnId | undefined, reply: unknown, error: boolean, text: string): void {
  const js = s.jobs[id]!;
  if (js.done) return;
  js.done = true;
  ctx.cancelTimer(`timeout:${id}`);
  if (conn !== undefined) {
    ctx.close(conn);
    delete s.conns[conn];
  }
  const j = jobOf(e, id);
  if (j.then) {
    // A sequence answers with the list of its replies, ending with the one that stopped it.
    const all = [...(js.replies ?? []), { reply, error, text }];
    [reply, error, text] = [all.map((r) => r.reply), all.some((r) => r.error), all.map((r) => r.text).join('; ')];
  }
  const info: ReplyInfo = {
    job: id, ...(j.label ? { label: j.label } : {}), ...(j.probe ? { probe: true } : {}), to: js.to,
    cmd: [j.argv, ...(j.then ?? [])].map((c) => c.join(' ')).join('; '), reply, error, text,
  };
  ctx.state({ reply: info });
}

function connectTo(s: Draft<CliState>, ctx: Ctx, id: number, ep: CliEndpoint, stage: Stage, sentinelIdx = 0): void {
  const c = ctx.connect({ ip: ep.ip, port: ep.port });
  s.conns[c] = { job: id, stage, sentinelIdx };
}

function askNextSentinel(e: Env, s: Draft<CliState>, ctx: Ctx, id: number): void {
  const j = jobOf(e, id);
  const js = s.jobs[id]!;
  const list = j.viaSentinels!.sentinels;
  if (js.sentinelIdx >= list.length) {
    finish(e, s, ctx, id, undefined, { error: `No master found for '${j.viaSentinels!.master}'` }, true,
      `No master found for '${j.viaSentinels!.master}' (${js.sentinelErrors.join('; ')})`);
    return;
  }
  const ep = list[js.sentinelIdx]!;
  connectTo(s, ctx, id, ep, ep.password ? 'sentinel-auth' : 'sentinel-ask', js.sentinelIdx);
  ctx.timer(`ask:${id}`, j.viaSentinels!.sentinelTimeoutMs ?? 300);
}

function startCommand(s: Draft<CliState>, ctx: Ctx, id: number, ep: CliEndpoint): void {
  const js = s.jobs[id]!;
  js.target = ep;
  js.to = ep.name ?? `${ep.ip}:${ep.port}`;
  connectTo(s, ctx, id, ep, ep.password ? 'auth' : 'cmd');
}

/** The Sentinel asked on `conn` did not answer with an address: ask the next one. */
function sentinelFailed(e: Env, s: Draft<CliState>, ctx: Ctx, conn: ConnId, cs: ConnState, why: string): void {
  const id = cs.job;
  const js = s.jobs[id]!;
  delete s.conns[conn];
  ctx.close(conn);
  ctx.cancelTimer(`ask:${id}`);
  js.sentinelErrors.push(`${jobOf(e, id).viaSentinels!.sentinels[cs.sentinelIdx]!.name ?? 'sentinel'}: ${why}`);
  js.sentinelIdx++;
  askNextSentinel(e, s, ctx, id);
}

function onTimer(e: Env, s: Draft<CliState>, key: string, ctx: Ctx): void {
  const [k, n] = key.split(':');
  const id = Number(n);
  const js = s.jobs[id];
  if (!js || js.done) return;
  if (k === 'job') {
    const j = jobOf(e, id);
    ctx.timer(`timeout:${id}`, j.timeoutMs);
    if (j.to) startCommand(s, ctx, id, j.to);
    else askNextSentinel(e, s, ctx, id);
  } else if (k === 'ask') {
    const conn = Object.keys(s.conns).map(Number).find((c) => s.conns[c]!.job === id && s.conns[c]!.stage.startsWith('sentinel'));
    if (conn === undefined) return;
    delete s.conns[conn];
    ctx.close(conn);
    js.sentinelErrors.push(`${jobOf(e, id).viaSentinels!.sentinels[js.sentinelIdx]!.name ?? 'sentinel'}: timeout`);
    js.sentinelIdx++;
    askNextSentinel(e, s, ctx, id);
  } else if (k === 'timeout') {
    const conn = Object.keys(s.conns).map(Number).find((c) => s.conns[c]!.job === id);
    finish(e, s, ctx, id, conn, { error: 'timeout' }, true, `no reply within ${jobOf(e, id).timeoutMs} ms (timeout)`);
  }
}

function onNet(e: Env, s: Draft<CliState>, ev: NetEvent, ctx: Ctx): void {
  const cs = s.conns[ev.conn];
  if (!cs) return;
  const id = cs.job;
  const j = jobOf(e, id);
  const js = s.jobs[id]!;
  if (js.done) {
    delete s.conns[ev.conn];
    return;
  }
  const viaSentinelStage = cs.stage === 'sentinel-auth' || cs.stage === 'sentinel-ask';
  switch (ev.k) {
    case 'connected': {
      if (cs.stage === 'sentinel-auth') ctx.send(ev.conn, command('AUTH', j.viaSentinels!.sentinels[cs.sentinelIdx]!.password!));
      else if (cs.stage === 'sentinel-ask') ctx.send(ev.conn, command('SENTINEL', 'get-master-addr-by-name', j.viaSentinels!.master));
      else if (cs.stage === 'auth') ctx.send(ev.conn, command('AUTH', js.target!.password!));
      else ctx.send(ev.conn, command(...j.argv));
      return;
    }
    case 'connectFailed': {
      const why = ev.reason === 'refused' ? 'Connection refused' : 'Connection timed out';
      if (viaSentinelStage) return sentinelFailed(e, s, ctx, ev.conn, cs, why);
      delete s.conns[ev.conn];
      finish(e, s, ctx, id, undefined, { error: why }, true, `Could not connect to Redis at ${js.to}: ${why}`);
      return;
    }
    case 'closed': {
      if (viaSentinelStage) return sentinelFailed(e, s, ctx, ev.conn, cs, 'connection closed');
      delete s.conns[ev.conn];
      const why = ev.reason === 'reset' ? 'Connection reset by peer' : ev.reason === 'timeout' ? 'Connection timed out' : 'Server closed the connection';
      finish(e, s, ctx, id, undefined, { error: why }, true, `Error: ${why}`);
      return;
    }
    case 'data':
      return onReply(e, s, ev.conn, cs, ev.msg, ctx);
    case 'accepted':
      return;
  }
}

/** A reply on one of a job's connections: a Sentinel's, AUTH's, or the command's (or a `then` command's). */
function onReply(e: Env, s: Draft<CliState>, conn: ConnId, cs: Draft<ConnState>, m: Resp, ctx: Ctx): void {
  const id = cs.job;
  const j = jobOf(e, id);
  const js = s.jobs[id]!;
  if (cs.stage === 'sentinel-auth') {
    if (m.t === 'error') return sentinelFailed(e, s, ctx, conn, cs, m.s);
    cs.stage = 'sentinel-ask';
    ctx.send(conn, command('SENTINEL', 'get-master-addr-by-name', j.viaSentinels!.master));
    return;
  }
  if (cs.stage === 'sentinel-ask') {
    const addr = m.t === 'array' && m.items && m.items.length === 2 ? argvOf(m) : undefined;
    if (!addr) return sentinelFailed(e, s, ctx, conn, cs, m.t === 'error' ? m.s : 'no address');
    delete s.conns[conn];
    ctx.close(conn);
    ctx.cancelTimer(`ask:${id}`);
    const ip = addr[0]!;
    const port = Number(addr[1]);
    const known = e.opts.lookup?.(ip, port);
    startCommand(s, ctx, id, { ip, port, name: known?.name, password: j.viaSentinels!.password ?? known?.password });
    return;
  }
  if (cs.stage === 'auth') {
    if (m.t === 'error') return finish(e, s, ctx, id, conn, { error: m.s }, true, replyText(m));
    cs.stage = 'cmd';
    ctx.send(conn, command(...j.argv));
    return;
  }
  if (j.then && (js.replies?.length ?? 0) < j.then.length) {
    // redis-cli goes on after an error reply; so does the sequence.
    (js.replies ??= []).push({ reply: respToJs(m), error: m.t === 'error', text: replyText(m) });
    ctx.send(conn, command(...j.then[js.replies.length - 1]!));
    return;
  }
  finish(e, s, ctx, id, conn, respToJs(m), m.t === 'error', replyText(m));
}

export function cliBehavior(jobs: readonly CliJob[], opts: CliOptions = {}, kind = 'cli'): Behavior<CliState> {
  const e: Env = { byId: new Map(jobs.map((j) => [j.id, j])), opts };
  return {
    kind,
    init(ctx: Ctx): CliState {
      const st: CliState = { conns: {}, jobs: {} };
      for (const j of jobs) {
        st.jobs[j.id] = { done: false, to: j.to ? (j.to.name ?? `${j.to.ip}:${j.to.port}`) : 'master', sentinelIdx: 0, sentinelErrors: [] };
        ctx.timer(`job:${j.id}`, j.atMs);
      }
      return st;
    },
    listenPorts: () => [],
    onTimer: (s, key, ctx) => onTimer(e, s, key, ctx),
    onNet: (s, ev, ctx) => onNet(e, s, ev, ctx),
  };
}
