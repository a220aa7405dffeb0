import type { RedisView } from '../redis/index.js';
import type { SentinelMasterView, SentinelView, TimerView } from '../sentinel/view.js';
import { frameAt, type Frame, type LogEntry, type Recording } from '../recording/recording.js';
import { writeCountsAt, type WriteCounts } from '../recording/writes.js';

/**
 * What the screen shows at the cursor, as data: every number comes from the model's own state
 * through redisView() and sentinelView(); this file only picks, names and formats.
 */

export interface RedisRow {
  readonly name: string;
  readonly port: number;
  readonly status: 'running' | 'paused' | 'down';
  readonly role: string;
  /** A master that was configured as a replica: promoted by a failover. */
  readonly promoted: boolean;
  readonly link: string;
  readonly offset: number | null;
  /** Bytes behind its master (null: not a replica, or the master is not reachable in the model). */
  readonly lagBytes: number | null;
  readonly writes: string;
  readonly writesOk: boolean | null;
}

export interface SentinelRow {
  readonly name: string;
  readonly short: string;
  readonly status: 'running' | 'paused' | 'down';
  readonly sdown: boolean;
  readonly odown: boolean;
  readonly tilt: TimerView | null;
  readonly epoch: number | null;
  /** "s3 @1": whom it voted for, in which epoch. */
  readonly voted: string;
  readonly failoverState: string;
  readonly timers: readonly TimerView[];
  readonly master: SentinelMasterView | null;
}

export interface VoteCandidate {
  readonly name: string;
  /** Votes the candidate knows of (its own sentinelView: replies received plus its own vote). */
  readonly count: number;
  /** Votes cast for it in this epoch, as the live voters' own states record them. */
  readonly cast: number;
}

export interface VotePanel {
  readonly epoch: number;
  readonly candidates: readonly VoteCandidate[];
  readonly voters: number;
  readonly majority: number;
  readonly quorum: number;
  readonly needed: number;
  /** Short name of the elected leader at this epoch, if one is failing over. */
  readonly elected: string | null;
  /** "counting", "elected", "no winner", "none". */
  readonly outcome: 'none' | 'counting' | 'elected' | 'no winner';
}

export interface NetworkRow {
  /** Groups of hosts that reach each other both ways (one group: no partition, or see `cuts`). */
  readonly groups: readonly (readonly string[])[];
  /** Two-way cuts that do not split the hosts into clean groups: "a ✕ b". */
  readonly cuts: readonly string[];
  /** Cuts that block one direction only: "a → b". */
  readonly oneWay: readonly string[];
}

export interface ScreenModel {
  readonly title: string;
  readonly seed: number | null;
  readonly cursorUs: number;
  readonly totalUs: number;
  readonly epoch: number | null;
  readonly masterName: string | null;
  readonly redis: readonly RedisRow[];
  readonly sentinels: readonly SentinelRow[];
  readonly votes: VotePanel | null;
  readonly network: NetworkRow | null;
  /** Per workload client, acknowledged and lost writes so far (null: the model has no writer). */
  readonly writes: readonly WriteCounts[] | null;
  readonly note: string | null;
  /** Why the first Sentinel in TILT entered it, and what TILT means (null: none in TILT). */
  readonly tiltNote: string | null;
}

/** Short names for Sentinels in vote columns: a common prefix is cut ("sentinel3" → "s3"). */
export function shortNames(names: readonly string[]): string[] {
  if (names.length < 2) return names.map((n) => (n.length > 6 ? n.slice(0, 6) : n));
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const rest = names.map((n) => n.slice(prefix.length));
  if (prefix.length === 0 || rest.some((r) => r === '')) return names.map((n) => n.slice(0, 8));
  const head = prefix.replace(/[^a-z]/gi, '').slice(-1) === '' ? '' : prefix.replace(/[-_.]+$/, '').split(/[-_.]/).pop()!.charAt(0);
  return rest.map((r) => `${head}${r}`.slice(0, 8));
}

