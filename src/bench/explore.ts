import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { prepare, runTask, type ExploreSpec } from '../explore/tasks.js';
import { DEFAULT_PROPERTIES } from '../explore/properties.js';
import type { Figure } from './figure.js';

/**
 * explore's throughput: five-minute zato schedules (every fault kind, the default properties) run
 * one after the other in this thread, as schedules per second of wall time on one core. The runs
 * are explore's own (run i of seed 1), so the figure is what `explore models/zato` gets per worker.
 */
// From the repository, not the caller's directory: `npm run bench` may be started anywhere under it.
const ZATO = join(fileURLToPath(new URL('../../', import.meta.url)), 'models/zato');

export function exploreThroughput(runs = 40): { runs: number; wallMs: number; perSecond: number; perCpuSecond: number } {
  const spec: ExploreSpec = {
    modelPath: ZATO, outDir: 'explore-out', seed: 1, durationMs: 300_000, properties: DEFAULT_PROPERTIES.map((name) => ({ name })),
    maxFaults: 3, maxShrinks: 0,
  };
  const p = prepare(spec);
  runTask(p, spec, runs); // warm-up (JIT), not counted
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) runTask(p, spec, i);
  const wallMs = performance.now() - t0;
  // On a shared machine wall time counts other processes' turns too; CPU time of this one does not.
  const cpu = process.cpuUsage(cpu0);
  return { runs, wallMs, perSecond: runs / (wallMs / 1000), perCpuSecond: runs / ((cpu.user + cpu.system) / 1e6) };
}

/** The figure for `npm run bench` (src/bench/main.ts collects it with the others). */
export async function benchFigures(): Promise<Figure[]> {
  const r = exploreThroughput();
  return [{ what: 'explore: five-minute zato schedules (default properties), one core', value: `${r.perSecond.toFixed(1)} schedules/s per core by wall time, ${r.perCpuSecond.toFixed(1)} per CPU-second (${r.runs} runs, ${Math.round(r.wallMs).toLocaleString('en-US')} ms wall)` }];
}
