import type { RedisState } from './state.js';

/** A pure summary of a node for the player and the checkers. */
export interface RedisView {
  readonly role: 'master' | 'slave';
  readonly runId: string;
  readonly replid: string;
  readonly replid2: string;
  readonly masterReplOffset: number;
  readonly masterHost: string | null;
  readonly masterPort: number | null;
  /** 'up'/'down' on a replica (master_link_status), null on a master. */
  readonly linkStatus: 'up' | 'down' | null;
  readonly replState: string | null;
  readonly connectedReplicas: number;
  readonly onlineReplicas: readonly { readonly ip: string; readonly port: number; readonly offset: number }[];
  readonly goodReplicas: number;
  readonly dbsize: number;
  /** Would a client write be accepted right now (no NOREPLICAS / READONLY / MASTERDOWN)? */
  readonly writable: boolean;
  readonly backlogFirstByteOffset: number;
  readonly backlogHistlen: number;
  readonly replicaPriority: number;
}

/**
 * Would a master take a write now? Not below min-replicas-to-write good replicas (-NOREPLICAS,
 * server.c processCommand() through checkGoodReplicasStatus()).
 */
export function masterAcceptsWrites(s: RedisState): boolean {
  const minOn = s.conf.minReplicasToWrite > 0 && s.conf.minReplicasMaxLagSec > 0;
  return !minOn || s.goodReplicas >= s.conf.minReplicasToWrite;
}

export function redisView(s: RedisState): RedisView {
  const r = s.repl;
  const writable = r ? !s.conf.replicaReadOnly && (r.state === 'connected' || s.conf.replicaServeStaleData) : masterAcceptsWrites(s);
  const online: { ip: string; port: number; offset: number }[] = [];
  for (const id of s.replicas) {
    const c = s.clients[id];
    if (c && c.replState === 'online') online.push({ ip: c.announcedIp ?? c.remoteIp, port: c.listeningPort, offset: c.ackOffset });
  }
  return {
    role: r ? 'slave' : 'master',
    runId: s.runId,
    replid: s.replid,
    replid2: s.replid2,
    masterReplOffset: s.masterReplOffset,
    masterHost: r ? r.masterHost : null,
    masterPort: r ? r.masterPort : null,
    linkStatus: r ? (r.state === 'connected' ? 'up' : 'down') : null,
    replState: r ? r.state : null,
    connectedReplicas: s.replicas.length,
    onlineReplicas: online,
    goodReplicas: s.goodReplicas,
    dbsize: s.keyCount,
    writable,
    backlogFirstByteOffset: s.backlog ? s.backlog.firstByteOffset : 0,
    backlogHistlen: s.backlog ? s.backlog.histlenBytes : 0,
    replicaPriority: s.conf.replicaPriority,
  };
}
