/**
 * Real Redis / Sentinel log lines → events, and a normalizer that maps addresses and run ids to the
 * model's names so a real run and a simulated run compare as sequences.
 *
 * Log line format (src/server.c serverLogRaw(), sentinelEvent()):
 *   `<pid>:<role> <DD Mon YYYY HH:MM:SS.mmm> <c> <message>`
 * role: X sentinel, M master, S replica, C child; c: `.` debug, `-` verbose, `*` notice, `#` warning.
 * For a Sentinel event the message is `<type> <text>`; `<type>` starts with `+` or `-`.
 * The harness starts every process with TZ=UTC, so the timestamps are parsed as UTC.
 */

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export interface LogLine {
  /** Wall-clock ms (UTC epoch) of the line. */
  readonly wallMs: number;
  readonly pid: number;
  readonly role: string;
  readonly level: LogLevel;
  readonly message: string;
}

/** The comparison shape, shared with the simulator's event stream. */
export interface SentinelEvent {
  /** ms relative to the run's t0. */
  readonly timeMs: number;
  /** Sentinel (or node) name in the model. */
  readonly process: string;
  readonly level?: LogLevel;
  /** e.g. `+switch-master`. */
  readonly event: string;
  /** Exactly what Sentinel writes after the event type (may be normalized). */
  readonly text: string;
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const LEVELS: Record<string, LogLevel> = { '.': 'debug', '-': 'verbose', '*': 'notice', '#': 'warning' };

const LINE_RE = /^(\d+):([A-Z]) (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) ([.\-*#]) (.*)$/;

/** One log line, or undefined for banner art, blank lines and anything not in the format. */
export function parseLogLine(line: string): LogLine | undefined {
  const m = LINE_RE.exec(line);
  if (!m) return undefined;
  const mon = MONTHS[m[4]];
  if (mon === undefined) return undefined;
  const wallMs = Date.UTC(Number(m[5]), mon, Number(m[3]), Number(m[6]), Number(m[7]), Number(m[8]), Number(m[9]));
  return { wallMs, pid: Number(m[1]), role: m[2], level: LEVELS[m[10]], message: m[11] };
}

export function parseLog(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const l = parseLogLine(raw.replace(/\r$/, ''));
    if (l) out.push(l);
  }
  return out;
}

const EVENT_RE = /^([+-][a-z][a-z0-9-]*)(?: (.*))?$/;

/** The event part of a Sentinel message, or undefined for plain log lines. */
export function splitEvent(message: string): { event: string; text: string } | undefined {
  const m = EVENT_RE.exec(message);
  if (!m) return undefined;
  return { event: m[1], text: m[2] ?? '' };
}

/**
 * Sentinel events of one process's log. `t0WallMs` is the harness's t0 (wall clock); lines
 * before `sinceWallMs` are dropped.
 */
export function sentinelEvents(text: string, process: string, t0WallMs: number, sinceWallMs = -Infinity): SentinelEvent[] {
  const out: SentinelEvent[] = [];
  for (const l of parseLog(text)) {
    if (l.role !== 'X' || l.wallMs < sinceWallMs) continue;
    const e = splitEvent(l.message);
    if (!e) continue;
    out.push({ timeMs: l.wallMs - t0WallMs, process, level: l.level, event: e.event, text: e.text });
  }
  return out;
}

/** Every line (events and plain lines) with the time relative to t0. */
export function logLines(text: string, process: string, t0WallMs: number): (LogLine & { timeMs: number; process: string })[] {
  return parseLog(text).map((l) => ({ ...l, timeMs: l.wallMs - t0WallMs, process }));
}

export interface AddressName {
  readonly ip: string;
  readonly port: number;
  readonly name: string;
}

/**
 * Maps `ip port` and `ip:port` to node/sentinel names and 40-hex run ids to sentinel names.
 *  `slave 127.0.0.1:16301 127.0.0.1 16301 @ mymaster 127.0.0.1 16300` → `slave node2 node2 @ mymaster node1`
 *  `+vote-for-leader 9f0e…(40 hex) 1` → `+vote-for-leader sentinel1 1`
 *  `+switch-master mymaster 127.0.0.1 16300 127.0.0.1 16301` → `+switch-master mymaster node1 node2`
 * Unknown addresses and run ids are left as they are (an unknown run id becomes `runid?<first 8>`).
 */
export class Normalizer {
  private readonly byAddr = new Map<string, string>();
  private readonly byRunId = new Map<string, string>();

  constructor(addresses: readonly AddressName[], runIds: Readonly<Record<string, string>> = {}) {
    for (const a of addresses) this.byAddr.set(`${a.ip}:${a.port}`, a.name);
    for (const [id, name] of Object.entries(runIds)) this.byRunId.set(id.toLowerCase(), name);
  }

  addRunId(runId: string, name: string): void {
    this.byRunId.set(runId.toLowerCase(), name);
  }

  text(s: string): string {
    // `ip:port` (replica names) first, then `ip port` pairs; IPv4, bracketed IPv6 or hostnames.
    let out = s.replace(/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})\b/g, (all, ip: string, port: string) => {
      return this.byAddr.get(`${ip.replace(/^\[|\]$/g, '')}:${port}`) ?? all;
    });
    out = out.replace(/(?<=^|\s)([0-9a-fA-F:.]*[0-9.][0-9a-fA-F:.]*|[A-Za-z][A-Za-z0-9_.-]*) (\d{1,5})(?=\s|$|,)/g, (all, ip: string, port: string) => {
      return this.byAddr.get(`${ip}:${port}`) ?? all;
    });
    out = out.replace(/\b[0-9a-f]{40}\b/gi, (id) => this.byRunId.get(id.toLowerCase()) ?? `runid?${id.slice(0, 8)}`);
    return out;
  }

  event<E extends SentinelEvent>(e: E): E {
    return { ...e, text: this.text(e.text) };
  }

  events<E extends SentinelEvent>(es: readonly E[]): E[] {
    return es.map((e) => this.event(e));
  }
}

/** Events of all processes merged in time order (stable: ties keep the input order). */
export function mergeEvents<E extends SentinelEvent>(...lists: (readonly E[])[]): E[] {
  const all = lists.flat().map((e, i) => ({ e, i }));
  all.sort((a, b) => a.e.timeMs - b.e.timeMs || a.i - b.i);
  return all.map((x) => x.e);
}

/** `event text` strings, the form used to compare sequences. */
export function eventStrings(es: readonly SentinelEvent[]): string[] {
  return es.map((e) => (e.text ? `${e.event} ${e.text}` : e.event));
}

/**
 * True if `wanted` (event types, or `event text` prefixes) occurs in `es` as a subsequence in order.
 * Returns the index in `wanted` of the first item that could not be matched, or -1 if all matched.
 */
export function firstUnmatched(es: readonly SentinelEvent[], wanted: readonly string[]): number {
  const strs = eventStrings(es);
  let j = 0;
  for (const s of strs) {
    if (j >= wanted.length) break;
    const w = wanted[j];
    if (s === w || s.startsWith(w + ' ') || s.split(' ')[0] === w) j++;
  }
  return j >= wanted.length ? -1 : j;
}
