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
  return new InputError(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`, file, line);
}