export function screenModel(rec: Recording, cursorUs: number): ScreenModel {
  const frame = frameAt(rec, cursorUs);
  const masterName = (() => {
    if (!frame) return null;
    for (let i = 0; i < rec.procs.length; i++) {
      const s = frame.states[i] as SentinelView | undefined;
      if (rec.procs[i]!.kind === 'sentinel' && s && s.masters.length > 0) return s.masters[0]!.name;
    }
    return null;
  })();
  if (!frame) {
    return {
      title: rec.title, seed: rec.seed, cursorUs, totalUs: rec.totalUs, epoch: null, masterName, redis: [], sentinels: [], votes: null, network: null, writes: null,
      note: rec.note ?? 'no state recorded', tiltNote: null,
    };
  }
  const sentinelIdx = rec.procs.map((p, i) => (p.kind === 'sentinel' ? i : -1)).filter((i) => i >= 0);
  const shorts = shortNames(sentinelIdx.map((i) => rec.procs[i]!.name));
  const byId = new Map<string, string>();
  // Sentinel IDs survive restarts (the rewritten config), so any frame's ID names the process.
  sentinelIdx.forEach((i, k) => {
    const s = frame.states[i] as SentinelView | undefined;
    if (s) byId.set(s.myid, shorts[k]!);
  });
  const nameOfId = (id: string | null): string => (id === null ? '—' : byId.get(id) ?? id.slice(0, 8));

  const sentinels: SentinelRow[] = sentinelIdx.map((i, k) => sentinelRow(rec, frame, i, shorts[k]!, cursorUs, nameOfId));
  const redis: RedisRow[] = rec.procs.flatMap((p, i) => (p.kind === 'redis' ? [redisRow(rec, frame, i, cursorUs)] : []));
  const epochs = sentinels.filter((s) => s.epoch !== null).map((s) => s.epoch!);
  const epoch = epochs.length > 0 ? Math.max(...epochs) : null;
  return {
    title: rec.title, seed: rec.seed, cursorUs, totalUs: rec.totalUs, epoch, masterName, redis, sentinels,
    votes: votePanel(sentinels, epoch, byId, nameOfId),
    network: networkRow(rec, frame),
    writes: rec.writes && rec.writes.length > 0 ? writeCountsAt(rec.writes, cursorUs) : null,
    note: null,
    tiltNote: tiltNote(rec, sentinels, cursorUs),
  };
}

const secs1 = (us: number): string => (us / 1e6).toFixed(1);

/**
 * What made a Sentinel enter TILT (sentinelCheckTiltCondition(): two timer ticks more than 2 s
 * apart, or its clock going back), read from the scenario's faults just before its +tilt: a
 * pause of the process, or a clock step on its host; else the tick gap alone (a starved process).
 */
export function tiltCause(rec: Recording, name: string, cursorUs: number): string | null {
  let tiltAt: number | undefined;
  for (const e of rec.log) {
    if (e.t > cursorUs) break;
    if (e.p === name && e.event === '+tilt') tiltAt = e.t;
  }
  if (tiltAt === undefined) return null;
  const host = hostOfName(rec, name);
  const before = rec.log.filter((e) => e.fault !== undefined && e.t <= tiltAt! && tiltAt! - e.t <= 1_000_000);
  for (let k = before.length - 1; k >= 0; k--) {
    const e = before[k]!;
    if (e.fault === 'resume' && e.p === name) {
      const paused = rec.log.filter((x) => x.fault === 'pause' && x.p === name && x.t <= e.t).pop();
      return paused ? `paused ${secs1(paused.t)}–${secs1(e.t)} s, its timer saw a ${secs1(e.t - paused.t)} s gap (over 2 s)` : 'resumed after a pause (a tick gap over 2 s)';
    }
    const jump = e.fault === 'clock-jump' ? / clock-jump (\S+) (-?\d+)ms$/.exec(e.line) : null;
    if (jump && jump[1] === host) {
      const ms = Number(jump[2]);
      return `the clock of ${host} ${ms < 0 ? 'went back' : 'jumped ahead'} ${Math.abs(ms / 1000)} s${ms < 0 ? '' : ' (a tick gap over 2 s)'}`;
    }
  }
  return 'two timer ticks more than 2 s apart (the process was starved)';
}

/** One line for the bottom of the screen while a Sentinel is in TILT: why, and what it means. */
function tiltNote(rec: Recording, rows: readonly SentinelRow[], cursorUs: number): string | null {
  const r = rows.find((x) => x.tilt !== null && x.status !== 'down');
  if (!r) return null;
  const why = tiltCause(rec, r.name, cursorUs) ?? 'a tick gap over 2 s or a clock going back';
  return `${r.name} in TILT: ${why}; for ${r.tilt!.limitMs / 1000} s it acts on nothing (no SDOWN, ODOWN or failover) · ? help`;
}

