/**
 * Redis 7.0.15's table of standard configuration directives, transcribed from `static_configs[]`
 * in src/config.c (Debian's build has TLS, so the `USE_OPENSSL` entries are included). Each row
 * says how `loadServerConfigFromString()` validates the directive's value: the type's `set`
 * function (boolConfigSet, numericConfigSet, enumConfigSet, ...), its bounds and parse flags, and
 * the `is_valid_fn`. Special configs (dir, save, bind, replicaof, ...) are handled by name in
 * loader.ts, mirroring their own set functions.
 */

export type ConfigType =
  | 'Bool'
  | 'String'
  | 'SDS'
  | 'Enum'
  | 'Int'
  | 'UInt'
  | 'ULong'
  | 'LongLong'
  | 'ULongLong'
  | 'SizeT'
  | 'SSizeT'
  | 'TimeT'
  | 'OffT'
  | 'Special';

export interface StandardConfig {
  readonly name: string;
  readonly alias?: string;
  readonly type: ConfigType;
  /** MULTI_ARG_CONFIG: may take several arguments (and a single one is re-split). */
  readonly multi?: boolean;
  /** Numeric bounds (inclusive), as the C long long / unsigned long long they are. */
  readonly min?: bigint;
  readonly max?: bigint;
  /** MEMORY_CONFIG, PERCENT_CONFIG, OCTAL_CONFIG. */
  readonly mem?: boolean;
  readonly pct?: boolean;
  readonly octal?: boolean;
  readonly emptyNull?: boolean;
  readonly enum?: string;
  readonly valid?: string;
}

/** The `configEnum` tables of config.c, by the name used in `enum` above. */
export const CONFIG_ENUMS: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  maxmemory_policy: [['volatile-lru', 1], ['volatile-lfu', 2], ['volatile-random', 3], ['volatile-ttl', 4], ['allkeys-lru', 5], ['allkeys-lfu', 6], ['allkeys-random', 7], ['noeviction', 8]],
  syslog_facility: [['user', 1], ['local0', 2], ['local1', 3], ['local2', 4], ['local3', 5], ['local4', 6], ['local5', 7], ['local6', 8], ['local7', 9]],
  loglevel: [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]],
  supervised_mode: [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]],
  aof_fsync: [['everysec', 2], ['always', 1], ['no', 0]],
  // Bit flags (shutdown-on-sig* is MULTI_ARG): SHUTDOWN_SAVE=1, NOSAVE=2, NOW=4, FORCE=8.
  shutdown_on_sig: [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]],
  repl_diskless_load: [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]],
  tls_auth_clients: [['no', 0], ['yes', 1], ['optional', 2]],
  oom_score_adj: [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]],
  acl_pubsub_default: [['allchannels', 1], ['resetchannels', 0]],
  sanitize_dump_payload: [['no', 0], ['yes', 1], ['clients', 2]],
  protected_action: [['no', 0], ['yes', 1], ['local', 2]],
  cluster_preferred_endpoint_type: [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]],
  propagation_error_behavior: [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]],
};

