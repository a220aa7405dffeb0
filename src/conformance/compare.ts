/**
 * The comparison harness: one conformance case runs (a) on real redis-server / redis-sentinel
 * processes (RealDeployment) and (b) in the simulator over N seeds with the same configs and the
 * same 127.0.0.1 ports, and the two are compared:
 *
 *  - the normalized Sentinel event sequence of every Sentinel, per role (the leader, the other
 *    Sentinels; by name when no failover started, any Sentinel no step targets standing for any
 *    other such): the real sequence must be one the simulator produces for that role in one of
 *    the case's fixed seeds (or, failing that, in one of RARE_SEARCH_SEEDS further seeds);
 *    events logged at verbose level are not in a real log and are left out; `-odown` is compared
 *    by its delay, not its place (see observe());
 *  - the outcomes (failover or not, promoted replica, final epoch, ODOWN, TILT, case facts such
 *    as a refused write): each must be produced in at least OUTCOME_SHARE of the seeds; the
 *    number of +convert-to-slave, a race between Sentinels, in one of them (conversionsProblem());
 *  - timings: every real delay from its fault to +sdown, +odown, +switch-master, +tilt, -tilt,
 *    +convert-to-slave, … must lie in the simulator's [min, max] over the seeds, widened only by
 *    the allowance derived from the scheduling noise measured during that real run (noise.ts).
 *
 * Alignment: the real run records the wall time of every fault it applies (after its own
 * healthy-wait). The simulator replays the same faults at the same offsets from the case's origin
 * fault, placed after a simulated warm-up; both sides' times are then relative to the origin. A
 * fault the drive applied after waiting for Sentinel events comes instead at the same lag after the
 * simulator's own such events (simulate()), since that is what caused it.
 * Delays are measured from the latest fault (not a plain client command) before the event, the
 * same rule on both sides.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../scenario/scenario.js';
import { loadModel } from '../scenario/model.js';
import { runScenario } from '../scenario/runner.js';
import type { TraceRecord } from '../sim/trace.js';
import { Normalizer, type SentinelEvent } from './log.js';
import { appliedAtMs, HOST, HOST_NAME, RealDeployment, withDeployment, type DeploymentSpec, type FaultKind, type FaultRecord } from './real.js';
import { RespError, type RespValue } from './resp-client.js';
import { noiseFigures, type NoiseFigures, type NoiseSample, NoiseProbe } from './noise.js';
import { topology, type TopologyOptions } from './topology.js';

// ------------------------------------------------------------------------------------ seeds, shares

/**
 * Seeds 1..N every case runs unless it names its own count. Fixed per case: a verdict never
 * depends on how long a search went on, and a rerun of the simulator gives the same ranges.
 * A real sequence the simulator produces in a share p of seeds is missing from N seeds with odds
 * (1 - p)^N: with 20 seeds a one-in-twenty variant is missed 36 % of the time (lagging-replicas
 * failed so on 2026-12-06: a non-leader voting before its own +sdown, in ~6 % of seeds); with
 * 100, 0.6 %. Two Sentinels starting a failover in the same epoch (split start, D4 in REPORT.md)
 * happens in about 31 % of simulated seeds; 100 seeds also put the simulated min/max of a delay
 * with a uniform 0–1000 ms phase within ~10 ms of the true ones (20 seeds: ~50 ms).
 */
export const DEFAULT_SEEDS = 100;

/**
 * Further seeds searched, after the case's own, for a real Sentinel sequence none of them
 * produced (or a real number of +convert-to-slave, see conversionsProblem()). Some real
 * sequences hang on a fault landing within a millisecond of a Sentinel's ping phase: in min-replicas (CI run of 2026-12-07) sentinel3's PINGs reached node2 just after its
 * SIGSTOP and node3 just before its own 1 ms later, so its two `+sdown` came a whole ping period
 * apart; the simulator does the same in about 1 of 1000 seeds, so 2000 find it 86 % of the time.
 * The count is fixed, so a verdict still never depends on time; a sequence the model cannot
 * produce still fails, after 2000 more seeds (about 100 s for old-master-resync, 50 ms a seed).
 */
export const RARE_SEARCH_SEEDS = 2000;

/**
 * Share of a case's seeds that must produce the real outcome (each field of it, the promoted
 * replica, each case fact). An outcome the simulator reaches only now and then is a
 * disagreement about the odds, not an agreement.
 */
export const OUTCOME_SHARE = 0.8;

// ------------------------------------------------------------------------------------ cases

export interface ConformanceCase {
  readonly id: string;
  readonly title: string;
  /** Topology (base port given separately). */
  readonly topology: Omit<TopologyOptions, 'base'>;
  readonly base: number;
  /**
   * Seeds 1..seeds of the simulated side (default DEFAULT_SEEDS), fixed. A case whose real runs
   * show a variant that is rare in the simulator names a count that holds it (see the case).
   */
  readonly seeds?: number;
  /** `SENTINEL DEBUG` parameters every Sentinel gets after the healthy-wait (and the simulator too). */
  readonly sentinelDebug?: Readonly<Record<string, number>>;
  /** The faults, after the healthy-wait (and SENTINEL DEBUG). Every fault goes through `d`, so it is recorded. */
  drive(d: RealDeployment): Promise<void>;
  /** Which recorded fault is the origin (t = 0 on both sides). Default: the first fault that is not a command/SENTINEL DEBUG. */
  readonly origin?: (faults: readonly FaultRecord[]) => number;
  /**
   * Replicas any of which may be promoted: the real choice is the run-id tie-break (equal
   * priority and offset), random per run. Omitted: the promoted replica must match exactly.
   */
  readonly promotedAnyOf?: readonly string[];
  /** The replica that must be promoted in the real run and in every seed (not only in OUTCOME_SHARE of them). */
  readonly promotedAlways?: string;
  /** Case facts from command replies (both sides): label → value. */
  readonly facts?: (replies: readonly ReplyRec[]) => Record<string, string>;
  /**
   * Disagreements found and written up (REPORT.md, for the model's owner) but not fixed yet: a
   * problem matching one of these is reported as a known disagreement instead of failing the
   * test. The comparison itself is unchanged; an unexpected problem still fails.
   */
  readonly known?: readonly KnownDisagreement[];
  /**
   * The simulator's client commands, replacing the real run's (which poll until a condition and
   * so stop where the real process reached it): given the real steps (relative to the origin).
   */
  readonly simCommands?: (realSteps: readonly Step[]) => Step[];
}

