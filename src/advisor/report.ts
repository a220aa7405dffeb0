import { DEFAULT_TUNABLES } from '../sentinel/constants.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import type { Model } from '../scenario/model.js';
import { generateCases, type Case, type CaseKind, type Fault } from './cases.js';
import { analyseDeployment, type Deployment } from './deployment.js';
import { checkFlags, type Flag } from './flags.js';
import { NotForkable, planFork } from './fork.js';
import { runCaseFrom, runCaseSeed, settle, type Settled, type SeedOutcome, type Timing } from './simulate.js';

/**
 * The advisor: every case over every seed, folded into one row per case (what the table shows),
 * a verdict with its reason, the flags, and a few summary lines. Everything here is a function of
 * the model and the seeds: the same input gives the same report, byte for byte.
 */

export const DEFAULT_SEEDS: readonly number[] = [1, 2, 3, 4, 5];
/** Simulated time limit of one run (fault + retry window), whatever failover-timeout says. */
export const MAX_WATCH_MS = 15 * 60 * 1000;

export interface CheckOptions {
  readonly seeds?: readonly number[];
  readonly factories?: BehaviorFactories;
  readonly maxPartitions?: number;
}

export interface Plan {
  readonly seeds: readonly number[];
  readonly faultAtMs: number;
  readonly windowMs: number;
  readonly quietMs: number;
  readonly retryWindowMs: number;
  readonly pauseMs: number;
  readonly pauseWindowMs: number;
  readonly sampleMs: number;
  /** One line each: why these numbers. */
  readonly explain: readonly string[];
}

export type VerdictKind = 'ok' | 'outage' | 'writes-lost' | 'read-only' | 'mixed';

export interface Cells {
  readonly odown: string;
  readonly leader: string;
  readonly selection: string;
  readonly failover: string;
  readonly time: string;
  readonly writesLost: string;
}

export interface CaseResult {
  readonly id: string;
  readonly kind: CaseKind;
  readonly label: string;
  readonly fault: Fault;
  readonly cells: Cells;
  readonly verdict: VerdictKind;
  readonly verdictText: string;
  /** Seeds that failed over, and the range of fault → first +switch-master (ms). */
  readonly failovers: number;
  readonly switchMs: { readonly min: number; readonly max: number } | null;
  readonly lostWritesMs: { readonly min: number; readonly max: number; readonly untilHeal: boolean } | null;
  readonly seeds: readonly SeedOutcome[];
}

export interface CheckReport {
  readonly model: {
    readonly name: string;
    readonly file: string;
    readonly hosts: number;
    readonly redis: number;
    readonly sentinels: number;
    readonly master: string;
    readonly masterProcess: string | null;
    readonly masterAddr: string;
    readonly replicas: readonly string[];
    readonly sentinelNames: readonly string[];
    readonly quorum: number;
    readonly majority: number;
    readonly downAfterMs: number;
    readonly failoverTimeoutMs: number;
    readonly otherMasters: readonly string[];
  };
  readonly plan: Plan;
  readonly cases: readonly CaseResult[];
  readonly flags: readonly Flag[];
  readonly notes: readonly string[];
  readonly summary: readonly string[];
}

