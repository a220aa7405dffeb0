import { acknowledgedWrites, type LostWritesReport } from '../check/lost-writes.js';
import { processAt, type Model } from '../scenario/model.js';
import type { TraceRecord } from '../sim/trace.js';
import type { WritabilityChange } from './writability.js';

/**
 * A run as rows for a timeline picture: spans (a process's state over a stretch of time), bands
 * (faults and partitions, across every lane) and points (votes, client writes). Times in seconds.
 */

export interface Span {
  readonly lane: string;
  readonly from: number;
  readonly to: number;
  readonly state: string;
}
export interface Band {
  readonly from: number;
  readonly to: number;
  readonly what: string;
}
export interface Point {
  readonly lane: string;
  readonly at: number;
  readonly what: string;
  readonly detail: string;
}
export interface TimelineData {
  readonly lanes: readonly string[];
  readonly spans: readonly Span[];
  readonly bands: readonly Band[];
  readonly points: readonly Point[];
  readonly endS: number;
}

const s = (us: number): number => us / 1e6;

const DOWN_FAULTS = new Set(['exit', 'crash', 'kill', 'debug-segfault']);

/**
 * Redis lanes: role (master/replica) and whether it accepts writes; down and paused. A master
 * below min-replicas-to-write good replicas refuses writes (`changes`, from watchWritability()).
 */
function redisSpans(records: readonly TraceRecord[], model: Model, endUs: number, changes: readonly WritabilityChange[]): Span[] {
  const out: Span[] = [];
  for (const p of model.processes.filter((x) => x.kind === 'redis')) {
    let state = p.down ? 'down' : 'replica';
    let since = 0;
    let role = 'replica';
    let writable = true;
    let stopped: 'down' | 'paused' | undefined = p.down ? 'down' : undefined;
    const move = (t: number) => {
      const next = stopped ?? (role !== 'master' ? 'replica' : writable ? 'master (writable)' : 'master (refusing writes)');
      if (next === state) return;
      if (t > since) out.push({ lane: p.name, from: s(since), to: s(t), state });
      [state, since] = [next, t];
    };
    const mine = changes.filter((c) => c.p === p.name && c.t <= endUs);
    let next = 0;
    const applyChangesBefore = (us: number) => {
      for (; next < mine.length && mine[next]!.t < us; next++) {
        writable = mine[next]!.writable;
        move(mine[next]!.t);
      }
    };
    for (const r of records) {
      if (r.p !== p.name) continue;
      // A change sampled after the step of this record's instant comes after it.
      applyChangesBefore(r.t);
      if (r.k === 'state' && (r.what === 'boot' || r.what === 'role')) [role, stopped] = [r.role === 'master' ? 'master' : 'replica', undefined];
      else if (r.k === 'fault' && DOWN_FAULTS.has(String(r.what))) stopped = 'down';
      else if (r.k === 'fault' && r.what === 'pause') stopped = 'paused';
      else if (r.k === 'fault' && r.what === 'resume') stopped = undefined;
      else continue;
      move(r.t);
    }
    applyChangesBefore(Infinity);
    if (endUs > since) out.push({ lane: p.name, from: s(since), to: s(endUs), state });
  }
  return out;
}

const OPENS: Readonly<Record<string, string>> = { '+sdown': 'SDOWN', '+odown': 'ODOWN', '+tilt': 'TILT', '+try-failover': 'failover' };
const CLOSES: Readonly<Record<string, string>> = { '-sdown': 'SDOWN', '-odown': 'ODOWN', '-tilt': 'TILT', '+failover-end': 'failover', '+failover-end-for-timeout': 'failover' };

/** Sentinel lanes: SDOWN, ODOWN and TILT spans (of the master), the election, failover states. */
function sentinelSpans(records: readonly TraceRecord[], model: Model, endUs: number): Span[] {
  const out: Span[] = [];
  for (const p of model.processes.filter((x) => x.kind === 'sentinel')) {
    const open = new Map<string, number>();
    let failoverState: { name: string; since: number } | undefined;
    const closeState = (t: number) => {
      if (failoverState && t > failoverState.since) out.push({ lane: p.name, from: s(failoverState.since), to: s(t), state: failoverState.name });
      failoverState = undefined;
    };
    for (const r of records) {
      if (r.k !== 'event' || r.p !== p.name) continue;
      const ev = String(r.event);
      const onMaster = String(r.text).startsWith('master ') || ev.includes('tilt');
      if (OPENS[ev] && onMaster && !open.has(OPENS[ev]!)) open.set(OPENS[ev]!, r.t);
      // The election (sentinelFailoverWaitStart()): from +try-failover to +elected-leader, or to the abort.
      if (ev === '+try-failover' && onMaster) {
        closeState(r.t);
        failoverState = { name: 'election', since: r.t };
      }
      if (ev === '+elected-leader' && failoverState?.name === 'election') closeState(r.t);
      if (ev.startsWith('+failover-state-')) {
        closeState(r.t);
        failoverState = { name: ev.slice('+failover-state-'.length), since: r.t };
      }
      // +switch-master resets the master's state (sentinelResetMaster()): SDOWN and ODOWN end with it, unannounced.
      if (ev === '+switch-master') {
        for (const what of ['SDOWN', 'ODOWN']) {
          if (open.has(what)) out.push({ lane: p.name, from: s(open.get(what)!), to: s(r.t), state: what });
          open.delete(what);
        }
      }
      const closes = CLOSES[ev] ?? (ev.startsWith('-failover-abort') ? 'failover' : undefined);
      if (closes && (onMaster || closes === 'failover') && open.has(closes)) {
        if (closes !== 'failover') out.push({ lane: p.name, from: s(open.get(closes)!), to: s(r.t), state: closes });
        open.delete(closes);
        if (closes === 'failover') closeState(r.t);
      }
    }
    for (const [what, t] of open) if (what !== 'failover') out.push({ lane: p.name, from: s(t), to: s(endUs), state: what });
    closeState(endUs);
  }
  return out;
}

