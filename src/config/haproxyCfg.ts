import { inputError } from './errors.js';
import { PROXY_KEYWORDS, PROXY_OPTIONS, PROXY_TIMEOUTS, SECTION_KEYWORDS } from './haproxyKeywords.js';

/**
 * A reader for the part of HAProxy's haproxy.cfg that a TCP proxy in front of Redis uses (HAProxy
 * 1.5 syntax, configuration.txt): `defaults`, `frontend`, `backend` and `listen` sections; `mode`,
 * `timeout connect|client|server|check`, `retries`, `bind`, `default_backend`, `option tcp-check`,
 * `tcp-check connect|send|expect string`, and `server <name> <addr:port> [check] [inter <t>]
 * [rise <n>] [fall <n>] [on-marked-down shutdown-sessions]`. Every other keyword HAProxy knows in
 * those sections (logging, maxconn, balance roundrobin, …) is read past: it does not change what the
 * simulated proxy does; a word HAProxy does not know there is refused, as HAProxy refuses it
 * (haproxyKeywords.ts). The `global` section and sections no proxy reads are read past whole. A
 * `defaults` section applies to the proxies after it, as in HAProxy.
 */

export interface HaproxyServer {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly check: boolean;
  readonly interMs?: number;
  readonly rise?: number;
  readonly fall?: number;
  readonly shutdownSessionsOnDown: boolean;
  readonly line: number;
}

export type HaproxyTcpCheckStep = { readonly k: 'connect' } | { readonly k: 'send'; readonly text: string } | { readonly k: 'expect'; readonly string: string };

/** The settings a `defaults` section passes on, and every proxy has. */
export interface HaproxyTimeouts {
  readonly connectMs?: number;
  readonly clientMs?: number;
  readonly serverMs?: number;
  readonly checkMs?: number;
  /** `retries`; HAProxy's default is 3. */
  readonly retries: number;
}

export interface HaproxyProxy extends HaproxyTimeouts {
  readonly kind: 'frontend' | 'backend' | 'listen';
  readonly name: string;
  readonly line: number;
  readonly bindPort?: number;
  readonly defaultBackend?: string;
  readonly tcpCheck: readonly HaproxyTcpCheckStep[] | null;
  readonly servers: readonly HaproxyServer[];
}

export interface HaproxyConfig {
  readonly file: string;
  readonly proxies: readonly HaproxyProxy[];
}

/** What a client of the proxy sees: the frontend it connects to and the backend behind it. */
export interface HaproxyRoute {
  readonly frontend: HaproxyProxy;
  readonly port: number;
  readonly backend: HaproxyProxy;
}

const DEFAULT_RETRIES = 3;
const ESCAPES: Readonly<Record<string, string>> = { r: '\r', n: '\n', t: '\t' };
const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A time as HAProxy reads it: a number, ms unless a unit follows (us, ms, s, m, h, d). */
export function haproxyTimeMs(text: string): number | null {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2] ?? 'ms']! : null;
}

/** One line's words, with HAProxy's escapes: `\ ` a space, `\#` a hash, `\\`, `\r`, `\n`, `\t`; `#` starts a comment. */
export function haproxyWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      const n = line[++i]!;
      cur = (cur ?? '') + (ESCAPES[n] ?? n);
      continue;
    }
    if (c === '#') break;
    if (c === ' ' || c === '\t') {
      if (cur !== null) words.push(cur);
      cur = null;
      continue;
    }
    cur = (cur ?? '') + c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

interface Draft {
  kind: HaproxyProxy['kind'];
  name: string;
  line: number;
  t: { connectMs?: number; clientMs?: number; serverMs?: number; checkMs?: number; retries: number };
  bindPort?: number;
  defaultBackend?: string;
  tcpCheck: HaproxyTcpCheckStep[] | null;
  servers: HaproxyServer[];
}

