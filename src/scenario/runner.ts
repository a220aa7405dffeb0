import { renderConfig, toFileConfig, type SentinelDisk, type SentinelState } from '../sentinel/index.js';
import { checkAll, type ReplyRecord } from '../check/expectations.js';
import { countEvents, summarizeFailovers, type FailoverSummary } from '../check/summary.js';
import type { ExpectationResult } from '../check/types.js';
import { cliBehavior, type CliEndpoint, type CliJob } from '../clients/cli.js';
import { proxyBehavior } from '../clients/proxy.js';
import { proxyConfigOf } from './proxyConfig.js';
import { workloadClientBehavior, type WorkloadClientConfig } from '../clients/workload.js';
import { checkLostWritesOf, WriteHistory, type AckedWrite, type LostWritesReport } from '../check/lost-writes.js';
import type { RedisState } from '../redis/state.js';
import type { Behavior } from '../net/process.js';
import type { TraceRecord, TraceSink } from '../sim/trace.js';
import * as faults from '../faults/index.js';
import type { NetWorld } from '../net/world.js';
import type { BehaviorFactories } from './behaviors.js';
import { buildWorld } from './build.js';
import { DEFAULT_MAX_EVENTS } from './limits.js';
import { runCapped } from './runCapped.js';
import { processAt, resolveInModel, type Model, type ModelProcess } from './model.js';
import type { Scenario, Target, TimedAction } from './scenario.js';

/**
 * Runs a scenario: builds the world, schedules the timeline, lets the scenario's redis-cli send
 * the commands (and the probes time-point expectations need: ROLE, GET, SENTINEL
 * get-master-addr-by-name), runs to the end, checks the expectations and summarises.
 *
 * At the end every Redis node is asked ROLE once more for the final roles; the run goes on (at
 * most PROBE_TIMEOUT past the end) until those replies are in. Those extra records are in the
 * trace file, but not in `records`, which stop at the end time.
 */

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Stop here instead of at the scenario's duration. */
  readonly untilUs?: number;
  /** Also stream every record here (e.g. a FileTrace). */
  readonly trace?: TraceSink;
  readonly traceDetail?: 'events' | 'full';
  readonly factories?: BehaviorFactories;
  /** Collect each Sentinel's rewritten sentinel.conf at the end (RunResult.sentinelConfigs). */
  readonly sentinelConfigs?: boolean;
  /** Keep process states immutable, for an observer that holds on to them (the player). */
  readonly snapshots?: boolean;
  /** Handed the World once it is built, before anything runs (observers such as the player's recorder). */
  readonly onWorld?: (w: NetWorld) => void;
  /** Stop with a RunStoppedError past this many events (default DEFAULT_MAX_EVENTS; limits.ts). */
  readonly maxEvents?: number;
  /**
   * Handed each record up to the end time as the run produces it: what RunResult.records will
   * hold, in the same order, so a caller can write the log as the run goes.
   */
  readonly onRecord?: (r: TraceRecord) => void;
  /** Called as simulated time advances (every simulated minute), so a long run can say how far it got. */
  readonly onProgress?: (simulatedUs: number, endUs: number) => void;
  /**
   * Which records RunResult.records keeps. 'all' (the default): every record up to the end time.
   * 'checks': only what the expectations, the summary and the reports read (Sentinel events,
   * faults, state changes, the scenario redis-cli's replies), so a long run's memory does not grow
   * with simulated time: the workload clients' op and reply records (one per operation) and the log
   * lines are left out. The lost-write accounting is folded as op records arrive either way
   * (RunResult.acked); onRecord and the trace sink still see every record.
   */
  readonly keep?: 'all' | 'checks';
}

export interface RunSummary {
  readonly scenario: string;
  readonly model: string;
  readonly seed: number;
  readonly endMs: number;
  readonly failovers: readonly FailoverSummary[];
  /** Per Redis process: master, slave, down, paused, or what ROLE failed with. */
  readonly finalRoles: Readonly<Record<string, string>>;
  readonly eventCounts: Readonly<Record<string, number>>;
  readonly expectations: readonly { name: string; where: string; pass: boolean; atMs: number | null; evidence: readonly string[] }[];
  readonly passed: number;
  readonly failed: number;
  /** Acknowledged writes of the workload clients lost by the end (only when the model has workload clients). */
  readonly lostWrites?: LostWritesReport;
}

