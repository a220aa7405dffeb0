import { formatSeconds } from '../sim/time.js';
import type { TraceRecord } from '../sim/trace.js';
import type { CheckContext, EventRecord, ReplyRecord } from './expectations.js';
import type { ExpectationResult, PropertyExpectation, PropertyName } from './types.js';

/**
 * The properties `explore` checks, as pure functions of a finished run's records. Each says what
 * real Redis 7.0 Sentinel promises; a violation is either a bug in the deployment's configuration
 * (the promise's precondition does not hold in it) or in the simulator's model of Sentinel.
 */

export { PROPERTY_DOCS } from './propertyDocs.js';

type Check = (e: PropertyExpectation, records: readonly TraceRecord[], probes: readonly ReplyRecord[], cx: CheckContext) => { pass: boolean; evidence: string[]; atUs?: number };

const line = (e: EventRecord) => `${formatSeconds(e.t)} ${e.p} ${e.event} ${e.text}`;
const events = (records: readonly TraceRecord[]) => records.filter((r): r is EventRecord => r.k === 'event');
const masterOf = (e: EventRecord) => e.text.split(' ')[1] ?? '';

export function checkProperty(e: PropertyExpectation, records: readonly TraceRecord[], probes: readonly ReplyRecord[], cx: CheckContext): ExpectationResult {
  const r = CHECKS[e.property](e, records, probes, cx);
  return { name: e.name, where: e.where, kind: 'property', pass: r.pass, evidence: r.evidence, ...(r.atUs === undefined ? {} : { atUs: r.atUs }) };
}

/** Each Sentinel's epoch when it last started a failover (+try-failover follows its +new-epoch). */
function electionEpochs(evs: readonly EventRecord[]): { elected: { e: EventRecord; epoch: number }[]; switches: { e: EventRecord; epoch: number }[] } {
  const current = new Map<string, number>();
  const tried = new Map<string, number>();
  const elected: { e: EventRecord; epoch: number }[] = [];
  const switches: { e: EventRecord; epoch: number }[] = [];
  // Sentinel/master whose failover ended, with its epoch: its next +switch-master is its own.
  const ended = new Map<string, number>();
  for (const e of evs) {
    if (e.event === '+new-epoch') current.set(e.p, Number(e.text.split(' ')[0]));
    else if (e.event === '+try-failover') tried.set(`${e.p}/${masterOf(e)}`, current.get(e.p) ?? 0);
    else if (e.event === '+elected-leader') elected.push({ e, epoch: tried.get(`${e.p}/${masterOf(e)}`) ?? -1 });
    else if (e.event === '+failover-end' || e.event === '+failover-end-for-timeout') {
      const key = `${e.p}/${masterOf(e)}`;
      if (tried.has(key)) ended.set(key, tried.get(key)!);
    } else if (e.event === '+switch-master') {
      // The leader's own switch (sentinelFailoverSwitchToPromotedSlave()) follows its +failover-end.
      // Any other +switch-master is a Sentinel taking a newer configuration from a hello
      // (+config-update-from): it carries that leader's epoch, not this Sentinel's last failover's,
      // even if this Sentinel led an earlier failover of the same master.
      const key = `${e.p}/${e.text.split(' ')[0]}`;
      const epoch = ended.get(key);
      if (epoch !== undefined) switches.push({ e, epoch });
      ended.delete(key);
    }
  }
  return { elected, switches };
}

function oneLeaderPerEpoch(_e: PropertyExpectation, records: readonly TraceRecord[]): ReturnType<Check> {
  const { elected } = electionEpochs(events(records));
  const byEpoch = new Map<string, { e: EventRecord; epoch: number }[]>();
  for (const x of elected) {
    const k = `${masterOf(x.e)} epoch ${x.epoch}`;
    if (!byEpoch.has(k)) byEpoch.set(k, []);
    byEpoch.get(k)!.push(x);
  }
  for (const [k, xs] of byEpoch) {
    const leaders = [...new Set(xs.map((x) => x.e.p))];
    if (leaders.length > 1) return { pass: false, atUs: xs[1]!.e.t, evidence: [`${leaders.length} leaders for ${k}: ${leaders.join(', ')}`, ...xs.map((x) => `  ${line(x.e)}`)] };
  }
  return { pass: true, evidence: [`${elected.length} election(s) won, each epoch by one Sentinel`] };
}

