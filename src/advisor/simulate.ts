import { redisBehavior } from '../redis/index.js';
import { redisView } from '../redis/view.js';
import type { RedisState } from '../redis/state.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { buildWorld } from '../scenario/build.js';
import { processAt } from '../scenario/model.js';
import { sentinelBehavior } from '../sentinel/index.js';
import { selectSlaveReport } from '../sentinel/failover/select.js';
import type { SentinelState } from '../sentinel/state.js';
import { sentinelView } from '../sentinel/view.js';
import type { TraceRecord } from '../sim/trace.js';
import { hostDown, crash, partition, pauseFor } from '../faults/index.js';
import type { NetWorld as World } from '../net/world.js';
import type { Case } from './cases.js';
import type { Deployment } from './deployment.js';
import { retryCannotSwitch } from './retry.js';
import { forkGraph, NotForkable } from './fork.js';

/**
 * One case, one seed: build the world, let it settle, apply the fault, run for a bounded
 * simulated time, and read what happened from the Sentinel events and the final states.
 * All times in the outcome are milliseconds after the fault.
 */

export interface Timing {
  /** When the fault is applied (µs of simulated time). */
  readonly faultAtUs: number;
  /** How long to watch after a down/partition fault. */
  readonly windowUs: number;
  /** How far to keep watching when a first attempt did not finish (a retry is due after 2 × failover-timeout). */
  readonly retryWindowUs: number;
  /** Without ODOWN by this long after the fault, stop: no failover can follow (down-after + margin, and min-replicas-max-lag). */
  readonly quietUs: number;
  /** How long to watch after a pause fault (pause + TILT period + margin). */
  readonly pauseWindowUs: number;
  /** Write probe period on the old master. */
  readonly sampleUs: number;
  /** Watch the retry window even where retryCannotSwitch() says a retry changes nothing (its test checks that claim). */
  readonly watchMootRetry?: boolean;
}

export interface Exclusion {
  readonly replica: string;
  readonly why: string;
  readonly detail: string;
}

export interface NotElected {
  readonly sentinel: string;
  readonly atMs: number;
  /** Most votes any candidate had in that epoch, as this Sentinel counted them. */
  readonly votes: number;
  readonly voters: number;
  readonly majority: number;
  readonly quorum: number;
}

export interface SelectionOutcome {
  /** Process name of the chosen replica, or null when none passed. */
  readonly selected: string | null;
  readonly excluded: readonly Exclusion[];
  /** Who evaluated it. */
  readonly sentinel: string;
  /** true: the leader ran it; false: what a surviving Sentinel would choose now (no leader was elected). */
  readonly ran: boolean;
}

export interface SeedOutcome {
  readonly seed: number;
  /** Sentinels that marked the master SDOWN / ODOWN (before any switch), in model order. */
  readonly sdownBy: readonly string[];
  readonly odownBy: readonly string[];
  readonly odownAtMs: number | null;
  /** +try-failover count. */
  readonly attempts: number;
  readonly leader: string | null;
  readonly leaderAtMs: number | null;
  readonly notElected: readonly NotElected[];
  readonly selection: SelectionOutcome | null;
  readonly slaveTimeout: boolean;
  /** First +switch-master for this master by any Sentinel. */
  readonly switchAtMs: number | null;
  readonly newMaster: string | null;
  /** The old master process: stopped by the fault, and its write acceptance (client on its own host, every sampleUs). */
  readonly oldMasterDown: boolean;
  readonly writesAcceptedUntilMs: number | null;
  readonly writesRefusedFromMs: number | null;
  readonly writesAcceptedAtEnd: boolean;
  /** Writes the old master acknowledged after the fault that the promoted node never got. */
  readonly lostWritesMs: number | null;
  /** Redis processes reporting role master at the end, in model order. */
  readonly mastersAtEnd: readonly string[];
  /** TILT entered/left by a Sentinel. */
  readonly tilts: readonly { readonly sentinel: string; readonly enteredAtMs: number; readonly exitedAtMs: number | null }[];
  /** Sentinels still running at the end, and the electorate they count. */
  readonly sentinelsLeft: readonly string[];
  readonly votersSeen: number;
  /** Notable events before the fault (the deployment was not settled), e.g. "+odown by sentinel1". */
  readonly preFault: readonly string[];
  /** How long this run watched after the fault. */
  readonly watchedMs: number;
}

