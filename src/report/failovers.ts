import { acknowledgedWrites, type AckedWrite, type LostWritesReport } from '../check/lost-writes.js';
import type { FailoverSummary } from '../check/summary.js';
import { processAt, type Model } from '../scenario/model.js';
import type { TimedAction } from '../scenario/scenario.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * A failover as an operator tells it: which fault caused it, how long after the fault the
 * Sentinels switched the master (`+switch-master`), how long the model's clients could not write,
 * and how many acknowledged writes were lost. `durationMs` (+try-failover to +failover-end) is only
 * the Sentinels' own part of that story.
 */

export interface FaultCause {
  /** The scenario action: crash, shutdown, pause, host-down, isolate, partition, ... */
  readonly action: string;
  /** What it hit: a process, a host, or `a,b | c` for a partition. */
  readonly target: string;
  readonly atMs: number;
  /** Line of the scenario file. */
  readonly line: number;
}

export interface FailoverStory extends FailoverSummary {
  readonly cause: FaultCause | null;
  /** The master before the failover (a process of the model, or ip:port). */
  readonly from: string | null;
  /** The master the Sentinels switched to, from the first `+switch-master` at or after the start. */
  readonly to: string | null;
  readonly switchMs: number | null;
  /** Fault to the first `+switch-master`. */
  readonly faultToSwitchMs: number | null;
  /**
   * The longest time a client of the model went without a write acknowledged (and not lost later),
   * from its last write before the fault to its first after the switch; up to the end of the run
   * if some client never wrote again. Null when the model has no writing clients or no fault is known.
   */
  readonly unwritableMs: number | null;
  /** False when some client was still unable to write at the end of the run. */
  readonly writableAgain: boolean | null;
  /** Acknowledged writes lost, acknowledged from this fault up to the next one. Null without clients. */
  readonly lostWrites: number | null;
}

const DISRUPTIVE = new Set(['crash', 'debug-segfault', 'sigterm', 'shutdown', 'pause', 'host-down', 'isolate', 'partition', 'clock-jump']);

export interface StoryInput {
  readonly records: readonly TraceRecord[];
  readonly failovers: readonly FailoverSummary[];
  readonly timeline: readonly TimedAction[];
  readonly model: Model;
  readonly endUs: number;
  readonly lostWrites?: LostWritesReport;
  /** The acknowledged writes, when `records` no longer holds the op records (RunResult.acked). */
  readonly acked?: readonly AckedWrite[];
}

function causeOf(a: TimedAction): FaultCause {
  const target =
    'procs' in a ? a.procs.join(',')
    : 'proc' in a ? a.proc
    : a.kind === 'partition' ? `${a.from.join(',')} ${a.oneWay ? '->' : '|'} ${a.to.join(',')}`
    : 'host' in a ? a.host
    : '';
  return { action: a.kind, target, atMs: a.atUs / 1000, line: a.line };
}

/** Does this action touch the process `proc` (on `host`)? */
function touches(a: TimedAction, proc: string | null, host: string | null): boolean {
  if ('procs' in a) return proc !== null && a.procs.includes(proc);
  if ('proc' in a) return a.proc === proc;
  if (a.kind === 'partition') return host !== null && (a.from.includes(host) || a.to.includes(host));
  if ('host' in a) return a.host === host;
  return false;
}

function addrText(text: string, at: number): [string, number] {
  const tok = text.split(' ');
  return [tok[at]!, Number(tok[at + 1])];
}

