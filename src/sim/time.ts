// Virtual time is one global integer count of microseconds since the start of a run.
// Every process reads its own host's clocks (see clock.ts), never this value directly.

export type TimeUs = number;

export const US_PER_MS = 1000;
export const US_PER_SEC = 1_000_000;

export const msToUs = (ms: number): TimeUs => Math.round(ms * US_PER_MS);
export const secToUs = (s: number): TimeUs => Math.round(s * US_PER_SEC);
export const usToMs = (us: TimeUs): number => Math.floor(us / US_PER_MS);

/** "12.345" seconds with millisecond precision, as shown in logs and the player. */
export function formatSeconds(us: TimeUs): string {
  const ms = Math.floor(us / US_PER_MS);
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}