/** After the first +switch-master, watch this much longer so the promotion and the roles settle. */
const SETTLE_AFTER_SWITCH_US = 3_000_000;

export const realFactories: BehaviorFactories = {
  redis: (c) => redisBehavior(c),
  sentinel: (c) => sentinelBehavior(c),
};

interface Ev {
  readonly t: number;
  readonly p: string;
  readonly event: string;
  readonly text: string;
}

/**
 * A world run to just before the fault: the first `faultAtUs` of a seed, which no case changes.
 * runPlannedCase() (report.ts) keeps one per seed and gives each case a copy (fork.ts).
 */
export interface Settled {
  readonly seed: number;
  readonly world: World;
  /** Notable events before the fault, e.g. "+odown by sentinel1", in the order they came. */
  readonly preFault: readonly string[];
}

const ignore = (_r: TraceRecord) => {};

/**
 * Where a world's one record observer (recordTo(), a module function) sends its records: the
 * settling's note-taker, then the case that runs. A copied world keeps that observer, since
 * functions are shared by a copy, and the cases of a thread run one at a time, each pointing this
 * at itself for its run.
 * Why not a box made per run ({ fn }) the world's observer reads: V8 learned to allocate those
 * boxes, which live as long as a run, straight in the old generation. A dead box there still
 * holds its last case's closure, and so its whole world, through every scavenge until the next
 * full GC: check promoted 12x more (111 MB against 9 MB on redis-ha-demo) and ran ~15 % slower.
 */
let recordSink: (r: TraceRecord) => void = ignore;

function recordTo(r: TraceRecord): void {
  recordSink(r);
}

const PRE_FAULT_EVENTS = new Set(['+odown', '+switch-master', '+tilt', '+try-failover']);

function notePreFault(preFault: string[], r: TraceRecord): void {
  if (r.k !== 'event') return;
  const e = r as unknown as Ev;
  if (PRE_FAULT_EVENTS.has(e.event) && !preFault.includes(`${e.event} by ${e.p}`)) preFault.push(`${e.event} by ${e.p}`);
}

/**
 * Build the world and run it to 1 µs before the fault. Events at the fault's own microsecond run
 * in the case, as they did when one runUntil(faultAtUs) covered them: runUntil in two steps runs
 * the same events in the same order.
 */
function settleWorld(d: Deployment, seed: number, timing: Timing, factories: BehaviorFactories, preFault: string[], copyFirst = false): World {
  const built = buildWorld(d.model, { seed, factories });
  const w = copyFirst ? copyOrSelf(built) : built;
  w.onRecord(recordTo);
  recordSink = (r) => notePreFault(preFault, r);
  try {
    w.runUntil(timing.faultAtUs - 1);
  } finally {
    recordSink = ignore;
  }
  return w;
}

function copyOrSelf(w: World): World {
  try {
    return forkGraph(w);
  } catch (e) {
    if (e instanceof NotForkable) return w;
    throw e;
  }
}

/** A seed's settled world, to copy for each case (runPlannedCase()). */
export function settle(d: Deployment, seed: number, timing: Timing, factories: BehaviorFactories = realFactories): Settled {
  const preFault: string[] = [];
  // Settled on a copy of the world as built: then every world a thread simulates is a copy, and
  // the engine's classes (World, EventQueue, ...) meet one hidden class, not a built one and a copied one.
  const world = settleWorld(d, seed, timing, factories, preFault, true);
  return { seed, world, preFault };
}

/** One case, one seed, from the start. */
export function runCaseSeed(d: Deployment, c: Case, seed: number, timing: Timing, factories: BehaviorFactories = realFactories): SeedOutcome {
  const preFault: string[] = [];
  const w = settleWorld(d, seed, timing, factories, preFault);
  return runCaseFrom(d, c, seed, w, preFault, timing);
}

/**
 * One case from a world settled for `seed` (which it runs on, so a template must be given as a
 * copy). The world is an argument, not a field of an object made per run, for the reason above.
 */
export function runCaseFrom(d: Deployment, c: Case, seed: number, w: World, preFaultBefore: readonly string[], timing: Timing): SeedOutcome {
  try {
    return watchCase(d, c, seed, w, preFaultBefore, timing);
  } finally {
    recordSink = ignore;
  }
}

