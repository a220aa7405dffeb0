/** One line of `npm run bench`: what was measured, and the figure as printed. */
export interface Figure {
  readonly what: string;
  readonly value: string;
}

/** The middle value (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
