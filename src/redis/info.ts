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

/**
 * Each section is built as one string ending in \r\n, its lines that never change (most of
 * `# Server`) joined once at load: a Sentinel asks every node for INFO every 10 s (every second
 * during a failover), and building it line by line into arrays was a visible share of a run.
 */
const SERVER_FIXED = lines(
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
);

/** Lines, each ending in \r\n. */
function lines(...ls: string[]): string {
  return ls.join('\r\n') + '\r\n';
}

function serverSection(n: Node): string {
  const d = n.d;
  const nowMs = n.ctx.nowMs();
  const up = Math.max(0, Math.floor((nowMs - d.startedMs) / 1000));
  return (
    SERVER_FIXED +
    `process_id:${processId(n)}\r\n` +
    'process_supervised:no\r\n' +
    `run_id:${d.runId}\r\n` +
    `tcp_port:${d.conf.port}\r\n` +
    `server_time_usec:${n.ctx.nowUs()}\r\n` +
    `uptime_in_seconds:${up}\r\n` +
    `uptime_in_days:${Math.floor(up / 86400)}\r\n` +
    'hz:10\r\nconfigured_hz:10\r\n' +
    `lru_clock:${Math.floor(nowMs / 1000) & ((1 << 24) - 1)}\r\n` +
    'executable:/usr/bin/redis-server\r\n' +
    `config_file:${n.cfg.file}\r\n` +
    'io_threads_active:0\r\n'
  );
}

/** A stable fake pid derived from the run id. */
function processId(n: Node): number {
  return 1000 + (parseInt(n.d.runId.slice(0, 6), 16) % 60000);
}

const CLIENTS_TAIL = lines(
  'cluster_connections:0',
  'maxclients:10000',
  'client_recent_max_input_buffer:0',
  'client_recent_max_output_buffer:0',
  'blocked_clients:0',
  'tracking_clients:0',
  'clients_in_timeout_table:0',
);

function clientsSection(n: Node): string {
  const d = n.d;
  let clients = 0;
  for (const k in d.clients) if (!d.clients[k]!.isReplica) clients++;
  return `# Clients\r\nconnected_clients:${clients}\r\n` + CLIENTS_TAIL;
}

function persistenceSection(n: Node): string {
  const d = n.d;
  return (
    '# Persistence\r\n' +
    `loading:${d.loading ? 1 : 0}\r\n` +
    'async_loading:0\r\n' +
    `rdb_changes_since_last_save:${d.dirty}\r\n` +
    `rdb_bgsave_in_progress:${d.child ? 1 : 0}\r\n` +
    `rdb_last_save_time:${d.lastSaveSec}\r\n` +
    'rdb_last_bgsave_status:ok\r\n' +
    `aof_enabled:${d.conf.appendonly ? 1 : 0}\r\n` +
    'aof_rewrite_in_progress:0\r\n' +
    'aof_last_write_status:ok\r\n'
  );
}

function statsSection(n: Node): string {
  const s = n.d.stats;
  return (
    '# Stats\r\n' +
    `total_connections_received:${s.connections}\r\n` +
    `total_commands_processed:${s.commands}\r\n` +
    `sync_full:${s.syncFull}\r\n` +
    `sync_partial_ok:${s.syncPartialOk}\r\n` +
    `sync_partial_err:${s.syncPartialErr}\r\n`
  );
}