/** What the case's Sentinel events said, gathered as they come (times in µs of simulated time). */
interface Seen {
  readonly preFault: string[];
  readonly sdownBy: string[];
  readonly odownBy: string[];
  odownAtUs: number | null;
  attempts: number;
  leader: string | null;
  leaderAtUs: number | null;
  readonly notElected: NotElected[];
  selection: SelectionOutcome | null;
  slaveTimeout: boolean;
  switchAtUs: number | null;
  newMaster: string | null;
  readonly tilts: { sentinel: string; enteredAtMs: number; exitedAtMs: number | null }[];
}

/** What the event reader needs besides the event: fixed for one case. */
interface Watch {
  readonly w: World;
  readonly name: string;
  readonly sentinelNames: ReadonlySet<string>;
  readonly faultUs: number;
  readonly procAt: (ip: string, port: number) => string;
}

const relMs = (x: Watch, t: number) => Math.round((t - x.faultUs) / 1000);
const masterOf = (tok: string[]) => (tok[0] === 'master' ? tok[1] : tok.includes('@') ? tok[tok.indexOf('@') + 1] : undefined);

function seenEvent(x: Watch, seen: Seen, r: TraceRecord): void {
  if (r.k !== 'event') return;
  const e = r as unknown as Ev;
  if (e.t < x.faultUs) return notePreFault(seen.preFault, r);
  if (e.event === '+tilt' && x.sentinelNames.has(e.p)) {
    seen.tilts.push({ sentinel: e.p, enteredAtMs: relMs(x, e.t), exitedAtMs: null });
    return;
  }
  if (e.event === '-tilt') {
    const open = [...seen.tilts].reverse().find((t) => t.sentinel === e.p && t.exitedAtMs === null);
    if (open) open.exitedAtMs = relMs(x, e.t);
    return;
  }
  if (seen.switchAtUs !== null) return; // what follows is about the new master
  const tok = e.text.split(' ');
  if (e.event === '+switch-master') {
    if (tok[0] !== x.name) return;
    seen.switchAtUs = e.t;
    seen.newMaster = x.procAt(tok[3]!, Number(tok[4]));
    return;
  }
  if (masterOf(tok) === x.name) seenMasterEvent(x, seen, e, tok);
}

/** An event about the case's master, before any switch. */
function seenMasterEvent(x: Watch, seen: Seen, e: Ev, tok: string[]): void {
  switch (e.event) {
    case '+sdown':
      if (tok[0] === 'master') seen.sdownBy.push(e.p);
      return;
    case '+odown':
      seen.odownBy.push(e.p);
      if (seen.odownAtUs === null) seen.odownAtUs = e.t;
      return;
    case '+try-failover':
      seen.attempts++;
      return;
    case '+elected-leader':
      if (seen.leader === null) {
        seen.leader = e.p;
        seen.leaderAtUs = e.t;
      }
      return;
    case '-failover-abort-not-elected': {
      const st = x.w.stateOf<SentinelState>(e.p);
      const v = sentinelView(st, x.w.hostNowMs(x.w.hostOfProcess(e.p))).masters.find((m) => m.name === x.name);
      if (v) seen.notElected.push({ sentinel: e.p, atMs: relMs(x, e.t), votes: v.votes[0]?.count ?? 0, voters: v.voters, majority: v.majority, quorum: v.quorum });
      return;
    }
    case '+selected-slave':
      if (seen.selection === null) seen.selection = { selected: x.procAt(tok[2]!, Number(tok[3])), excluded: exclusionsOf(x.w, e.p, x.name, x.procAt), sentinel: e.p, ran: true };
      return;
    case '-failover-abort-no-good-slave':
      if (seen.selection === null) seen.selection = { selected: null, excluded: exclusionsOf(x.w, e.p, x.name, x.procAt), sentinel: e.p, ran: true };
      return;
    case '-failover-abort-slave-timeout':
      seen.slaveTimeout = true;
      return;
  }
}

/** The write probe's findings: a client on the old master's own host writing every sampleUs. */
interface Writes {
  acceptedUntilUs: number | null;
  refusedFromUs: number | null;
  acceptingNow: boolean;
  oldMasterDown: boolean;
}

