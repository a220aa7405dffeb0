import type { RedisState } from './state.js';
import { array, bulk, int, type Resp } from '../net/resp.js';
import { effectiveBacklogSize } from './backlog.js';
import { type Node, nowSec } from './node.js';
import { REDIS_VERSION, type ReplicaSyncState } from './state.js';
import { inHandshake } from './replication/replica.js';

/** server.c: genRedisInfoString() for the sections the model has, and replication.c: roleCommand(). */

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];

function replstateToString(s: ReplicaSyncState | null): string {
  switch (s) {
    case 'wait_bgsave_start':
    case 'wait_bgsave_end':
      return 'wait_bgsave';
    case 'send_bulk':
      return 'send_bulk';
    case 'online':
      return 'online';
    default:
      return '';
  }
}

function serverSection(n: Node): string[] {
  const d = n.d;
  const nowMs = n.ctx.nowMs();
  const up = Math.max(0, Math.floor((nowMs - d.startedMs) / 1000));
  return [
    '# Server',
    `redis_version:${REDIS_VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:ae4d7c971a948f0',
    'redis_mode:standalone',
    'os:Linux 6.1.0 x86_64',
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    'multiplexing_api:epoll',
    'atomicvar_api:c11-builtin',
    'gcc_version:12.2.0',
    `process_id:${processId(n)}`,
    'process_supervised:no',
    `run_id:${d.runId}`,
    `tcp_port:${d.conf.port}`,
    `server_time_usec:${n.ctx.nowUs()}`,
    `uptime_in_seconds:${up}`,
    `uptime_in_days:${Math.floor(up / 86400)}`,
    'hz:10',
    'configured_hz:10',
    `lru_clock:${Math.floor(nowMs / 1000) & ((1 << 24) - 1)}`,
    'executable:/usr/bin/redis-server',
    `config_file:${n.cfg.file}`,
    'io_threads_active:0',
  ];
}

/** A stable fake pid derived from the run id. */
function processId(n: Node): number {
  return 1000 + (parseInt(n.d.runId.slice(0, 6), 16) % 60000);
}

function clientsSection(n: Node): string[] {
  const d = n.d;
  let clients = 0;
  for (const k in d.clients) if (!d.clients[k]!.isReplica) clients++;
  return [
    '# Clients',
    `connected_clients:${clients}`,
    'cluster_connections:0',
    'maxclients:10000',
    'client_recent_max_input_buffer:0',
    'client_recent_max_output_buffer:0',
    'blocked_clients:0',
    'tracking_clients:0',
    'clients_in_timeout_table:0',
  ];
}

function persistenceSection(n: Node): string[] {
  const d = n.d;
  return [
    '# Persistence',
    `loading:${d.loading ? 1 : 0}`,
    'async_loading:0',
    `rdb_changes_since_last_save:${d.dirty}`,
    `rdb_bgsave_in_progress:${d.child ? 1 : 0}`,
    `rdb_last_save_time:${d.lastSaveSec}`,
    'rdb_last_bgsave_status:ok',
    `aof_enabled:${d.conf.appendonly ? 1 : 0}`,
    'aof_rewrite_in_progress:0',
    'aof_last_write_status:ok',
  ];
}

function statsSection(n: Node): string[] {
  const s = n.d.stats;
  return [
    '# Stats',
    `total_connections_received:${s.connections}`,
    `total_commands_processed:${s.commands}`,
    `sync_full:${s.syncFull}`,
    `sync_partial_ok:${s.syncPartialOk}`,
    `sync_partial_err:${s.syncPartialErr}`,
  ];
}

export function replicationSection(n: Node): string[] {
  const d = n.d;
  const now = nowSec(n);
  const out = ['# Replication', `role:${d.repl ? 'slave' : 'master'}`];
  const r = d.repl;
  if (r) {
    let replOff = 1;
    let readOff = 1;
    if (r.link) {
      replOff = r.link.reploff;
      readOff = r.link.readReploff;
    } else if (r.cached) {
      replOff = r.cached.reploff;
      readOff = r.cached.reploff;
    }
    out.push(
      `master_host:${r.masterHost}`,
      `master_port:${r.masterPort}`,
      `master_link_status:${r.state === 'connected' ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${r.link ? now - r.link.lastInteractionSec : -1}`,
      `master_sync_in_progress:${r.state === 'transfer' ? 1 : 0}`,
      `slave_read_repl_offset:${readOff}`,
      `slave_repl_offset:${replOff}`,
    );
    if (r.state === 'transfer') {
      out.push(
        'master_sync_total_bytes:-1',
        'master_sync_read_bytes:0',
        'master_sync_left_bytes:-1',
        'master_sync_perc:0.00',
        `master_sync_last_io_seconds_ago:${now - r.transferLastIoSec}`,
      );
    }
    if (r.state !== 'connected') out.push(`master_link_down_since_seconds:${r.downSinceSec ? now - r.downSinceSec : -1}`);
    out.push(`slave_priority:${d.conf.replicaPriority}`, `slave_read_only:${d.conf.replicaReadOnly ? 1 : 0}`, `replica_announced:${d.conf.replicaAnnounced ? 1 : 0}`);
  }
  out.push(`connected_slaves:${d.replicas.length}`);
  if (d.conf.minReplicasToWrite && d.conf.minReplicasMaxLagSec) out.push(`min_slaves_good_slaves:${d.goodReplicas}`);
  let i = 0;
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (!c) continue;
    const state = replstateToString(c.replState);
    if (state === '') continue;
    const lag = c.replState === 'online' ? now - c.ackTimeSec : 0;
    out.push(`slave${i}:ip=${c.announcedIp ?? c.remoteIp},port=${c.listeningPort},state=${state},offset=${c.ackOffset},lag=${lag}`);
    i++;
  }
  out.push(
    'master_failover_state:no-failover',
    `master_replid:${d.replid}`,
    `master_replid2:${d.replid2}`,
    `master_repl_offset:${d.masterReplOffset}`,
    `second_repl_offset:${d.secondReplidOffset}`,
    `repl_backlog_active:${d.backlog ? 1 : 0}`,
    `repl_backlog_size:${effectiveBacklogSize(d.conf.replBacklogSizeBytes)}`,
    `repl_backlog_first_byte_offset:${d.backlog ? d.backlog.firstByteOffset : 0}`,
    `repl_backlog_histlen:${d.backlog ? d.backlog.histlenBytes : 0}`,
  );
  return out;
}

function keyspaceSection(n: Node): string[] {
  const keys = n.d.keyCount;
  return keys > 0 ? ['# Keyspace', `db0:keys=${keys},expires=0,avg_ttl=0`] : ['# Keyspace'];
}

const EMPTY_SECTIONS: Record<string, string> = { memory: '# Memory', cpu: '# CPU', modules: '# Modules', errorstats: '# Errorstats', cluster: '# Cluster\r\ncluster_enabled:0' };

/** INFO [section ...]: sections joined by an empty line, every line ending in \r\n. */
export function infoText(n: Node, args: readonly string[]): string {
  let wanted: string[];
  const lower = args.map((a) => a.toLowerCase());
  if (lower.length === 0 || lower.includes('default')) wanted = DEFAULT_SECTIONS;
  else if (lower.includes('all') || lower.includes('everything')) wanted = DEFAULT_SECTIONS;
  else wanted = DEFAULT_SECTIONS.filter((s) => lower.includes(s));
  const parts: string[] = [];
  for (const s of wanted) {
    let lines: string[] | undefined;
    if (s === 'server') lines = serverSection(n);
    else if (s === 'clients') lines = clientsSection(n);
    else if (s === 'persistence') lines = persistenceSection(n);
    else if (s === 'stats') lines = statsSection(n);
    else if (s === 'replication') lines = replicationSection(n);
    else if (s === 'keyspace') lines = keyspaceSection(n);
    else lines = [EMPTY_SECTIONS[s]!];
    parts.push(lines.join('\r\n') + '\r\n');
  }
  return parts.join('\r\n');
}

/** replication.c: roleCommand(). */
export function roleReply(n: Node): Resp {
  const d = n.d;
  const r = d.repl;
  if (!r) {
    const reps: Resp[] = [];
    for (const id of d.replicas) {
      const c = d.clients[id];
      if (!c || c.replState !== 'online') continue;
      reps.push(array([bulk(c.announcedIp ?? c.remoteIp), bulk(String(c.listeningPort)), bulk(String(c.ackOffset))]));
    }
    return array([bulk('master'), int(d.masterReplOffset), array(reps)]);
  }
  let state: string;
  if (inHandshake(r.state)) state = 'handshake';
  else if (r.state === 'transfer') state = 'sync';
  else state = r.state;
  return array([bulk('slave'), bulk(r.masterHost), int(r.masterPort), bulk(state), int(r.link ? r.link.reploff : -1)]);
}