export function makePlan(d: Deployment, seeds: readonly number[]): Plan {
  const latestStart = Math.max(0, ...d.model.processes.map((p) => Math.ceil(p.startAtUs / 1000)));
  const faultAtMs = Math.max(30_000, latestStart + 30_000);
  const windowMs = d.downAfterMs + 30_000;
  const lag = d.master?.redis && d.master.redis.minReplicasToWrite > 0 ? d.master.redis.minReplicasMaxLagSec * 1000 + 3000 : 0;
  const quietMs = Math.min(windowMs, Math.max(d.downAfterMs + 5000, lag));
  const wantRetry = d.downAfterMs + 2 * d.failoverTimeoutMs + 20_000;
  const retryWindowMs = Math.min(Math.max(windowMs, wantRetry), MAX_WATCH_MS);
  const pauseMs = Math.max(2 * d.downAfterMs, 2 * DEFAULT_TUNABLES.tiltTriggerMs + 1000);
  const pauseWindowMs = pauseMs + DEFAULT_TUNABLES.tiltPeriodMs + 5000;
  const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const explain = [
    `seeds ${seeds.join(' ')}; each case runs once per seed`,
    `fault at ${s(faultAtMs)} of simulated time (Sentinels have found each other and the replicas by then: hello every 2 s, INFO every 10 s)`,
    `watched ${s(quietMs)} after the fault when no Sentinel reaches ODOWN by then (down-after ${s(d.downAfterMs)} + 5 s${lag > 0 ? ', or min-replicas-max-lag + 3 s' : ''}), else until 3 s after +switch-master, at most ${s(windowMs)} (down-after + 30 s for ODOWN, the election and the promotion)`
      + (retryWindowMs > windowMs ? `, up to ${s(retryWindowMs)} when an attempt did not finish (the retry comes after 2 × failover-timeout = ${s(2 * d.failoverTimeoutMs)})` : '')
      + (wantRetry > MAX_WATCH_MS ? ` (capped at ${s(MAX_WATCH_MS)})` : '')
      + (retryWindowMs > windowMs ? `, but not for a partition whose side without the master has no Redis process once the first attempt elected a leader and ran its selection and no Sentinel beside the master saw it down (a Sentinel cut off from every Redis process can promote no one, so a retry ends as the first attempt did)` : ''),
    `fault→switch: from the fault to the first +switch-master by any Sentinel (a follower learns it from the leader's hello, the leader logs it at +failover-end), min–max over the seeds that failed over`,
    `pauses: SIGSTOP for ${s(pauseMs)} (2 × down-after, past the ${s(DEFAULT_TUNABLES.tiltTriggerMs)} TILT trigger), then SIGCONT, watched ${s(pauseWindowMs)} in all (TILT lasts ${s(DEFAULT_TUNABLES.tiltPeriodMs)})`,
    `writes: a client on the old master's own host (so on its side of any partition) writing every 100 ms; "lost" = acknowledged by the old master after the fault while another node was promoted`,
  ];
  return { seeds, faultAtMs, windowMs, quietMs, retryWindowMs, pauseMs, pauseWindowMs, sampleMs: 100, explain };
}

/** Everything decided before a case runs: the deployment, the plan, the cases and their timing. */
export interface CheckPlan {
  readonly model: Model;
  readonly deployment: Deployment;
  readonly plan: Plan;
  readonly cases: readonly Case[];
  readonly notes: readonly string[];
  readonly timing: Timing;
}

export function planCheck(model: Model, opts: Pick<CheckOptions, 'seeds' | 'maxPartitions'> = {}): CheckPlan {
  const d = analyseDeployment(model);
  const seeds = opts.seeds ?? DEFAULT_SEEDS;
  const plan = makePlan(d, seeds);
  const { cases, notes } = generateCases(d, { pauseMs: plan.pauseMs, maxPartitions: opts.maxPartitions });
  const timing: Timing = {
    faultAtUs: plan.faultAtMs * 1000, windowUs: plan.windowMs * 1000, quietUs: plan.quietMs * 1000, retryWindowUs: plan.retryWindowMs * 1000,
    pauseWindowUs: plan.pauseWindowMs * 1000, sampleUs: plan.sampleMs * 1000,
  };
  return { model, deployment: d, plan, cases, notes, timing };
}

/** A thread's settled world for a plan: the last seed's, as a maker of copies (null: it cannot be copied, so its cases start afresh). */
interface Template {
  readonly seed: number;
  readonly preFault: readonly string[];
  readonly copy: (() => Settled['world']) | null;
}

/**
 * One per plan and thread. Only the last seed's world is kept, since runJobs() runs the cases seed
 * by seed: a check of 100 seeds of a large model holds one settled world, not 100.
 */
const templateOf = new WeakMap<CheckPlan, Template>();

/**
 * One worker's or one thread's job: case `caseIndex` of the plan, for one seed. The seed's first
 * `faultAtMs` is simulated once per seed, plan and thread, and each case runs on a copy of it
 * (fork.ts). Models other than the real ones (test fakes) may keep state in closures: they start
 * afresh.
 */
