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

function watchCase(d: Deployment, c: Case, seed: number, w: World, preFaultBefore: readonly string[], timing: Timing): SeedOutcome {
  const model = d.model;
  const name = d.masterName;
  const sentinelNames = new Set(d.sentinels.map((s) => s.name));
  const order = new Map(model.processes.map((p, i) => [p.name, i]));
  const byOrder = (xs: Iterable<string>) => [...new Set(xs)].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || (a < b ? -1 : 1));
  const procAt = (ip: string, port: number) => processAt(model, ip, port)?.name ?? `${ip}:${port}`;
  const faultUs = timing.faultAtUs;
  const rel = (t: number) => Math.round((t - faultUs) / 1000);

  const preFault = [...preFaultBefore];
  const sdownBy: string[] = [];
  const odownBy: string[] = [];
  let odownAtUs: number | null = null;
  let attempts = 0;
  let leader: string | null = null;
  let leaderAtUs: number | null = null;
  const notElected: NotElected[] = [];
  let selection: SelectionOutcome | null = null;
  let slaveTimeout = false;
  let switchAtUs: number | null = null;
  let newMaster: string | null = null;
  const tilts: { sentinel: string; enteredAtMs: number; exitedAtMs: number | null }[] = [];

  const masterOf = (tok: string[]) => (tok[0] === 'master' ? tok[1] : tok.includes('@') ? tok[tok.indexOf('@') + 1] : undefined);

  recordSink = (r: TraceRecord) => {
    if (r.k !== 'event') return;
    const e = r as unknown as Ev;
    const tok = e.text.split(' ');
    if (e.t < faultUs) {
      if ((e.event === '+odown' || e.event === '+switch-master' || e.event === '+tilt' || e.event === '+try-failover') && !preFault.includes(`${e.event} by ${e.p}`)) {
        preFault.push(`${e.event} by ${e.p}`);
      }
      return;
    }
    if (e.event === '+tilt' && sentinelNames.has(e.p)) {
      tilts.push({ sentinel: e.p, enteredAtMs: rel(e.t), exitedAtMs: null });
      return;
    }
    if (e.event === '-tilt') {
      const open = [...tilts].reverse().find((x) => x.sentinel === e.p && x.exitedAtMs === null);
      if (open) open.exitedAtMs = rel(e.t);
      return;
    }
    if (switchAtUs !== null) return; // what follows is about the new master
    if (e.event === '+switch-master') {
      if (tok[0] !== name) return;
      switchAtUs = e.t;
      newMaster = procAt(tok[3]!, Number(tok[4]));
      return;
    }
    if (masterOf(tok) !== name) return;
    switch (e.event) {
      case '+sdown':
        if (tok[0] === 'master') sdownBy.push(e.p);
        break;
      case '+odown':
        odownBy.push(e.p);
        if (odownAtUs === null) odownAtUs = e.t;
        break;
      case '+try-failover':
        attempts++;
        break;
      case '+elected-leader':
        if (leader === null) {
          leader = e.p;
          leaderAtUs = e.t;
        }
        break;
      case '-failover-abort-not-elected': {
        const st = w.stateOf<SentinelState>(e.p);
        const v = sentinelView(st, w.hostNowMs(w.hostOfProcess(e.p))).masters.find((m) => m.name === name);
        if (v) notElected.push({ sentinel: e.p, atMs: rel(e.t), votes: v.votes[0]?.count ?? 0, voters: v.voters, majority: v.majority, quorum: v.quorum });
        break;
      }
      case '+selected-slave':
        if (selection === null) selection = { selected: procAt(tok[2]!, Number(tok[3])), excluded: exclusionsOf(w, e.p, name, procAt), sentinel: e.p, ran: true };
        break;
      case '-failover-abort-no-good-slave':
        if (selection === null) selection = { selected: null, excluded: exclusionsOf(w, e.p, name, procAt), sentinel: e.p, ran: true };
        break;
      case '-failover-abort-slave-timeout':
        slaveTimeout = true;
        break;
    }
  };

  w.runUntil(faultUs);
  applyFault(w, c);

  // Write probe: a client on the old master's own host writing every sampleUs.
  const old = d.master?.name;
  let acceptedUntilUs: number | null = null;
  let refusedFromUs: number | null = null;
  let acceptingNow = false;
  let oldMasterDown = false;
  const sample = (t: number) => {
    if (!old) return;
    const status = w.status(old);
    let ok = false;
    if (status === 'running') {
      const v = redisView(w.stateOf<RedisState>(old));
      ok = v.role === 'master' && v.writable;
    } else if (status === 'down') oldMasterDown = true;
    if (ok) acceptedUntilUs = t;
    else if (refusedFromUs === null) refusedFromUs = t;
    acceptingNow = ok;
  };
  const probe = (t: number) => {
    w.at(t, 'advisor write probe', () => {
      sample(t);
      probe(t + timing.sampleUs);
    });
  };
  probe(faultUs);

  // Bounded, and short when nothing more can happen: without ODOWN by `quietUs` (every SDOWN has
  // come by down-after + a few seconds) no failover follows; after +switch-master a few seconds
  // let the roles settle.
  let watchedUs: number;
  if (c.fault.k === 'pause') {
    watchedUs = faultUs + timing.pauseWindowUs;
    w.runUntil(watchedUs);
  } else {
    const quietUs = faultUs + Math.min(timing.quietUs, timing.windowUs);
    w.runUntil(quietUs);
    watchedUs = quietUs;
    if (odownAtUs !== null || attempts > 0) {
      const settle = () => {
        if (switchAtUs === null) return false;
        watchedUs = Math.max(watchedUs, Math.min(switchAtUs + SETTLE_AFTER_SWITCH_US, faultUs + timing.retryWindowUs));
        w.runUntil(watchedUs);
        return true;
      };
      const runTo = (limitUs: number) => {
        // Step in 1 s slices so the run stops soon after the switch.
        while (switchAtUs === null && watchedUs < limitUs) {
          watchedUs = Math.min(limitUs, watchedUs + 1_000_000);
          w.runUntil(watchedUs);
        }
      };
      if (!settle()) {
        runTo(faultUs + timing.windowUs);
        const first = { leader, selected: (selection as SelectionOutcome | null)?.selected, sdownBy };
        if (!settle() && timing.retryWindowUs > timing.windowUs && (timing.watchMootRetry || !retryCannotSwitch(d, c.fault, first))) {
          runTo(faultUs + timing.retryWindowUs);
          settle();
        }
      }
    }
  }

  // Final states.
  const mastersAtEnd: string[] = [];
  for (const p of model.processes) {
    if (p.kind !== 'redis' || w.status(p.name) !== 'running') continue;
    if (redisView(w.stateOf<RedisState>(p.name)).role === 'master') mastersAtEnd.push(p.name);
  }
  const sentinelsLeft = d.sentinels.filter((s) => w.status(s.name) === 'running').map((s) => s.name);
  let votersSeen = 0;
  for (const s of sentinelsLeft) {
    const v = sentinelView(w.stateOf<SentinelState>(s), w.hostNowMs(w.hostOfProcess(s))).masters.find((m) => m.name === name);
    if (v) votersSeen = Math.max(votersSeen, v.voters);
  }
  // No leader: what would a surviving Sentinel that sees the master down choose now?
  // (Only with ODOWN: before it, replicas' INFO comes every 10 s and would look stale.)
  if (selection === null && switchAtUs === null && odownBy.length > 0) {
    const who = sentinelsLeft.find((s) => odownBy.includes(s));
    if (who) {
      const ex = exclusionsOf(w, who, name, procAt);
      const rep = selectionNow(w, who, name, procAt);
      if (rep !== undefined) selection = { selected: rep, excluded: ex, sentinel: who, ran: false };
    }
  }

  // Writes lost: the old master acknowledged writes after the fault and another node was promoted.
  let lostWritesUs: number | null = null;
  if (old && switchAtUs !== null && newMaster !== null && newMaster !== old && acceptedUntilUs !== null) lostWritesUs = acceptedUntilUs - faultUs;
  const rs = (x: number | null) => (x === null ? null : rel(x));
  return {
    seed, sdownBy: byOrder(sdownBy), odownBy: byOrder(odownBy), odownAtMs: rs(odownAtUs), attempts, leader, leaderAtMs: rs(leaderAtUs), notElected, selection,
    slaveTimeout, switchAtMs: rs(switchAtUs), newMaster, oldMasterDown, writesAcceptedUntilMs: rs(acceptedUntilUs), writesRefusedFromMs: rs(refusedFromUs),
    writesAcceptedAtEnd: acceptingNow, lostWritesMs: lostWritesUs === null ? null : Math.round(lostWritesUs / 1000), mastersAtEnd, tilts, sentinelsLeft,
    votersSeen, preFault, watchedMs: Math.round((watchedUs - faultUs) / 1000),
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
