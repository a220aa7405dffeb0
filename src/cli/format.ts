import type { ExpectationResult } from '../check/types.js';
import type { RunResult } from '../scenario/runner.js';
import { formatSeconds } from '../sim/time.js';
import type { TraceRecord } from '../sim/trace.js';

export { levelChar, logLine } from '../report/logLines.js';

export function jsonlLine(r: TraceRecord): string | undefined {
  if (r.k !== 'event') return undefined;
  return JSON.stringify({ timeMs: r.t / 1000, process: r.p, level: r.level, event: r.event, text: r.text });
}

export function expectationLines(results: readonly ExpectationResult[]): string[] {
  const out: string[] = [];
  for (const e of results) {
    const at = e.atUs === undefined ? '' : ` (at ${formatSeconds(e.atUs)})`;
    out.push(`${e.pass ? 'PASS' : 'FAIL'}  ${e.name}  [${e.where}]${e.pass ? '' : at}`);
    if (!e.pass) for (const ev of e.evidence) out.push(`      ${ev}`);
  }
  return out;
}

export function verdictLine(res: RunResult): string {
  const n = res.expectations.length;
  const failed = res.expectations.filter((e) => !e.pass).length;
  if (n === 0) return 'no expectations';
  return failed === 0 ? `all ${n} expectations hold` : `${failed} of ${n} expectations failed`;
}