/**
 * A written-up disagreement: problems matching `match` (in a real run where `onlyIf` holds, when
 * given) are reported as this one instead of failing the case.
 */
export interface KnownDisagreement {
  readonly id: string;
  readonly match: RegExp;
  readonly onlyIf?: (real: Observation) => boolean;
  readonly why: string;
}

/** The written-up disagreement that explains `problem` in this real run, if any. */
export function knownFor(c: ConformanceCase, real: Observation, problem: string): KnownDisagreement | undefined {
  return (c.known ?? []).find((k) => k.match.test(problem) && (!k.onlyIf || k.onlyIf(real)));
}

/** A Sentinel other than the leader also started a failover (two candidates in epoch 1: D4). */
export function splitStart(o: Observation): boolean {
  return Object.entries(o.events).some(([s, es]) => s !== o.outcome.leader && es.some((e) => e.event === '+try-failover'));
}

/** A command reply, real or simulated, time relative to the origin. */
export interface ReplyRec {
  readonly timeMs: number;
  readonly to: string;
  readonly argv: readonly string[];
  /** `+OK`-style text: the reply as redis-cli would print it, errors as `-ERR…`. */
  readonly text: string;
  readonly error: boolean;
}

/** One fault at its offset from the origin. */
export interface Step {
  readonly atMs: number;
  readonly kind: FaultKind;
  readonly target: string;
  readonly argv?: readonly string[];
  /** A clock jump: by how much the host's wall clock stepped (ms, signed). */
  readonly byMs?: number;
  /** The real fault came `lagMs` after these waits were met: the simulator does the same. */
  readonly after?: StepTrigger;
}

/** The Sentinel events a fault waited for (real.ts EventWait), times from the origin. */
export interface StepTrigger {
  readonly waits: readonly { readonly pred: (e: SentinelEvent) => boolean; readonly sentinels: readonly string[]; readonly sinceMs: number }[];
  readonly lagMs: number;
}

/**
 * When the waits were met in `events`: each wait by the first matching event of any of its
 * Sentinels at or after its `sinceMs` (moved by `sinceShiftMs(sinceMs)`), all of them by the
 * latest such event; null when one is never met.
 */
export function triggerTimeMs(events: Readonly<Record<string, readonly SentinelEvent[]>>, t: StepTrigger, sinceShiftMs: (ms: number) => number = () => 0): number | null {
  let met = -Infinity;
  for (const w of t.waits) {
    const since = w.sinceMs + sinceShiftMs(w.sinceMs);
    let first = Infinity;
    for (const s of w.sentinels) {
      const e = (events[s] ?? []).find((x) => x.timeMs >= since && w.pred(x));
      if (e && e.timeMs < first) first = e.timeMs;
    }
    if (first === Infinity) return null;
    met = Math.max(met, first);
  }
  return met;
}

/** One run, real or simulated, in the comparison's shape. */
export interface Observation {
  readonly side: 'real' | 'sim';
  readonly seed?: number;
  /** Normalized events per Sentinel, times in ms from the origin. */
  readonly events: Readonly<Record<string, readonly SentinelEvent[]>>;
  readonly replies: readonly ReplyRec[];
  readonly endMs: number;
  /** The faults as applied on this side (the simulator moves a triggered step, see simulate()). */
  readonly steps: readonly Step[];
  readonly outcome: Outcome;
  /** Delay name → ms, per Sentinel (`<role> <event> <subject> | <fault>`). */
  readonly timings: readonly Timing[];
  /** Role → canonical sequences (one per Sentinel of that role). */
  readonly sequences: Readonly<Record<string, readonly string[][]>>;
}

export interface Outcome {
  readonly failover: boolean;
  readonly promoted: string | null;
  readonly leader: string | null;
  readonly epoch: number;
  readonly odown: boolean;
  readonly tilt: boolean;
  readonly convertToSlave: number;
  readonly facts: Readonly<Record<string, string>>;
}

export interface Timing {
  readonly key: string;
  readonly sentinel: string;
  readonly ms: number;
}

// ------------------------------------------------------------------------------------ helpers

const PRIMARY: ReadonlySet<FaultKind> = new Set(['kill9', 'shutdown-nosave', 'debug-segfault', 'sigterm', 'sigstop', 'sigcont', 'restart', 'sentinel-failover', 'clock-jump']);

export function defaultOrigin(faults: readonly FaultRecord[]): number {
  const i = faults.findIndex((f) => PRIMARY.has(f.kind));
  if (i < 0) throw new Error('the case applied no fault');
  return i;
}

