import { formatSeconds } from '../sim/time.js';
import type { TraceRecord } from '../sim/trace.js';
import type { ReplyInfo } from '../clients/cli.js';
import { lostWindowLines, type AckedWrite, type LostWritesReport } from './lost-writes.js';
import { checkProperty } from './properties.js';
import type { EventExpectation, Expectation, ExpectationResult, KeyExpectation, LostWritesExpectation, MasterExpectation, ReplyExpectation, WritesExpectation } from './types.js';

/**
 * Expectation checks over a finished run: pure functions of the trace records (events and reply
 * records) and the probe replies the runner collected for time-point expectations.
 */

/** A `reply` trace record: what the scenario's redis-cli got back (ReplyInfo), by process `p`. */
export interface ReplyRecord extends TraceRecord, ReplyInfo {
  readonly k: 'reply';
  readonly p: string;
}

export interface EventRecord extends TraceRecord {
  readonly k: 'event';
  readonly p: string;
  readonly level: string;
  readonly event: string;
  readonly text: string;
}

export interface CheckContext {
  /** Time the run stopped (µs). */
  readonly endUs: number;
  /** Map an address a Sentinel reports to a process name. */
  readonly processAt: (ip: string, port: number) => string | undefined;
  /** Probe replies per expectation index (jobs the runner issued for it). */
  readonly probes: ReadonlyMap<number, readonly ReplyRecord[]>;
  /** The labelled timeline commands' scheduled times. */
  readonly labelTimes: ReadonlyMap<string, number>;
  /** The lost-writes check over the workload clients (when the model has any). */
  readonly lostWrites?: LostWritesReport;
  /** Every acknowledged write of the workload clients. */
  readonly acked?: readonly AckedWrite[];
  /** Redis process → its host (single-writable-master follows host-down faults). */
  readonly redisHosts?: ReadonlyMap<string, string>;
}

const t = (us: number) => `${formatSeconds(us)}s`;
export const eventLine = (e: EventRecord): string => `${formatSeconds(e.t)} ${e.p} ${e.level === 'warning' ? '#' : '*'} ${e.event} ${e.text}`;

export function checkAll(exps: readonly Expectation[], records: readonly TraceRecord[], cx: CheckContext): ExpectationResult[] {
  const events = records.filter((r): r is EventRecord => r.k === 'event');
  const replies = records.filter((r): r is ReplyRecord => r.k === 'reply');
  return exps.map((e, i) => {
    switch (e.kind) {
      case 'event':
        return checkEvent(e, events, cx);
      case 'master':
        return checkMaster(e, cx.probes.get(i) ?? [], cx);
      case 'key':
        return checkKey(e, cx.probes.get(i) ?? [], cx);
      case 'reply':
        return checkReply(e, replies, cx);
      case 'lostWrites':
        return checkLostWritesExpectation(e, cx);
      case 'writes':
        return checkWrites(e, cx);
      case 'property':
        return checkProperty(e, records, cx.probes.get(i) ?? [], cx);
    }
  });
}

function result(e: Expectation, pass: boolean, evidence: string[], atUs?: number): ExpectationResult {
  return { name: e.name, where: e.where, kind: e.kind, pass, evidence, ...(atUs === undefined ? {} : { atUs }) };
}

export function checkEvent(e: EventExpectation, events: readonly EventRecord[], cx: CheckContext): ExpectationResult {
  const matching = events.filter((r) => r.event === e.event && (!e.text || e.text.test(r.text)));
  const inWindow = (r: EventRecord) => r.t >= e.fromUs && r.t <= e.toUs;
  const windowText = `between ${t(e.fromUs)} and ${e.toUs === Infinity ? `the end (${t(cx.endUs)})` : t(e.toUs)}`;
  const groups: (readonly string[] | undefined)[] = e.each ? e.processes!.map((p) => [p]) : [e.processes];
  const evidence: string[] = [];
  let pass = true;
  let atUs: number | undefined;
  for (const g of groups) {
    const mine = matching.filter((r) => !g || g.includes(r.p));
    const hits = mine.filter(inWindow);
    const n = hits.length;
    const who = g ? ` from ${g.join('/')}` : '';
    const ok = n >= e.min && n <= e.max;
    if (ok) {
      if (n > 0) {
        evidence.push(`${n}× in the window${who}; first: ${eventLine(hits[0]!)}`);
        atUs ??= hits[0]!.t;
      } else evidence.push(`none${who} ${windowText}`);
      continue;
    }
    pass = false;
    if (n < e.min) {
      atUs = e.toUs === Infinity ? cx.endUs : Math.min(e.toUs, cx.endUs);
      evidence.push(`${n === 0 ? 'no' : `only ${n}×`} ${e.event}${who}${e.text ? ` matching /${e.text.source}/` : ''} ${windowText}${e.min > 1 ? ` (expected at least ${e.min})` : ''}`);
      if (e.toUs > cx.endUs) evidence.push(`the run stopped at ${t(cx.endUs)}`);
      const outside = mine.filter((r) => !inWindow(r));
      if (outside.length > 0) {
        const near = outside.reduce((a, b) => (distance(b.t, e) < distance(a.t, e) ? b : a));
        evidence.push(`nearest outside the window: ${eventLine(near)}`);
      } else {
        const sameType = events.filter((r) => r.event === e.event && (!g || g.includes(r.p)));
        if (sameType.length > 0 && e.text) evidence.push(`${sameType.length}× ${e.event} not matching the text, e.g. ${eventLine(sameType[0]!)}`);
        else if (sameType.length === 0) evidence.push(`${e.event} never occurred${who} in the whole run`);
      }
    } else {
      atUs = hits[e.max]!.t;
      evidence.push(`${n}× ${e.event}${who} ${windowText}, expected ${e.max === 0 ? 'none' : `at most ${e.max}`}`);
      for (const h of hits.slice(0, 3)) evidence.push(`  ${eventLine(h)}`);
      if (n > 3) evidence.push(`  … and ${n - 3} more`);
    }
  }
  return result(e, pass, evidence, atUs);
}

