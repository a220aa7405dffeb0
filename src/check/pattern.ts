import { RE2JS } from 're2js';

/**
 * A regular expression a user wrote (an expectation's `text:` or `matches:`). User patterns run
 * on RE2JS, RE2's syntax and its guarantee of time linear in the input, so no pattern can hang a
 * run the way `^(.*)*X$` hangs a backtracking engine. Lookarounds and backreferences, which need
 * backtracking, are syntax errors here, as in RE2.
 */
export interface UserPattern {
  /** The pattern as written. */
  readonly source: string;
  /** Does the pattern match somewhere in `text` (unanchored, like RegExp.test)? */
  test(text: string): boolean;
}

/** Longest pattern accepted, in characters, and largest compiled program, in RE2 instructions. */
export const MAX_PATTERN_CHARS = 1000;
export const MAX_PATTERN_PROGRAM = 20_000;

export class PatternError extends Error {}

/** Compile a user pattern; a bad or oversized one throws {@link PatternError} with RE2's reason. */
export function compileUserPattern(source: string): UserPattern {
  if (source.length > MAX_PATTERN_CHARS) throw new PatternError(`the pattern is ${source.length} characters long; the limit is ${MAX_PATTERN_CHARS}`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new PatternError(msg.replace(/^error parsing regexp: /, ''));
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    throw new PatternError(`the pattern compiles to ${re.programSize()} RE2 instructions; the limit is ${MAX_PATTERN_PROGRAM} (large {n} repeats multiply)`);
  }
  return { source, test: (text) => re.test(text) };
}
