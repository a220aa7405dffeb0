import { DEFAULT_LINK, SAME_HOST_LINK, type LinkParams } from '../net/links.js';
import type { Behavior } from '../net/process.js';
import { setLink } from '../faults/index.js';
import { createWorld, type NetWorld } from '../net/world.js';
import type { TraceSink } from '../sim/trace.js';
import { defaultFactories, type BehaviorFactories } from './behaviors.js';
import type { Model } from './model.js';

export interface BuildOptions {
  readonly seed: number | string;
  readonly trace?: TraceSink;
  readonly traceDetail?: 'events' | 'full';
  /** Keep process states immutable (WorldOptions.snapshots), for observers that hold on to them. */
  readonly snapshots?: boolean;
  readonly factories?: BehaviorFactories;
  /** Extra processes on the client host (the scenario's redis-cli, probes), added after the model's. */
  readonly clientProcesses?: readonly { readonly pid: string; readonly behavior: Behavior<any> }[];
  /** Extra processes on model hosts (Sentinel-aware clients, proxies). */
  readonly extraProcesses?: readonly { readonly pid: string; readonly host: string; readonly behavior: Behavior<any>; readonly startAtUs?: number }[];
}

/**
 * A World for a model: its hosts (plus the client host), link parameters, then its processes in
 * the model's order, each with the Behavior its kind calls for.
 */
export function buildWorld(model: Model, opts: BuildOptions): NetWorld {
  const f = opts.factories ?? defaultFactories;
  const w = createWorld({ seed: opts.seed, trace: opts.trace, traceDetail: opts.traceDetail, snapshots: opts.snapshots });
  for (const h of model.hosts) w.addHost(h.name, h.ip, h.aliases);
  w.addHost(model.clientHost.name, model.clientHost.ip);
  for (const l of model.links) {
    const base: LinkParams = l.from === l.to ? SAME_HOST_LINK : DEFAULT_LINK;
    const params: LinkParams = {
      latencyUs: l.latencyUs ?? base.latencyUs,
      jitterUs: l.jitterUs ?? (l.latencyUs !== undefined ? 0 : base.jitterUs),
      loss: l.loss ?? base.loss,
    };
    setLink(w, l.from, l.to, params, !l.oneWay);
  }
  for (const p of model.processes) {
    const b = p.kind === 'redis' ? f.redis(p.redis!, p, model.options) : f.sentinel(p.sentinel!, p);
    w.addProcess(p.name, p.host, b, { down: p.down, startAtUs: p.startAtUs });
  }
  for (const x of opts.extraProcesses ?? []) w.addProcess(x.pid, x.host, x.behavior, { startAtUs: x.startAtUs });
  for (const c of opts.clientProcesses ?? []) w.addProcess(c.pid, model.clientHost.name, c.behavior);
  return w;
}
