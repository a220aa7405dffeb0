import { acknowledgedWrites, type LostWritesReport } from '../check/lost-writes.js';
import type { TraceRecord } from '../sim/trace.js';
import { lastAtOrBefore } from './playback.js';

/**
 * Each workload client's acknowledged and lost writes over time, for the player's WRITES line.
 * A write is counted as acknowledged from its +OK. It is counted as lost (it is among the run's
 * lost writes, which only the final dataset can tell) from the moment the node that acknowledged
 * it gave up its dataset: its next restart (a boot) or its demotion to replica (a full resync
 * replaces the data); when neither comes, from the end of the run.
 */

export interface ClientWrites {
  readonly client: string;
  /** Sorted simulated times (µs). */
  readonly ackedUs: readonly number[];
  readonly lostUs: readonly number[];
}

export interface WriteCounts {
  readonly client: string;
  readonly acknowledged: number;
  readonly lost: number;
}

/** Per node, the sorted times it let go of its dataset: each boot, each role change to replica. */
function letGoTimes(records: readonly TraceRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of records) {
    if (r.k !== 'state' || typeof r.p !== 'string') continue;
    if (r.what !== 'boot' && !(r.what === 'role' && r.role !== 'master')) continue;
    if (!out.has(r.p)) out.set(r.p, []);
    out.get(r.p)!.push(r.t);
  }
  return out;
}

/** The first of `times` after `afterUs`, else `endUs`. */
function nextAfter(times: readonly number[] | undefined, afterUs: number, endUs: number): number {
  if (!times) return endUs;
  const i = lastAtOrBefore(times, afterUs) + 1;
  return i < times.length ? times[i]! : endUs;
}

export function writeSeries(records: readonly TraceRecord[], report: LostWritesReport | undefined, endUs: number): ClientWrites[] {
  if (!report) return [];
  const acked = acknowledgedWrites(records);
  const letGo = letGoTimes(records);
  // The report names the node behind a proxy ("node1 via haproxy"): the node whose data it was.
  const lostBy = new Map(report.lost.map((w) => [`${w.client}/${w.key}/${w.value}/${w.ackedMs}`, w.ackedBy.split(' ')[0]!]));
  return Object.keys(report.acknowledged).map((client) => {
    const mine = acked.filter((w) => w.client === client);
    const lostUs: number[] = [];
    for (const w of mine) {
      const node = lostBy.get(`${w.client}/${w.key}/${w.value}/${Math.round(w.ackedUs / 1000)}`);
      if (node !== undefined) lostUs.push(nextAfter(letGo.get(node), w.ackedUs, endUs));
    }
    return { client, ackedUs: mine.map((w) => w.ackedUs).sort((a, b) => a - b), lostUs: lostUs.sort((a, b) => a - b) };
  });
}

/** The counts at `us` (binary searches: seeking is O(log n)). */
export function writeCountsAt(series: readonly ClientWrites[], us: number): WriteCounts[] {
  return series.map((s) => ({ client: s.client, acknowledged: lastAtOrBefore(s.ackedUs, us) + 1, lost: lastAtOrBefore(s.lostUs, us) + 1 }));
}