export function runPlannedCase(p: CheckPlan, caseIndex: number, seed: number, factories?: BehaviorFactories): SeedOutcome {
  const c = p.cases[caseIndex]!;
  if (factories) return runCaseSeed(p.deployment, c, seed, p.timing, factories);
  let t = templateOf.get(p);
  if (t === undefined || t.seed !== seed) {
    t = templateFor(p, seed);
    templateOf.set(p, t);
  }
  if (!t.copy) return runCaseSeed(p.deployment, c, seed, p.timing);
  return runCaseFrom(p.deployment, c, seed, t.copy(), t.preFault, p.timing);
}

function templateFor(p: CheckPlan, seed: number): Template {
  const s = settle(p.deployment, seed, p.timing);
  try {
    return { seed, preFault: s.preFault, copy: planFork(s.world) };
  } catch (e) {
    if (e instanceof NotForkable) return { seed, preFault: s.preFault, copy: null };
    throw e;
  }
}

export function checkModel(model: Model, opts: CheckOptions = {}): CheckReport {
  const p = planCheck(model, opts);
  // Seed by seed, as runJobs() runs them (each seed settles once), placed case by case.
  const bySeed = p.plan.seeds.map((seed) => p.cases.map((_, i) => runPlannedCase(p, i, seed, opts.factories)));
  const outcomes = p.cases.map((_, i) => bySeed.map((row) => row[i]!));
  return assembleReport(p, outcomes);
}

/** The report from every case's outcomes (`outcomes[case][seed]`, in plan order). */
export function assembleReport(p: CheckPlan, outcomes: readonly (readonly SeedOutcome[])[]): CheckReport {
  const { model, deployment: d, plan, cases, notes } = p;
  const results = cases.map((c, i) => foldCase(d, c, outcomes[i]!));
  const flags = checkFlags(d);
  const allNotes = [...model.inferred, ...model.warnings, ...notes];
  if (d.otherMasters.length > 0) allNotes.push(`only ${d.masterName} is analysed; also monitored: ${d.otherMasters.join(', ')}`);
  if (!d.master) allNotes.push(`no process of the model listens at ${d.masterAddr}, the master's address: write probes are skipped`);
  const pre = [...new Set(results.flatMap((r) => r.seeds.flatMap((o) => o.preFault)))];
  if (pre.length > 0) allNotes.push(`before any fault the deployment was not quiet: ${pre.join(', ')} (check the configs: the cases below start from that state)`);
  return {
    model: {
      name: model.name, file: model.file, hosts: model.hosts.length, redis: model.processes.filter((p) => p.kind === 'redis').length,
      sentinels: d.sentinels.length, master: d.masterName, masterProcess: d.master?.name ?? null, masterAddr: d.masterAddr,
      replicas: d.replicas.map((r) => r.name), sentinelNames: d.sentinels.map((s) => s.name), quorum: d.quorum, majority: d.majority,
      downAfterMs: d.downAfterMs, failoverTimeoutMs: d.failoverTimeoutMs, otherMasters: d.otherMasters,
    },
    plan,
    cases: results,
    flags,
    notes: allNotes,
    summary: summarize(d, results),
  };
}

// ------------------------------------------------------------------ folding seeds into a row

const sec = (ms: number) => `${(ms / 1000).toFixed(1)}`;
const range = (xs: readonly number[]) => {
  const lo = sec(Math.min(...xs));
  const hi = sec(Math.max(...xs));
  return lo === hi ? `${lo} s` : `${lo}–${hi} s`;
};

/** "a ×3, b ×2" in first-seen order, or "a" when every seed agrees. */
function tally(xs: readonly string[], total: number): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  if (counts.size === 1 && xs.length === total) return xs[0]!;
  return [...counts.entries()].map(([k, n]) => `${k} ×${n}`).join(', ');
}

type SeedVerdict = { kind: Exclude<VerdictKind, 'mixed'>; text: string };

