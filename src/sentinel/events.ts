import { array, bulk } from '../net/resp.js';
import type { Ctx, LogLevel } from '../net/process.js';
import { F, type Instance, type SentinelState } from './state.js';

/**
 * sentinelEvent(): one event becomes a log line `<type> <message>` (if its level is at least the
 * log level), a Pub/Sub message on channel `<type>` (unless DEBUG), and a trace record. A format
 * starting with `%@` is prefixed by the instance identifier (spec §3.1).
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
      if (globMatch(p, channel, false)) ctx.send(conn, array([bulk('pmessage'), bulk(p), bulk(channel), bulk(payload)]));
    }
  }
}

/** util.c stringmatchlen(): `*`, `?`, `[...]` (with `^` and ranges) and `\` escapes. */
export function globMatch(pattern: string, str: string, nocase: boolean): boolean {
  const p = nocase ? pattern.toLowerCase() : pattern;
  const t = nocase ? str.toLowerCase() : str;
  const match = (pi: number, si: number): boolean => {
    while (pi < p.length) {
      const c = p[pi]!;
      if (c === '*') {
        while (p[pi + 1] === '*') pi++;
        if (pi + 1 === p.length) return true;
        for (let k = si; k <= t.length; k++) if (match(pi + 1, k)) return true;
        return false;
      }
      if (si >= t.length) return false;
      if (c === '?') {
        pi++;
        si++;
        continue;
      }
      if (c === '[') {
        let j = pi + 1;
        const not = p[j] === '^';
        if (not) j++;
        let matched = false;
        while (j < p.length && p[j] !== ']') {
          if (p[j] === '\\' && j + 1 < p.length) {
            j++;
            if (p[j] === t[si]) matched = true;
          } else if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
            let lo = p[j]!;
            let hi = p[j + 2]!;
            if (lo > hi) [lo, hi] = [hi, lo];
            if (t[si]! >= lo && t[si]! <= hi) matched = true;
            j += 2;
          } else if (p[j] === t[si]) matched = true;
          j++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        pi = j + 1;
        si++;
        continue;
      }
      if (c === '\\' && pi + 1 < p.length) {
        if (p[pi + 1] !== t[si]) return false;
        pi += 2;
        si++;
        continue;
      }
      if (c !== t[si]) return false;
      pi++;
      si++;
    }
    return si === t.length;
  };
  return match(0, 0);
}
