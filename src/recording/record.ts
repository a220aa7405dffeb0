import { logLine } from '../report/logLines.js';
import { redisView, type RedisState } from '../redis/index.js';
import { sentinelView } from '../sentinel/view.js';
import type { SentinelState } from '../sentinel/state.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { runScenario, type RunOptions } from '../scenario/runner.js';
import { processAt } from '../scenario/model.js';
import type { Scenario } from '../scenario/scenario.js';
import type { TraceRecord, TraceSink } from '../sim/trace.js';
import type { NetWorld as World } from '../net/world.js';
import type { ProcessStatus } from '../sim/world.js';
import { keyKindOf, type Frame, type LogEntry, type ProcInfo, type Recording } from './recording.js';
import { writeSeries } from './writes.js';

/**
 * Runs a scenario once, exactly as `run` does (runScenario, same seed, same records), and keeps a
 * frame of every process's state after each instant that wrote a trace record, plus one every
 * `frameEveryMs` of simulated time in between (so countdowns move while nothing is logged).
 *
 * Frames need the World (states, host clocks, partitions): the recorder gets it through onWorld and
 * captures the processes' views after every step that changed something (or every frameEveryMs).
 */

export interface RecordOptions {
  readonly seed?: number;
  readonly untilUs?: number;
  /** Frames between trace records, in simulated ms (default 100). */
  readonly frameEveryMs?: number;
  readonly factories?: BehaviorFactories;
  /** Measure the heap before and after (call global.gc first when it is exposed). */
  readonly measureHeap?: boolean;
  /** Called as simulated time advances (RunOptions.onProgress). */
  readonly onProgress?: (simulatedUs: number, endUs: number) => void;
}



export function recordScenario(scenario: Scenario, opts: RecordOptions = {}): Recording {
  const model = scenario.model;
  const procs: ProcInfo[] = model.processes.map((p) => ({
    name: p.name,
    kind: p.kind,
    host: p.host,
    ip: model.hosts.find((h) => h.name === p.host)?.ip ?? '?',
    port: p.port,
    configuredReplica: p.kind === 'redis' && !!p.redis?.replicaof,
  }));
  const hosts = [...model.hosts.map((h) => ({ name: h.name, ip: h.ip })), { name: model.clientHost.name, ip: model.clientHost.ip }];
  const everyUs = Math.max(1, Math.round((opts.frameEveryMs ?? 100) * 1000));
  const endUs = opts.untilUs ?? scenario.durationUs;

  const frames: Frame[] = [];
  let world: World | undefined;
  let dirty = false;
  let steps = 0;

  const capture = (w: World): void => {
    const t = w.nowUs;
    if (t > endUs) return;
    const last = frames[frames.length - 1];
    if (last && last.t !== t && !dirty && t - last.t < everyUs) return;
    dirty = false;
    // Views, not states: the World runs its handlers in place (as fast as `run`), so a state
    // object is not a snapshot; a view is, and it is all the screen reads.
    const states = procs.map((p) => {
      const st = w.stateOf(p.name);
      if (st === undefined) return undefined;
      return p.kind === 'redis' ? redisView(st as RedisState) : sentinelView(st as SentinelState, w.hostNowMs(p.host));
    });
    const status = procs.map((p) => w.status(p.name)) as ProcessStatus[];
    const hostMs = procs.map((p) => w.hostNowMs(p.host));
    let blocked = w.net.links.blockedPairs();
    if (last && sameStrings(last.blocked, blocked)) blocked = last.blocked as string[];
    const f: Frame = {
      t,
      states: last && sameRefs(last.states, states) ? last.states : states,
      status: last && sameRefs(last.status, status) ? last.status : status,
      hostMs,
      blocked,
    };
    if (last && last.t === t) frames[frames.length - 1] = f;
    else frames.push(f);
  };

  const attach = (w: World): void => {
    world = w;
    // The state every process booted into, before the first event (boot logs are at time 0).
    dirty = true;
    capture(w);
    w.afterStep((ww) => {
      steps++;
      capture(ww);
    });
  };
  const factories = opts.factories;
  const sink: TraceSink = {
    write() {
      dirty = true;
    },
  };

  const gc = (globalThis as { gc?: () => void }).gc;
  if (opts.measureHeap) gc?.();
  const heapBefore = opts.measureHeap ? process.memoryUsage().heapUsed : undefined;
  // Real time, to report how long recording took; the model never sees it.
  const t0 = performance.now();
  const runOpts: RunOptions = {
    seed: opts.seed, untilUs: opts.untilUs, trace: sink, traceDetail: 'events', factories, onWorld: attach,
    onProgress: opts.onProgress,
  };
  const res = runScenario(scenario, runOpts);
  const simulateMs = performance.now() - t0;
  if (!world) throw new Error('the player could not observe the simulation (no model process booted)');

  // The state at time 0 before anything ran is the first frame's; the end is held to the end.
  const log = logEntries(res.records);
  if (opts.measureHeap) gc?.();
  const heapAfter = opts.measureHeap ? process.memoryUsage().heapUsed : undefined;
  return {
    title: scenario.name,
    seed: res.seed,
    source: 'scenario',
    totalUs: res.endUs,
    log,
    procs,
    hosts,
    frames,
    frameTimes: frames.map((f) => f.t),
    writes: writeSeries(res.records, res.summary.lostWrites, res.endUs),
    procAt: (host, port, from) => {
      const p = processAt(model, host, port, procs[from]?.host);
      return p ? procs.findIndex((x) => x.name === p.name) : -1;
    },
    stats: { simulateMs, frames: frames.length, logLines: log.length, steps, heapBeforeBytes: heapBefore, heapAfterBytes: heapAfter },
  };
}

export function logEntries(records: readonly TraceRecord[]): LogEntry[] {
  const out: LogEntry[] = [];
  for (const r of records) {
    const line = logLine(r);
    if (line === undefined) continue;
    out.push({
      t: r.t,
      line,
      ...(typeof r.p === 'string' ? { p: r.p } : {}),
      ...(r.k === 'event' ? { event: String(r.event) } : {}),
      ...(r.k === 'fault' ? { fault: String(r.what) } : {}),
      ...(r.k === 'reply' ? { reply: String(r.p) } : {}),
      ...(typeof r.level === 'string' ? { level: r.level } : {}),
      key: keyKindOf(r),
    });
  }
  return out;
}

function sameRefs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return sameRefs(a, b);
}
