/**
 * Durations as scenario and model files write them: `1500ms`, `10s`, `3m`, `1.5s`, `250us`, `1h`,
 * optionally negative for clock jumps (`-30s`). A bare number is refused: `10` could mean seconds
 * or milliseconds, and guessing wrong would silently shift a whole timeline.
 */
export const DURATION_PATTERN = '^-?(0|[0-9]+(\\.[0-9]+)?(us|ms|s|m|h))$';
const RE = new RegExp(DURATION_PATTERN);

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

/** Microseconds, or undefined when the text is not a duration. */
export function parseDurationUs(text: string): number | undefined {
  const s = text.trim();
  if (!RE.test(s)) return undefined;
  if (s === '0' || s === '-0') return 0;
  const m = /^(-?)([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$/.exec(s)!;
  const us = Math.round(Number(m[2]) * UNIT_US[m[3]!]!);
  return m[1] === '-' ? -us : us;
}

/** Why a value is not a duration, for error messages. */
export function durationProblem(v: unknown): string {
  if (typeof v === 'number') return `${v} has no unit: write it as ${v}s or ${v}ms`;
  if (typeof v !== 'string') return `expected a duration such as 1500ms, 10s or 3m`;
  return `"${v}" is not a duration: write a number and a unit (us, ms, s, m, h), e.g. 1500ms, 10s, 3m`;
}

/** `12.345s`-style rendering used in messages. */
export function formatDurationUs(us: number): string {
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1000 === 0) return `${us / 1000}ms`;
  return `${us}us`;
}