function oneVotePerEpoch(_e: PropertyExpectation, records: readonly TraceRecord[]): ReturnType<Check> {
  const votes = new Map<string, EventRecord[]>();
  let n = 0;
  for (const e of events(records)) {
    if (e.event !== '+vote-for-leader') continue;
    n++;
    const [runid, epoch] = e.text.split(' ');
    const k = `${e.p} epoch ${epoch}`;
    if (!votes.has(k)) votes.set(k, []);
    const mine = votes.get(k)!;
    mine.push(e);
    const other = mine.find((x) => x.text.split(' ')[0]!.toLowerCase() !== runid!.toLowerCase());
    if (other) return { pass: false, atUs: e.t, evidence: [`${e.p} voted twice in epoch ${epoch}, for two different leaders`, `  ${line(other)}`, `  ${line(e)}`] };
  }
  return { pass: true, evidence: [`${n} vote(s), at most one leader per Sentinel and epoch`] };
}

function configEpochIncreases(_e: PropertyExpectation, records: readonly TraceRecord[]): ReturnType<Check> {
  const { switches } = electionEpochs(events(records));
  const last = new Map<string, { e: EventRecord; epoch: number }>();
  for (const s of switches) {
    const m = s.e.text.split(' ')[0]!;
    const prev = last.get(m);
    if (prev && s.epoch <= prev.epoch) {
      return { pass: false, atUs: s.e.t, evidence: [`${m}: a new configuration with epoch ${s.epoch}, not greater than the previous one (${prev.epoch})`, `  ${line(prev.e)}`, `  ${line(s.e)}`] };
    }
    last.set(m, s);
  }
  return { pass: true, evidence: [`${switches.length} configuration(s) announced by leaders, epochs increasing`] };
}

function roleReply(r: ReplyRecord): { role: string; master?: string } | undefined {
  if (r.error || !Array.isArray(r.reply)) return undefined;
  const [role, ip, port] = r.reply as unknown[];
  return role === 'slave' ? { role: 'slave', master: `${String(ip)}:${String(port)}` } : { role: String(role) };
}

/** "ip:port" or "host:port" → the process listening there (a replica may name its master by hostname). */
function procOfAddr(addr: string, cx: CheckContext): string {
  const i = addr.lastIndexOf(':');
  return cx.processAt(addr.slice(0, i), Number(addr.slice(i + 1))) ?? addr;
}

function converges(e: PropertyExpectation, _records: readonly TraceRecord[], probes: readonly ReplyRecord[], cx: CheckContext): ReturnType<Check> {
  if (e.fromUs > cx.endUs) return { pass: false, atUs: cx.endUs, evidence: [`the run stopped at ${formatSeconds(cx.endUs)}s, before ${formatSeconds(e.fromUs)}s`] };
  const evidence: string[] = [];
  const named = new Set<string>();
  let pass = true;
  for (const r of probes.filter((x) => x.cmd.startsWith('SENTINEL'))) {
    const ok = !r.error && Array.isArray(r.reply) && r.reply.length === 2;
    const addr = ok ? `${String((r.reply as unknown[])[0])}:${String((r.reply as unknown[])[1])}` : undefined;
    if (addr) named.add(procOfAddr(addr, cx));
    else pass = false;
    evidence.push(`${r.to} names ${addr ? `${addr} (${procOfAddr(addr, cx)})` : r.text}`);
  }
  if (named.size !== 1) pass = false;
  const master = named.size === 1 ? [...named][0]! : undefined;
  for (const r of probes.filter((x) => x.cmd === 'ROLE')) {
    const role = roleReply(r);
    const want = r.to === master ? 'master' : 'slave';
    const ok = role !== undefined && role.role === want && (want === 'master' || (role.master !== undefined && procOfAddr(role.master, cx) === master));
    if (!ok) pass = false;
    evidence.push(`${r.to}: ${role ? `${role.role}${role.master ? ` of ${role.master}` : ''}` : r.text}${ok ? '' : ` ✗ (expected ${want}${want === 'slave' && master ? ` of ${master}` : ''})`}`);
  }
  if (named.size > 1) evidence.unshift(`the Sentinels disagree: ${[...named].join(' / ')}`);
  return { pass, atUs: e.fromUs, evidence };
}

function failsOver(e: PropertyExpectation, records: readonly TraceRecord[], _p: readonly ReplyRecord[], cx: CheckContext): ReturnType<Check> {
  const sw = events(records).find((r) => r.event === '+switch-master' && r.t >= e.fromUs && r.t <= e.toUs);
  const window = `between ${formatSeconds(e.fromUs)}s and ${formatSeconds(e.toUs)}s`;
  if (sw) return { pass: true, atUs: sw.t, evidence: [`${line(sw)}`] };
  const ev = [`no +switch-master ${window}`];
  if (e.toUs > cx.endUs) ev.push(`the run stopped at ${formatSeconds(cx.endUs)}s`);
  const tries = events(records).filter((r) => r.t >= e.fromUs && r.t <= e.toUs && /^(\+try-failover|-failover-abort|\+odown|\+elected-leader)/.test(r.event));
  for (const t of tries.slice(0, 4)) ev.push(`  ${line(t)}`);
  return { pass: false, atUs: Math.min(e.toUs, cx.endUs), evidence: ev };
}

