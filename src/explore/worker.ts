import type { PropertyName } from '../check/types.js';
import { prepare, runTask, shrinkTask, type ExploreSpec, type Prepared, type RunEntry, type Shrunk } from './tasks.js';

/** The worker-thread side of `explore --workers N` (tinypool): one run or one shrink per task. */

export type WorkerTask =
  | { readonly spec: ExploreSpec; readonly job: 'run'; readonly indexes: readonly number[] }
  | { readonly spec: ExploreSpec; readonly job: 'shrink'; readonly index: number; readonly property: PropertyName };

let cached: { key: string; prepared: Prepared } | undefined;

function prepared(spec: ExploreSpec): Prepared {
  const key = JSON.stringify(spec);
  if (cached?.key !== key) cached = { key, prepared: prepare(spec) };
  return cached.prepared;
}

export default function work(task: WorkerTask): RunEntry[] | Shrunk {
  const p = prepared(task.spec);
  if (task.job === 'run') return task.indexes.map((i) => runTask(p, task.spec, i));
  return shrinkTask(p, task.spec, task.index, task.property);
}