function respText(r: RespValue | Error): { text: string; error: boolean } {
  if (r instanceof RespError) return { text: `-${r.message}`, error: true };
  if (r instanceof Error) return { text: `(error) ${r.message}`, error: true };
  if (r === null) return { text: '(nil)', error: false };
  if (Array.isArray(r)) return { text: JSON.stringify(r), error: false };
  return { text: String(r), error: false };
}

const TIMED: readonly string[] = ['+sdown', '-sdown', '+odown', '-odown', '+switch-master', '+tilt', '-tilt', '+convert-to-slave', '+promoted-slave', '+failover-end', '-failover-abort-not-elected', '+try-failover'];

/** The subject of an event for timing keys: `master`, `slave node1`, `sentinel sentinel3`. */
function subject(e: SentinelEvent): string {
  const w = e.text.split(' ');
  if (w[0] === 'master') return 'master';
  if (w[0] === 'slave' || w[0] === 'sentinel') return `${w[0]} ${w[1]}`;
  return '';
}

/** Replace run-specific names by roles, so a real and a simulated run compare as sequences. */
function canonical(text: string, self: string, leader: string | null, sentinels: readonly string[], promoted: string | null, anyOf: readonly string[] | undefined): string {
  return text
    .split(' ')
    .map((w) => {
      if (leader !== null && sentinels.includes(w)) return w === leader ? '<leader>' : w === self ? '<self>' : '<peer>';
      if (anyOf && promoted !== null && anyOf.includes(w)) return w === promoted ? '<promoted>' : '<other-replica>';
      return w;
    })
    .join(' ');
}

/**
 * Outcome, timings and canonical sequences of one run, by the same rules for both sides.
 * `steps` are the faults relative to the origin (commands included; they are not delay anchors).
 */
export function observe(
  c: ConformanceCase,
  side: 'real' | 'sim',
  events: Record<string, SentinelEvent[]>,
  steps: readonly Step[],
  replies: readonly ReplyRec[],
  endMs: number,
  seed?: number,
): Observation {
  const sentinels = Object.keys(events);
  const outcome = outcomeOf(c, events, replies);
  const { leader, promoted } = outcome;
  const anchorOf = anchorsOf(steps);
  const roleOf = (s: string) => (leader === null ? s : s === leader ? 'leader' : 'other');
  const timings: Timing[] = [];
  const sequences: Record<string, string[][]> = {};
  for (const s of sentinels) {
    const seen = new Set<string>();
    for (const e of events[s]!) {
      if (!TIMED.includes(e.event)) continue;
      const a = anchorOf(e.timeMs);
      if (!a) continue;
      const subj = canonical(subject(e), s, leader, sentinels, promoted, c.promotedAnyOf);
      const key = `${roleOf(s)} ${e.event}${subj ? ' ' + subj : ''} | from ${a.label}`;
      if (seen.has(key)) continue;
      seen.add(key);
      timings.push({ key, sentinel: s, ms: e.timeMs - a.atMs });
    }
    // `-odown` is compared by its delay (TIMED), not by its place in the sequence: it comes at the
    // first tick after the peers, already switched, answer is-master-down-by-addr with 0 (D2),
    // i.e. at the leader's ask-period phase, which lands it anywhere among the replica
    // reconfiguration events (real: just before +failover-end in 4 of 5 runs; simulated: as often
    // next to +slave-reconf-inprog). Its presence still counts: a real -odown with none simulated
    // is a timing problem with an empty simulated range.
    const seq = events[s]!.filter((e) => e.event !== '-odown').map((e) => `${e.event} ${canonical(e.text, s, leader, sentinels, promoted, c.promotedAnyOf)}`.trim());
    (sequences[roleOf(s)] ??= []).push(seq);
  }
  timings.push(...replyTimings(replies, anchorOf));
  return { side, seed, events, replies, endMs, steps, outcome, timings, sequences };
}

function outcomeOf(c: ConformanceCase, events: Record<string, SentinelEvent[]>, replies: readonly ReplyRec[]): Outcome {
  const sentinels = Object.keys(events);
  const all = Object.values(events).flat();
  const leaders = sentinels.filter((s) => events[s]!.some((e) => e.event === '+elected-leader'));
  // The leader of the failover that completed, else the last one elected.
  const leader = leaders.find((s) => events[s]!.some((e) => e.event === '+failover-end')) ?? leaders[leaders.length - 1] ?? null;
  const sw = all.find((e) => e.event === '+switch-master');
  const epochs = all.filter((e) => e.event === '+new-epoch').map((e) => Number(e.text));
  return {
    failover: sw !== undefined,
    promoted: sw ? (sw.text.split(' ')[2] ?? null) : null,
    leader,
    epoch: epochs.length ? Math.max(...epochs) : 0,
    odown: all.some((e) => e.event === '+odown'),
    tilt: all.some((e) => e.event === '+tilt'),
    convertToSlave: all.filter((e) => e.event === '+convert-to-slave').length,
    facts: c.facts ? c.facts(replies) : {},
  };
}

interface Anchor {
  readonly atMs: number;
  label: string;
  readonly kind: FaultKind;
  readonly targets: string[];
}

/**
 * The delay anchors of `steps`: faults of one kind applied together (within 50 ms, e.g. SIGCONT of
 * every Sentinel) form one anchor, timed from its first fault (which of them came last is harness
 * noise). Returns the anchor in force at a time: the latest at or before it.
 */