function distance(us: number, e: EventExpectation): number {
  return us < e.fromUs ? e.fromUs - us : us - e.toUs;
}

function roleOf(r: ReplyRecord): string | undefined {
  if (r.error || !Array.isArray(r.reply)) return undefined;
  const role = r.reply[0];
  return typeof role === 'string' ? role : undefined;
}

function isRoleProbe(r: ReplyRecord): boolean {
  return r.cmd === 'ROLE';
}

export function checkMaster(e: MasterExpectation, probes: readonly ReplyRecord[], cx: CheckContext): ExpectationResult {
  if (e.atUs > cx.endUs) return result(e, false, [`the run stopped at ${t(cx.endUs)}, before ${t(e.atUs)}`], cx.endUs);
  const evidence: string[] = [];
  let pass = true;
  if (e.source !== 'roles') {
    const asks = probes.filter((r) => r.cmd.startsWith('SENTINEL'));
    const named: string[] = [];
    for (const r of asks) {
      if (r.error || !Array.isArray(r.reply) || r.reply.length !== 2) {
        evidence.push(`${r.to}: ${r.text}`);
        continue;
      }
      const [ip, port] = r.reply as [string, string];
      const p = cx.processAt(String(ip), Number(port));
      const ok = p !== undefined && e.allowed.includes(p);
      named.push(p ?? `${ip}:${port}`);
      evidence.push(`${r.to} reports ${ip}:${port}${p ? ` (${p})` : ''}${ok ? '' : ' ✗'}`);
      if (!ok) pass = false;
    }
    if (named.length === 0) {
      pass = false;
      evidence.push('no Sentinel answered get-master-addr-by-name');
    }
  }
  if (e.source !== 'sentinels') {
    const roles = probes.filter(isRoleProbe);
    const masters = roles.filter((r) => roleOf(r) === 'master').map((r) => r.to);
    const desc = roles.map((r) => `${r.to}=${roleOf(r) ?? (r.error ? r.text : '?')}`).join(', ');
    evidence.push(`roles: ${desc || 'no node answered ROLE'}`);
    const bad = masters.filter((m) => !e.allowed.includes(m));
    if (masters.length === 0) {
      pass = false;
      evidence.push('no node reports role master');
    } else if (bad.length > 0) {
      pass = false;
      const split = masters.length > bad.length;
      evidence.push(`${bad.join(', ')} ${split ? 'also ' : ''}report${bad.length === 1 ? 's' : ''} role master${split ? ' (split brain)' : `, expected ${e.allowed.join(' or ')}`}`);
    }
  }
  return result(e, pass, evidence, e.atUs);
}

export function checkKey(e: KeyExpectation, probes: readonly ReplyRecord[], cx: CheckContext): ExpectationResult {
  if (e.atUs > cx.endUs) return result(e, false, [`the run stopped at ${t(cx.endUs)}, before ${t(e.atUs)}`], cx.endUs);
  const gets = probes.filter((r) => r.cmd.startsWith('GET '));
  let nodes: string[];
  const evidence: string[] = [];
  if (e.on === 'master') {
    nodes = probes.filter((r) => isRoleProbe(r) && roleOf(r) === 'master').map((r) => r.to);
    if (nodes.length === 0) return result(e, false, ['no node reports role master', ...probes.filter(isRoleProbe).map((r) => `${r.to}: ${r.text}`)], e.atUs);
  } else nodes = [e.on];
  let pass = true;
  for (const n of nodes) {
    const g = gets.find((r) => r.to === n);
    if (!g) {
      pass = false;
      evidence.push(`${n}: no reply to GET ${e.key}`);
      continue;
    }
    const ok = !g.error && (g.reply === e.value || (g.reply !== null && e.value !== null && String(g.reply) === e.value));
    if (!ok) pass = false;
    evidence.push(`${n}: GET ${e.key} → ${g.text}${ok ? '' : ` (expected ${e.value === null ? '(nil)' : JSON.stringify(e.value)})`}`);
  }
  return result(e, pass, evidence, e.atUs);
}

