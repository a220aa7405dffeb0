import type { RedisNodeConfig } from '../../../src/config/types.js';

/** A RedisNodeConfig with Redis 7.0.15's built-in defaults (config.c's standardConfig table), overridable per field. */
export function redisConfig(over: Partial<RedisNodeConfig> & { replicaofAddr?: [string, number] } = {}): RedisNodeConfig {
  const { replicaofAddr, ...rest } = over;
  const file = rest.file ?? `/etc/redis/redis-${rest.port ?? 6379}.conf`;
  return {
    file,
    port: 6379,
    bind: [],
    replicaPriority: 100,
    replicaAnnounced: true,
    replicaAnnouncePort: 0,
    replicaServeStaleData: true,
    replicaReadOnly: true,
    minReplicasToWrite: 0,
    minReplicasMaxLagSec: 10,
    replBacklogSizeBytes: 1024 * 1024,
    replBacklogTtlSec: 3600,
    replTimeoutSec: 60,
    replPingReplicaPeriodSec: 10,
    replDisklessSync: true,
    replDisklessSyncDelaySec: 5,
    replDisklessSyncMaxReplicas: 0,
    savePoints: [
      { seconds: 3600, changes: 1 },
      { seconds: 300, changes: 100 },
      { seconds: 60, changes: 10000 },
    ],
    appendonly: false,
    protectedMode: false,
    shutdownTimeoutSec: 10,
    renamedCommands: {},
    directives: [],
    ...(replicaofAddr ? { replicaof: { host: replicaofAddr[0], port: replicaofAddr[1], pos: { file, line: 1 } } } : {}),
    ...rest,
  };
}

/** No RDB snapshots, no AOF: a restart comes back empty. */
export const NO_PERSISTENCE: Partial<RedisNodeConfig> = { savePoints: [], appendonly: false };
