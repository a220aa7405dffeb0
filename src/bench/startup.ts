import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, type Figure } from './figure.js';

/**
 * Start-up figure for `npm run bench`: `run` of the zato drill through the package's bin (the
 * launcher, so from the start-up snapshot when one was built) against a bare `node -e 0`, both as
 * child processes, taken in turn so that a burst of load on the shared machine hits both. Each pair
 * gives a ratio; the figure is the median of the ratios, of CPU time (user + sys) and of wall time.
 *
 * node 20 reads and parses the file named by NODE_EXTRA_CA_CERTS before it runs anything, and the
 * launcher clears that variable (no command uses TLS). Where it is set, `node -e 0` pays for it and
 * the run does not, so the ratio is also given with the variable unset for both: that one is the
 * cost of sentinel-sim's own start-up against node's.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/sentinel-sim');
const DRILL = join(ROOT, 'scenarios/zato-stop-master.yaml');
const PAIRS = 11;

interface Cost {
  readonly cpuS: number;
  readonly wallS: number;
}

/**
 * One run of a command, its output discarded. CPU comes from bash's `time` (getrusage of the
 * child, to the millisecond; /usr/bin/time rounds to 10 ms, a sixth of `node -e 0`).
 */
function cost(argv: readonly string[], env: NodeJS.ProcessEnv): Cost {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%3U %3S"; time "$@" >/dev/null 2>&1 </dev/null', 'bash', ...argv], { encoding: 'utf8', env });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpuS: user! + sys!, wallS };
}

function ratios(env: NodeJS.ProcessEnv): { cpu: number; wall: number; runMs: number; nodeMs: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  const runS: number[] = [];
  const nodeS: number[] = [];
  // One pair first, not counted: the page cache and the blob's first read.
  cost([CLI, 'run', DRILL], env);
  for (let i = 0; i < PAIRS; i++) {
    const base = cost([process.execPath, '-e', '0'], env);
    const run = cost([CLI, 'run', DRILL], env);
    cpu.push(run.cpuS / base.cpuS);
    wall.push(run.wallS / base.wallS);
    runS.push(run.wallS);
    nodeS.push(base.wallS);
  }
  return { cpu: median(cpu), wall: median(wall), runMs: median(runS) * 1000, nodeMs: median(nodeS) * 1000 };
}

export async function benchFigures(): Promise<Figure[]> {
  // The bin's node is the one on PATH: the one running the bench, as `npm run bench` sets it.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`, NODE_OPTIONS: '' };
  const say = (r: ReturnType<typeof ratios>) =>
    `${r.cpu.toFixed(2)}x CPU, ${r.wall.toFixed(2)}x wall (${r.runMs.toFixed(0)} ms against ${r.nodeMs.toFixed(0)} ms; medians of ${PAIRS} pairs)`;
  const out: Figure[] = [{ what: 'start-up: run of the zato drill against node -e 0', value: say(ratios(env)) }];
  if (env.NODE_EXTRA_CA_CERTS) {
    const clean = { ...env };
    delete clean.NODE_EXTRA_CA_CERTS;
    out.push({ what: 'the same, NODE_EXTRA_CA_CERTS unset for both', value: say(ratios(clean)) });
  }
  return out;
}
