import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Io } from './context.js';

/**
 * `sentinel-sim run` from a terminal: the simulation runs in a worker thread so this thread stays
 * free to answer SIGINT / SIGTERM (a synchronous run would hold the event loop, and Node's signal
 * handlers only run on it). On either signal the worker is stopped, the `.partial` trace is
 * removed, stderr says how far the run got in simulated time, and the exit code is 128 + the
 * signal number (130, 143), as a shell reports a process killed by it.
 */

export type WorkerMessage =
  | { readonly k: 'out'; readonly chunks: readonly (readonly [fd: 1 | 2, text: string])[] }
  | { readonly k: 'partial'; readonly path: string | undefined }
  | { readonly k: 'done'; readonly code: number };

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** `123.456s of 600s (20%)`: clock[0] is the simulated time reached, clock[1] the end (µs, -1 unknown). */
export function howFar(clock: Float64Array): string {
  const s = (us: number) => `${(us / 1e6).toFixed(3).replace(/\.?0+$/, '')}s`;
  const [at, end] = [clock[0]!, clock[1]!];
  return end > 0 ? `${s(at)} of ${s(end)} (${Math.floor((100 * at) / end)}%)` : s(at);
}

/** All of stdin, for `run -` (a worker cannot read this thread's stdin). */
async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

export async function superviseRun(argv: readonly string[], io: Io): Promise<number> {
  const stdinText = argv.slice(1).includes('-') ? await readStdin() : undefined;
  const clock = new Float64Array(new SharedArrayBuffer(16));
  clock[1] = -1;
  const worker = new Worker(new URL('./runWorker.js', import.meta.url), {
    workerData: { argv: [...argv], stdinText, clock: clock.buffer, tty: [!!io.stdout.isTTY, !!io.stderr.isTTY], columns: io.stdout.columns },
    stdout: false,
    stderr: false,
  });
  let partial: string | undefined;
  return new Promise<number>((resolve) => {
    let settled = false;
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve(code);
    };
    const handlers = (Object.keys(SIGNAL_CODES) as (keyof typeof SIGNAL_CODES)[]).map((sig) => {
      const h = () => {
        if (settled) return;
        void worker.terminate();
        if (partial) rmSync(partial, { force: true });
        io.stderr.write(`sentinel-sim: ${sig}: stopped at simulated time ${howFar(clock)}${partial ? `; removed ${partial}` : ''}\n`);
        finish(SIGNAL_CODES[sig]);
      };
      process.on(sig, h);
      return [sig, h] as const;
    });
    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      if (m.k === 'out') for (const [fd, text] of m.chunks) (fd === 1 ? io.stdout : io.stderr).write(text);
      else if (m.k === 'partial') partial = m.path;
      else finish(m.code);
    });
    worker.on('error', (e) => {
      if (partial) rmSync(partial, { force: true });
      io.stderr.write(`sentinel-sim: internal error: ${e.name}: ${e.message.split('\n')[0]} (this is a bug; please report it with the command line and the scenario)\n`);
      finish(70);
    });
    worker.on('exit', () => finish(70));
  });
}