function anchorsOf(steps: readonly Step[]): (t: number) => Anchor | undefined {
  const anchors: Anchor[] = [];
  for (const st of steps) {
    if (!PRIMARY.has(st.kind)) continue;
    // Two clock steps of one host differ by their size, not their target.
    const target = st.kind === 'clock-jump' ? `${st.target} ${(st.byMs ?? 0) > 0 ? '+' : ''}${st.byMs ?? 0}ms` : st.target;
    const last = anchors[anchors.length - 1];
    if (last && last.kind === st.kind && st.kind !== 'clock-jump' && st.atMs - last.atMs <= 50) last.targets.push(target);
    else anchors.push({ atMs: st.atMs, label: '', kind: st.kind, targets: [target] });
  }
  for (const a of anchors) a.label = `${a.kind} ${a.targets.join('+')}`;
  return (t) => {
    let a: Anchor | undefined;
    for (const x of anchors) if (x.atMs <= t + 0.5) a = x;
    return a;
  };
}

/** Client replies: the first error of each kind, and the first success after it. */
function replyTimings(replies: readonly ReplyRec[], anchorOf: (t: number) => Anchor | undefined): Timing[] {
  const out: Timing[] = [];
  const seenReply = new Set<string>();
  let lastError: { cmd: string; error: string } | null = null;
  for (const r of replies) {
    const a = anchorOf(r.timeMs);
    if (!a) continue;
    const cmd = r.argv[0] ?? '';
    const what = r.error ? `${cmd} ${r.text.split(' ')[0]}` : lastError?.cmd === cmd ? `${cmd} ok again after ${lastError.error}` : null;
    if (r.error) lastError = { cmd, error: r.text.split(' ')[0]! };
    if (what === null || seenReply.has(what)) continue;
    seenReply.add(what);
    out.push({ key: `reply ${what} | from ${a.label}`, sentinel: '', ms: r.timeMs - a.atMs });
  }
  return out;
}

// ------------------------------------------------------------------------------------ real side

export interface RealRun {
  readonly obs: Observation;
  readonly steps: readonly Step[];
  readonly spec: DeploymentSpec;
  readonly version?: string;
  /** The scheduling noise measured while the real processes ran (noise.ts). */
  readonly noise: NoiseSample;
}

export async function runReal(c: ConformanceCase): Promise<RealRun> {
  const spec = topology({ base: c.base, ...c.topology });
  const probe = NoiseProbe.start();
  try {
    const run = await realRun(c, spec);
    return { ...run, noise: await probe.stop() };
  } finally {
    await probe.stop();
  }
}

async function realRun(c: ConformanceCase, spec: DeploymentSpec): Promise<Omit<RealRun, 'noise'>> {
  return withDeployment(spec, async (d) => {
    await d.waitHealthy();
    const before = d.faults.length;
    if (c.sentinelDebug) await d.sentinelDebug(c.sentinelDebug);
    const replies: { f: FaultRecord; r: RespValue | Error }[] = [];
    const orig = d.command.bind(d);
    // Record every client command's reply (the case's drive calls d.command).
    d.command = async (name, argv, timeoutMs) => {
      const x = await orig(name, argv, timeoutMs);
      replies.push({ f: x.fault, r: x.reply });
      return x;
    };
    await c.drive(d);
    const faults = d.faults.slice(before);
    const oi = (c.origin ?? defaultOrigin)(faults);
    const t0 = appliedAtMs(faults[oi]!);
    const endMs = d.now() - t0;
    const events: Record<string, SentinelEvent[]> = {};
    for (const s of d.names('sentinel')) {
      events[s] = d
        .normalizedEvents(s)
        .filter((e) => e.timeMs >= t0 && e.timeMs - t0 <= endMs)
        .map((e) => ({ ...e, timeMs: e.timeMs - t0 }));
    }
    const steps: Step[] = faults.map((f) => ({
      atMs: appliedAtMs(f) - t0,
      ...stepTrigger(f, t0, events),
      kind: f.kind,
      target: f.target,
      ...(f.detail !== undefined && (f.kind === 'command' || f.kind === 'sentinel-debug') ? { argv: f.kind === 'sentinel-debug' ? ['SENTINEL', 'DEBUG', ...f.detail.split(' ')] : f.detail.split(' ') } : {}),
      ...(f.kind === 'sentinel-failover' ? { argv: ['SENTINEL', 'FAILOVER', f.detail ?? spec.masterName] } : {}),
      ...(f.kind === 'clock-jump' ? { byMs: Number(f.detail) } : {}),
    }));
    const reps: ReplyRec[] = replies.map(({ f, r }) => ({ timeMs: f.timeMs - t0, to: f.target, argv: (f.detail ?? '').split(' '), ...respText(r) }));
    return { obs: observe(c, 'real', events, steps, reps, endMs), steps, spec };
  });
}

/** A real fault's waits as a trigger from the origin, with its measured lag (none if unmet before the origin). */
export function stepTrigger(f: FaultRecord, t0: number, events: Readonly<Record<string, readonly SentinelEvent[]>>): { after?: StepTrigger } {
  if (!f.waits?.length) return {};
  const waits = f.waits.map((w) => ({ pred: w.pred, sentinels: w.sentinels, sinceMs: w.sinceMs - t0 }));
  const met = triggerTimeMs(events, { waits, lagMs: 0 });
  return met === null ? {} : { after: { waits, lagMs: Math.max(0, appliedAtMs(f) - t0 - met) } };
}

// ------------------------------------------------------------------------------------ sim side

/**
 * The simulated warm-up before the origin: see startPhaseMs() for the processes' start times; the
 * earliest step comes at 10–11 s (the
 * Sentinels know the replicas from their first INFO and each other from hellos every 2 s by then),
 * with a seeded 0–999 ms phase so the seeds also vary the fault's phase against ping and INFO periods.
 */
