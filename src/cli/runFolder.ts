import { accessSync, chmodSync, closeSync, constants, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../config/errors.js';
import { strerror } from '../config/loader.js';
import { encodeRecord, type TraceHeader } from '../recording/traceCodec.js';
import { JepsenHistory } from '../report/history.js';
import type { WritabilityChange } from '../report/writability.js';
import { FileTrace, type TraceRecord, type TraceSink } from '../sim/trace.js';
import { LineBuffer } from './lineBuffer.js';
import { trackPartial, untrackPartial } from './partials.js';
import type { RunOutput } from './runOutput.js';

/**
 * `run --out DIR`: a Jepsen-like run folder. trace.jsonl (header + every record, the trace
 * schema), history.edn (the workload clients' operations, report/history.ts), summary.json (what
 * `--format json` prints) and index.html (the `--html` page). Everything is written into a hidden
 * temporary folder next to DIR and renamed into place at the end, so DIR either holds a whole run or
 * is not there (an empty DIR is replaced, anything else refused before the run).
 */

const errno = (e: unknown): string => strerror((e as NodeJS.ErrnoException).code);

/** DIR must be absent or an empty folder, in a folder we can write: checked before the run prints anything. */
export function checkRunFolder(dir: string): void {
  let exists = false;
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) throw new InputError(`${dir}: exists and is not a folder; run --out needs a new or empty folder`, dir);
    exists = true;
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`${dir}: cannot write the run folder: ${errno(e)}`, dir);
  }
  if (exists && readdirSync(dir).length > 0) throw new InputError(`${dir}: exists and is not empty; run --out writes a new or empty folder`, dir);
  const parent = dirname(resolve(dir));
  try {
    if (!statSync(parent).isDirectory()) throw new InputError(`${dir}: cannot write the run folder: ${parent} is not a folder`, dir);
    accessSync(parent, constants.W_OK);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${dir}: cannot write the run folder: ${parent}: ${errno(e)}`, dir);
  }
}

/** The hidden temporary folder next to DIR that becomes DIR at the end. */
function makeTemporary(dir: string): string {
  checkRunFolder(dir);
  const parent = dirname(resolve(dir));
  try {
    const tmp = mkdtempSync(join(parent, `.${basename(resolve(dir))}.partial-`));
    // mkdtemp makes it private (0700); a run folder is for reading and sharing, like the files in it.
    chmodSync(tmp, 0o755);
    trackPartial(tmp);
    return tmp;
  } catch (e) {
    throw new InputError(`${dir}: cannot write the run folder: ${parent}: ${errno(e)}`, dir);
  }
}

export class RunFolder {
  /** Where the run's records go while it runs: trace.jsonl and history.edn, streamed. */
  readonly sink: TraceSink;
  private readonly trace: FileTrace;
  private readonly historyFd: number;
  private readonly history: LineBuffer;
  private open = true;

  private constructor(
    readonly dir: string,
    readonly tmp: string,
    header: TraceHeader,
  ) {
    this.trace = new FileTrace(join(tmp, 'trace.jsonl'), encodeRecord);
    this.trace.writeJson(header);
    this.historyFd = openSync(join(tmp, 'history.edn'), 'w');
    const fd = this.historyFd;
    this.history = new LineBuffer({ write: (s: string) => writeSync(fd, s) });
    const ops = new JepsenHistory();
    this.sink = {
      write: (r: TraceRecord) => {
        this.trace.write(r);
        for (const l of ops.lines(r)) this.history.line(l);
      },
    };
  }

  static open(dir: string, header: TraceHeader): RunFolder {
    const tmp = makeTemporary(dir);
    try {
      return new RunFolder(dir, tmp, header);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw new InputError(`${dir}: cannot write the run folder: ${errno(e)}`, dir);
    }
  }

  /** The run is over: write the summary and the page, then put the folder in place. */
  async finish(o: Pick<RunOutput, 'scenario' | 'res' | 'judged' | 'flags'> & { writability?: readonly WritabilityChange[] }): Promise<void> {
    try {
      this.closeStreams();
      const { jsonSummary } = await import('./runOutput.js');
      writeFileSync(join(this.tmp, 'summary.json'), `${JSON.stringify(jsonSummary(o), null, 2)}\n`);
      const { htmlPageText } = await import('./htmlOutput.js');
      writeFileSync(join(this.tmp, 'index.html'), await htmlPageText(o.scenario, o.res, o.judged, o.writability));
      renameSync(this.tmp, this.dir);
      untrackPartial(this.tmp);
    } catch (e) {
      this.abort();
      if (e instanceof InputError) throw e;
      throw new InputError(`${this.dir}: cannot write the run folder: ${errno(e)}`, this.dir);
    }
  }

  /** The run failed or was stopped: nothing of it stays on disk. */
  abort(): void {
    try {
      this.closeStreams();
    } catch {
      // already failing; the folder goes below
    }
    rmSync(this.tmp, { recursive: true, force: true });
    untrackPartial(this.tmp);
  }

  private closeStreams(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.trace.close();
      this.history.flush();
    } finally {
      closeSync(this.historyFd);
    }
  }
}