export function looseEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if ((typeof a === 'string' || typeof a === 'number') && (typeof b === 'string' || typeof b === 'number')) return String(a) === String(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => looseEqual(x, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && looseEqual((a as any)[k], (b as any)[k]));
  }
  return false;
}

export function checkReply(e: ReplyExpectation, replies: readonly ReplyRecord[], cx: CheckContext): ExpectationResult {
  const r = replies.find((x) => x.label === e.label && !x.probe);
  if (!r) {
    const at = cx.labelTimes.get(e.label);
    return result(e, false, [`no reply recorded for "${e.label}"${at !== undefined ? ` (sent at ${t(at)}` : ''}${at !== undefined && at > cx.endUs ? `, after the run stopped at ${t(cx.endUs)})` : at !== undefined ? ')' : ''}`], cx.endUs);
  }
  const evidence = [`${formatSeconds(r.t)} ${r.to}: ${r.cmd} → ${r.text}`];
  let pass = true;
  if (e.hasEquals && !looseEqual(r.reply, e.equals)) {
    pass = false;
    evidence.push(`expected ${JSON.stringify(e.equals)}, got ${JSON.stringify(r.reply)}`);
  }
  if (e.matches && !e.matches.test(r.text)) {
    pass = false;
    evidence.push(`expected text matching /${e.matches.source}/`);
  }
  if (e.error !== undefined && e.error !== r.error) {
    pass = false;
    evidence.push(e.error ? 'expected an error' : 'expected no error');
  }
  return result(e, pass, evidence, r.t);
}

const range = (min: number, max: number) => (min === max ? `${min}` : max === Infinity ? `at least ${min}` : min === 0 ? `at most ${max}` : `${min}..${max}`);

export function checkLostWritesExpectation(e: LostWritesExpectation, cx: CheckContext): ExpectationResult {
  const rep = cx.lostWrites;
  if (!rep) return result(e, false, ['no workload client recorded any write (give a model client "every:")'], cx.endUs);
  const lost = rep.lost.filter((w) => !e.client || w.client === e.client);
  const acked = e.client ? (rep.acknowledged[e.client] ?? 0) : Object.values(rep.acknowledged).reduce((a, b) => a + b, 0);
  const n = lost.length;
  const pass = rep.finalMaster !== null && n >= e.min && n <= e.max;
  const evidence = [
    `${n} of ${acked} acknowledged writes${e.client ? ` of ${e.client}` : ''} lost (expected ${range(e.min, e.max)}); checked against ${rep.finalMaster ?? 'no master'} at the end`,
    ...(rep.note ? [rep.note] : []),
    ...lostWindowLines({ ...rep, windows: rep.windows.filter((w) => !e.client || w.client === e.client) }),
  ];
  return result(e, pass, evidence, n > 0 ? lost[0]!.ackedMs * 1000 : cx.endUs);
}

export function checkWrites(e: WritesExpectation, cx: CheckContext): ExpectationResult {
  const all = (cx.acked ?? []).filter((w) => w.client === e.client && w.ackedUs >= e.fromUs && w.ackedUs <= e.toUs);
  const hits = e.by ? all.filter((w) => w.ackedBy === e.by || w.ackedBy.startsWith(`${e.by} via `)) : all;
  const n = hits.length;
  const pass = n >= e.min && n <= e.max;
  const win = `between ${t(e.fromUs)} and ${e.toUs === Infinity ? 'the end' : t(e.toUs)}`;
  const evidence = [`${n} writes of ${e.client} acknowledged${e.by ? ` by ${e.by}` : ''} ${win} (expected ${range(e.min, e.max)})`];
  if (n > 0) evidence.push(`first at ${t(hits[0]!.ackedUs)} by ${hits[0]!.ackedBy}, last at ${t(hits[n - 1]!.ackedUs)}`);
  const others = [...new Set(all.filter((w) => !hits.includes(w)).map((w) => w.ackedBy))];
  if (others.length > 0) evidence.push(`also acknowledged in the window by: ${others.join(', ')}`);
  return result(e, pass, evidence, n > 0 ? hits[0]!.ackedUs : Math.min(e.toUs, cx.endUs));
}
