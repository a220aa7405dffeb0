/**
 * What the config readers produce and the models consume. Field names carry units. Defaults are
 * Redis 7.0.15's built-in ones (config.c's standardConfig table, createSentinelRedisInstance()), applied by the readers, so a model never has to
 * guess what an absent directive means.
 */

/** Where a value came from, for errors and lint warnings. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
}

export interface RedisNodeConfig {
  readonly file: string;
  readonly port: number;
  /** `bind` addresses as written (empty: Redis's default `* -::*`). */
  readonly bind: readonly string[];
  /** `replicaof`/`slaveof` (absent, or `no one`: starts as a master). */
  readonly replicaof?: { readonly host: string; readonly port: number; readonly pos: SourcePos };
  readonly masterauth?: string;
  readonly masteruser?: string;
  readonly requirepass?: string;
  readonly replicaPriority: number;
  readonly replicaAnnounced: boolean;
  readonly replicaAnnounceIp?: string;
  readonly replicaAnnouncePort: number;
  readonly replicaServeStaleData: boolean;
  readonly replicaReadOnly: boolean;
  readonly minReplicasToWrite: number;
  readonly minReplicasMaxLagSec: number;
  readonly replBacklogSizeBytes: number;
  readonly replBacklogTtlSec: number;
  readonly replTimeoutSec: number;
  readonly replPingReplicaPeriodSec: number;
  readonly replDisklessSync: boolean;
  readonly replDisklessSyncDelaySec: number;
  readonly replDisklessSyncMaxReplicas: number;
  /** RDB save points; empty means no snapshots (`save ""`). */
  readonly savePoints: readonly { readonly seconds: number; readonly changes: number }[];
  readonly appendonly: boolean;
  readonly protectedMode: boolean;
  readonly shutdownTimeoutSec: number;
  /** `rename-command old new` (new "" disables the command); keys lowercased. */
  readonly renamedCommands: Readonly<Record<string, string>>;
  /** Every directive as read, lowercased name, for lint and for inference of hosts. */
  readonly directives: readonly ConfigDirective[];
}

export interface ConfigDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly pos: SourcePos;
}

export interface SentinelMasterConfig {
  readonly name: string;
  /** As written in `sentinel monitor` (a hostname needs resolve-hostnames yes). */
  readonly host: string;
  readonly port: number;
  readonly quorum: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly parallelSyncs: number;
  readonly masterRebootDownAfterPeriodMs: number;
  readonly authPass?: string;
  readonly authUser?: string;
  readonly notificationScript?: string;
  readonly clientReconfigScript?: string;
  readonly renamedCommands: Readonly<Record<string, string>>;
  readonly configEpoch: number;
  readonly leaderEpoch: number;
  readonly knownReplicas: readonly { readonly host: string; readonly port: number; readonly pos: SourcePos }[];
  readonly knownSentinels: readonly { readonly host: string; readonly port: number; readonly runid: string; readonly pos: SourcePos }[];
  readonly pos: SourcePos;
}

export interface SentinelFileConfig {
  readonly file: string;
  /** Sentinel mode defaults to 26379. */
  readonly port: number;
  readonly bind: readonly string[];
  readonly requirepass?: string;
  readonly myid?: string;
  readonly currentEpoch: number;
  readonly announceIp?: string;
  readonly announcePort: number;
  readonly resolveHostnames: boolean;
  readonly announceHostnames: boolean;
  readonly denyScriptsReconfig: boolean;
  readonly sentinelUser?: string;
  readonly sentinelPass?: string;
  /** In the order of their `sentinel monitor` lines. */
  readonly masters: readonly SentinelMasterConfig[];
  readonly directives: readonly ConfigDirective[];
}
