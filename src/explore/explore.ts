import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tinypool } from 'tinypool';
import { PROPERTY_NAMES, type PropertyName } from '../check/types.js';
import { inputError } from '../config/errors.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import type { Model } from '../scenario/model.js';
import { prepare, runTask, shrinkTask, type ExploreSpec, type Prepared, type RunEntry, type Shrunk } from './tasks.js';
import type { WorkerTask } from './worker.js';

/**
 * explore: run N fault schedules (run i drawn from seed and i), then, for each violated property,
 * shrink its first violating run with fast-check and write the result as a scenario file. Which
 * runs a shard takes, and which worker runs them, changes nothing in any run's result; the
 * violations of a sharded search are the merge of the shards' (explore merge).
 */

export interface ExploreOptions extends ExploreSpec {
  readonly runs: number;
  /** Take only runs i with i mod n = k - 1. */
  readonly shard?: { readonly k: number; readonly n: number };
  /** Worker threads (default 1: this thread). */
  readonly workers?: number;
  /** Replace the Redis / Sentinel models (tests); this thread only. */
  readonly factories?: BehaviorFactories;
  /** An already loaded model (else spec.modelPath is loaded). */
  readonly model?: Model;
  /** After each finished run. */
  readonly onRun?: (done: number, total: number, violations: number) => void;
}

export interface Violation {
  readonly property: PropertyName;
  readonly scenario: string;
  readonly faults: readonly string[];
  readonly run: number;
  readonly seed: number;
  readonly shrunk: boolean;
}

export interface ExploreResult {
  readonly seed: number;
  readonly runs: readonly RunEntry[];
  readonly violations: readonly Violation[];
  /** The files written (scenarios, and the model with the default workload if one was needed). */
  readonly written: readonly string[];
}

export function shardIndexes(runs: number, shard?: { k: number; n: number }): number[] {
  return Array.from({ length: runs }, (_, i) => i).filter((i) => !shard || i % shard.n === shard.k - 1);
}

/** The first run (lowest index) violating each property, in the properties' order. */
export function firstViolations(runs: readonly RunEntry[]): { property: PropertyName; index: number }[] {
  const out: { property: PropertyName; index: number }[] = [];
  for (const p of PROPERTY_NAMES) {
    const r = [...runs].sort((a, b) => a.index - b.index).find((x) => x.violated.includes(p));
    if (r) out.push({ property: p, index: r.index });
  }
  return out;
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function workerFile(): string {
  // '../explore/': this file runs from dist/explore/ or, bundled, from dist/cli/.
  const here = new URL('../explore/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here.href;
  // Running from the TypeScript sources (tests): the compiled worker of `npm run build`.
  const built = new URL('../../dist/explore/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built.href;
  throw inputError('--workers', undefined, 'the compiled worker (dist/explore/worker.js) is missing; run `npm run build`, or use --workers 1');
}

/** Runs in batches so progress can be reported and the pool stays busy. */
const BATCH = 4;

export async function explore(o: ExploreOptions): Promise<ExploreResult> {
  const spec: ExploreSpec = {
    modelPath: o.modelPath, outDir: o.outDir, seed: o.seed, durationMs: o.durationMs, kinds: o.kinds, properties: o.properties, maxFaults: o.maxFaults, maxShrinks: o.maxShrinks,
  };
  const p = prepare(spec, o.model);
  const indexes = shardIndexes(o.runs, o.shard);
  const workers = o.workers ?? 1;
  if (workers > 1 && o.factories) throw new Error('factories cannot cross to worker threads; use workers: 1');
  const pool = workers > 1 ? new Tinypool({ filename: workerFile(), minThreads: workers, maxThreads: workers }) : undefined;
  try {
    const runs = await runAll(p, spec, indexes, o, pool);
    const shrinks = await Promise.all(
      firstViolations(runs).map(({ property, index }) =>
        pool ? (pool.run({ spec, job: 'shrink', index, property } satisfies WorkerTask) as Promise<Shrunk>) : Promise.resolve(shrinkTask(p, spec, index, property, o.factories)),
      ),
    );
    const written: string[] = [];
    if (shrinks.length > 0 && p.modelText !== undefined) {
      for (const c of p.modelCopies ?? []) writeAtomic(c.path, c.text);
      writeAtomic(p.modelFile, p.modelText);
      written.push(p.modelFile);
    }
    for (const s of shrinks) {
      writeAtomic(s.scenario, s.text);
      written.push(s.scenario);
    }
    const violations = shrinks.map((s) => ({ property: s.property, scenario: s.scenario, faults: s.faults, run: s.index, seed: s.seed, shrunk: s.shrunk }));
    return { seed: o.seed, runs, violations, written };
  } finally {
    await pool?.destroy();
  }
}

async function runAll(p: Prepared, spec: ExploreSpec, indexes: readonly number[], o: ExploreOptions, pool: Tinypool | undefined): Promise<RunEntry[]> {
  const runs: RunEntry[] = [];
  const report = () => o.onRun?.(runs.length, indexes.length, runs.filter((r) => r.verdict === 'fail').length);
  if (!pool) {
    for (const i of indexes) {
      runs.push(runTask(p, spec, i, o.factories));
      report();
    }
    return runs;
  }
  const batches: number[][] = [];
  for (let i = 0; i < indexes.length; i += BATCH) batches.push(indexes.slice(i, i + BATCH));
  await Promise.all(
    batches.map(async (b) => {
      const got = (await pool.run({ spec, job: 'run', indexes: b } satisfies WorkerTask)) as RunEntry[];
      runs.push(...got);
      report();
    }),
  );
  return runs.sort((a, b) => a.index - b.index);
}

/** Combines the JSON of shards (explore --format json) into the result of the whole search. */
export function mergeResults(parts: readonly { seed: number; runs: readonly RunEntry[]; violations: readonly Violation[] }[]): { seed: number; runs: RunEntry[]; violations: Violation[] } {
  const seeds = [...new Set(parts.map((x) => x.seed))];
  if (seeds.length !== 1) throw inputError('explore merge', undefined, `the shards were run with different seeds (${seeds.join(', ')}); merge only shards of one search`);
  const byIndex = new Map<number, RunEntry>();
  for (const part of parts) {
    for (const r of part.runs) {
      if (byIndex.has(r.index)) throw inputError('explore merge', undefined, `run ${r.index} appears in two shards`);
      byIndex.set(r.index, r);
    }
  }
  const runs = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const all = parts.flatMap((x) => x.violations);
  const violations = firstViolations(runs).map(({ property, index }) => all.find((v) => v.property === property && v.run === index)!);
  return { seed: seeds[0]!, runs, violations };
}
