import { redisBehavior, type RedisState } from '../../../src/redis/index.js';
import { infoText } from '../../../src/redis/info.js';
import type { RedisNodeConfig } from '../../../src/config/types.js';
import { MemoryTrace, type TraceRecord, type TraceSink } from '../../../src/sim/trace.js';
import type { Endpoint } from '../../../src/sim/process.js';
import { testClient, type Step, type TestClientState } from './client.js';
import { createWorld, type NetWorld } from '../../../src/net/world.js';

export const S = 1_000_000;
export const MS = 1000;

export interface NodeSpec {
  readonly pid: string;
  readonly host: string;
  readonly ip: string;
  readonly cfg: RedisNodeConfig;
}

/** A world with one host per node (h1 = 10.0.0.1 ...), each running one Redis process. */
export function redisWorld(nodes: readonly NodeSpec[], opts: { seed?: number | string; trace?: TraceSink; full?: boolean; snapshots?: boolean } = {}): { world: NetWorld; trace: MemoryTrace | undefined } {
  const trace = opts.trace ? undefined : new MemoryTrace();
  const world = createWorld({ seed: opts.seed ?? 1, trace: opts.trace ?? trace, traceDetail: opts.full ? 'full' : 'events', snapshots: opts.snapshots ?? process.env.SIM_SNAPSHOTS === '1' });
  for (const n of nodes) {
    if (!world.hostNames().includes(n.host)) world.addHost(n.host, n.ip);
    world.addProcess(n.pid, n.host, redisBehavior(n.cfg));
  }
  return { world, trace };
}

export function addClient(world: NetWorld, pid: string, host: string, targets: Record<string, Endpoint>, steps: readonly Step[]): void {
  world.addProcess(pid, host, testClient(targets, steps));
}

export function state(world: NetWorld, pid: string): RedisState {
  return world.stateOf<RedisState>(pid);
}

export function clientState(world: NetWorld, pid: string): TestClientState {
  return world.stateOf<TestClientState>(pid);
}

/** Records of one kind from a process, e.g. state records with what: 'sync'. */
export function records(trace: MemoryTrace, pred: (r: TraceRecord) => boolean): TraceRecord[] {
  return trace.records.filter(pred);
}

export function logs(trace: MemoryTrace, pid: string): string[] {
  return trace.records.filter((r) => r.k === 'log' && r.p === pid).map((r) => String(r.text));
}

export function syncs(trace: MemoryTrace, pid: string): TraceRecord[] {
  return trace.records.filter((r) => r.k === 'state' && r.p === pid && r.what === 'sync');
}

/** INFO replication parsed into fields, read from a live node's state (as the model renders it). */
export function infoFields(world: NetWorld, pid: string): Record<string, string> {
  const out: Record<string, string> = {};
  const st = state(world, pid);
  // infoText only reads the state and the clock; a read-only fake ctx is enough here.
  const host = world.hostOfProcess(pid);
  const ctx = { nowMs: () => world.hostNowMs(host), nowUs: () => world.hostNowMs(host) * 1000 } as never;
  const text = infoText({ d: st, ctx, cfg: { file: '' } as never }, ['replication']);
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