export function warmupMs(seed: number, steps: readonly Step[] = []): number {
  const earliest = Math.min(0, ...steps.map((s) => s.atMs));
  return 10_000 - earliest + ((seed * 7919) % 1000);
}

/**
 * When the simulated Sentinels start (ms of the warm-up). The real harness starts its Sentinels
 * only once the master lists every replica (RealDeployment.start()), and a replica attaches at its
 * first replicationCron(), up to 1 s after its start: by 3.0 s here. A Sentinel started before that
 * would learn the replica only at its next INFO, 10 s later, after the origin in some seeds: a state
 * the real harness never faults (it waits until every Sentinel knows every replica).
 */
export const SENTINEL_START_MS = 3100;

/**
 * Seeded start times: real processes start at arbitrary sub-second phases (which matter wherever
 * Redis works in whole seconds: replicas' REPLCONF ACK and the master's good-replica count are
 * once a second, on `unixtime` seconds, so every process needs its own phase over a whole
 * second). The master starts in [0, 1000) ms, replicas in [1000, 2000) ms, Sentinels in
 * [SENTINEL_START_MS, SENTINEL_START_MS + 1000).
 */
function startPhaseMs(seed: number, name: string, kind: 'redis' | 'sentinel', spec: DeploymentSpec): number {
  let h = seed * 2654435761;
  for (const ch of name) h = (Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0);
  if (kind === 'sentinel') return SENTINEL_START_MS + (h % 1000);
  return (spec.nodes[0]!.name === name ? 0 : 1000) + (h % 1000);
}

/**
 * The case simulated for one seed: the real steps (the case's own client commands in place of the
 * real ones, if it has simCommands) at the same offsets from the origin, except that a step the real
 * drive took after waiting for Sentinel events (Step.after) comes at the same lag after the
 * simulator's own such events, and every later step moves with it. That takes one run per such step
 * to find its events first: a run's past never depends on its later steps, which simulate() checks.
 */
export function simulate(c: ConformanceCase, spec: DeploymentSpec, steps: readonly Step[], endMs: number, seed: number): Observation {
  const real = (c.simCommands ? [...steps.filter((s) => s.kind !== 'command'), ...c.simCommands(steps)].sort((a, b) => a.atMs - b.atMs) : steps).filter((s) => s.atMs <= endMs);
  const w = warmupMs(seed, steps);
  const plan: Step[] = [];
  const shifts: { fromMs: number; shiftMs: number }[] = [{ fromMs: -Infinity, shiftMs: 0 }];
  const shiftAt = (realMs: number) => shifts.filter((x) => x.fromMs <= realMs).pop()!.shiftMs;
  const checks: { t: StepTrigger; shiftAt: (ms: number) => number; metMs: number }[] = [];
  for (const s of real) {
    if (s.after) {
      const prefix = simulateOnce(c, spec, plan, endMs + shiftAt(Infinity), seed, w);
      const shiftsNow = [...shifts];
      const sinceShift = (ms: number) => shiftsNow.filter((x) => x.fromMs <= ms).pop()!.shiftMs;
      const met = triggerTimeMs(prefix.events, s.after, sinceShift);
      if (met !== null) {
        shifts.push({ fromMs: s.atMs, shiftMs: met + s.after.lagMs - s.atMs });
        checks.push({ t: s.after, shiftAt: sinceShift, metMs: met });
      }
    }
    plan.push({ ...s, atMs: s.atMs + shiftAt(s.atMs) });
  }
  plan.sort((a, b) => a.atMs - b.atMs);
  const obs = simulateOnce(c, spec, plan, endMs + shiftAt(Infinity), seed, w);
  for (const x of checks) {
    const again = triggerTimeMs(obs.events, x.t, x.shiftAt);
    if (again !== x.metMs) throw new Error(`case ${c.id} seed ${seed}: a later step changed the simulated past (trigger at ${x.metMs} ms, then ${again} ms)`);
  }
  return obs;
}

/**
 * A model (written to a temp folder: one host 127.0.0.1, the same config texts and ports as the
 * real processes) and a scenario with `plan`'s steps at their offsets from the origin.
 */
