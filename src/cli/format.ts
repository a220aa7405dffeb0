import type { ExpectationResult } from '../check/types.js';
import type { Verdict } from '../report/reached.js';
import type { RunResult } from '../scenario/runner.js';
import { formatSeconds } from '../sim/time.js';
import type { TraceRecord } from '../sim/trace.js';
import { encodeRecord } from '../recording/traceCodec.js';

export { levelChar, logLine } from '../report/logLines.js';

/** `--format jsonl`: the Sentinel events, in the trace file's schema (after the header line). */
export function jsonlLine(r: TraceRecord): string | undefined {
  if (r.k !== 'event') return undefined;
  return JSON.stringify(encodeRecord(r));
}

/** A verdict per expectation; `verdict` absent means pass/fail as `pass` says. */
type Judged = ExpectationResult & { readonly verdict?: Verdict };

const verdictOf = (e: Judged): Verdict => e.verdict ?? (e.pass ? 'pass' : 'fail');

export function expectationLines(results: readonly Judged[]): string[] {
  const out: string[] = [];
  for (const e of results) {
    const v = verdictOf(e);
    const at = e.atUs === undefined ? '' : ` (at ${formatSeconds(e.atUs)})`;
    out.push(`${v === 'pass' ? 'PASS' : v === 'fail' ? 'FAIL' : 'NOT REACHED'}  ${e.name}  [${e.where}]${v === 'fail' ? at : ''}`);
    if (v === 'fail') for (const ev of e.evidence) out.push(`      ${ev}`);
  }
  return out;
}

/** `cutUs`: where a run stopped early (--until), named when expectations were not reached. */
export function verdictLine(res: Pick<RunResult, 'expectations'>, judged?: readonly Judged[], cutUs?: number): string {
  const all = judged ?? res.expectations;
  const n = all.length;
  const failed = all.filter((e) => verdictOf(e) === 'fail').length;
  const notReached = all.filter((e) => verdictOf(e) === 'not reached').length;
  if (n === 0) return 'no expectations';
  const cut = notReached > 0 ? `; ${notReached} not reached: the run stopped at ${formatSeconds(cutUs ?? 0)} s` : '';
  if (failed > 0) return `${failed} of ${n} expectations failed${cut}`;
  return notReached > 0 ? `${n - notReached} of ${n} expectations hold${cut}` : `all ${n} expectations hold`;
}
