/**
 * Durations as scenario and model files (and flags) write them: `1500ms`, `10s`, `3m`, `1.5s`,
 * `250us`, `1h`, compound ones from the largest unit down (`1m30s`, `2h15m`, `1s500ms`), optionally
 * negative for clock jumps (`-30s`). A bare number is refused: `10` could mean seconds or
 * milliseconds, and guessing wrong would silently shift a whole timeline.
 */
import type { YamlFile } from './yamlFile.js';

const PART = (unit: string): string => `([0-9]+(\\.[0-9]+)?${unit})?`;
/** Each unit at most once, largest first; the lookahead refuses the empty string. */
export const DURATION_PATTERN = `^-?(0|(?=[0-9])${PART('h')}${PART('m')}${PART('s')}${PART('ms')}${PART('us')})$`;
const RE = new RegExp(DURATION_PATTERN);
const PART_RE = /([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)/g;

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

/** Microseconds, or undefined when the text is not a duration. */
export function parseDurationUs(text: string): number | undefined {
  const s = text.trim();
  if (!RE.test(s)) return undefined;
  if (s === '0' || s === '-0') return 0;
  let us = 0;
  for (const m of s.matchAll(PART_RE)) us += Number(m[1]) * UNIT_US[m[2]!]!;
  us = Math.round(us);
  return s.startsWith('-') ? -us : us;
}

/** Why a value is not a duration, for error messages. */
export function durationProblem(v: unknown): string {
  if (typeof v === 'number') return `${v} has no unit: write it as ${v}s or ${v}ms`;
  if (typeof v !== 'string') return `expected a duration such as 1500ms, 10s, 3m or 1m30s`;
  return `"${v}" is not a duration: write a number and a unit (us, ms, s, m, h), e.g. 1500ms, 10s, 3m, 1m30s`;
}

/** `12.345s`-style rendering used in messages. */
export function formatDurationUs(us: number): string {
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1000 === 0) return `${us / 1000}ms`;
  return `${us}us`;
}

/** A model or scenario field's optional non-negative duration, in µs; file:line when it is not one. */
export function optionalDurationUs(y: YamlFile, path: PropertyKey[], v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const us = parseDurationUs(v);
  if (us === undefined || us < 0) throw y.fail(path, `"${v}" is not a non-negative duration`);
  return us;
}
