import { parseRedisConf, parseSentinelConf } from '../../src/config/index.js';
import { redisBehavior } from '../../src/redis/index.js';
import { sentinelBehavior, type SentinelState } from '../../src/sentinel/index.js';
import type { SentinelTunables } from '../../src/sentinel/constants.js';
import { HashTrace, MemoryTrace, TeeTrace, type TraceRecord } from '../../src/sim/trace.js';
import { createWorld, type NetWorld } from '../../src/net/world.js';

/**
 * Small deployments for Sentinel tests, built from real config text: hosts, Redis nodes, Sentinels.
 * Event lines are read back from the trace exactly as `run --format log` would print them.
 */
export interface NodeSpec {
  name: string;
  host: string;
  port: number;
  replicaOf?: string;
  extra?: string[];
}
export interface SentinelSpec {
  name: string;
  host: string;
  port: number;
  extra?: string[];
}
export interface Deployment {
  hosts: { name: string; ip: string }[];
  nodes: NodeSpec[];
  sentinels: SentinelSpec[];
  masterName?: string;
  quorum: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  tunables?: Partial<SentinelTunables>;
}

export interface Run {
  world: NetWorld;
  trace: MemoryTrace;
  hash: HashTrace;
  events(filter?: { p?: string; event?: string }): { t: number; p: string; event: string; text: string }[];
  lines(p?: string): string[];
  ipOf(node: string): string;
}

export function deploy(d: Deployment, seed: number | string, opts: { snapshots?: boolean } = {}): Run {
  const trace = new MemoryTrace();
  const hash = new HashTrace();
  const world = createWorld({ seed, trace: new TeeTrace([trace, hash]), snapshots: opts.snapshots });
  for (const h of d.hosts) world.addHost(h.name, h.ip);
  const ip = (host: string) => d.hosts.find((h) => h.name === host)!.ip;
  const nodeAddr = (n: string) => {
    const spec = d.nodes.find((x) => x.name === n)!;
    return `${ip(spec.host)} ${spec.port}`;
  };
  const master = d.nodes.find((n) => !n.replicaOf)!;
  for (const n of d.nodes) {
    const text = [`port ${n.port}`, 'save ""', ...(n.replicaOf ? [`replicaof ${nodeAddr(n.replicaOf)}`] : []), ...(n.extra ?? [])].join('\n');
    world.addProcess(n.name, n.host, redisBehavior(parseRedisConf(text, `${n.name}.conf`)));
  }
  const name = d.masterName ?? 'mymaster';
  for (const s of d.sentinels) {
    const text = [
      `port ${s.port}`,
      `sentinel monitor ${name} ${nodeAddr(master.name)} ${d.quorum}`,
      `sentinel down-after-milliseconds ${name} ${d.downAfterMs ?? 5000}`,
      `sentinel failover-timeout ${name} ${d.failoverTimeoutMs ?? 60000}`,
      ...(s.extra ?? []),
    ].join('\n');
    world.addProcess(s.name, s.host, sentinelBehavior(parseSentinelConf(text, `${s.name}.conf`), { tunables: d.tunables }));
  }
  const events = (filter: { p?: string; event?: string } = {}) =>
    trace.records
      .filter((r: TraceRecord) => r.k === 'event' && r.level !== 'verbose' && r.level !== 'debug')
      .map((r) => ({ t: r.t / 1000, p: r.p as string, event: r.event as string, text: r.text as string }))
      .filter((e) => (!filter.p || e.p === filter.p) && (!filter.event || e.event === filter.event));
  return {
    world,
    trace,
    hash,
    events,
    lines: (p?: string) => events(p ? { p } : {}).map((e) => `${e.event} ${e.text}`),
    ipOf: (node: string) => nodeAddr(node),
  };
}

export function sentinelState(run: Run, pid: string): SentinelState {
  return run.world.stateOf<SentinelState>(pid);
}

/** 3 hosts, a node and a Sentinel on each (the zato layout), quorum 2. */
export function threeByThree(over: Partial<Deployment> = {}): Deployment {
  return {
    hosts: [
      { name: 'h1', ip: '10.0.0.1' },
      { name: 'h2', ip: '10.0.0.2' },
      { name: 'h3', ip: '10.0.0.3' },
    ],
    nodes: [
      { name: 'r1', host: 'h1', port: 6379 },
      { name: 'r2', host: 'h2', port: 6379, replicaOf: 'r1' },
      { name: 'r3', host: 'h3', port: 6379, replicaOf: 'r1' },
    ],
    sentinels: [
      { name: 's1', host: 'h1', port: 26379 },
      { name: 's2', host: 'h2', port: 26379 },
      { name: 's3', host: 'h3', port: 26379 },
    ],
    quorum: 2,
    ...over,
  };
}