export function failoverStories(input: StoryInput): FailoverStory[] {
  const { records, model } = input;
  const events = records.filter((r) => r.k === 'event');
  const disruptive = input.timeline.filter((a) => DISRUPTIVE.has(a.kind) && a.atUs <= input.endUs);
  const name = (ip: string, port: number) => processAt(model, ip, port)?.name ?? `${ip}:${port}`;
  const stories = input.failovers.map((f): Omit<FailoverStory, 'unwritableMs' | 'writableAgain' | 'lostWrites'> => {
    const start = events.find((r) => r.p === f.sentinel && r.event === '+try-failover' && Math.round(r.t / 1000) === f.startMs);
    const from = start ? name(...addrText(String(start.text), 2)) : null;
    const host = model.processes.find((p) => p.name === from)?.host ?? null;
    const startUs = start?.t ?? f.startMs * 1000;
    const before = disruptive.filter((a) => a.atUs <= startUs);
    const act = [...before].reverse().find((a) => touches(a, from, host)) ?? before[before.length - 1];
    const sw = events.find((r) => r.event === '+switch-master' && r.t >= startUs && String(r.text).split(' ')[0] === f.master);
    const switchUs = sw?.t ?? null;
    return {
      ...f, cause: act ? causeOf(act) : null, from, to: sw ? name(...addrText(String(sw.text), 3)) : null,
      // Whole ms as the log prints the +switch-master line (truncated, like Redis's own timestamps).
      switchMs: switchUs === null ? null : Math.floor(switchUs / 1000),
      faultToSwitchMs: switchUs === null || !act ? null : Math.floor(switchUs / 1000) - Math.floor(act.atUs / 1000),
    };
  });
  const writes = writeOutcomes(input);
  const causes = [...new Set(stories.map((s) => s.cause?.atMs).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
  return stories.map((s) => {
    if (!writes || !s.cause) return { ...s, unwritableMs: null, writableAgain: null, lostWrites: writes ? writes.lostBetween(-Infinity, Infinity) : null };
    const faultUs = s.cause.atMs * 1000;
    const next = causes.find((c) => c > s.cause!.atMs);
    const u = writes.unwritableAfter(faultUs, s.switchMs === null ? input.endUs : s.switchMs * 1000);
    return { ...s, unwritableMs: u.ms, writableAgain: u.again, lostWrites: writes.lostBetween(faultUs, next === undefined ? Infinity : next * 1000) };
  });
}

/**
 * The longest stretch without an acknowledged (and kept) write of one client, among the gaps from
 * its last write at or before the fault to its first write after `untilUs` (the switch): so a
 * client that writes every second shows the outage, not the second it waits anyway.
 */
function longestGap(acksUs: readonly number[], faultUs: number, untilUs: number, endUs: number): { us: number; again: boolean } {
  const before = acksUs.filter((t) => t <= faultUs);
  let prev = before.length > 0 ? before[before.length - 1]! : faultUs;
  let us = 0;
  for (const t of acksUs) {
    if (t <= prev) continue;
    us = Math.max(us, t - prev);
    if (prev >= untilUs) return { us, again: true };
    prev = t;
  }
  return prev >= untilUs && prev > faultUs ? { us, again: true } : { us: Math.max(us, endUs - prev), again: false };
}

interface WriteOutcomes {
  unwritableAfter(faultUs: number, untilUs: number): { ms: number; again: boolean };
  /** Lost acknowledged writes acknowledged in [fromUs, toUs). */
  lostBetween(fromUs: number, toUs: number): number;
}

function writeOutcomes(input: StoryInput): WriteOutcomes | undefined {
  const lost = input.lostWrites;
  if (!lost || Object.keys(lost.acknowledged).length === 0) return undefined;
  const lostIds = new Set(lost.lost.map((w) => `${w.client}/${w.key}/${w.value}/${w.ackedMs}`));
  const kept = (input.acked ?? acknowledgedWrites(input.records)).filter((w) => !lostIds.has(`${w.client}/${w.key}/${w.value}/${Math.round(w.ackedUs / 1000)}`));
  const clients = Object.keys(lost.acknowledged);
  return {
    unwritableAfter(faultUs, untilUs) {
      let worstUs = 0;
      let again = true;
      for (const c of clients) {
        const acks = kept.filter((w) => w.client === c).map((w) => w.ackedUs);
        const gap = longestGap(acks, faultUs, untilUs, input.endUs);
        worstUs = Math.max(worstUs, gap.us);
        if (!gap.again) again = false;
      }
      return { ms: Math.round(worstUs / 1000), again };
    },
    lostBetween(fromUs, toUs) {
      return lost.lost.filter((w) => w.ackedMs * 1000 >= fromUs && w.ackedMs * 1000 < toUs).length;
    },
  };
}
