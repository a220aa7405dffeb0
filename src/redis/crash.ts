import { warning, type Node } from './node.js';

/**
 * A segfaulting Redis (debug.c sigsegvHandler()): it logs the crash, then writes its bug report
 * (stack trace, INFO, client list, a fast memory test over every mapped region, a dump of the code
 * around the faulting instruction) with its sockets still open, answering nothing, and only then
 * re-raises the signal and dies. The report's length decides when clients see the connection end.
 */

/** How long the bug report takes, ms: a seeded uniform draw per crash from [minMs, maxMs]. */
export interface CrashReportRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * Measured on this project's machine against Debian's redis-server 7.0.15 (`DEBUG SEGFAULT` on an
 * idle node, 10 runs, load ~14 on 2 cores): 236–334 ms from the command to the process's exit, and
 * the commanding client read EOF 0–5 ms before the exit (FIN, no reply). Most of it is the fast
 * memory test. Other machines differ a lot (0.14–0.15 s and 0.77–1.0 s were measured elsewhere):
 * a model sets its own with `options.crashReportMs`.
 */
export const DEFAULT_CRASH_REPORT_MS: CrashReportRange = { minMs: 236, maxMs: 334 };

/** sigsegvHandler(): the first line, then the report; the exit comes at the `crash-report` timer. */
export function sigsegvHandler(n: Node): void {
  const d = n.d;
  // DEBUG SEGFAULT writes to a read-only page: SEGV_ACCERR, si_code 2 (as 7.0.15 logs it).
  warning(n, 'Redis 7.0.15 crashed by signal: 11, si_code: 2');
  d.shuttingDown = true;
  const r = d.conf.crashReportMs;
  const spanUs = Math.max(0, Math.round((r.maxMs - r.minMs) * 1000));
  const delayMs = r.minMs + n.ctx.stream('crash-report').int(spanUs + 1) / 1000;
  n.ctx.timer('crash-report', delayMs);
}

/** bugReportEnd(): the signal is re-raised with its default action: killed by SIGSEGV (status 139). */
export function crashReportDone(n: Node): void {
  n.ctx.exit(139);
}