export function parseHaproxyCfg(text: string, file: string): HaproxyConfig {
  const proxies: Draft[] = [];
  let defaults: Draft['t'] = { retries: DEFAULT_RETRIES };
  let cur: Draft | null = null;
  /** The section the lines belong to: its keyword, or none before the first header. */
  let section: string | null = null;
  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = idx + 1;
    const w = haproxyWords(raw);
    if (w.length === 0) return;
    const fail = (reason: string) => inputError(file, line, reason);
    const kw = w[0]!;
    if (SECTION_KEYWORDS.has(kw)) {
      section = kw;
      cur = null;
      if (kw === 'defaults') defaults = { ...defaults };
      if (kw !== 'frontend' && kw !== 'backend' && kw !== 'listen') return;
      if (!w[1]) throw fail(`'${kw}' needs a name`);
      if (proxies.some((p) => p.name === w[1] && (p.kind === kw || p.kind === 'listen' || kw === 'listen'))) throw fail(`${kw} '${w[1]}' is already defined`);
      cur = { kind: kw, name: w[1], line, t: { ...defaults }, tcpCheck: null, servers: [] };
      proxies.push(cur);
      return;
    }
    if (section === null) throw fail(`unknown keyword '${kw}' out of section`);
    // global settings and the sections no proxy reads (userlist, peers, resolvers…): not modelled.
    if (section !== 'defaults' && !cur) return;
    const args = checkProxyKeyword(w, section, fail);
    const target = section === 'defaults' ? defaults : (cur as Draft | null)!.t;
    if (readSetting(args, target, fail)) return;
    if (cur) readProxyLine(args, cur, line, fail);
  });
  return { file, proxies: proxies.map((p) => ({ kind: p.kind, name: p.name, line: p.line, ...p.t, bindPort: p.bindPort, defaultBackend: p.defaultBackend, tcpCheck: p.tcpCheck, servers: p.servers })) };
}

/**
 * A proxy-section line's keyword, refused as HAProxy refuses it (cfg_parse_listen()): an unknown
 * keyword, option or timeout, or a `bind`/`server` in `defaults`, is a fatal alert there. Returns the
 * words after a `no` or `default` prefix (`no option redispatch`).
 */
function checkProxyKeyword(words: readonly string[], section: string, fail: (r: string) => Error): readonly string[] {
  const w = (words[0] === 'no' || words[0] === 'default') && words.length > 1 ? words.slice(1) : words;
  const kw = w[0]!;
  if (!PROXY_KEYWORDS.has(kw)) throw fail(`unknown keyword '${kw}' in '${section}' section`);
  if (section === 'defaults' && (kw === 'bind' || kw === 'server' || kw === 'server-template')) throw fail(`'${kw}' not allowed in 'defaults' section`);
  if (kw === 'option' && !PROXY_OPTIONS.has(w[1] ?? '')) throw fail(`unknown option '${w[1] ?? ''}'`);
  if (kw === 'timeout' && !PROXY_TIMEOUTS.has(w[1] ?? '')) {
    throw fail(`'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', 'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '${w[1] ?? ''}')`);
  }
  if (kw === 'mode' && w[1] !== 'tcp' && w[1] !== 'http' && w[1] !== 'health') throw fail(`unknown proxy mode '${w[1] ?? ''}'`);
  return w;
}

/** `timeout …` and `retries`, in a defaults section or a proxy. True if the line was one of them. */
function readSetting(w: readonly string[], t: Draft['t'], fail: (r: string) => Error): boolean {
  if (w[0] === 'retries') {
    const n = Number(w[1]);
    if (!/^\d+$/.test(w[1] ?? '')) throw fail(`'retries' expects an integer, got '${w[1] ?? ''}'`);
    t.retries = n;
    return true;
  }
  if (w[0] !== 'timeout' && w[0] !== 'contimeout' && w[0] !== 'srvtimeout' && w[0] !== 'clitimeout') return false;
  const [which, value] = w[0] === 'timeout' ? [w[1], w[2]] : [{ contimeout: 'connect', srvtimeout: 'server', clitimeout: 'client' }[w[0]], w[1]];
  const key = ({ connect: 'connectMs', client: 'clientMs', server: 'serverMs', check: 'checkMs' } as const)[which as 'connect'];
  if (!key) return true; // timeout queue, http-request, tunnel…: known (checkProxyKeyword), not modelled
  const ms = haproxyTimeMs(value ?? '');
  if (ms === null) throw fail(`'timeout ${which}' expects a time (e.g. 3s, 500ms), got '${value ?? ''}'`);
  t[key] = ms;
  return true;
}