function seedVerdict(d: Deployment, c: Case, o: SeedOutcome): SeedVerdict {
  const old = d.master?.name;
  if (o.switchAtMs !== null) {
    if (o.lostWritesMs !== null) {
      const how = o.writesAcceptedAtEnd ? 'until the partition heals' : 'until min-replicas stops it';
      return { kind: 'writes-lost', text: `fails over, but ${old} keeps accepting writes on its side ${how}; they are lost when it is demoted${minReplicasNote(d)}` };
    }
    return { kind: 'ok', text: c.kind === 'pause' ? 'fails over: a pause alone should not cause a failover' : 'fails over' };
  }
  if (old && !o.oldMasterDown && o.mastersAtEnd.includes(old)) {
    if (o.writesAcceptedAtEnd) {
      if (c.kind === 'pause') {
        const p = c.fault.k === 'pause' ? c.fault.process : '';
        return { kind: 'ok', text: o.tilts.some((x) => x.sentinel === p) ? `master unaffected; ${p} in TILT after resume` : `master unaffected; ${p} did not enter TILT` };
      }
      return { kind: 'ok', text: `master unaffected${electability(d, c, o)}` };
    }
    return { kind: 'read-only', text: `${old} stays master but refuses writes (min-replicas-to-write ${d.master!.redis!.minReplicasToWrite}: not enough good replicas)` };
  }
  return { kind: 'outage', text: outageReason(d, o) };
}

function minReplicasNote(d: Deployment): string {
  const r = d.master?.redis;
  if (!r) return '';
  return r.minReplicasToWrite > 0 && r.minReplicasMaxLagSec > 0 ? ` (min-replicas-max-lag ${r.minReplicasMaxLagSec} s)` : ` (no min-replicas on ${d.master!.name})`;
}

function electability(d: Deployment, c: Case, o: SeedOutcome): string {
  if (c.fault.k !== 'down') return '';
  const left = o.sentinelsLeft.length;
  const voters = Math.max(o.votersSeen, d.sentinels.length);
  const maj = Math.floor(voters / 2) + 1;
  const need = Math.max(maj, d.quorum);
  if (left >= need) return '';
  if (left === 0) return '; no Sentinel left: no failover possible now';
  return `; no failover possible now: ${left} of ${voters} Sentinels left, a leader needs ${need} (majority of ${voters} is ${maj})`;
}

function outageReason(d: Deployment, o: SeedOutcome): string {
  const what = o.oldMasterDown ? 'master down' : 'master lost';
  if (o.sentinelsLeft.length === 0) return `${what}, no Sentinel left`;
  if (o.odownBy.length === 0) {
    const n = o.sdownBy.length;
    return `${what}, no ODOWN: ${n === 0 ? 'no Sentinel' : `only ${n} Sentinel${n === 1 ? '' : 's'}`} saw it down, quorum is ${d.quorum}`;
  }
  if (o.leader === null) {
    const ne = o.notElected[0];
    if (ne) {
      const need = Math.max(ne.majority, ne.quorum);
      const retry = o.notElected.length > 1 ? `; tried ${o.notElected.length} times, 2 × failover-timeout apart` : '';
      return `${what}, no leader: ${ne.votes} vote${ne.votes === 1 ? '' : 's'} of ${ne.voters} known Sentinels, a leader needs ${need} (majority of ${ne.voters} is ${ne.majority}${ne.quorum > ne.majority ? `, quorum ${ne.quorum}` : ''})${retry}`;
    }
    return `${what}, ODOWN but no election finished in ${sec(o.watchedMs)} s`;
  }
  if (o.selection && o.selection.selected === null) {
    const ex = o.selection.excluded.map((e) => `${e.replica} ${e.why} (${e.detail})`).join('; ');
    return `${what}, no replica passes selection: ${ex || 'no replica known'}`;
  }
  if (o.slaveTimeout) return `${what}, the promotion timed out (-failover-abort-slave-timeout)`;
  return `${what}, no +switch-master within ${sec(o.watchedMs)} s`;
}

