import { renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../config/errors.js';
import { strerror } from '../config/loader.js';
import { encodeRecord, type TraceHeader } from '../recording/traceCodec.js';
import { FileTrace } from '../sim/trace.js';

/**
 * Output files the CLI writes (the --trace file): checked before the run, written to
 * `<file>.partial`, renamed into place at the end. A path that cannot work is a `file: reason`
 * before anything is created, never an internal error after a long run.
 */

const errno = (e: unknown): string => strerror((e as NodeJS.ErrnoException).code);

/** The output path must be a file (or nothing yet) in an existing folder. */
export function checkOutputPath(path: string, what: string): void {
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path}: is a directory; the ${what} needs a file name`, path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`${path}: cannot write the ${what}: ${errno(e)}`, path);
  }
  const parent = dirname(resolve(path));
  try {
    if (!statSync(parent).isDirectory()) throw new InputError(`${path}: cannot write the ${what}: ${parent} is not a directory`, path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot write the ${what}: ${parent}: ${errno(e)}`, path);
  }
}

/** Open `<path>.partial` for the trace: the header, then each record in the saved schema (traceSchema.ts). */
export function openTrace(path: string, tmp: string, header: TraceHeader): FileTrace {
  try {
    const trace = new FileTrace(tmp, encodeRecord);
    trace.writeJson(header);
    return trace;
  } catch (e) {
    throw new InputError(`${path}: cannot write the trace: ${tmp}: ${errno(e)}`, path);
  }
}

/** Rename the finished `<path>.partial` into place; on failure remove it and say why. */
export function finishOutput(tmp: string, path: string, what: string): void {
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`${path}: cannot write the ${what}: ${errno(e)}`, path);
  }
}
