import { checkEvent, checkWrites, type EventRecord } from '../check/expectations.js';
import { acknowledgedWrites, type AckedWrite } from '../check/lost-writes.js';
import type { Expectation, ExpectationResult } from '../check/types.js';
import type { TimedAction } from '../scenario/scenario.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * A run stopped early (`--until`) cannot judge what lies past the cut: an expectation whose time
 * point, window or command comes after the cut is "not reached", not failed. Only a verdict more
 * time could change becomes "not reached": too many events already seen in a window is a failure
 * whatever follows.
 */

export type Verdict = 'pass' | 'fail' | 'not reached';

export interface JudgedExpectation extends ExpectationResult {
  readonly verdict: Verdict;
}

function couldStillHold(e: Expectation, records: readonly TraceRecord[], cutUs: number, labelTimes: ReadonlyMap<string, number>, ackedWrites?: readonly AckedWrite[]): boolean {
  switch (e.kind) {
    case 'master':
    case 'key':
      return e.atUs > cutUs;
    case 'reply':
      return (labelTimes.get(e.label) ?? 0) > cutUs || !records.some((r) => r.k === 'reply' && r.label === e.label && !r.probe);
    case 'lostWrites':
      // Judged against the final master, at the scenario's end.
      return true;
    default:
      // A property (explore's) broken before the cut is broken whatever follows.
      return false;
    case 'event': {
      if (e.toUs <= cutUs) return false;
      const events = records.filter((r): r is EventRecord => r.k === 'event');
      return checkEvent({ ...e, min: 0 }, events, { endUs: cutUs, processAt: () => undefined, probes: new Map(), labelTimes }).pass;
    }
    case 'writes': {
      if (e.toUs <= cutUs) return false;
      const sessions = new Map<number, string>();
      for (const r of records) if (r.k === 'state' && r.proxy === 'session') sessions.set(r.conn as number, r.server as string);
      const acked = ackedWrites ?? acknowledgedWrites(records, (c) => sessions.get(c));
      return checkWrites({ ...e, min: 0 }, { endUs: cutUs, processAt: () => undefined, probes: new Map(), labelTimes, acked }).pass;
    }
  }
}

/** `results[i]` is the verdict on `exps[i]`; `cutUs` is where the run stopped, `durationUs` the scenario's own end. */
export function judgeAtCut(
  exps: readonly Expectation[],
  results: readonly ExpectationResult[],
  records: readonly TraceRecord[],
  timeline: readonly TimedAction[],
  cutUs: number,
  durationUs: number,
  /** The acknowledged writes, when `records` no longer holds the op records (RunResult.acked). */
  acked?: readonly AckedWrite[],
): JudgedExpectation[] {
  const labelTimes = new Map<string, number>();
  for (const a of timeline) if (a.label) labelTimes.set(a.label, a.atUs);
  return results.map((r, i) => {
    if (r.pass) return { ...r, verdict: 'pass' };
    if (cutUs >= durationUs || !couldStillHold(exps[i]!, records, cutUs, labelTimes, acked)) return { ...r, verdict: 'fail' };
    return { ...r, verdict: 'not reached' };
  });
}