export function foldCase(d: Deployment, c: Case, seeds: readonly SeedOutcome[]): CaseResult {
  const n = seeds.length;
  // ODOWN
  const od = seeds.filter((o) => o.odownBy.length > 0);
  const odWho = [...new Set(od.flatMap((o) => o.odownBy))];
  const sdWho = [...new Set(seeds.flatMap((o) => o.sdownBy))];
  const odown = od.length === 0 ? (sdWho.length > 0 ? `no (SDOWN: ${sdWho.join(' ')})` : 'no') : `${od.length === n ? 'yes' : `${od.length}/${n}`} (${odWho.join(' ')})`;
  // Leader
  const leaders = seeds.map((o) => o.leader ?? (o.notElected.length > 0 ? 'none' : '-'));
  let leader: string;
  if (leaders.every((l) => l === '-')) leader = '-';
  else {
    leader = tally(leaders, n);
    const ne = seeds.find((o) => o.leader === null && o.notElected.length > 0)?.notElected[0];
    if (ne) leader += ` (${ne.votes}/${ne.voters} votes, need ${Math.max(ne.majority, ne.quorum)})`;
  }
  // Selection: the picks, or for the seeds where none passed, each replica with the filters that excluded it.
  const sels = seeds.map((o) => {
    if (!o.selection) return '-';
    const x = o.selection;
    if (x.selected) return x.ran ? x.selected : `(would pick ${x.selected})`;
    return x.ran ? 'none' : '(none would pass)';
  });
  let selection = sels.every((x) => x === '-') ? '-' : tally(sels, n);
  const failed = seeds.filter((o) => o.selection && o.selection.selected === null);
  if (failed.length > 0) {
    const whys = new Map<string, Set<string>>();
    for (const o of failed) for (const e of o.selection!.excluded) whys.set(e.replica, (whys.get(e.replica) ?? new Set()).add(e.why));
    const order = new Map(d.model.processes.map((p, i) => [p.name, i]));
    const list = [...whys.entries()].sort((a, b) => (order.get(a[0]) ?? 1e9) - (order.get(b[0]) ?? 1e9) || (a[0] < b[0] ? -1 : 1));
    selection += `: ${list.length === 0 ? 'no replica known' : list.map(([r, w]) => `${r} ${[...w].sort().join('/')}`).join(', ')}`;
  }
  // Failover and time
  const sw = seeds.filter((o) => o.switchAtMs !== null);
  const failover = sw.length === 0 ? 'no' : sw.length === n ? 'yes' : `${sw.length}/${n}`;
  const switchMs = sw.length === 0 ? null : { min: Math.min(...sw.map((o) => o.switchAtMs!)), max: Math.max(...sw.map((o) => o.switchAtMs!)) };
  const time = sw.length === 0 ? '-' : range(sw.map((o) => o.switchAtMs!));
  // Writes lost
  const lost = seeds.filter((o) => o.lostWritesMs !== null);
  let writesLost = '-';
  let lostWritesMs: CaseResult['lostWritesMs'] = null;
  if (lost.length > 0) {
    const untilHeal = lost.some((o) => o.writesAcceptedAtEnd);
    lostWritesMs = { min: Math.min(...lost.map((o) => o.lostWritesMs!)), max: Math.max(...lost.map((o) => o.lostWritesMs!)), untilHeal };
    writesLost = untilHeal ? 'until heal' : `first ${range(lost.map((o) => o.lostWritesMs!))}`;
    if (lost.length < n) writesLost += ` in ${lost.length}/${n}`;
  } else {
    const ro = seeds.filter((o) => o.switchAtMs === null && !o.oldMasterDown && !o.writesAcceptedAtEnd && o.writesRefusedFromMs !== null && d.master && o.mastersAtEnd.includes(d.master.name));
    if (ro.length > 0) writesLost = `none; refused from ${range(ro.map((o) => o.writesRefusedFromMs!))}`;
  }
  // Verdict
  const vs = seeds.map((o) => seedVerdict(d, c, o));
  const kinds = [...new Set(vs.map((v) => v.kind))];
  let verdict: VerdictKind;
  let verdictText: string;
  const label = (k: string) => (k === 'ok' ? 'ok' : k === 'outage' ? 'OUTAGE' : k === 'writes-lost' ? 'WRITES LOST' : 'READ-ONLY');
  if (kinds.length === 1) {
    verdict = kinds[0]!;
    const texts = [...new Set(vs.map((v) => v.text))];
    verdictText = `${label(verdict)}: ${texts.length === 1 ? texts[0] : commonText(texts)}${tiltNote(c, seeds)}`;
  } else {
    verdict = 'mixed';
    verdictText = `MIXED: ${kinds.map((k) => `${label(k)} ×${vs.filter((v) => v.kind === k).length} (${vs.find((v) => v.kind === k)!.text})`).join('; ')}`;
  }
  return {
    id: c.id, kind: c.kind, label: c.label, fault: c.fault, cells: { odown, leader, selection, failover, time, writesLost },
    verdict, verdictText, failovers: sw.length, switchMs, lostWritesMs, seeds,
  };
}

