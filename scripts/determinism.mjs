// Determinism at scale: runs N (scenario, seed) pairs twice, once in this thread and once in a
// worker thread (a separate V8 isolate with its own module state), and compares the SHA-256 of
// each full trace. Any difference is a determinism bug: the same model, scenario and seed must
// give byte-identical output.
//
//   node scripts/determinism.mjs [--pairs N] [--first-seed S]      (after npm run build)
//
// Pairs cycle through the shipped scenarios with seeds first-seed, first-seed+1, ... (default
// 1000, clear of the trace pins' 1..20). Hook for explore: when `sentinel-sim explore` has
// --workers, add a third column here computed with --workers 1 and --workers 4 and compare it too.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadScenario } from '../dist/scenario/scenario.js';
import { runScenario } from '../dist/scenario/runner.js';
import { HashTrace } from '../dist/sim/trace.js';

const root = resolve('.');

function pairs(n, firstSeed) {
  const files = readdirSync('scenarios').filter((x) => x.endsWith('.yaml')).sort();
  return Array.from({ length: n }, (_, i) => ({ file: `scenarios/${files[i % files.length]}`, seed: firstSeed + Math.floor(i / files.length) }));
}

/** Full-trace hash of one run (paths of this checkout written as <repo>, as the trace pins do). */
function traceHash({ file, seed }) {
  const h = new HashTrace();
  const trace = { write: (r) => h.write(JSON.parse(JSON.stringify(r).replaceAll(root, '<repo>'))) };
  runScenario(loadScenario(file), { seed, trace, traceDetail: 'full' });
  return h.digest();
}

if (!isMainThread) {
  parentPort.postMessage(workerData.pairs.map(traceHash));
} else {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i < 0 ? dflt : Number(process.argv[i + 1]);
  };
  const n = arg('--pairs', 1000);
  const firstSeed = arg('--first-seed', 1000);
  if (!Number.isSafeInteger(n) || n < 1 || !Number.isSafeInteger(firstSeed) || firstSeed < 0) {
    console.error('usage: node scripts/determinism.mjs [--pairs N] [--first-seed S]');
    process.exit(2);
  }
  const list = pairs(n, firstSeed);
  const started = process.hrtime.bigint();
  const other = new Promise((res, rej) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { pairs: list } });
    w.once('message', res);
    w.once('error', rej);
  });
  const here = list.map(traceHash);
  const there = await other;
  const bad = list.filter((_, i) => here[i] !== there[i]);
  for (const p of bad) console.log(`differs: ${p.file} seed ${p.seed}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${n - bad.length} of ${n} (scenario, seed) pairs identical across two runs (this thread and a worker thread); ${2 * n} runs in ${seconds.toFixed(1)} s wall`);
  process.exit(bad.length === 0 ? 0 : 1);
}
