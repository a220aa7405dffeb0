import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.js';
import { runScenario } from '../scenario/runner.js';
import { loadScenario } from '../scenario/scenario.js';
import type { NetWorld } from '../net/world.js';
import { bareLoopEventsPerSec } from './bareLoop.js';
import { floorHour } from './floorLoop.js';
import { median, type Figure } from './figure.js';

/**
 * `npm run bench`: figures, never assertions, all measured in this one run so they can be read
 * side by side (the machine is shared: read the ratios, not the absolute numbers).
 *   1. the bare-loop ceiling: a plain binary-heap event loop in this process (bareLoop.ts);
 *   2. the zato model's events/s over a simulated hour, and its share of that ceiling; beside it
 *      the engine's floor (floorLoop.ts: the model's loop, network and Ctx under handlers that only
 *      re-arm or answer), which splits the gap into the machinery's part and the model logic's;
 *   3. that hour through the CLI's own path (main(), in process, so start-up is excluded), in
 *      simulated time per wall time;
 *   4. the soak (bench/zato-soak.yaml: 24 simulated hours with faults, --trace FILE, the log on
 *      stdout) as a child process of the CLI: its peak RSS, and its wall time against 1 hour;
 *   5. figures other benches add (src/bench/explore.ts, once `explore` exists: see extraFigures()).
 * Wall time is read here only, never in model code.
 *
 * `npm run bench -- --quick` leaves out the 24-hour soak (the 1-hour child still runs).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOUR = join(ROOT, 'bench/zato-hour.yaml');
const SOAK = join(ROOT, 'bench/zato-soak.yaml');
// The soak runs the package's bin (the launcher a user runs: `run` from the start-up snapshot when
// one was built), so its start-up and V8 settings are the user's.
const CLI = join(ROOT, 'dist/cli/sentinel-sim');
const RUNS = 3;
const WARMUP_RUNS = 3;

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** The zato hour through runScenario(), as events/s of the World. */
function modelHour(): { events: number; wallMs: number } {
  const scenario = loadScenario(HOUR);
  let world: NetWorld | undefined;
  const t0 = performance.now();
  runScenario(scenario, { onWorld: (w) => (world = w) });
  return { events: world!.eventsProcessed, wallMs: performance.now() - t0 };
}

/** The zato hour through the CLI's main() (loading, running, checking, the JSON summary). */
async function cliHourMs(): Promise<number> {
  const sink = { write: () => true };
  const t0 = performance.now();
  const code = await main(['run', HOUR, '--format', 'json'], { stdout: sink, stderr: sink });
  if (code !== 0) throw new Error(`run ${HOUR} exited ${code}`);
  return performance.now() - t0;
}

/** One soak as a child process of the CLI, under /usr/bin/time for its peak RSS. */
function soak(until: string | undefined): { wallS: number; peakMb: number | undefined; traceMb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-bench-'));
  const trace = join(dir, 'soak.jsonl');
  const timeFile = join(dir, 'time.txt');
  const args = [CLI, 'run', SOAK, '--trace', trace, ...(until ? ['--until', until] : [])];
  const haveTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(CLI, args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`the soak exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  const peakMb = haveTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024 : undefined;
  const traceMb = existsSync(trace) ? Number(spawnSync('stat', ['-c', '%s', trace]).stdout.toString()) / 1e6 : 0;
  rmSync(dir, { recursive: true, force: true });
  return { wallS, peakMb, traceMb };
}

/**
 * Figures from other benches, each a module in this folder exporting `benchFigures(): Promise<{what, value}[]>`
 * (explore.ts: five-minute zato schedules per second per core). A missing module is skipped.
 */
async function extraFigures(): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const name of ['./explore.js', './startup.js']) {
    let mod: { benchFigures?: () => Promise<Figure[]> };
    try {
      mod = (await import(name)) as typeof mod;
    } catch {
      continue;
    }
    if (mod.benchFigures) out.push(...(await mod.benchFigures()));
  }
  return out;
}

async function run(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const figures: Figure[] = [];
  const say = (what: string, value: string) => {
    figures.push({ what, value });
    console.log(`${what}: ${value}`);
  };

  // The ceiling and the model alternate, so a burst of load on the shared machine hits both.
  // Warm-up first, as for the floor: V8 compiles the model's handlers over its first runs (on this
  // machine the first hour takes ~2.5x a warm one and the third is still ~1.2x), so a median over
  // runs 1-3 timed the compiler as much as the model. The cold first run is printed beside it.
  const cold = modelHour();
  for (let i = 0; i < WARMUP_RUNS - 1; i++) modelHour();
  bareLoopEventsPerSec(2_000_000);
  const bare: number[] = [];
  const model: { events: number; wallMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(bareLoopEventsPerSec(2_000_000));
    model.push(modelHour());
  }
  // After the model, so the model's figure is measured as before (the floor shares the engine's
  // code and would warm it first). The floor's hour is short (~0.1 s): its first runs would time V8
  // compiling it, not the loop, hence two unmeasured ones.
  const floor: number[] = [];
  floorHour();
  floorHour();
  for (let i = 0; i < RUNS; i++) {
    const f = floorHour();
    floor.push(f.events / (f.wallMs / 1000));
  }
  const floorEps = median(floor);
  const bareEps = median(bare);
  const modelEps = median(model.map((m) => m.events / (m.wallMs / 1000)));
  say('bare loop (plain binary heap), events/s', `${fmt(bareEps)} (median of ${RUNS}: ${bare.map(fmt).join(', ')})`);
  say('zato model, 1 simulated hour, events/s', `${fmt(modelEps)} (${fmt(model[0]!.events)} events; median of ${RUNS} after ${WARMUP_RUNS} unmeasured; the first, cold: ${fmt(cold.events / (cold.wallMs / 1000))})`);
  say('model share of the bare loop', `${((100 * modelEps) / bareEps).toFixed(1)} %`);
  say('engine floor (same loop, TCP model and Ctx; handlers only re-arm or answer), events/s', `${fmt(floorEps)} = ${((100 * floorEps) / bareEps).toFixed(1)} % of the bare loop (median of ${RUNS})`);
  say('model share of the engine floor', `${((100 * modelEps) / floorEps).toFixed(1)} %`);

  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) cli.push(await cliHourMs());
  const cliMs = median(cli);
  say('zato hour through the CLI path (in process, start-up excluded)', `${fmt(cliMs)} ms wall = ${fmt(3_600_000 / cliMs)}x real time (median of ${RUNS}: ${cli.map(fmt).join(', ')} ms)`);

  const h1 = soak('1h');
  say('soak 1 h (child process, --trace, log on stdout)', `${h1.wallS.toFixed(1)} s wall, peak RSS ${h1.peakMb === undefined ? 'n/a' : `${fmt(h1.peakMb)} MB`}, trace ${fmt(h1.traceMb)} MB`);
  if (!quick) {
    const h24 = soak(undefined);
    say('soak 24 h (same)', `${h24.wallS.toFixed(1)} s wall = ${(h24.wallS / h1.wallS).toFixed(1)}x the 1 h wall, peak RSS ${h24.peakMb === undefined ? 'n/a' : `${fmt(h24.peakMb)} MB`}, trace ${fmt(h24.traceMb)} MB`);
  }
  for (const f of await extraFigures()) say(f.what, f.value);

  const width = Math.max(...figures.map((f) => f.what.length));
  console.log('\nside by side (one run):');
  for (const f of figures) console.log(`  ${f.what.padEnd(width)}  ${f.value}`);
}

await run();