export interface RunResult {
  readonly seed: number;
  readonly endUs: number;
  /** Every record up to the end time (events detail), reply records included. */
  readonly records: readonly TraceRecord[];
  /** The workload clients' acknowledged writes up to the end time, in order (also when RunOptions.keep is 'checks'). */
  readonly acked: readonly AckedWrite[];
  readonly expectations: readonly ExpectationResult[];
  readonly summary: RunSummary;
  readonly ok: boolean;
  /** Each Sentinel's sentinel.conf as it last rewrote it (rewriteConfigSentinelOption()), at the end; empty unless asked for. */
  readonly sentinelConfigs: readonly { readonly process: string; readonly text: string }[];
}

const CLI_PID = 'redis-cli';
const PROBE_TIMEOUT_US = 1_000_000;

/**
 * The trace sink the runner gives the world: turns client `state` records into `reply` and `op`
 * records, folds op records into the write history as they arrive, and keeps the records the
 * end-of-run checks read (RunOptions.keep).
 */
class RunSink implements TraceSink {
  readonly records: TraceRecord[] = [];
  /** conn id → backend, from the proxies' session records (a proxied connection keeps its id on both sides). */
  private readonly sessions = new Map<number, string>();
  readonly writes = new WriteHistory((conn) => this.sessions.get(conn));
  constructor(
    private readonly inner: TraceSink | undefined,
    private readonly endUs: number,
    private readonly onRecord: ((r: TraceRecord) => void) | undefined,
    private readonly keepAll: boolean,
  ) {}
  write(r: TraceRecord): void {
    const x: TraceRecord =
      r.k === 'state' && r.reply !== undefined ? { t: r.t, k: 'reply', p: r.p, ...(r.reply as object) }
      : r.k === 'state' && r.op !== undefined ? { t: r.t, k: 'op', p: r.p, ...(r.op as object) }
      : r;
    if (x.k !== 'msg' && x.k !== 'timer' && x.k !== 'net') {
      if (x.k === 'state' && x.proxy === 'session') this.sessions.set(x.conn as number, x.server as string);
      else if (x.k === 'op') this.writes.add(x);
      if (this.keepAll || keptForChecks(x)) this.records.push(x);
      if (x.t <= this.endUs) this.onRecord?.(x);
    }
    this.inner?.write(x);
  }
}

/** What the checks and reports read: not the workload's per-operation records, nor log lines. */
function keptForChecks(r: TraceRecord): boolean {
  return r.k === 'event' || r.k === 'fault' || r.k === 'state' || (r.k === 'reply' && r.p === CLI_PID);
}

function passwordOf(p: ModelProcess): string | undefined {
  return p.kind === 'redis' ? p.redis!.requirepass : p.sentinel!.requirepass;
}

function ipOf(model: Model, p: ModelProcess): string {
  return model.hosts.find((h) => h.name === p.host)!.ip;
}

function endpointOf(model: Model, p: ModelProcess): CliEndpoint {
  return { ip: ipOf(model, p), port: p.port, name: p.name, password: passwordOf(p) };
}

function endpointFor(model: Model, t: Target): CliEndpoint {
  const p = t.proc ? model.processes.find((x) => x.name === t.proc) : undefined;
  return p ? endpointOf(model, p) : { ip: t.ip, port: t.port };
}

const PROGRESS_SLICE_US = 60_000_000;

