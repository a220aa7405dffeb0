/**
 * A host's wall clock stepped under real Redis: every process of a deployment runs with the
 * LD_PRELOAD shim scripts/wallshift.c, which adds a signed microsecond offset, read at every call
 * from one shared 8-byte file, to gettimeofday(), time() and clock_gettime(CLOCK_REALTIME). The
 * monotonic clock is left alone, as on a host whose clock is stepped (NTP, a VM's clock sync):
 * Redis's event loop times its timers on it (ae.c, getMonotonicUs()), while mstime() and the log's
 * stamps read the wall clock. libfaketime would do this, but under jemalloc redis-server aborts
 * at start-up in its recursive clock_gettime() guard; the shim calls the kernel directly.
 *
 * Log stamps after a step are shifted too. A step records every log's size at that moment, and
 * the text after it is read with the step's offset taken off (segments()).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../../scripts/wallshift.c', import.meta.url));

export interface ShiftStep {
  /** The offset in force after the step, ms (cumulative). */
  readonly offsetMs: number;
  /** Each log's size in bytes when the step was made: later bytes were stamped with offsetMs. */
  readonly logBytes: ReadonlyMap<string, number>;
}

/** A piece of a log read with one offset: its stamps are `offsetMs` ahead of the harness clock. */
export interface LogSegment {
  readonly text: string;
  readonly offsetMs: number;
}

export class WallShift {
  readonly steps: ShiftStep[] = [];
  private offsetMs = 0;

  private constructor(
    readonly library: string,
    readonly file: string,
  ) {
    writeOffset(file, 0);
  }

  /** Compiles the shim into `dir` (gcc: the harness's only build step) and creates the offset file. */
  static create(dir: string): WallShift {
    mkdirSync(dir, { recursive: true });
    const library = join(dir, 'wallshift.so');
    const r = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', library, SOURCE], { encoding: 'utf8' });
    if (r.error || r.status !== 0 || !existsSync(library)) {
      throw new Error(`could not build the wall-clock shim (gcc ${SOURCE}): ${r.error?.message ?? r.stderr}`);
    }
    return new WallShift(library, join(dir, 'wallshift.bin'));
  }

  /** The environment a process needs to run on the shifted clock. */
  env(): Record<string, string> {
    return { LD_PRELOAD: this.library, WALLSHIFT_FILE: this.file };
  }

  /** Steps every process's wall clock by `byMs`; `logs` maps each process to its log file. */
  step(byMs: number, logs: ReadonlyMap<string, string>): void {
    const logBytes = new Map<string, number>();
    for (const [name, path] of logs) logBytes.set(name, existsSync(path) ? statSync(path).size : 0);
    this.offsetMs += byMs;
    writeOffset(this.file, this.offsetMs);
    this.steps.push({ offsetMs: this.offsetMs, logBytes });
  }
}

function writeOffset(file: string, offsetMs: number): void {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(Math.round(offsetMs * 1000)));
  // Written in place: the processes map this file, so it must never be replaced.
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w');
  try {
    writeSync(fd, b, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
}

/** A log cut at each step's recorded size, each piece with the offset its stamps carry. */
export function segments(log: Buffer, name: string, steps: readonly ShiftStep[]): LogSegment[] {
  const out: LogSegment[] = [];
  let from = 0;
  let offsetMs = 0;
  for (const s of steps) {
    const at = lineEnd(log, Math.min(log.length, s.logBytes.get(name) ?? 0));
    if (at > from) out.push({ text: log.subarray(from, at).toString('utf8'), offsetMs });
    from = Math.max(from, at);
    offsetMs = s.offsetMs;
  }
  if (log.length > from) out.push({ text: log.subarray(from).toString('utf8'), offsetMs });
  return out;
}

/** `at`, or past the end of the line it falls inside: a line begun before a step was stamped before it. */
function lineEnd(log: Buffer, at: number): number {
  if (at === 0 || log[at - 1] === 0x0a) return at;
  const nl = log.indexOf(0x0a, at);
  return nl < 0 ? log.length : nl + 1;
}
