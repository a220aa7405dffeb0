import { parentPort, workerData } from 'node:worker_threads';
import { main } from './main.js';
import type { WorkerMessage } from './supervise.js';

/**
 * The worker side of {@link superviseRun}: runs `main()` with its output sent to the supervising
 * thread in order (stdout batched, stderr at once) and the simulated time kept in shared memory.
 */

const data = workerData as { argv: string[]; stdinText?: string; clock: SharedArrayBuffer; tty: [boolean, boolean]; columns?: number };
const port = parentPort!;
let chunks: [1 | 2, string][] = [];
let bytes = 0;
const post = (m: WorkerMessage) => port.postMessage(m);
const flush = () => {
  if (chunks.length === 0) return;
  post({ k: 'out', chunks });
  chunks = [];
  bytes = 0;
};
const writer = (fd: 1 | 2) => ({
  isTTY: data.tty[fd - 1],
  columns: data.columns,
  write(s: string) {
    chunks.push([fd, s]);
    bytes += s.length;
    if (fd === 2 || bytes > 1 << 16) flush();
    return true;
  },
});

const code = await main(data.argv, { stdout: writer(1), stderr: writer(2) }, {
  simClock: new Float64Array(data.clock),
  ...(data.stdinText === undefined ? {} : { stdinText: data.stdinText }),
  onPartialFile: (path) => post({ k: 'partial', path }),
});
flush();
post({ k: 'done', code });
