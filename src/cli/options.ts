import { InvalidArgumentError } from 'commander';
import { parseDurationUs } from '../scenario/duration.js';
import { MAX_CHECK_SEEDS, MAX_DURATION_US } from '../scenario/inputLimits.js';

/**
 * The option parsers every subcommand shares, so `--seed`, `--seeds` and durations mean the same
 * thing (and fail with the same words) in run, play, check and explore.
 */

const SEED_PROBLEM = 'the seed must be a non-negative integer';

export function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(SEED_PROBLEM);
  return Number(v);
}

/** `1,2,3`: distinct seeds, in the order given, at most MAX_CHECK_SEEDS of them. */
export function parseSeedList(v: string): number[] {
  const parts = v.split(',').map((x) => x.trim());
  // Counted before anything is parsed: a pasted list of a million seeds is refused at once.
  if (parts.length > MAX_CHECK_SEEDS) throw new InvalidArgumentError(`${parts.length} seeds; the limit is ${MAX_CHECK_SEEDS} (each seed runs every case again)`);
  if (parts.some((x) => !/^\d+$/.test(x) || !Number.isSafeInteger(Number(x)))) {
    throw new InvalidArgumentError('expected non-negative integers separated by commas, e.g. 1,2,3,4,5');
  }
  const seeds = parts.map(Number);
  if (new Set(seeds).size !== seeds.length) throw new InvalidArgumentError('a seed is listed twice');
  return seeds;
}

/** A positive duration (`90s`, `1500ms`, `1m30s`) in microseconds. */
export function parsePositiveDurationUs(v: string): number {
  const us = parseDurationUs(v);
  if (us === undefined || us <= 0) throw new InvalidArgumentError('expected a positive duration such as 90s, 1500ms, 3m or 1m30s');
  if (us > MAX_DURATION_US) throw new InvalidArgumentError('longer than the limit of 720h (30 days)');
  return us;
}

/** A positive duration in milliseconds (for flags named after Sentinel's own `…-milliseconds`). */
export function parsePositiveDurationMs(v: string): number {
  return parsePositiveDurationUs(v) / 1000;
}

/** An integer from `min` to `max`, e.g. `parseIntIn(0, 1000)`. */
export function parseIntIn(min: number, max: number): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return Number(v);
  };
}

/** An output path: an empty one would otherwise read as "no output" and be silently skipped. */
export function parseOutputPath(v: string): string {
  if (v.trim() === '') throw new InvalidArgumentError('expected a file or folder name, not an empty string');
  return v;
}