function simulateOnce(c: ConformanceCase, spec: DeploymentSpec, plan: readonly Step[], endMs: number, seed: number, w: number): Observation {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-compare-'));
  try {
    const procs: unknown[] = [];
    for (const [kind, list] of [['redis', spec.nodes], ['sentinel', spec.sentinels]] as const) {
      for (const p of list) {
        writeFileSync(join(dir, `${p.name}.conf`), `${p.config}bind ${HOST}\n`);
        procs.push({ name: p.name, kind, host: HOST_NAME, config: `${p.name}.conf`, start: `${startPhaseMs(seed, p.name, kind, spec)}ms` });
      }
    }
    const modelFile = join(dir, 'model.yaml');
    writeFileSync(modelFile, JSON.stringify({ name: `conformance-${c.id}`, hosts: [{ name: HOST_NAME, ip: HOST, aliases: ['localhost'] }], processes: procs }));
    const model = loadModel(modelFile);
    const at = (ms: number) => `${Math.max(0, Math.round((w + ms) * 1000))}us`;
    const timeline = plan.map((s, i) => timelineEntry(s, i, at(s.atMs)));
    const text = JSON.stringify({ name: `conformance-${c.id}`, model: 'model.yaml', seed, duration: at(endMs), timeline });
    const run = runScenario(parseScenario(text, join(dir, 'scenario.yaml'), { model }), { seed });
    return observe(c, 'sim', simEvents(run.records, spec, w * 1000), plan, simReplies(run.records, plan), endMs, seed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A step as a scenario timeline entry; a step that answers (a command) is labelled `c<index>`. */
function timelineEntry(s: Step, i: number, at: string): Record<string, unknown> {
  switch (s.kind) {
    case 'kill9':
      return { at, crash: s.target };
    case 'shutdown-nosave':
      return { at, command: ['SHUTDOWN', 'NOSAVE'], to: s.target, label: `c${i}` };
    case 'debug-segfault':
      return { at, 'debug-segfault': s.target };
    case 'sigterm':
      return { at, sigterm: s.target };
    case 'sigstop':
      return { at, pause: s.target };
    case 'sigcont':
      return { at, resume: s.target };
    case 'restart':
      return { at, restart: s.target };
    case 'clock-jump':
      return { at, 'clock-jump': { host: s.target, by: `${s.byMs ?? 0}ms` } };
    case 'sentinel-failover':
    case 'sentinel-debug':
    case 'command':
      return { at, command: s.argv?.map(compactArg), to: s.target, label: `c${i}` };
  }
}

/** The simulated Sentinels' events from the origin (`t0us`), normalized as the real side's are. */
function simEvents(records: readonly TraceRecord[], spec: DeploymentSpec, t0us: number): Record<string, SentinelEvent[]> {
  const names = [...spec.nodes, ...spec.sentinels].map((p) => ({ ip: HOST, port: p.port, name: p.name }));
  const norm = new Normalizer(names);
  for (const r of records) {
    if (r.k === 'log' && typeof r.text === 'string') {
      const m = /^Sentinel ID is ([0-9a-f]{40})$/.exec(r.text);
      if (m) norm.addRunId(m[1]!, String(r.p));
    }
  }
  const events: Record<string, SentinelEvent[]> = {};
  for (const s of spec.sentinels) events[s.name] = [];
  for (const r of records) {
    // A real Sentinel logs at loglevel notice (the default): verbose events such as
    // +role-change/-role-change never reach its log, so they are not part of the comparison.
    if (r.k !== 'event' || r.t < t0us || !LOGGED_LEVELS.has(String(r.level))) continue;
    const list = events[String(r.p)];
    if (!list) continue;
    list.push(norm.event({ timeMs: (r.t - t0us) / 1000, process: String(r.p), level: r.level as SentinelEvent['level'], event: String(r.event), text: String(r.text) }));
  }
  return events;
}

/** The replies to the plan's commands, at their steps' times. */
function simReplies(records: readonly TraceRecord[], plan: readonly Step[]): ReplyRec[] {
  const replies: ReplyRec[] = [];
  for (const r of records) {
    if (r.k !== 'reply' || typeof r.label !== 'string' || !/^c\d+$/.test(r.label)) continue;
    const step = plan[Number(r.label.slice(1))]!;
    replies.push({ timeMs: step.atMs, to: step.target, argv: step.argv ?? [], ...simReplyText(r.reply, String(r.text)), error: Boolean(r.error) });
  }
  return replies.sort((a, b) => a.timeMs - b.timeMs);
}

/** A long value of one repeated "x" (a bulk write) as the scenario's `{ bytes: n }`: keeps the scenario text small. */
function compactArg(a: string): string | { bytes: number } {
  return a.length > 1024 && /^x+$/.test(a) ? { bytes: a.length } : a;
}

/** A simulated reply in the real side's text form: `-ERR…` for error replies, plain values otherwise. */
function simReplyText(reply: unknown, cliText: string): { text: string } {
  if (reply !== null && typeof reply === 'object' && !Array.isArray(reply) && 'error' in reply) {
    const e = String((reply as { error: unknown }).error);
    return { text: e === 'timeout' ? `(error) ${cliText}` : `-${e}` };
  }
  if (reply === null) return { text: '(nil)' };
  if (Array.isArray(reply)) return { text: JSON.stringify(reply) };
  return { text: String(reply) };
}

// ------------------------------------------------------------------------------------ comparison

export interface TimingCheck {
  readonly key: string;
  readonly real: readonly number[];
  readonly simMin: number | null;
  readonly simMax: number | null;
  readonly ok: boolean;
}

export interface CaseComparison {
  readonly c: ConformanceCase;
  readonly real: Observation;
  /** Seeds 1..seeds, then rareSeeds. */
  readonly sims: readonly Observation[];
  readonly seeds: number;
  /** Seeds after the case's own that produced a real sequence or conversion count none of them did (RARE_SEARCH_SEEDS). */
  readonly rareSeeds: readonly number[];
  readonly steps: readonly Step[];
  readonly timings: readonly TimingCheck[];
  /** Human-readable disagreements; empty = agree. */
  readonly problems: readonly string[];
  /** The scheduling noise measured during the real run and the timing allowance it gave. */
  readonly noise: NoiseFigures;
  readonly durationMs: number;
}

/** Levels a Sentinel with the default `loglevel notice` writes. */
const LOGGED_LEVELS: ReadonlySet<string> = new Set(['notice', 'warning']);

const seqKey = (s: readonly string[]) => s.join('\n');

/**
 * One outcome check: `agrees` says whether a simulated run produced the real value; a problem
 * unless at least OUTCOME_SHARE of the seeds did. The message lists the simulated values with counts.
 */
export function shareProblem(label: string, realText: string, sims: readonly Observation[], agrees: (s: Observation) => boolean, simText: (s: Observation) => string): string | null {
  const hits = sims.filter(agrees).length;
  if (sims.length > 0 && hits >= OUTCOME_SHARE * sims.length) return null;
  const counts = new Map<string, number>();
  for (const s of sims) counts.set(simText(s), (counts.get(simText(s)) ?? 0) + 1);
  const dist = [...counts].map(([v, n]) => `${v} ×${n}`).join(' / ');
  return `${label}: real ${realText} in ${hits}/${sims.length} seeds (needs ≥ ${Math.round(OUTCOME_SHARE * 100)} %); simulated ${dist || 'nothing'}`;
}

/** The real outcome, field by field, against the share of seeds that produced it. */
export function outcomeProblems(c: ConformanceCase, real: Outcome, sims: readonly Observation[]): string[] {
  const out: (string | null)[] = [];
  const fields = ['failover', 'epoch', 'odown', 'tilt'] as const;
  for (const f of fields) {
    const text = (o: Outcome) => JSON.stringify(o[f]);
    out.push(shareProblem(`outcome ${f}`, text(real), sims, (s) => text(s.outcome) === text(real), (s) => text(s.outcome)));
  }
  out.push(conversionsProblem(real, sims));
  // promotedAnyOf: the real choice among equals is the run-id tie-break, random per run, so any of
  // them agrees; still a failover (or none) in the share of seeds.
  const anyOf = c.promotedAnyOf;
  if (anyOf && real.promoted !== null && !anyOf.includes(real.promoted)) out.push(`promoted: real ${real.promoted}, expected one of ${anyOf.join(', ')}`);
  const samePromotion = (p: string | null) => (anyOf && real.promoted !== null ? p !== null && anyOf.includes(p) : p === real.promoted);
  const realPromo = anyOf && real.promoted !== null ? `one of ${anyOf.join(', ')} (${real.promoted})` : String(real.promoted);
  out.push(shareProblem('promoted', realPromo, sims, (s) => samePromotion(s.outcome.promoted), (s) => String(s.outcome.promoted)));
  const must = c.promotedAlways;
  if (must !== undefined) {
    if (real.promoted !== must) out.push(`promoted: real ${real.promoted}, the case requires ${must}`);
    // Every seed that promoted a replica must have chosen this one (sentinelFailoverSelectSlave()).
    // A seed that promoted none within the real run's window is the share rule's business: in
    // lagging-replicas (CI on 2026-12-07) seed 72's three Sentinels split the epoch-1 vote, and the
    // retry 2 × failover-timeout later promoted node3 after the window had closed.
    const off = sims.filter((s) => s.outcome.promoted !== null && s.outcome.promoted !== must);
    if (off.length > 0) out.push(`promoted: ${must} required in every seed that promoted one; ${off.map((s) => `seed ${s.seed}: ${s.outcome.promoted}`).join(', ')}`);
  }
  for (const [k, v] of Object.entries(real.facts)) {
    out.push(shareProblem(`fact ${k}`, JSON.stringify(v), sims, (s) => s.outcome.facts[k] === v, (s) => JSON.stringify(s.outcome.facts[k] ?? null)));
  }
  return out.filter((p): p is string => p !== null);
}

/** A real Sentinel's sequence, by role (see observe()). */
interface RoleSequence {
  readonly role: string;
  readonly seq: readonly string[];
}

/**
 * The simulated roles whose sequences may stand for a real role's: the role itself; for a Sentinel
 * known by name (no failover started) that no step targets, every such Sentinel. Their names are
 * labels (same config; each process draws its own hash seed and start phase), as the role `other`
 * pools the non-leaders of a failover.
 */
function standIns(role: string, roles: readonly string[], steps: readonly Step[]): string[] {
  const targeted = new Set(steps.map((s) => s.target));
  const free = (r: string) => r !== 'leader' && r !== 'other' && !targeted.has(r);
  return free(role) ? roles.filter(free) : [role];
}

/** The real sequences none of `sims` produced for a role that may stand for the real one. */
function unmatchedSequences(real: Observation, wanted: readonly RoleSequence[], sims: readonly Observation[]): RoleSequence[] {
  const roles = Object.keys(real.sequences);
  return wanted.filter(({ role, seq }) => {
    const who = standIns(role, roles, real.steps);
    return !sims.some((s) => who.some((r) => (s.sequences[r] ?? []).some((x) => seqKey(x) === seqKey(seq))));
  });
}

function realSequences(real: Observation): RoleSequence[] {
  return Object.entries(real.sequences).flatMap(([role, seqs]) => seqs.map((seq) => ({ role, seq })));
}

/**
 * The number of `+convert-to-slave` must be one the simulator produces, not the share it usually
 * does. Each Sentinel converts the old master on its own INFO reply that still shows it a master
 * (sentinelRefreshInstanceInfo()), so two convert when their replies come within the round trip
 * of the first SLAVEOF: seed003-pause-master in CI on 2026-12-07, sentinel1 and sentinel2 at the
 * same ms (the SIGCONT had answered every Sentinel's queued INFO at once, aligning their 10 s
 * periods); 2 of 300 simulated seeds, 70 µs apart. That window is the machine's loopback and
 * scheduling delay, wider under load, which the model does not take from the real run. Each
 * converting Sentinel's sequence is still checked (missingSequences()).
 */
function conversionsProblem(real: Outcome, sims: readonly Observation[]): string | null {
  if (sims.some((s) => s.outcome.convertToSlave === real.convertToSlave)) return null;
  const counts = new Map<number, number>();
  for (const s of sims) counts.set(s.outcome.convertToSlave, (counts.get(s.outcome.convertToSlave) ?? 0) + 1);
  return `outcome convertToSlave: real ${real.convertToSlave} in none of ${sims.length} seeds; simulated ${[...counts].map(([v, n]) => `${v} ×${n}`).join(' / ')}`;
}

function missingSequences(real: Observation, sims: readonly Observation[]): string[] {
  return unmatchedSequences(real, realSequences(real), sims).map(({ role, seq }) => `${role}: real sequence not produced by the simulator in ${sims.length} seeds:\n    ${seq.join('\n    ')}`);
}

/**
 * Seeds after `lastSeed`, up to RARE_SEARCH_SEEDS of them, that produce real sequences `sims`
 * did not, or the real number of conversions if none did (each the first to produce one of
 * these): they join the comparison as any seed does.
 */
function rareSeedsFor(c: ConformanceCase, real: RealRun, sims: readonly Observation[], lastSeed: number): Observation[] {
  let missing = unmatchedSequences(real.obs, realSequences(real.obs), sims);
  const conversions = (o: Observation) => o.outcome.convertToSlave === real.obs.outcome.convertToSlave;
  let convert = !sims.some(conversions);
  const found: Observation[] = [];
  for (let seed = lastSeed + 1; (missing.length > 0 || convert) && seed <= lastSeed + RARE_SEARCH_SEEDS; seed++) {
    const o = simulate(c, real.spec, real.steps, real.obs.endMs, seed);
    const still = unmatchedSequences(real.obs, missing, [o]);
    const converts = convert && conversions(o);
    if (still.length === missing.length && !converts) continue;
    found.push(o);
    missing = still;
    if (converts) convert = false;
  }
  return found;
}

function timingChecks(real: Observation, sims: readonly Observation[], allowance: NoiseFigures): TimingCheck[] {
  const keys = [...new Set(real.timings.map((t) => t.key))];
  return keys.map((key) => {
    const rv = real.timings.filter((t) => t.key === key).map((t) => t.ms);
    const sv = sims.flatMap((s) => s.timings.filter((t) => t.key === key).map((t) => t.ms));
    if (sv.length === 0) return { key, real: rv, simMin: null, simMax: null, ok: false };
    const lo = Math.min(...sv);
    const hi = Math.max(...sv);
    const ok = rv.every((v) => v >= lo - allowance.earlyMs && v <= hi + allowance.lateMs);
    return { key, real: rv, simMin: lo, simMax: hi, ok };
  });
}

/** Compare one real observation with simulated runs over the case's fixed seeds 1..N. */
export function compareWithSim(c: ConformanceCase, real: RealRun): Omit<CaseComparison, 'durationMs'> {
  const n = c.seeds ?? DEFAULT_SEEDS;
  const sims: Observation[] = [];
  for (let seed = 1; seed <= n; seed++) sims.push(simulate(c, real.spec, real.steps, real.obs.endMs, seed));
  const rare = rareSeedsFor(c, real, sims, n);
  const all = [...sims, ...rare];
  const noise = noiseFigures(real.noise);
  return { c, real: real.obs, sims: all, seeds: n, rareSeeds: rare.map((o) => o.seed!), steps: real.steps, noise, ...compareObservations(c, real.obs, all, noise) };
}

/** The rules of agreement (outcome shares, sequences, widened timing ranges) for one real observation. */
export function compareObservations(c: ConformanceCase, real: Observation, sims: readonly Observation[], noise: NoiseFigures): { timings: TimingCheck[]; problems: string[] } {
  const timings = timingChecks(real, sims, noise);
  const range = (t: TimingCheck) => `[${t.simMin === null ? '–' : Math.round(t.simMin)}, ${t.simMax === null ? '–' : Math.round(t.simMax)}]`;
  const problems = [
    ...outcomeProblems(c, real.outcome, sims),
    ...missingSequences(real, sims),
    ...timings.filter((t) => !t.ok).map((t) => `timing ${t.key}: real ${t.real.map((v) => Math.round(v)).join(', ')} ms not in simulated ${range(t)} widened by −${noise.earlyMs}/+${noise.lateMs} ms`),
  ];
  return { timings, problems };
}

/** Run the case for real, then in the simulator, and compare. */
export async function compareCase(c: ConformanceCase): Promise<CaseComparison> {
  const start = Date.now();
  const real = await runReal(c);
  const cmp = compareWithSim(c, real);
  return { ...cmp, durationMs: Date.now() - start };
}

/** Where a comparison's details go when it disagrees: a readable dump of both sides. */
export function dumpComparison(x: CaseComparison): string {
  const ev = (es: readonly SentinelEvent[]) => es.map((e) => `      ${e.timeMs.toFixed(0).padStart(6)} ${e.event} ${e.text}`).join('\n');
  const side = (o: Observation) => Object.entries(o.events).map(([s, es]) => `    ${s}${s === o.outcome.leader ? ' (leader)' : ''}:\n${ev(es)}`).join('\n');
  const steps = x.steps.map((s) => `${s.atMs} ${s.kind} ${s.target}${s.argv ? ' ' + s.argv.join(' ') : ''}`).join('; ');
  return [
    `case ${x.c.id}: ${x.problems.length ? 'DISAGREE' : 'agree'}`,
    ...x.problems.map((p) => `  - ${p}`),
    `  steps: ${steps.length > 600 ? steps.slice(0, 600) + '…' : steps}`,
    `  real (${JSON.stringify(x.real.outcome)}):`,
    side(x.real),
    `  sim seed ${x.sims[0]?.seed} (${JSON.stringify(x.sims[0]?.outcome)}):`,
    x.sims[0] ? side(x.sims[0]) : '',
  ].join('\n');
}