/** How long the paused Sentinel stayed in TILT, over the seeds. */
function tiltNote(c: Case, seeds: readonly SeedOutcome[]): string {
  if (c.fault.k !== 'pause') return '';
  const p = c.fault.process;
  const ds = seeds.flatMap((o) => o.tilts.filter((t) => t.sentinel === p && t.exitedAtMs !== null).map((t) => t.exitedAtMs! - t.enteredAtMs));
  return ds.length === 0 ? '' : ` for ${range(ds)}`;
}

/** Seeds that agree on the kind but differ in a number: show the first and say so. */
function commonText(texts: readonly string[]): string {
  return `${texts[0]} (other seeds differ in detail)`;
}

// ------------------------------------------------------------------ summary lines

function summarize(d: Deployment, rs: readonly CaseResult[]): string[] {
  const out: string[] = [];
  const of = (k: CaseKind) => rs.filter((r) => r.kind === k);
  const bad = (xs: readonly CaseResult[]) => xs.filter((r) => r.verdict !== 'ok');
  const swRange = (xs: readonly CaseResult[]) => {
    const w = xs.filter((r) => r.switchMs);
    if (w.length === 0) return null;
    return range([Math.min(...w.map((r) => r.switchMs!.min)), Math.max(...w.map((r) => r.switchMs!.max))]);
  };
  const names = (xs: readonly CaseResult[]) => xs.map((r) => `${r.id.replace(/^[a-z]+:/, '')} (${r.verdictText})`).join('; ');

  const singles = of('domain');
  if (singles.length > 0) {
    const b = bad(singles);
    const t = swRange(singles.filter((r) => r.verdict === 'ok'));
    if (b.length === 0) {
      out.push(`any single failure domain may fail: yes, all ${singles.length} keep a writable master${t ? `; losing the master's domain fails over in ${t}` : ''}`);
    } else {
      out.push(`any single failure domain may fail: NO, ${b.length} of ${singles.length} do not: ${names(b)}`);
    }
  }
  const pairs = of('pair');
  if (pairs.length > 0) {
    const b = bad(pairs);
    out.push(b.length === 0 ? `any two failure domains may fail: yes, all ${pairs.length} pairs keep a writable master` : `two failure domains down: ${pairs.length - b.length} of ${pairs.length} pairs keep a writable master; not: ${b.map((r) => r.id.replace(/^pair:/, '')).join(', ')}`);
  }
  const pauses = of('pause');
  if (pauses.length > 0) {
    const b = bad(pauses);
    const spurious = pauses.filter((r) => r.failovers > 0);
    const tilted = pauses.filter((r) => r.seeds.every((o) => o.tilts.some((t) => r.fault.k === 'pause' && t.sentinel === r.fault.process)));
    out.push(`a Sentinel paused past the TILT trigger: ${tilted.length} of ${pauses.length} enter TILT on resume; ${spurious.length === 0 && b.length === 0 ? 'no failover, the master keeps serving' : `not ok: ${names([...new Set([...spurious, ...b])])}`}`);
  }
  const parts = of('partition');
  if (parts.length > 0) {
    const fo = parts.filter((r) => r.failovers > 0);
    const lost = parts.filter((r) => r.lostWritesMs);
    const out2 = parts.filter((r) => r.verdict === 'outage' || r.verdict === 'mixed' || r.verdict === 'read-only');
    let line = `partitions: ${parts.length} run, ${fo.length} fail over`;
    if (lost.length > 0) {
      const heal = lost.some((r) => r.lostWritesMs!.untilHeal);
      line += `, ${lost.length} lose writes on the old master's side: ${heal ? `until the partition heals${minReplicasNote(d)}` : `up to ${sec(Math.max(...lost.map((r) => r.lostWritesMs!.max)))} s${minReplicasNote(d)}`}`;
    }
    if (out2.length > 0) line += `, ${out2.length} leave no writable master or differ by seed: ${out2.map((r) => r.id.replace(/^partition:/, '')).join(', ')}`;
    out.push(line);
  }
  return out;
}