export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const steps = runScenarioSteps(scenario, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * runScenario one progress slice at a time: yields the simulated µs reached after each slice, so a
 * caller (the CLI) can give the event loop a turn between slices, e.g. to answer a signal. The
 * events run are the same however it is driven.
 */
export function* runScenarioSteps(scenario: Scenario, opts: RunOptions = {}): Generator<number, RunResult, void> {
  const model = scenario.model;
  const seed = opts.seed ?? scenario.seed;
  const endUs = opts.untilUs ?? scenario.durationUs;
  const maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
  const script = cliScript(scenario, endUs);
  const { extra, lookup } = modelClients(model);
  const sink = new RunSink(opts.trace, endUs, opts.onRecord, (opts.keep ?? 'all') === 'all');
  const world = buildWorld(model, {
    seed, trace: sink, traceDetail: opts.traceDetail, snapshots: opts.snapshots, factories: opts.factories, extraProcesses: extra,
    clientProcesses: script.jobs.length > 0 ? [{ pid: CLI_PID, behavior: cliBehavior(script.jobs, { lookup }) }] : [],
  });
  for (const a of scenario.timeline) if (a.atUs <= endUs) world.at(a.atUs, describeAction(a), (w) => apply(w, model, a));
  opts.onWorld?.(world);

  // In slices of simulated time, so a caller can report progress; the events run are the same.
  for (let t = Math.min(PROGRESS_SLICE_US, endUs); ; t = Math.min(t + PROGRESS_SLICE_US, endUs)) {
    runCapped(world, t, maxEvents);
    opts.onProgress?.(t, endUs);
    if (t >= endUs) break;
    yield t;
  }
  const sentinels = model.processes.filter((p) => p.kind === 'sentinel');
  const sentinelConfigs = opts.sentinelConfigs ? sentinels.map((p) => ({ process: p.name, text: sentinelConfigText(world, p.name) })) : [];
  drainProbes(world, sink, script, endUs, maxEvents);
  return { ...runOutcome(scenario, seed, endUs, world, sink, script.probeJobs), sentinelConfigs };
}

/** The scenario's redis-cli jobs: timeline commands, shutdowns, expectation probes, final ROLEs. */
interface CliScript {
  readonly jobs: CliJob[];
  /** Probe job id → the index of the expectation it serves. */
  readonly probeJobs: Map<number, number>;
  readonly finalIds: number[];
}

function cliScript(scenario: Scenario, endUs: number): CliScript {
  const model = scenario.model;
  const redis = model.processes.filter((p) => p.kind === 'redis');
  const sentinels = model.processes.filter((p) => p.kind === 'sentinel');
  const masterNames = [...new Set(sentinels.flatMap((s) => s.sentinel!.masters.map((m) => m.name)))];
  const jobs: CliJob[] = [];
  const addJob = (j: Omit<CliJob, 'id'>) => {
    const id = jobs.length + 1;
    jobs.push({ ...j, id });
    return id;
  };
  const viaSentinels = () => ({ master: masterNames[0]!, sentinels: sentinels.map((s) => endpointOf(model, s)) });
  for (const a of scenario.timeline) {
    if (a.atUs > endUs) continue;
    if (a.kind === 'command') {
      addJob({ atMs: a.atUs / 1000, label: a.label, argv: a.argv, ...(a.then ? { then: a.then } : {}), timeoutMs: a.timeoutUs / 1000, ...(a.to ? { to: endpointFor(model, a.to) } : { viaSentinels: viaSentinels() }) });
    } else if (a.kind === 'shutdown') {
      const p = model.processes.find((x) => x.name === a.proc)!;
      addJob({ atMs: a.atUs / 1000, label: a.label, argv: ['SHUTDOWN'], to: endpointOf(model, p), timeoutMs: 30_000 });
    }
  }
  const probeJobs = new Map<number, number>();
  const probe = (i: number, atUs: number, argv: string[], p: ModelProcess) => {
    const id = addJob({ atMs: atUs / 1000, label: `probe:${i}`, probe: true, argv, to: endpointOf(model, p), timeoutMs: PROBE_TIMEOUT_US / 1000 });
    probeJobs.set(id, i);
  };
  scenario.expectations.forEach((e, i) => {
    if (e.kind === 'master' && e.atUs <= endUs) {
      if (e.source !== 'roles') for (const s of sentinels) probe(i, e.atUs, ['SENTINEL', 'get-master-addr-by-name', e.of], s);
      if (e.source !== 'sentinels') for (const r of redis) probe(i, e.atUs, ['ROLE'], r);
    } else if (e.kind === 'property' && e.property === 'converges' && e.fromUs <= endUs) {
      for (const s of sentinels) probe(i, e.fromUs, ['SENTINEL', 'get-master-addr-by-name', e.of], s);
      for (const r of redis) probe(i, e.fromUs, ['ROLE'], r);
    } else if (e.kind === 'key' && e.atUs <= endUs) {
      const on = e.on === 'master' ? redis : redis.filter((r) => r.name === e.on);
      for (const r of on) {
        if (e.on === 'master') probe(i, e.atUs, ['ROLE'], r);
        probe(i, e.atUs, ['GET', e.key], r);
      }
    }
  });
  const finalIds = redis.map((r) => addJob({ atMs: endUs / 1000, label: 'final', probe: true, argv: ['ROLE'], to: endpointOf(model, r), timeoutMs: PROBE_TIMEOUT_US / 1000 }));
  return { jobs, probeJobs, finalIds };
}

type ExtraProcess = { pid: string; host: string; behavior: Behavior<any>; startAtUs?: number };
type Lookup = (ip: string, port: number) => { name: string; password: string | undefined } | undefined;

/**
 * The model's clients: proxies (HAProxy with tcp-check) and workload clients (Sentinel-aware, or
 * at a fixed address such as a proxy), each a process on its host.
 */
function modelClients(model: Model): { extra: ExtraProcess[]; lookup: Lookup } {
  const extra: ExtraProcess[] = [];
  const lookup: Lookup = (ip, port) => {
    const p = processAt(model, ip, port);
    return p ? { name: p.name, password: passwordOf(p) } : undefined;
  };
  const refEndpoint = (ref: string) => clientRefEndpoint(model, ref);
  for (const c of model.clients) {
    if (c.kind === 'proxy') {
      extra.push({ pid: c.name, host: c.host, startAtUs: c.startAtUs, behavior: proxyBehavior(proxyConfigOf(c, refEndpoint), 'proxy') });
      continue;
    }
    if (c.everyUs === undefined || c.everyUs <= 0) continue;
    const timeoutMs = (c.timeoutUs ?? 100_000) / 1000;
    const via: WorkloadClientConfig['via'] = c.kind === 'sentinel-aware'
      ? { kind: 'sentinels', master: c.master!, sentinels: c.sentinels.map(refEndpoint), resolve: c.resolve ?? 'every-op' }
      : { kind: 'fixed', to: refEndpoint(c.to!) };
    extra.push({
      pid: c.name, host: c.host, startAtUs: c.startAtUs,
      behavior: workloadClientBehavior({ name: c.name, via, password: c.password, timeoutMs, everyMs: c.everyUs / 1000, workload: c.workload ?? 'set-get', key: c.key ?? 'key', lookup }, 'client'),
    });
  }
  return { extra, lookup };
}

/** A client's reference: a process, a proxy of the model, or a `host:port`. */
function clientRefEndpoint(model: Model, ref: string): CliEndpoint {
  const p = model.processes.find((x) => x.name === ref);
  if (p) return endpointOf(model, p);
  const px = model.clients.find((x) => x.kind === 'proxy' && x.name === ref);
  if (px) return { ip: model.hosts.find((h) => h.name === px.host)?.ip ?? model.clientHost.ip, port: px.port!, name: px.name };
  const [h, port] = [ref.slice(0, ref.lastIndexOf(':')), Number(ref.slice(ref.lastIndexOf(':') + 1))];
  const host = resolveInModel(model, h);
  const at = processAt(model, h, port);
  return at ? endpointOf(model, at) : { ip: host?.ip ?? h, port, name: ref };
}

/** Let the probes issued at or before the end time finish (each has its own timeout). */
function drainProbes(world: NetWorld, sink: RunSink, script: CliScript, endUs: number, maxEvents: number): void {
  const pendingIds = new Set<number>([...script.probeJobs.keys(), ...script.finalIds]);
  const answered = () => {
    for (const r of sink.records) if (r.k === 'reply' && r.p === CLI_PID) pendingIds.delete(r.job as number);
    return pendingIds.size === 0;
  };
  for (let k = 1; k <= 12 && !answered(); k++) runCapped(world, endUs + (k * PROBE_TIMEOUT_US) / 10, maxEvents);
}

/** The records up to the end, the expectations checked against them, and the summary. */
function runOutcome(scenario: Scenario, seed: number, endUs: number, world: NetWorld, sink: RunSink, probeJobs: ReadonlyMap<number, number>): Omit<RunResult, 'sentinelConfigs'> {
  const model = scenario.model;
  const redis = model.processes.filter((p) => p.kind === 'redis');
  const inRun = sink.records.filter((r) => r.t <= endUs || (r.k === 'reply' && r.probe));
  const at = (ip: string, port: number) => processAt(model, ip, port)?.name;
  const labelTimes = new Map<string, number>();
  for (const a of scenario.timeline) if (a.label) labelTimes.set(a.label, a.atUs);
  const finalRoles = finalRolesOf(world, redis, inRun);
  const hasWorkload = model.clients.some((c) => c.kind !== 'proxy' && c.everyUs !== undefined && c.everyUs > 0);
  const lostWrites = hasWorkload ? lostWritesAtEnd(world, model, sink.writes, finalRoles) : undefined;
  const acked = hasWorkload ? sink.writes.acked : undefined;
  const redisHosts = new Map(redis.map((r) => [r.name, r.host]));
  const probes = probeReplies(inRun, probeJobs);
  const expectations = checkAll(scenario.expectations, inRun, { endUs, processAt: at, probes, labelTimes, lostWrites, acked, redisHosts });

  const records = sink.records.filter((r) => r.t <= endUs);
  const passed = expectations.filter((e) => e.pass).length;
  const summary: RunSummary = {
    scenario: scenario.name, model: model.name, seed, endMs: endUs / 1000,
    failovers: summarizeFailovers(records, at), finalRoles, eventCounts: countEvents(records),
    expectations: expectations.map((e) => ({ name: e.name, where: e.where, pass: e.pass, atMs: e.atUs === undefined ? null : Math.round(e.atUs / 1000), evidence: e.evidence })),
    passed, failed: expectations.length - passed, ...(lostWrites ? { lostWrites } : {}),
  };
  return { seed, endUs, records, acked: sink.writes.acked.filter((w) => w.ackedUs <= endUs), expectations, summary, ok: passed === expectations.length };
}

/** The probes' replies, per expectation index. */
function probeReplies(inRun: readonly TraceRecord[], probeJobs: ReadonlyMap<number, number>): Map<number, ReplyRecord[]> {
  const probes = new Map<number, ReplyRecord[]>();
  for (const r of inRun) {
    if (r.k !== 'reply' || !r.probe || r.p !== CLI_PID) continue;
    const i = probeJobs.get(r.job as number);
    if (i === undefined) continue;
    if (!probes.has(i)) probes.set(i, []);
    probes.get(i)!.push(r as ReplyRecord);
  }
  return probes;
}

/** Each Redis process's ROLE at the end (its final probe's reply), or its status when not running. */
function finalRolesOf(world: NetWorld, redis: readonly ModelProcess[], inRun: readonly TraceRecord[]): Record<string, string> {
  const finalRoles: Record<string, string> = {};
  for (const r of redis) {
    const st = world.status(r.name);
    if (st !== 'running') {
      finalRoles[r.name] = st;
      continue;
    }
    const rep = inRun.find((x) => x.k === 'reply' && x.p === CLI_PID && x.label === 'final' && x.to === r.name) as ReplyRecord | undefined;
    finalRoles[r.name] = !rep ? 'no reply' : rep.error ? String(rep.text) : Array.isArray(rep.reply) ? String(rep.reply[0]) : String(rep.text);
  }
  return finalRoles;
}

/**
 * The lost-writes check at the end: the final master is the one running node with role master;
 * with several (a split brain at the end), the one most running Sentinels name.
 */
function lostWritesAtEnd(world: NetWorld, model: Model, writes: WriteHistory, finalRoles: Readonly<Record<string, string>>): LostWritesReport {
  const masters = model.processes.filter((p) => p.kind === 'redis' && finalRoles[p.name] === 'master');
  let final = masters[0];
  let note: string | undefined;
  if (masters.length > 1) {
    const votes = new Map<string, number>();
    for (const p of model.processes) {
      if (p.kind !== 'sentinel' || world.status(p.name) !== 'running') continue;
      const m = world.stateOf<Partial<SentinelState>>(p.name).masters?.[0];
      const at = m ? processAt(model, m.addr.ip, m.addr.port) : undefined;
      if (at) votes.set(at.name, (votes.get(at.name) ?? 0) + 1);
    }
    const best = masters.map((p) => [p, votes.get(p.name) ?? 0] as const).sort((a, b) => b[1] - a[1])[0]!;
    final = best[0];
    note = `several nodes are master at the end (${masters.map((p) => p.name).join(', ')}); checked against ${final.name}, which ${best[1]} Sentinel(s) name`;
  }
  const db = final ? world.stateOf<Partial<RedisState>>(final.name).db : undefined;
  if (final && !db) return checkLostWritesOf(writes, null, () => null, `the dataset of ${final.name} is not readable (not the Redis model)`);
  return checkLostWritesOf(writes, final?.name ?? null, (k) => db?.[k] ?? null, note);
}

export function describeAction(a: TimedAction): string {
  switch (a.kind) {
    case 'crash':
    case 'debug-segfault':
    case 'sigterm':
    case 'restart':
    case 'start':
    case 'pause':
    case 'resume':
      return `${a.kind} ${a.procs.join(' ')}`;
    case 'shutdown':
      return `shutdown ${a.proc}`;
    case 'host-down':
    case 'host-up':
    case 'isolate':
      return `${a.kind} ${a.host}`;
    case 'partition':
      return `partition ${a.from.join(',')} ${a.oneWay ? '->' : '<->'} ${a.to.join(',')}`;
    case 'heal':
      return 'heal';
    case 'clock-jump':
      return `clock-jump ${a.host} ${a.byUs / 1000}ms`;
    case 'clock-drift':
      return `clock-drift ${a.host} ${a.ppm}ppm`;
    case 'link':
      return `link ${a.from} ${a.oneWay ? '->' : '<->'} ${a.to}`;
    case 'command':
      return `command ${[a.argv, ...(a.then ?? [])].map((c) => c.join(' ')).join('; ')}`;
    case 'note':
      return `note ${a.text}`;
  }
}

function apply(w: NetWorld, model: Model, a: TimedAction): void {
  switch (a.kind) {
    case 'crash':
      for (const p of a.procs) faults.crash(w, p, a.kind);
      return;
    case 'debug-segfault':
      for (const p of a.procs) faults.debugSegfault(w, p);
      return;
    case 'sigterm':
      for (const p of a.procs) faults.sigterm(w, p);
      return;
    case 'restart':
      for (const p of a.procs) faults.restart(w, p);
      return;
    case 'start':
      for (const p of a.procs) faults.start(w, p);
      return;
    case 'pause':
      for (const p of a.procs) faults.pause(w, p);
      return;
    case 'resume':
      for (const p of a.procs) faults.resume(w, p);
      return;
    case 'shutdown':
    case 'command':
      return; // sent by the redis-cli process
    case 'host-down':
      faults.hostDown(w, a.host);
      return;
    case 'host-up':
      faults.hostUp(w, a.host);
      return;
    case 'isolate':
      faults.isolate(w, a.host, model.hosts.map((h) => h.name));
      return;
    case 'partition':
      faults.partition(w, a.from, a.to, a.oneWay);
      return;
    case 'heal':
      faults.heal(w);
      return;
    case 'clock-jump':
      faults.clockJump(w, a.host, a.byUs / 1000);
      return;
    case 'clock-drift':
      faults.clockDrift(w, a.host, a.ppm);
      return;
    case 'link':
      faults.changeLink(w, a.from, a.to, { latencyUs: a.latencyUs, jitterUs: a.jitterUs, loss: a.loss }, !a.oneWay);
      return;
    case 'note':
      w.note({ what: 'note', text: a.text });
      return;
  }
}

/**
 * What a Sentinel would have in its sentinel.conf now: the config it last flushed, or, if it is
 * running, the one it would write at its next flush (they differ only between two flushes).
 */
function sentinelConfigText(world: NetWorld, pid: string): string {
  const state = world.status(pid) === 'down' ? undefined : world.stateOf<SentinelState>(pid);
  if (state) return renderConfig(toFileConfig(state));
  const disk = world.diskOf(pid) as SentinelDisk | undefined;
  return disk ? renderConfig(disk.config) : '';
}