/** Host wall clock (ms) of process i at the cursor: the frame's reading plus the time since. */
function hostMsAt(frame: Frame, i: number, cursorUs: number): number {
  return frame.hostMs[i]! + Math.floor((cursorUs - frame.t) / 1000);
}

function sentinelRow(rec: Recording, frame: Frame, i: number, short: string, cursorUs: number, nameOfId: (id: string | null) => string): SentinelRow {
  const p = rec.procs[i]!;
  const status = frame.status[i]!;
  const s = frame.states[i] as SentinelView | undefined;
  if (!s || status === 'down') {
    return { name: p.name, short, status: 'down', sdown: false, odown: false, tilt: null, epoch: null, voted: '—', failoverState: '—', timers: [], master: null };
  }
  const v = advance(s, hostMsAt(frame, i, cursorUs) - frame.hostMs[i]!);
  const m = v.masters[0] ?? null;
  return {
    name: p.name,
    short,
    status,
    sdown: m?.sdown ?? false,
    odown: m?.odown ?? false,
    tilt: v.tilt,
    epoch: v.currentEpoch,
    voted: m && m.leader !== null ? `${nameOfId(m.leader)} @${m.leaderEpoch}` : '—',
    failoverState: m && m.failoverState !== 'none' ? m.failoverState.replace(/_/g, '-') : '—',
    timers: m ? m.timers : [],
    master: m,
  };
}

/** The view `dtMs` later on its host's clock, nothing having happened: every timer moves on. */
function advance(v: SentinelView, dtMs: number): SentinelView {
  if (dtMs === 0) return v;
  const move = (t: TimerView): TimerView => ({ ...t, elapsedMs: t.elapsedMs + dtMs });
  return { ...v, tilt: v.tilt && move(v.tilt), masters: v.masters.map((m) => ({ ...m, timers: m.timers.map(move) })) };
}

function lastFault(rec: Recording, name: string, cursorUs: number): LogEntry | undefined {
  let found: LogEntry | undefined;
  for (const e of rec.log) {
    if (e.t > cursorUs) break;
    if (e.fault !== undefined && (e.p === name || (e.fault.startsWith('host-') && e.line.endsWith(` ${hostOfName(rec, name)}`)))) found = e;
  }
  return found;
}

function hostOfName(rec: Recording, name: string): string {
  return rec.procs.find((p) => p.name === name)?.host ?? '';
}

function ago(cursorUs: number, t: number): string {
  return `${((cursorUs - t) / 1e6).toFixed(1)} s ago`;
}

function redisRow(rec: Recording, frame: Frame, i: number, cursorUs: number): RedisRow {
  const p = rec.procs[i]!;
  const status = frame.status[i]!;
  const v = frame.states[i] as RedisView | undefined;
  if (!v || status === 'down') {
    const f = lastFault(rec, p.name, cursorUs);
    const what = f?.fault === 'host-down' ? 'host down' : f?.fault === 'exit' ? 'exited' : f ? 'crashed' : 'not started';
    return {
      name: p.name, port: p.port, status: 'down', role: 'down', promoted: false, link: '—', offset: null, lagBytes: null,
      writes: `✗ ${what}${f ? ` ${ago(cursorUs, f.t)}` : ''}`, writesOk: false,
    };
  }
  let lagBytes: number | null = null;
  if (v.role === 'slave' && v.masterHost !== null && v.masterPort !== null && rec.procAt) {
    const mi = rec.procAt(v.masterHost, v.masterPort, i);
    const mv = mi >= 0 && frame.status[mi] !== 'down' ? (frame.states[mi] as RedisView | undefined) : undefined;
    if (mv) lagBytes = Math.max(0, mv.masterReplOffset - v.masterReplOffset);
  }
  let writes: string;
  let writesOk: boolean | null;
  if (status === 'paused') {
    const f = lastFault(rec, p.name, cursorUs);
    writes = `‖ paused${f ? ` ${ago(cursorUs, f.t)}` : ''}`;
    writesOk = false;
  } else if (v.role === 'slave') {
    writes = v.writable ? '✓ writable replica' : `read-only${v.linkStatus === 'down' ? ' (link down)' : ''}`;
    writesOk = v.writable ? true : null;
  } else {
    writes = v.writable ? (p.configuredReplica ? '✓ promoted' : '✓ writable') : `✗ min-replicas (${v.goodReplicas} good)`;
    writesOk = v.writable;
  }
  return {
    name: p.name, port: p.port, status, role: v.role === 'slave' ? 'replica' : 'master', promoted: v.role === 'master' && p.configuredReplica,
    link: v.linkStatus ?? '—', offset: v.masterReplOffset, lagBytes, writes, writesOk,
  };
}

