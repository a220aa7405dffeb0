/**
 * The one error type every input reader throws: a config file, a model, a scenario, a CLI flag.
 * The CLI prints `message` (already naming file:line and the reason) on stderr and exits 2;
 * nothing else ever escapes a reader, so there is never a stack trace for bad input.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    /** Human-readable, complete: `path:line: reason` or a multi-line Redis-style report. */
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** `file:line: reason` (line omitted when unknown). */
export function inputError(file: string, line: number | undefined, reason: string): InputError {
  const shown = shownPath(file);
  return new InputError(line === undefined ? `${shown}: ${reason}` : `${shown}:${line}: ${reason}`, file, line);
}

/**
 * A path as a message shows it: quoted when it is empty, starts or ends with white space, or holds
 * a control character, which would otherwise be invisible (` : not found`) or break the line.
 */
export function shownPath(file: string): string {
  // eslint-disable-next-line no-control-regex
  return file === '' || /^\s|\s$|[\x00-\x1f\x7f]/.test(file) ? JSON.stringify(file) : file;
}