function sampleWrites(w: World, old: string, t: number, out: Writes): void {
  const status = w.status(old);
  let ok = false;
  if (status === 'running') {
    const v = redisView(w.stateOf<RedisState>(old));
    ok = v.role === 'master' && v.writable;
  } else if (status === 'down') out.oldMasterDown = true;
  if (ok) out.acceptedUntilUs = t;
  else if (out.refusedFromUs === null) out.refusedFromUs = t;
  out.acceptingNow = ok;
}

function probeWrites(w: World, old: string | undefined, t: number, sampleUs: number, out: Writes): void {
  w.at(t, 'advisor write probe', () => {
    if (old) sampleWrites(w, old, t, out);
    probeWrites(w, old, t + sampleUs, sampleUs, out);
  });
}

/**
 * Run the case, bounded, and short when nothing more can happen: without ODOWN by `quietUs` (every
 * SDOWN has come by down-after + a few seconds) no failover follows; after +switch-master a few
 * seconds let the roles settle. Returns where the watch ended (µs).
 */
function watchWindow(d: Deployment, c: Case, w: World, timing: Timing, seen: Seen): number {
  const faultUs = timing.faultAtUs;
  if (c.fault.k === 'pause') {
    w.runUntil(faultUs + timing.pauseWindowUs);
    return faultUs + timing.pauseWindowUs;
  }
  let watchedUs = faultUs + Math.min(timing.quietUs, timing.windowUs);
  w.runUntil(watchedUs);
  if (seen.odownAtUs === null && seen.attempts === 0) return watchedUs;
  const settled = () => {
    if (seen.switchAtUs === null) return false;
    watchedUs = Math.max(watchedUs, Math.min(seen.switchAtUs + SETTLE_AFTER_SWITCH_US, faultUs + timing.retryWindowUs));
    w.runUntil(watchedUs);
    return true;
  };
  const runTo = (limitUs: number) => {
    // Step in 1 s slices so the run stops soon after the switch.
    while (seen.switchAtUs === null && watchedUs < limitUs) {
      watchedUs = Math.min(limitUs, watchedUs + 1_000_000);
      w.runUntil(watchedUs);
    }
  };
  if (settled()) return watchedUs;
  runTo(faultUs + timing.windowUs);
  const first = { leader: seen.leader, selected: seen.selection?.selected, sdownBy: seen.sdownBy };
  if (!settled() && timing.retryWindowUs > timing.windowUs && (timing.watchMootRetry || !retryCannotSwitch(d, c.fault, first))) {
    runTo(faultUs + timing.retryWindowUs);
    settled();
  }
  return watchedUs;
}

/** The final states: masters, Sentinels left and the electorate they count. */
function finalStates(d: Deployment, w: World): { mastersAtEnd: string[]; sentinelsLeft: string[]; votersSeen: number } {
  const mastersAtEnd: string[] = [];
  for (const p of d.model.processes) {
    if (p.kind !== 'redis' || w.status(p.name) !== 'running') continue;
    if (redisView(w.stateOf<RedisState>(p.name)).role === 'master') mastersAtEnd.push(p.name);
  }
  const sentinelsLeft = d.sentinels.filter((s) => w.status(s.name) === 'running').map((s) => s.name);
  let votersSeen = 0;
  for (const s of sentinelsLeft) {
    const v = sentinelView(w.stateOf<SentinelState>(s), w.hostNowMs(w.hostOfProcess(s))).masters.find((m) => m.name === d.masterName);
    if (v) votersSeen = Math.max(votersSeen, v.voters);
  }
  return { mastersAtEnd, sentinelsLeft, votersSeen };
}

/**
 * No leader: what would a surviving Sentinel that sees the master down choose now? (Only with
 * ODOWN: before it, replicas' INFO comes every 10 s and would look stale.)
 */
function selectionWithoutLeader(x: Watch, seen: Seen, sentinelsLeft: readonly string[]): SelectionOutcome | null {
  if (seen.selection !== null || seen.switchAtUs !== null || seen.odownBy.length === 0) return seen.selection;
  const who = sentinelsLeft.find((s) => seen.odownBy.includes(s));
  if (!who) return null;
  const ex = exclusionsOf(x.w, who, x.name, x.procAt);
  const rep = selectionNow(x.w, who, x.name, x.procAt);
  return rep === undefined ? null : { selected: rep, excluded: ex, sentinel: who, ran: false };
}