// prettier-ignore
export const STANDARD_CONFIGS: readonly StandardConfig[] = [
  { name: "rdbchecksum", type: "Bool" },
  { name: "daemonize", type: "Bool" },
  { name: "io-threads-do-reads", type: "Bool" },
  { name: "always-show-logo", type: "Bool" },
  { name: "protected-mode", type: "Bool" },
  { name: "rdbcompression", type: "Bool" },
  { name: "rdb-del-sync-files", type: "Bool" },
  { name: "activerehashing", type: "Bool" },
  { name: "stop-writes-on-bgsave-error", type: "Bool" },
  { name: "set-proc-title", type: "Bool" },
  { name: "dynamic-hz", type: "Bool" },
  { name: "lazyfree-lazy-eviction", type: "Bool" },
  { name: "lazyfree-lazy-expire", type: "Bool" },
  { name: "lazyfree-lazy-server-del", type: "Bool" },
  { name: "lazyfree-lazy-user-del", type: "Bool" },
  { name: "lazyfree-lazy-user-flush", type: "Bool" },
  { name: "repl-disable-tcp-nodelay", type: "Bool" },
  { name: "repl-diskless-sync", type: "Bool" },
  { name: "aof-rewrite-incremental-fsync", type: "Bool" },
  { name: "no-appendfsync-on-rewrite", type: "Bool" },
  { name: "cluster-require-full-coverage", type: "Bool" },
  { name: "rdb-save-incremental-fsync", type: "Bool" },
  { name: "aof-load-truncated", type: "Bool" },
  { name: "aof-use-rdb-preamble", type: "Bool" },
  { name: "aof-timestamp-enabled", type: "Bool" },
  { name: "cluster-replica-no-failover", alias: "cluster-slave-no-failover", type: "Bool" },
  { name: "replica-lazy-flush", alias: "slave-lazy-flush", type: "Bool" },
  { name: "replica-serve-stale-data", alias: "slave-serve-stale-data", type: "Bool" },
  { name: "replica-read-only", alias: "slave-read-only", type: "Bool" },
  { name: "replica-ignore-maxmemory", alias: "slave-ignore-maxmemory", type: "Bool" },
  { name: "jemalloc-bg-thread", type: "Bool" },
  { name: "activedefrag", type: "Bool", valid: "isValidActiveDefrag" },
  { name: "syslog-enabled", type: "Bool" },
  { name: "cluster-enabled", type: "Bool" },
  { name: "appendonly", type: "Bool" },
  { name: "cluster-allow-reads-when-down", type: "Bool" },
  { name: "cluster-allow-pubsubshard-when-down", type: "Bool" },
  { name: "crash-log-enabled", type: "Bool" },
  { name: "crash-memcheck-enabled", type: "Bool" },
  { name: "use-exit-on-panic", type: "Bool" },
  { name: "disable-thp", type: "Bool" },
  { name: "cluster-allow-replica-migration", type: "Bool" },
  { name: "replica-announced", type: "Bool" },
  { name: "latency-tracking", type: "Bool" },
  { name: "aof-disable-auto-gc", type: "Bool" },
  { name: "replica-ignore-disk-write-errors", type: "Bool" },
  { name: "aclfile", type: "String" },
  { name: "unixsocket", type: "String", emptyNull: true },
  { name: "pidfile", type: "String", emptyNull: true },
  { name: "replica-announce-ip", alias: "slave-announce-ip", type: "String", emptyNull: true },
  { name: "masteruser", type: "String", emptyNull: true },
  { name: "cluster-announce-ip", type: "String", emptyNull: true },
  { name: "cluster-config-file", type: "String" },
  { name: "cluster-announce-hostname", type: "String", emptyNull: true, valid: "isValidAnnouncedHostname" },
  { name: "syslog-ident", type: "String" },
  { name: "dbfilename", type: "String", valid: "isValidDBfilename" },
  { name: "appendfilename", type: "String", valid: "isValidAOFfilename" },
  { name: "appenddirname", type: "String", valid: "isValidAOFdirname" },
  { name: "server_cpulist", type: "String", emptyNull: true },
  { name: "bio_cpulist", type: "String", emptyNull: true },
  { name: "aof_rewrite_cpulist", type: "String", emptyNull: true },
  { name: "bgsave_cpulist", type: "String", emptyNull: true },
  { name: "ignore-warnings", type: "String" },
  { name: "proc-title-template", type: "String", valid: "isValidProcTitleTemplate" },
  { name: "bind-source-addr", type: "String", emptyNull: true },
  { name: "logfile", type: "String" },
  { name: "masterauth", type: "SDS", emptyNull: true },
  { name: "requirepass", type: "SDS", emptyNull: true },
  { name: "supervised", type: "Enum", enum: "supervised_mode" },
  { name: "syslog-facility", type: "Enum", enum: "syslog_facility" },
  { name: "repl-diskless-load", type: "Enum", enum: "repl_diskless_load" },
  { name: "loglevel", type: "Enum", enum: "loglevel" },
  { name: "maxmemory-policy", type: "Enum", enum: "maxmemory_policy" },
  { name: "appendfsync", type: "Enum", enum: "aof_fsync" },
  { name: "oom-score-adj", type: "Enum", enum: "oom_score_adj" },
  { name: "acl-pubsub-default", type: "Enum", enum: "acl_pubsub_default" },
  { name: "sanitize-dump-payload", type: "Enum", enum: "sanitize_dump_payload" },
  { name: "enable-protected-configs", type: "Enum", enum: "protected_action" },
  { name: "enable-debug-command", type: "Enum", enum: "protected_action" },
  { name: "enable-module-command", type: "Enum", enum: "protected_action" },
  { name: "cluster-preferred-endpoint-type", type: "Enum", enum: "cluster_preferred_endpoint_type" },
  { name: "propagation-error-behavior", type: "Enum", enum: "propagation_error_behavior" },
  { name: "shutdown-on-sigint", type: "Enum", multi: true, enum: "shutdown_on_sig", valid: "isValidShutdownOnSigFlags" },
  { name: "shutdown-on-sigterm", type: "Enum", multi: true, enum: "shutdown_on_sig", valid: "isValidShutdownOnSigFlags" },
  { name: "databases", type: "Int", min: 1n, max: 2147483647n },
  { name: "port", type: "Int", min: 0n, max: 65535n },
  { name: "io-threads", type: "Int", min: 1n, max: 128n },
  { name: "auto-aof-rewrite-percentage", type: "Int", min: 0n, max: 2147483647n },
  { name: "cluster-replica-validity-factor", alias: "cluster-slave-validity-factor", type: "Int", min: 0n, max: 2147483647n },
  { name: "list-max-listpack-size", alias: "list-max-ziplist-size", type: "Int", min: -2147483648n, max: 2147483647n },
  { name: "tcp-keepalive", type: "Int", min: 0n, max: 2147483647n },
  { name: "cluster-migration-barrier", type: "Int", min: 0n, max: 2147483647n },
  { name: "active-defrag-cycle-min", type: "Int", min: 1n, max: 99n },
  { name: "active-defrag-cycle-max", type: "Int", min: 1n, max: 99n },
  { name: "active-defrag-threshold-lower", type: "Int", min: 0n, max: 1000n },
  { name: "active-defrag-threshold-upper", type: "Int", min: 0n, max: 1000n },
  { name: "lfu-log-factor", type: "Int", min: 0n, max: 2147483647n },
  { name: "lfu-decay-time", type: "Int", min: 0n, max: 2147483647n },
  { name: "replica-priority", alias: "slave-priority", type: "Int", min: 0n, max: 2147483647n },
  { name: "repl-diskless-sync-delay", type: "Int", min: 0n, max: 2147483647n },
  { name: "maxmemory-samples", type: "Int", min: 1n, max: 2147483647n },
  { name: "maxmemory-eviction-tenacity", type: "Int", min: 0n, max: 100n },
  { name: "timeout", type: "Int", min: 0n, max: 2147483647n },
  { name: "replica-announce-port", alias: "slave-announce-port", type: "Int", min: 0n, max: 65535n },
  { name: "tcp-backlog", type: "Int", min: 0n, max: 2147483647n },
  { name: "cluster-port", type: "Int", min: 0n, max: 65535n },
  { name: "cluster-announce-bus-port", type: "Int", min: 0n, max: 65535n },
  { name: "cluster-announce-port", type: "Int", min: 0n, max: 65535n },
  { name: "cluster-announce-tls-port", type: "Int", min: 0n, max: 65535n },
  { name: "repl-timeout", type: "Int", min: 1n, max: 2147483647n },
  { name: "repl-ping-replica-period", alias: "repl-ping-slave-period", type: "Int", min: 1n, max: 2147483647n },
  { name: "list-compress-depth", type: "Int", min: 0n, max: 2147483647n },
  { name: "rdb-key-save-delay", type: "Int", min: -2147483648n, max: 2147483647n },
  { name: "key-load-delay", type: "Int", min: -2147483648n, max: 2147483647n },
  { name: "active-expire-effort", type: "Int", min: 1n, max: 10n },
  { name: "hz", type: "Int", min: 0n, max: 2147483647n },
  { name: "min-replicas-to-write", alias: "min-slaves-to-write", type: "Int", min: 0n, max: 2147483647n },
  { name: "min-replicas-max-lag", alias: "min-slaves-max-lag", type: "Int", min: 0n, max: 2147483647n },
  { name: "watchdog-period", type: "Int", min: 0n, max: 2147483647n },
  { name: "shutdown-timeout", type: "Int", min: 0n, max: 2147483647n },
  { name: "repl-diskless-sync-max-replicas", type: "Int", min: 0n, max: 2147483647n },
  { name: "maxclients", type: "UInt", min: 1n, max: 4294967295n },
  { name: "unixsocketperm", type: "UInt", min: 0n, max: 511n, octal: true },
  { name: "socket-mark-id", type: "UInt", min: 0n, max: 4294967295n },
  { name: "active-defrag-max-scan-fields", type: "ULong", min: 1n, max: 9223372036854775807n },
  { name: "slowlog-max-len", type: "ULong", min: 0n, max: 9223372036854775807n },
  { name: "acllog-max-len", type: "ULong", min: 0n, max: 9223372036854775807n },
  { name: "busy-reply-threshold", alias: "lua-time-limit", type: "LongLong", min: 0n, max: 9223372036854775807n },
  { name: "cluster-node-timeout", type: "LongLong", min: 0n, max: 9223372036854775807n },
  { name: "slowlog-log-slower-than", type: "LongLong", min: -1n, max: 9223372036854775807n },
  { name: "latency-monitor-threshold", type: "LongLong", min: 0n, max: 9223372036854775807n },
  { name: "proto-max-bulk-len", type: "LongLong", min: 1048576n, max: 9223372036854775807n, mem: true },
  { name: "stream-node-max-entries", type: "LongLong", min: 0n, max: 9223372036854775807n },
  { name: "repl-backlog-size", type: "LongLong", min: 1n, max: 9223372036854775807n, mem: true },
  { name: "maxmemory", type: "ULongLong", min: 0n, max: 18446744073709551615n, mem: true },
  { name: "cluster-link-sendbuf-limit", type: "ULongLong", min: 0n, max: 18446744073709551615n, mem: true },
  { name: "hash-max-listpack-entries", alias: "hash-max-ziplist-entries", type: "SizeT", min: 0n, max: 9223372036854775807n },
  { name: "set-max-intset-entries", type: "SizeT", min: 0n, max: 9223372036854775807n },
  { name: "zset-max-listpack-entries", alias: "zset-max-ziplist-entries", type: "SizeT", min: 0n, max: 9223372036854775807n },
  { name: "active-defrag-ignore-bytes", type: "SizeT", min: 1n, max: 9223372036854775807n, mem: true },
  { name: "hash-max-listpack-value", alias: "hash-max-ziplist-value", type: "SizeT", min: 0n, max: 9223372036854775807n, mem: true },
  { name: "stream-node-max-bytes", type: "SizeT", min: 0n, max: 9223372036854775807n, mem: true },
  { name: "zset-max-listpack-value", alias: "zset-max-ziplist-value", type: "SizeT", min: 0n, max: 9223372036854775807n, mem: true },
  { name: "hll-sparse-max-bytes", type: "SizeT", min: 0n, max: 9223372036854775807n, mem: true },
  { name: "tracking-table-max-keys", type: "SizeT", min: 0n, max: 9223372036854775807n },
  { name: "client-query-buffer-limit", type: "SizeT", min: 1048576n, max: 9223372036854775807n, mem: true },
  { name: "maxmemory-clients", type: "SSizeT", min: -100n, max: 9223372036854775807n, mem: true, pct: true },
  { name: "repl-backlog-ttl", type: "TimeT", min: 0n, max: 9223372036854775807n },
  { name: "auto-aof-rewrite-min-size", type: "OffT", min: 0n, max: 9223372036854775807n, mem: true },
  { name: "loading-process-events-interval-bytes", type: "OffT", min: 1024n, max: 2147483647n },
  { name: "tls-port", type: "Int", min: 0n, max: 65535n },
  { name: "tls-session-cache-size", type: "Int", min: 0n, max: 2147483647n },
  { name: "tls-session-cache-timeout", type: "Int", min: 0n, max: 2147483647n },
  { name: "tls-cluster", type: "Bool" },
  { name: "tls-replication", type: "Bool" },
  { name: "tls-auth-clients", type: "Enum", enum: "tls_auth_clients" },
  { name: "tls-prefer-server-ciphers", type: "Bool" },
  { name: "tls-session-caching", type: "Bool" },
  { name: "tls-cert-file", type: "String", emptyNull: true },
  { name: "tls-key-file", type: "String", emptyNull: true },
  { name: "tls-key-file-pass", type: "String", emptyNull: true },
  { name: "tls-client-cert-file", type: "String", emptyNull: true },
  { name: "tls-client-key-file", type: "String", emptyNull: true },
  { name: "tls-client-key-file-pass", type: "String", emptyNull: true },
  { name: "tls-dh-params-file", type: "String", emptyNull: true },
  { name: "tls-ca-cert-file", type: "String", emptyNull: true },
  { name: "tls-ca-cert-dir", type: "String", emptyNull: true },
  { name: "tls-protocols", type: "String", emptyNull: true },
  { name: "tls-ciphers", type: "String", emptyNull: true },
  { name: "tls-ciphersuites", type: "String", emptyNull: true },
  { name: "dir", type: "Special" },
  { name: "save", type: "Special", multi: true },
  { name: "client-output-buffer-limit", type: "Special", multi: true },
  { name: "oom-score-adj-values", type: "Special", multi: true },
  { name: "notify-keyspace-events", type: "Special" },
  { name: "bind", type: "Special", multi: true },
  { name: "replicaof", alias: "slaveof", type: "Special", multi: true },
  { name: "latency-tracking-info-percentiles", type: "Special", multi: true },
];

const BY_NAME = new Map<string, StandardConfig>();
for (const c of STANDARD_CONFIGS) {
  BY_NAME.set(c.name, c);
  if (c.alias) BY_NAME.set(c.alias, c);
}

/** `lookupConfig()`: by lowercased name or alias. */
export function lookupConfig(lowerName: string): StandardConfig | undefined {
  return BY_NAME.get(lowerName);
}

/** Names `loadServerConfigFromString()` special-cases after the table (with their arg counts). */
export const SPECIAL_DIRECTIVES = ['include', 'rename-command', 'user', 'loadmodule', 'sentinel'] as const;

/** `deprecated_configs[]`: accepted and ignored with exactly this many words (name included). */
export const DEPRECATED_CONFIGS: readonly { name: string; argcMin: number; argcMax: number }[] = [
  { name: 'list-max-ziplist-entries', argcMin: 2, argcMax: 2 },
  { name: 'list-max-ziplist-value', argcMin: 2, argcMax: 2 },
  { name: 'lua-replicate-commands', argcMin: 2, argcMax: 2 },
];
