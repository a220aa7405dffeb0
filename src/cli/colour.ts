import { Chalk } from 'chalk';

/**
 * Colour for people, plain text for pipes. On when the stream is a terminal (and TERM is not
 * `dumb`); `NO_COLOR` (any non-empty value, no-color.org) turns it off; `FORCE_COLOR` turns it on
 * (or off with `0`/`false`) and wins over both, as it does in Node itself.
 */

export interface Paint {
  readonly enabled: boolean;
  pass(s: string): string;
  fail(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function colourEnabled(stream: { isTTY?: boolean }, env: Env = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const same = (s: string): string => s;

export const NO_PAINT: Paint = { enabled: false, pass: same, fail: same, warn: same, dim: same, bold: same };

/** The paint for one output stream. */
export function paintFor(stream: { isTTY?: boolean }, env: Env = process.env): Paint {
  if (!colourEnabled(stream, env)) return NO_PAINT;
  const c = new Chalk({ level: 1 });
  return { enabled: true, pass: (s) => c.green(s), fail: (s) => c.bold.red(s), warn: (s) => c.yellow(s), dim: (s) => c.dim(s), bold: (s) => c.bold(s) };
}

/**
 * Colours the words a reader scans for in finished text lines: PASS/FAIL at the start of a line,
 * `warning`/`error`/`refused` and verdict words such as OUTAGE or NO. The formatters stay plain
 * (their output is tested and diffed); colour is added only on the way to a terminal.
 */
export function paintText(text: string, p: Paint): string {
  if (!p.enabled) return text;
  return text
    .replace(/^(\s*)(PASS)\b/gm, (_m, sp: string, w: string) => sp + p.pass(w))
    .replace(/^(\s*)(FAIL)\b/gm, (_m, sp: string, w: string) => sp + p.fail(w))
    .replace(/\b(refused|error|OUTAGE|SPLIT-BRAIN|LOST WRITES|NO)\b/g, (w) => p.fail(w))
    .replace(/\b([Ww]arnings?|WARN|degraded)\b/g, (w) => p.warn(w))
    .replace(/\b(accepted|YES)\b/g, (w) => p.pass(w));
}