function noLostWrites(_e: PropertyExpectation, _r: readonly TraceRecord[], _p: readonly ReplyRecord[], cx: CheckContext): ReturnType<Check> {
  const rep = cx.lostWrites;
  if (!rep) return { pass: false, atUs: cx.endUs, evidence: ['no workload client recorded any write (give a model client "every:")'] };
  const acked = Object.values(rep.acknowledged).reduce((a, b) => a + b, 0);
  const pass = rep.finalMaster !== null && rep.lost.length === 0;
  const first = rep.lost[0];
  return {
    pass, atUs: first ? first.ackedMs * 1000 : cx.endUs,
    evidence: [`${rep.lost.length} of ${acked} acknowledged writes lost; checked against ${rep.finalMaster ?? 'no master'} at the end`, ...(rep.note ? [rep.note] : [])],
  };
}

/** Per Redis process, the intervals in which it ran unpaused with role master. */
function writableIntervals(records: readonly TraceRecord[], hostOf: ReadonlyMap<string, string>, endUs: number): Map<string, [number, number][]> {
  const role = new Map<string, string>();
  const running = new Map<string, boolean>();
  const since = new Map<string, number>();
  const out = new Map<string, [number, number][]>();
  const writable = (p: string) => running.get(p) === true && role.get(p) === 'master';
  const update = (p: string, t: number, f: () => void) => {
    const before = writable(p);
    f();
    const after = writable(p);
    if (!before && after) since.set(p, t);
    if (before && !after) {
      if (!out.has(p)) out.set(p, []);
      out.get(p)!.push([since.get(p)!, t]);
    }
  };
  for (const r of records) {
    const p = r.p as string | undefined;
    if (r.k === 'state' && p !== undefined && hostOf.has(p)) {
      if (r.what === 'boot') update(p, r.t, () => (running.set(p, true), role.set(p, r.role as string)));
      else if (r.what === 'role') update(p, r.t, () => role.set(p, r.role as string));
    } else if (r.k === 'fault') {
      const stopped = r.what === 'pause' ? [p] : r.what === 'host-down' ? [...hostOf].filter(([, h]) => h === r.host).map(([x]) => x) : ['crash', 'debug-segfault', 'kill', 'exit'].includes(r.what as string) ? [p] : [];
      for (const x of stopped) if (x !== undefined && hostOf.has(x)) update(x, r.t, () => running.set(x, false));
      if (r.what === 'resume' && p !== undefined && hostOf.has(p)) update(p, r.t, () => running.set(p, true));
    }
  }
  for (const p of hostOf.keys()) if (writable(p)) update(p, endUs, () => running.set(p, false));
  return out;
}

function singleWritableMaster(e: PropertyExpectation, records: readonly TraceRecord[], _p: readonly ReplyRecord[], cx: CheckContext): ReturnType<Check> {
  const iv = writableIntervals(records, cx.redisHosts ?? new Map(), cx.endUs);
  const all = [...iv].flatMap(([p, xs]) => xs.map(([a, b]) => ({ p, a, b }))).sort((x, y) => x.a - y.a || (x.p < y.p ? -1 : 1));
  let worst: { p: string; q: string; a: number; b: number } | undefined;
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length && all[j]!.a < all[i]!.b; j++) {
      if (all[i]!.p === all[j]!.p) continue;
      const a = all[j]!.a;
      const b = Math.min(all[i]!.b, all[j]!.b);
      if (b - a > e.windowUs && (!worst || b - a > worst.b - worst.a)) worst = { p: all[i]!.p, q: all[j]!.p, a, b };
    }
  }
  const limit = e.windowUs > 0 ? ` (allowed: ${formatSeconds(e.windowUs)}s)` : '';
  if (!worst) return { pass: true, evidence: [`never two writable masters${e.windowUs > 0 ? ` for longer than ${formatSeconds(e.windowUs)}s` : ''}`] };
  return { pass: false, atUs: worst.a, evidence: [`${worst.p} and ${worst.q} were both running with role master from ${formatSeconds(worst.a)}s to ${formatSeconds(worst.b)}s${limit}`] };
}

const CHECKS: Readonly<Record<PropertyName, Check>> = {
  'one-leader-per-epoch': oneLeaderPerEpoch,
  'one-vote-per-epoch': oneVotePerEpoch,
  'config-epoch-increases': configEpochIncreases,
  converges,
  'fails-over': failsOver,
  'no-lost-writes': noLostWrites,
  'single-writable-master': singleWritableMaster,
};