function votePanel(rows: readonly SentinelRow[], epoch: number | null, byId: Map<string, string>, nameOfId: (id: string | null) => string): VotePanel | null {
  const live = rows.filter((r) => r.master !== null);
  if (live.length === 0 || epoch === null) return null;
  const ref = live.find((r) => r.master!.failoverState !== 'none' && r.master!.failoverEpoch === epoch) ?? live[0]!;
  const { voters, majority, quorum } = ref.master!;
  const needed = Math.max(majority, quorum);
  if (epoch === 0) return { epoch, candidates: [], voters, majority, quorum, needed, elected: null, outcome: 'none' };
  const cast = new Map<string, number>();
  for (const r of live) {
    const m = r.master!;
    if (m.leader !== null && m.leaderEpoch === epoch) cast.set(nameOfId(m.leader), (cast.get(nameOfId(m.leader)) ?? 0) + 1);
  }
  // Candidates: Sentinels that voted for themselves in this epoch (they started a failover). Each
  // counts what it knows of its own votes (sentinelView's votes: the replies it got plus its own).
  const candidates: VoteCandidate[] = [];
  const selfIds = new Map<string, string>([...byId.entries()].map(([id, short]) => [short, id]));
  for (const r of live) {
    const m = r.master!;
    const myId = selfIds.get(r.short);
    if (!myId || m.leader !== myId || m.leaderEpoch !== epoch || r.epoch !== epoch) continue;
    const mine = m.votes.find((x) => x.candidate === myId);
    candidates.push({ name: r.short, count: mine?.count ?? 0, cast: cast.get(r.short) ?? 0 });
  }
  if (candidates.length === 0) {
    // No live candidate: what the live Sentinels cast in this epoch.
    for (const [name, n] of cast) candidates.push({ name, count: n, cast: n });
  }
  candidates.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const leaderRow = live.find((r) => {
    const m = r.master!;
    return m.failoverEpoch === epoch && m.failoverState !== 'none' && m.failoverState !== 'wait_start';
  });
  const waiting = live.some((r) => r.master!.failoverEpoch === epoch && r.master!.failoverState === 'wait_start');
  const switched = live.some((r) => r.master!.configEpoch === epoch);
  const elected = leaderRow ? leaderRow.short : null;
  const outcome = elected || switched ? 'elected' : waiting ? 'counting' : 'no winner';
  return { epoch, candidates, voters, majority, quorum, needed, elected: elected ?? (switched ? candidates.find((c) => c.count >= needed)?.name ?? null : null), outcome };
}

function networkRow(rec: Recording, frame: Frame): NetworkRow {
  // The scenario's client host (last in rec.hosts) is not part of the deployment.
  const hosts = rec.hosts.slice(0, -1).map((h) => h.name);
  const blocked = new Set(frame.blocked);
  const open = (a: string, b: string) => !blocked.has(`${a}>${b}`) && !blocked.has(`${b}>${a}`);
  const groups: string[][] = [];
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h)) continue;
    const g = [h];
    seen.add(h);
    for (let k = 0; k < g.length; k++) {
      for (const o of hosts) {
        if (!seen.has(o) && open(g[k]!, o)) {
          seen.add(o);
          g.push(o);
        }
      }
    }
    groups.push(g.sort((a, b) => hosts.indexOf(a) - hosts.indexOf(b)));
  }
  const cliques = groups.every((g) => g.every((a) => g.every((b) => a === b || open(a, b))));
  const cuts: string[] = [];
  const oneWay: string[] = [];
  for (const pair of frame.blocked) {
    const [a, b] = pair.split('>') as [string, string];
    if (!hosts.includes(a) || !hosts.includes(b)) continue;
    if (!blocked.has(`${b}>${a}`)) oneWay.push(`${a} → ${b}`);
    else if (hosts.indexOf(a) < hosts.indexOf(b)) cuts.push(`${a} ✕ ${b}`);
  }
  return { groups: cliques ? groups : [hosts], cuts: cliques ? [] : cuts, oneWay };
}
