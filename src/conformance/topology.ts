/**
 * Config texts for the usual test topology: node1 master, node2..N replicas, sentinel1..M, all on
 * 127.0.0.1 with ports `base + i - 1` (nodes) and `base + 50 + i - 1` (sentinels).
 */
import type { DeploymentSpec, ProcessSpec } from './real.js';

export interface TopologyOptions {
  readonly base: number;
  readonly nodes?: number;
  readonly sentinels?: number;
  readonly masterName?: string;
  readonly quorum?: number;
  readonly downAfterMs?: number;
  readonly failoverTimeoutMs?: number;
  readonly parallelSyncs?: number;
  /** Extra redis.conf lines for every node, or per node name. */
  readonly nodeExtra?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /** Extra sentinel.conf lines for every Sentinel. */
  readonly sentinelExtra?: readonly string[];
  /** Every process on one wall clock the drive can step (RealDeployment.clockJump()). */
  readonly wallShift?: boolean;
}

/** Lines every node gets: no persistence, immediate diskless sync, DEBUG allowed from loopback. */
export const NODE_BASE_LINES: readonly string[] = [
  'save ""',
  'appendonly no',
  'repl-diskless-sync-delay 0',
  'enable-debug-command local',
];

export function nodePort(base: number, i: number): number {
  return base + i - 1;
}
export function sentinelPort(base: number, i: number): number {
  return base + 50 + i - 1;
}

export function topology(o: TopologyOptions): DeploymentSpec {
  const n = o.nodes ?? 3;
  const m = o.sentinels ?? 3;
  const name = o.masterName ?? 'mymaster';
  const mport = nodePort(o.base, 1);
  const nodes: ProcessSpec[] = [];
  for (let i = 1; i <= n; i++) {
    const nm = `node${i}`;
    const extra = Array.isArray(o.nodeExtra) ? o.nodeExtra : ((o.nodeExtra as Record<string, readonly string[]> | undefined)?.[nm] ?? []);
    const lines = [`port ${nodePort(o.base, i)}`, ...NODE_BASE_LINES, ...(i > 1 ? [`replicaof 127.0.0.1 ${mport}`] : []), ...extra];
    nodes.push({ name: nm, port: nodePort(o.base, i), config: lines.join('\n') + '\n' });
  }
  const sentinels: ProcessSpec[] = [];
  for (let i = 1; i <= m; i++) {
    const lines = [
      `port ${sentinelPort(o.base, i)}`,
      `sentinel monitor ${name} 127.0.0.1 ${mport} ${o.quorum ?? 2}`,
      `sentinel down-after-milliseconds ${name} ${o.downAfterMs ?? 2000}`,
      `sentinel failover-timeout ${name} ${o.failoverTimeoutMs ?? 6000}`,
      `sentinel parallel-syncs ${name} ${o.parallelSyncs ?? 1}`,
      ...(o.sentinelExtra ?? []),
    ];
    sentinels.push({ name: `sentinel${i}`, port: sentinelPort(o.base, i), config: lines.join('\n') + '\n' });
  }
  return { nodes, sentinels, masterName: name, ...(o.wallShift ? { wallShift: true } : {}) };
}