/** Faults as bands across every lane: from the fault to what undoes it (or the end). */
function faultBands(records: readonly TraceRecord[], endUs: number): Band[] {
  const out: Band[] = [];
  const open = new Map<string, { t: number; what: string }>();
  const UNDO: Readonly<Record<string, string>> = { resume: 'pause', boot: 'down', 'host-up': 'host-down', heal: 'partition' };
  for (const r of records) {
    // A process that starts again writes a boot state record.
    if (r.k === 'state' && r.what === 'boot' && open.has(`down/${r.p}`)) {
      out.push({ from: s(open.get(`down/${r.p}`)!.t), to: s(r.t), what: open.get(`down/${r.p}`)!.what });
      open.delete(`down/${r.p}`);
    }
    if (r.k !== 'fault') continue;
    const what = String(r.what);
    const target = String(r.p ?? r.host ?? '');
    if (what === 'crash' || what === 'debug-segfault' || what === 'exit') open.set(`down/${target}`, { t: r.t, what: `${target} ${what === 'exit' ? 'exited' : what}` });
    else if (what === 'pause' || what === 'host-down') open.set(`${what}/${target}`, { t: r.t, what: `${what} ${target}` });
    else if (what === 'partition' || what === 'partition-one-way') open.set(`partition/${(r.from as string[]).join(',')}`, { t: r.t, what: `partition ${(r.from as string[]).join(',')} | ${(r.to as string[]).join(',')}` });
    else if (UNDO[what]) {
      for (const [k, v] of [...open]) {
        if (k.startsWith(`${UNDO[what]}/`) && (what === 'heal' || k.endsWith(`/${target}`))) {
          out.push({ from: s(v.t), to: s(r.t), what: v.what });
          open.delete(k);
        }
      }
    }
  }
  for (const v of open.values()) out.push({ from: s(v.t), to: s(endUs), what: v.what });
  return out;
}

/** Votes (+vote-for-leader) on a lane per epoch, and each client's writes: acknowledged, lost. */
function points(records: readonly TraceRecord[], model: Model, lost: LostWritesReport | undefined): Point[] {
  const out: Point[] = [];
  const byRunId = new Map<string, string>();
  for (const r of records) {
    if (r.k !== 'event' || r.event !== '+sentinel') continue;
    const tok = String(r.text).split(' ');
    const who = processAt(model, tok[2]!, Number(tok[3]));
    if (who) byRunId.set(tok[1]!, who.name);
  }
  for (const r of records) {
    if (r.k !== 'event' || r.event !== '+vote-for-leader') continue;
    const [runId, epoch] = String(r.text).split(' ');
    out.push({ lane: `votes, epoch ${epoch}`, at: s(r.t), what: 'vote', detail: `${r.p} votes for ${byRunId.get(runId!) ?? runId!.slice(0, 8)}` });
  }
  const lostIds = new Set((lost?.lost ?? []).map((w) => `${w.client}/${w.key}/${w.value}/${w.ackedMs}`));
  for (const w of acknowledgedWrites(records)) {
    const isLost = lostIds.has(`${w.client}/${w.key}/${w.value}/${Math.round(w.ackedUs / 1000)}`);
    out.push({ lane: `${w.client} writes`, at: s(w.ackedUs), what: isLost ? 'write lost' : 'write acknowledged', detail: `SET ${w.key} ${w.value} by ${w.ackedBy}` });
  }
  return out;
}

export function timelineData(records: readonly TraceRecord[], model: Model, endUs: number, lost?: LostWritesReport, writability: readonly WritabilityChange[] = []): TimelineData {
  const spans = [...redisSpans(records, model, endUs, writability), ...sentinelSpans(records, model, endUs)];
  const pts = points(records, model, lost);
  const lanes = [
    ...model.processes.filter((p) => p.kind === 'redis').map((p) => p.name),
    ...model.processes.filter((p) => p.kind === 'sentinel').map((p) => p.name),
    ...[...new Set(pts.map((p) => p.lane))],
  ];
  return { lanes, spans, bands: faultBands(records, endUs), points: pts, endS: s(endUs) };
}
