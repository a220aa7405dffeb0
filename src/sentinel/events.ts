import { array, bulk } from '../net/resp.js';
import { stringmatch } from '../net/stringmatch.js';
import type { Ctx, LogLevel } from '../net/process.js';
import { F, type Instance, type SentinelState } from './state.js';

/**
 * sentinelEvent(): one event becomes a log line `<type> <message>` (if its level is at least the
 * log level), a Pub/Sub message on channel `<type>` (unless DEBUG), and a trace record. A format
 * starting with `%@` is prefixed by the instance identifier (sentinelEvent()).
 */
export function instanceIdentifier(s: SentinelState, ri: Instance, master: Instance | null): string {
  const type = ri.flags & F.MASTER ? 'master' : ri.flags & F.SLAVE ? 'slave' : 'sentinel';
  const host = (a: Instance) => (s.announceHostnames ? a.addr.hostname : a.addr.ip);
  if (ri.flags & F.MASTER || !master) return `${type} ${ri.name} ${host(ri)} ${ri.addr.port}`;
  return `${type} ${ri.name} ${host(ri)} ${ri.addr.port} @ ${master.name} ${host(master)} ${master.addr.port}`;
}

export function sentinelEvent(
  s: SentinelState,
  ctx: Ctx,
  level: LogLevel,
  type: string,
  ri: Instance | null,
  master: Instance | null,
  fmt: string,
): void {
  let msg = fmt;
  if (ri && fmt.startsWith('%@')) msg = instanceIdentifier(s, ri, master) + fmt.slice(2);
  ctx.event(level, type, msg);
  if (level !== 'debug') publishToClients(s, ctx, type, msg);
}

/** Deliver a Pub/Sub message to this Sentinel's own subscribers (channels and patterns). */
export function publishToClients(s: SentinelState, ctx: Ctx, channel: string, payload: string): void {
  for (const key of Object.keys(s.conns)) {
    const role = s.conns[Number(key)]!;
    if (role.k !== 'client') continue;
    const conn = Number(key);
    if (role.client.subscriptions.includes(channel)) {
      ctx.send(conn, array([bulk('message'), bulk(channel), bulk(payload)]));
    }
    for (const p of role.client.patterns) {
      if (stringmatch(p, channel, false)) ctx.send(conn, array([bulk('pmessage'), bulk(p), bulk(channel), bulk(payload)]));
    }
  }
}
