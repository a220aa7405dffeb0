import { PROPERTY_DOCS } from '../check/properties.js';
import { PROPERTY_NAMES, type PropertyName } from '../check/types.js';
import type { Model } from '../scenario/model.js';
import { choiceLabel, type PropertyChoice } from './names.js';
import { formatMs, lastHealMs, sortedFaults, type Fault, type Schedule } from './schedule.js';
import { initialMaster, modelTimers, sentinelsOf } from './timers.js';

/**
 * The properties explore checks, and for a given schedule the expectations (scenario `expect:`
 * items) that encode them. On by default: what real Sentinel promises (the safety of its election
 * and configuration epochs, and that it converges and fails over when it can). Off by default:
 * what it does not promise (acknowledged writes survive; never two writable masters), which are
 * measurements of a deployment rather than bugs.
 */

export { PROPERTY_NAMES, PROPERTY_DOCS, type PropertyName };
export { choiceLabel, DEFAULT_PROPERTIES, parsePropertyChoice, type PropertyChoice } from './names.js';

/** The processes a fault stops outright (not cut off): for the fails-over precondition. */
function stopped(model: Model, f: Fault): Set<string> {
  switch (f.kind) {
    case 'crash':
    case 'segfault':
    case 'shutdown':
    case 'pause':
      return new Set([f.proc]);
    case 'host-down':
      return new Set(model.processes.filter((p) => p.host === f.host).map((p) => p.name));
    case 'domain':
      return new Set([...f.procs, ...model.processes.filter((p) => f.hosts.includes(p.host)).map((p) => p.name)]);
    default:
      return new Set();
  }
}

/**
 * The failure fails-over judges: the master stops (its process or its machine) for at least the
 * failover bound, no other fault is in force meanwhile, and what is left is a strict majority of
 * the Sentinels (and at least the quorum) and a replica with a non-zero replica-priority.
 */
export function failoverWindow(model: Model, s: Schedule): { afterMs: number; withinMs: number } | undefined {
  const t = modelTimers(model);
  const master = initialMaster(model);
  if (!t || !master) return undefined;
  const faults = sortedFaults(s);
  const f = faults.find((x) => stopped(model, x).has(master.name));
  if (!f || f !== faults[0] || f.forMs < t.failoverBoundMs) return undefined;
  const end = f.atMs + t.failoverBoundMs;
  if (faults.some((o) => o !== f && o.atMs <= end)) return undefined;
  const gone = stopped(model, f);
  const sentinels = sentinelsOf(model);
  const left = sentinels.filter((p) => !gone.has(p.name)).length;
  if (left * 2 <= sentinels.length || left < t.quorum) return undefined;
  const replica = model.processes.some((p) => p.kind === 'redis' && p !== master && !gone.has(p.name) && p.redis!.replicaPriority !== 0 && !p.down);
  return replica ? { afterMs: f.atMs, withinMs: t.failoverBoundMs } : undefined;
}

/** The run's length: the asked duration, or longer when a check needs time after the last heal. */
export function runDurationMs(model: Model, s: Schedule, durationMs: number): number {
  const t = modelTimers(model);
  return Math.max(durationMs, lastHealMs(s) + (t?.settleMs ?? 0));
}

/** The `expect:` items of a scenario that check these properties against this schedule. */
export function expectationItems(model: Model, s: Schedule, props: readonly PropertyChoice[]): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const ms = formatMs;
  for (const p of props) {
    const name = `${choiceLabel(p)}: ${PROPERTY_DOCS[p.name].replace(/ \(.*$/, '')}`;
    if (p.name === 'converges') {
      if (!modelTimers(model)) continue;
      items.push({ property: p.name, at: ms(lastHealMs(s) + modelTimers(model)!.settleMs), name });
    } else if (p.name === 'fails-over') {
      const w = failoverWindow(model, s);
      if (w) items.push({ property: p.name, after: ms(w.afterMs), within: ms(w.withinMs), name });
    } else if (p.name === 'single-writable-master') {
      items.push({ property: p.name, ...(p.windowMs ? { window: ms(p.windowMs) } : {}), name });
    } else if (p.name === 'no-lost-writes' || sentinelsOf(model).length > 0) {
      items.push({ property: p.name, name });
    }
  }
  return items;
}