function readProxyLine(w: readonly string[], p: Draft, line: number, fail: (r: string) => Error): void {
  switch (w[0]) {
    case 'bind': {
      const m = /:(\d+)$/.exec(w[1] ?? '');
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) throw fail(`'bind' expects [address]:port, got '${w[1] ?? ''}'`);
      p.bindPort = Number(m[1]);
      return;
    }
    case 'default_backend':
      if (!w[1]) throw fail(`'default_backend' needs a backend name`);
      p.defaultBackend = w[1];
      return;
    case 'option':
      if (w[1] === 'tcp-check') p.tcpCheck ??= [];
      return;
    case 'tcp-check':
      (p.tcpCheck ??= []).push(readTcpCheck(w, fail));
      return;
    case 'server':
      p.servers.push(readServer(w, p, line, fail));
      return;
  }
}

function readTcpCheck(w: readonly string[], fail: (r: string) => Error): HaproxyTcpCheckStep {
  if (w[1] === 'connect') return { k: 'connect' };
  if (w[1] === 'send') {
    if (w[2] === undefined) throw fail(`'tcp-check send' needs the data to send`);
    return { k: 'send', text: w.slice(2).join(' ').replace(/\r?\n$/, '') };
  }
  if (w[1] === 'expect' && w[2] === 'string' && w[3] !== undefined) return { k: 'expect', string: w[3] };
  throw fail(`'tcp-check ${w.slice(1).join(' ')}': only 'connect', 'send <data>' and 'expect string <text>' are modelled`);
}

function readServer(w: readonly string[], p: Draft, line: number, fail: (r: string) => Error): HaproxyServer {
  const [name, addr] = [w[1], w[2]];
  if (!name || !addr) throw fail(`'server' needs a name and an address:port`);
  if (p.servers.some((s) => s.name === name)) throw fail(`server '${name}' is already defined in ${p.kind} '${p.name}'`);
  const m = /^(.*):(\d+)$/.exec(addr);
  if (!m || !m[1] || Number(m[2]) < 1 || Number(m[2]) > 65535) throw fail(`server '${name}': expected address:port, got '${addr}'`);
  const s: { -readonly [K in keyof HaproxyServer]: HaproxyServer[K] } = { name, host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]), check: false, shutdownSessionsOnDown: false, line };
  for (let i = 3; i < w.length; i++) {
    const k = w[i]!;
    if (k === 'check') s.check = true;
    else if (k === 'inter') s.interMs = positiveTime(w[++i], 'inter', fail);
    else if (k === 'rise' || k === 'fall') {
      const v = w[++i] ?? '';
      if (!/^[1-9]\d*$/.test(v)) throw fail(`server '${name}': '${k}' expects a positive integer, got '${v}'`);
      s[k] = Number(v);
    } else if (k === 'on-marked-down') s.shutdownSessionsOnDown = w[++i] === 'shutdown-sessions';
  }
  return s;
}

function positiveTime(v: string | undefined, what: string, fail: (r: string) => Error): number {
  const ms = haproxyTimeMs(v ?? '');
  if (ms === null || ms <= 0) throw fail(`'${what}' expects a time (e.g. 1s), got '${v ?? ''}'`);
  return ms;
}

/** The frontend (or listen section) a client reaches, and its default backend. */
export function haproxyRoute(cfg: HaproxyConfig): HaproxyRoute {
  const fe = cfg.proxies.find((p) => (p.kind === 'frontend' || p.kind === 'listen') && p.bindPort !== undefined);
  if (!fe) throw inputError(cfg.file, undefined, "no frontend or listen section with a 'bind' port");
  const be = fe.kind === 'listen' && fe.servers.length > 0 ? fe : cfg.proxies.find((p) => (p.kind === 'backend' || p.kind === 'listen') && p.name === fe.defaultBackend);
  if (!be) throw inputError(cfg.file, fe.line, fe.defaultBackend ? `default_backend '${fe.defaultBackend}' is not defined` : `${fe.kind} '${fe.name}' has no default_backend`);
  if (be.servers.length === 0) throw inputError(cfg.file, be.line, `backend '${be.name}' has no server`);
  return { frontend: fe, port: fe.bindPort!, backend: be };
}