function watchCase(d: Deployment, c: Case, seed: number, w: World, preFaultBefore: readonly string[], timing: Timing): SeedOutcome {
  const model = d.model;
  const order = new Map(model.processes.map((p, i) => [p.name, i]));
  const byOrder = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || (a < b ? -1 : 1));
  const faultUs = timing.faultAtUs;
  const x: Watch = { w, name: d.masterName, sentinelNames: new Set(d.sentinels.map((s) => s.name)), faultUs, procAt: (ip, port) => processAt(model, ip, port)?.name ?? `${ip}:${port}` };
  const seen: Seen = {
    preFault: [...preFaultBefore], sdownBy: [], odownBy: [], odownAtUs: null, attempts: 0, leader: null, leaderAtUs: null,
    notElected: [], selection: null, slaveTimeout: false, switchAtUs: null, newMaster: null, tilts: [],
  };
  recordSink = (r: TraceRecord) => seenEvent(x, seen, r);

  w.runUntil(faultUs);
  applyFault(w, c);
  const old = d.master?.name;
  const writes: Writes = { acceptedUntilUs: null, refusedFromUs: null, acceptingNow: false, oldMasterDown: false };
  probeWrites(w, old, faultUs, timing.sampleUs, writes);
  const watchedUs = watchWindow(d, c, w, timing, seen);

  const { mastersAtEnd, sentinelsLeft, votersSeen } = finalStates(d, w);
  const selection = selectionWithoutLeader(x, seen, sentinelsLeft);
  // Writes lost: the old master acknowledged writes after the fault and another node was promoted.
  const { switchAtUs, newMaster } = seen;
  const lostWritesUs = old && switchAtUs !== null && newMaster !== null && newMaster !== old && writes.acceptedUntilUs !== null ? writes.acceptedUntilUs - faultUs : null;
  const rs = (t: number | null) => (t === null ? null : relMs(x, t));
  return {
    seed, sdownBy: byOrder(seen.sdownBy), odownBy: byOrder(seen.odownBy), odownAtMs: rs(seen.odownAtUs), attempts: seen.attempts, leader: seen.leader,
    leaderAtMs: rs(seen.leaderAtUs), notElected: seen.notElected, selection, slaveTimeout: seen.slaveTimeout, switchAtMs: rs(switchAtUs), newMaster,
    oldMasterDown: writes.oldMasterDown, writesAcceptedUntilMs: rs(writes.acceptedUntilUs), writesRefusedFromMs: rs(writes.refusedFromUs),
    writesAcceptedAtEnd: writes.acceptingNow, lostWritesMs: lostWritesUs === null ? null : Math.round(lostWritesUs / 1000), mastersAtEnd, tilts: seen.tilts,
    sentinelsLeft, votersSeen, preFault: seen.preFault, watchedMs: Math.round((watchedUs - faultUs) / 1000),
  };
}

function applyFault(w: World, c: Case): void {
  const f = c.fault;
  if (f.k === 'down') {
    for (const h of f.hosts) hostDown(w, h);
    for (const p of f.crashes) crash(w, p);
  } else if (f.k === 'pause') {
    pauseFor(w, f.process, f.forMs * 1000);
  } else {
    partition(w, f.a, f.b);
  }
}

function masterInstance(w: World, sentinel: string, name: string) {
  if (w.status(sentinel) === 'down') return undefined;
  const st = w.stateOf<SentinelState>(sentinel);
  const m = st.masters.find((x) => x.name === name);
  return m ? { st, m } : undefined;
}

function exclusionsOf(w: World, sentinel: string, name: string, procAt: (ip: string, port: number) => string): Exclusion[] {
  const x = masterInstance(w, sentinel, name);
  if (!x) return [];
  const rep = selectSlaveReport(x.st, x.m, w.hostNowMs(w.hostOfProcess(sentinel)));
  return rep.excluded.map((e) => {
    const sl = x.m.slaves.find((s) => s.name === e.name);
    return { replica: sl ? procAt(sl.addr.ip, sl.addr.port) : e.name, why: e.why, detail: e.detail };
  });
}

function selectionNow(w: World, sentinel: string, name: string, procAt: (ip: string, port: number) => string): string | null | undefined {
  const x = masterInstance(w, sentinel, name);
  if (!x) return undefined;
  const rep = selectSlaveReport(x.st, x.m, w.hostNowMs(w.hostOfProcess(sentinel)));
  return rep.selected ? procAt(rep.selected.addr.ip, rep.selected.addr.port) : null;
}