function replicationSection(n: Node): string {
  const d = n.d;
  const now = nowSec(n);
  let out = `# Replication\r\nrole:${d.repl ? 'slave' : 'master'}\r\n`;
  if (d.repl) out += replicaLines(n, d.repl, now);
  out += `connected_slaves:${d.replicas.length}\r\n`;
  if (d.conf.minReplicasToWrite && d.conf.minReplicasMaxLagSec) out += `min_slaves_good_slaves:${d.goodReplicas}\r\n`;
  let i = 0;
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (!c) continue;
    const state = replstateToString(c.replState);
    if (state === '') continue;
    const lag = c.replState === 'online' ? now - c.ackTimeSec : 0;
    out += `slave${i}:ip=${c.announcedIp ?? c.remoteIp},port=${c.listeningPort},state=${state},offset=${c.ackOffset},lag=${lag}\r\n`;
    i++;
  }
  return (
    out +
    'master_failover_state:no-failover\r\n' +
    `master_replid:${d.replid}\r\n` +
    `master_replid2:${d.replid2}\r\n` +
    `master_repl_offset:${d.masterReplOffset}\r\n` +
    `second_repl_offset:${d.secondReplidOffset}\r\n` +
    `repl_backlog_active:${d.backlog ? 1 : 0}\r\n` +
    `repl_backlog_size:${effectiveBacklogSize(d.conf.replBacklogSizeBytes)}\r\n` +
    `repl_backlog_first_byte_offset:${d.backlog ? d.backlog.firstByteOffset : 0}\r\n` +
    `repl_backlog_histlen:${d.backlog ? d.backlog.histlenBytes : 0}\r\n`
  );
}

/** The lines of a replica's replication section about its master. */
function replicaLines(n: Node, r: NonNullable<RedisState['repl']>, now: number): string {
  const d = n.d;
  let replOff = 1;
  let readOff = 1;
  if (r.link) {
    replOff = r.link.reploff;
    readOff = r.link.readReploff;
  } else if (r.cached) {
    replOff = r.cached.reploff;
    readOff = r.cached.reploff;
  }
  let out =
    `master_host:${r.masterHost}\r\n` +
    `master_port:${r.masterPort}\r\n` +
    `master_link_status:${r.state === 'connected' ? 'up' : 'down'}\r\n` +
    `master_last_io_seconds_ago:${r.link ? now - r.link.lastInteractionSec : -1}\r\n` +
    `master_sync_in_progress:${r.state === 'transfer' ? 1 : 0}\r\n` +
    `slave_read_repl_offset:${readOff}\r\n` +
    `slave_repl_offset:${replOff}\r\n`;
  if (r.state === 'transfer') {
    out += `master_sync_total_bytes:-1\r\nmaster_sync_read_bytes:0\r\nmaster_sync_left_bytes:-1\r\nmaster_sync_perc:0.00\r\nmaster_sync_last_io_seconds_ago:${now - r.transferLastIoSec}\r\n`;
  }
  if (r.state !== 'connected') out += `master_link_down_since_seconds:${r.downSinceSec ? now - r.downSinceSec : -1}\r\n`;
  return out + `slave_priority:${d.conf.replicaPriority}\r\nslave_read_only:${d.conf.replicaReadOnly ? 1 : 0}\r\nreplica_announced:${d.conf.replicaAnnounced ? 1 : 0}\r\n`;
}

function keyspaceSection(n: Node): string {
  const keys = n.d.keyCount;
  return keys > 0 ? `# Keyspace\r\ndb0:keys=${keys},expires=0,avg_ttl=0\r\n` : '# Keyspace\r\n';
}

const EMPTY_SECTIONS: Record<string, string> = { memory: '# Memory\r\n', cpu: '# CPU\r\n', modules: '# Modules\r\n', errorstats: '# Errorstats\r\n', cluster: '# Cluster\r\ncluster_enabled:0\r\n' };

function section(n: Node, s: string): string {
  if (s === 'server') return serverSection(n);
  if (s === 'clients') return clientsSection(n);
  if (s === 'persistence') return persistenceSection(n);
  if (s === 'stats') return statsSection(n);
  if (s === 'replication') return replicationSection(n);
  if (s === 'keyspace') return keyspaceSection(n);
  return EMPTY_SECTIONS[s]!;
}

/** INFO [section ...]: sections joined by an empty line, every line ending in \r\n. */
export function infoText(n: Node, args: readonly string[]): string {
  let wanted: readonly string[];
  const lower = args.map((a) => a.toLowerCase());
  if (lower.length === 0 || lower.includes('default')) wanted = DEFAULT_SECTIONS;
  else if (lower.includes('all') || lower.includes('everything')) wanted = DEFAULT_SECTIONS;
  else wanted = DEFAULT_SECTIONS.filter((s) => lower.includes(s));
  let text = '';
  for (let i = 0; i < wanted.length; i++) text += (i > 0 ? '\r\n' : '') + section(n, wanted[i]!);
  return text;
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

