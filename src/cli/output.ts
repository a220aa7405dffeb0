import { closeSync, constants, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../config/errors.js';
import { inputFileRole } from '../config/inputFiles.js';
import { strerror } from '../config/loader.js';
import { encodeRecord, type TraceHeader } from '../recording/traceCodec.js';
import { FileTrace } from '../sim/trace.js';
import { trackPartial, untrackPartial } from './partials.js';

/**
 * Output files the CLI writes (--trace, --html): checked before the run, written to
 * `<file>.partial`, renamed into place at the end. A path that cannot work is a `file: reason`
 * before anything is created, never an internal error after a long run.
 *
 * A symbolic link is followed: the partial file goes beside its target and the target is replaced,
 * never the link (`--trace /dev/stdout` must not replace /dev/stdout). A device or a FIFO is
 * written straight, as it goes: renaming a file over it would destroy it, and removing it on an
 * error would too.
 */

const PARTIAL = '.partial';
const errno = (e: unknown): string => strerror((e as NodeJS.ErrnoException).code);

/** The output path must be a file (or nothing yet) in an existing folder, or a device / FIFO someone reads. */
export function checkOutputPath(path: string, what: string): void {
  if (path.trim() === '') throw new InputError(`the ${what} needs a file name, not an empty string`);
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`${path}: cannot write the ${what}: ${errno(e)}`, path);
  }
  if (st?.isDirectory()) throw new InputError(`${path}: is a directory; the ${what} needs a file name`, path);
  if (st?.isSocket()) throw new InputError(`${path}: cannot write the ${what}: it is a socket`, path);
  // `--trace scenario.yaml` used to replace the scenario with the trace, exit 0.
  const role = inputFileRole(path);
  if (role !== undefined) throw new InputError(`${path}: is a file this run reads (${role}); the ${what} would replace it`, path);
  // A device (/dev/null, a terminal) or a FIFO is written straight; whether a FIFO has a reader is
  // only known when it is opened (a probe's close would end the reader's stream).
  if (st && !st.isFile()) return;
  const parent = dirname(st ? realpathSync(path) : resolve(path));
  try {
    if (!statSync(parent).isDirectory()) throw new InputError(`${path}: cannot write the ${what}: ${parent} is not a directory`, path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot write the ${what}: ${parent}: ${errno(e)}`, path);
  }
}

/**
 * Two output flags naming one file (links followed): the second would replace the first. A device
 * or a FIFO is written straight, so both may go there (`--trace /dev/null --html /dev/null`).
 */
export function checkDistinctOutputs(outputs: readonly (readonly [flag: string, path: string | undefined])[]): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of outputs) {
    if (path === undefined || isSpecialFile(path)) continue;
    const key = realOrResolved(path);
    const first = seen.get(key);
    if (first !== undefined) throw new InputError(`${path}: ${first} and ${flag} name the same file; give each its own`, path);
    seen.set(key, flag);
  }
}

function isSpecialFile(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Open the file the output goes to while the run goes. A FIFO nobody reads would block the run
 * forever in open(): a non-blocking open first says whether a reader is there (ENXIO when not),
 * and stays open until the real one is, so the reader never sees the end of its stream between them.
 */
function openOutputFd(tmp: string, path: string): number {
  if (tmp !== path) {
    const fd = openSync(tmp, 'w');
    trackPartial(tmp);
    return fd;
  }
  const probe = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    return openSync(path, 'w');
  } finally {
    closeSync(probe);
  }
}

const whyNot = (e: unknown): string => ((e as NodeJS.ErrnoException).code === 'ENXIO' ? 'it is a FIFO and nothing is reading it' : errno(e));

/** Where the output is written while the run goes: `<real file>.partial`, or the path itself for a device or FIFO. */
export function partialPathFor(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    return `${path}${PARTIAL}`;
  }
  return st.isFile() ? `${realpathSync(path)}${PARTIAL}` : path;
}

/** Open the partial file for the trace: the header, then each record in the saved schema (traceSchema.ts). */
export function openTrace(path: string, tmp: string, header: TraceHeader): FileTrace {
  let fd: number;
  try {
    fd = openOutputFd(tmp, path);
  } catch (e) {
    throw new InputError(`${path}: cannot write the trace: ${tmp === path ? '' : `${tmp}: `}${whyNot(e)}`, path);
  }
  const trace = new OwnedFdTrace(fd);
  trace.writeJson(header);
  return trace;
}

/** Rename the finished partial file into place; on failure remove it and say why. */
export function finishOutput(tmp: string, path: string, what: string): void {
  if (tmp === path) return;
  untrackPartial(tmp);
  try {
    renameSync(tmp, tmp.slice(0, -PARTIAL.length));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`${path}: cannot write the ${what}: ${errno(e)}`, path);
  }
}

/** Remove an unfinished partial file (a device or FIFO written straight is left alone). */
export function discardPartial(tmp: string, path: string): void {
  if (tmp === path) return;
  untrackPartial(tmp);
  rmSync(tmp, { force: true });
}

/** A whole output file at once (the --html page): through its partial file, every failure a `file: reason`. */
export function writeOutputFile(path: string, text: string, what: string): void {
  const tmp = partialPathFor(path);
  let fd: number | undefined;
  try {
    fd = openOutputFd(tmp, path);
    writeFileSync(fd, text);
  } catch (e) {
    discardPartial(tmp, path);
    throw new InputError(`${path}: cannot write the ${what}: ${whyNot(e)}`, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  finishOutput(tmp, path, what);
}

/** FileTrace over a descriptor this module opened: closing the trace closes it. */
class OwnedFdTrace extends FileTrace {
  constructor(private readonly ownFd: number) {
    super(ownFd, encodeRecord);
  }
  private closed = false;
  override close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      super.close();
    } finally {
      closeSync(this.ownFd);
    }
  }
}
