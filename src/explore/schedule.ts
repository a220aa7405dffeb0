import { formatDurationUs } from '../scenario/duration.js';

/**
 * A fault schedule: plain data (so it crosses to worker threads and shrinks well), turned into a
 * scenario timeline of the runner's own actions. Every fault heals, except a clock jump, which is
 * a step of one host's wall clock and has nothing to undo.
 */

export { FAULT_DOCS, FAULT_KINDS, type FaultKind } from './names.js';

interface Timed {
  /** Simulated start, ms from the beginning of the run. */
  readonly atMs: number;
  /** How long until it heals (0 for a clock jump). */
  readonly forMs: number;
}

export type Fault = Timed &
  (
    | { readonly kind: 'crash' | 'segfault' | 'shutdown' | 'pause'; readonly proc: string }
    | { readonly kind: 'host-down' | 'isolate'; readonly host: string }
    | { readonly kind: 'domain'; readonly domain: string; readonly hosts: readonly string[]; readonly procs: readonly string[] }
    | { readonly kind: 'partition' | 'one-way'; readonly from: readonly string[]; readonly to: readonly string[] }
    | { readonly kind: 'clock-jump'; readonly host: string; readonly byMs: number }
  );

export type Schedule = readonly Fault[];

/** A timeline entry as it is written in a scenario file. */
export type TimelineItem = Record<string, unknown> & { readonly at: string };

/** Seconds with a decimal ("10.1s") for times on the 100 ms grid schedules use; else exact. */
export const formatMs = (ms: number): string => (ms % 100 === 0 ? `${ms / 1000}s` : formatDurationUs(ms * 1000));
const at = formatMs;
const isPartition = (f: Fault) => f.kind === 'partition' || f.kind === 'one-way' || f.kind === 'isolate';
const healMs = (f: Fault) => f.atMs + f.forMs;

/** The schedule in time order (same-time faults keep their order), as the runner will apply it. */
export function sortedFaults(s: Schedule): Fault[] {
  return s.map((f, i) => [f, i] as const).sort((a, b) => a[0].atMs - b[0].atMs || a[1] - b[1]).map(([f]) => f);
}

/** When the last fault heals (ms); 0 for an empty schedule. */
export function lastHealMs(s: Schedule): number {
  return s.reduce((m, f) => Math.max(m, healMs(f)), 0);
}

function start(f: Fault): TimelineItem[] {
  const t = at(f.atMs);
  switch (f.kind) {
    case 'crash':
      return [{ at: t, crash: f.proc }];
    case 'segfault':
      return [{ at: t, 'debug-segfault': f.proc }];
    case 'shutdown':
      return [{ at: t, shutdown: f.proc }];
    case 'pause':
      return [{ at: t, pause: f.proc }];
    case 'host-down':
      return [{ at: t, 'host-down': f.host }];
    case 'domain':
      return [...f.hosts.map((h) => ({ at: t, 'host-down': h })), ...(f.procs.length ? [{ at: t, crash: [...f.procs] }] : [])];
    case 'isolate':
      return [{ at: t, isolate: f.host }];
    case 'partition':
    case 'one-way':
      return [partitionItem(t, f)];
    case 'clock-jump':
      return [{ at: t, 'clock-jump': { host: f.host, by: at(f.byMs) } }];
  }
}

function partitionItem(t: string, f: Fault): TimelineItem {
  if (f.kind === 'isolate') return { at: t, isolate: f.host };
  if (f.kind !== 'partition' && f.kind !== 'one-way') throw new Error(`not a partition: ${f.kind}`);
  return { at: t, partition: { from: [...f.from], to: [...f.to], ...(f.kind === 'one-way' ? { 'one-way': true } : {}) } };
}

/**
 * The heal of a fault. A scenario's `heal` removes every partition, so healing one partition
 * also lays again the ones still in force at that moment.
 */
function heal(f: Fault, all: readonly Fault[]): TimelineItem[] {
  const t = at(healMs(f));
  switch (f.kind) {
    case 'crash':
    case 'segfault':
    case 'shutdown':
      return [{ at: t, restart: f.proc }];
    case 'pause':
      return [{ at: t, resume: f.proc }];
    case 'host-down':
      return [{ at: t, 'host-up': f.host }];
    case 'domain':
      return [...f.hosts.map((h) => ({ at: t, 'host-up': h })), ...(f.procs.length ? [{ at: t, restart: [...f.procs] }] : [])];
    case 'isolate':
    case 'partition':
    case 'one-way': {
      const still = all.filter((o) => o !== f && isPartition(o) && o.atMs <= healMs(f) && healMs(o) > healMs(f));
      return [{ at: t, heal: true }, ...still.map((o) => partitionItem(t, o))];
    }
    case 'clock-jump':
      return [];
  }
}

/** The scenario timeline of a schedule: each fault and its heal, in time order. */
export function scheduleTimeline(s: Schedule): TimelineItem[] {
  const faults = sortedFaults(s);
  const items: { ms: number; order: number; item: TimelineItem }[] = [];
  let order = 0;
  for (const f of faults) {
    for (const item of start(f)) items.push({ ms: f.atMs, order: order++, item });
    // A heal at the same instant as another fault's start comes after it (the runner keeps file order).
    for (const item of heal(f, faults)) items.push({ ms: healMs(f), order: 1e9 + order++, item });
  }
  return items.sort((a, b) => a.ms - b.ms || a.order - b.order).map((x) => x.item);
}

/** One line per fault, for reports: "crash node1 at 12.3s for 40s". */
export function describeFault(f: Fault): string {
  const when = `at ${at(f.atMs)}${f.kind === 'clock-jump' ? '' : ` for ${at(f.forMs)}`}`;
  switch (f.kind) {
    case 'crash':
    case 'segfault':
    case 'shutdown':
    case 'pause':
      return `${f.kind} ${f.proc} ${when}`;
    case 'host-down':
    case 'isolate':
      return `${f.kind} ${f.host} ${when}`;
    case 'domain':
      return `domain ${f.domain} down ${when}`;
    case 'partition':
    case 'one-way':
      return `${f.kind === 'one-way' ? 'one-way partition' : 'partition'} ${f.from.join(',')} ${f.kind === 'one-way' ? '->' : '|'} ${f.to.join(',')} ${when}`;
    case 'clock-jump':
      return `clock-jump ${f.host} by ${at(f.byMs)} ${when}`;
  }
}
