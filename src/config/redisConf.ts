/**
 * Reader for real `redis.conf` files: Redis 7.0.15's loader (loader.ts) run as `redis-server file`
 * would, then the values the simulator models, with the built-in defaults of `initServerConfig()`
 * and the config table for whatever the file leaves out.
 */
import { InputError } from './errors.js';
import {
  ConfigFaultSignal,
  loadConfigFile,
  loadConfigText,
  isInsideFolder,
  nodeConfigHost,
  type ConfigHost,
  type ConfigValue,
  type LoadedConfig,
} from './loader.js';
import { faultToInputError } from './report.js';
import type { RedisNodeConfig } from './types.js';

export interface ReadOptions {
  /** Working directory Redis would start in (relative `include`/`dir`); default process.cwd(). */
  readonly cwd?: string;
  /** File-system access; readers default to reading includes without checking dir/logfile. */
  readonly host?: ConfigHost;
  /**
   * The model's folder: files outside it are not read (unless `allowOutside`), and an error in a
   * file outside it never echoes that file's line (`>>> '...'`).
   */
  readonly root?: string;
  readonly allowOutside?: boolean;
}

/** The default host for a reader: confined to the model's folder unless allowed outside. */
export function readerHost(opts: ReadOptions): ConfigHost {
  return opts.host ?? nodeConfigHost(false, opts.root !== undefined && !opts.allowOutside ? opts.root : undefined);
}

/** `save` when no `save` line is read: `initServerConfig()`'s 3600 1 300 100 60 10000. */
export const DEFAULT_SAVE_POINTS = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
] as const;

/** Runs a loader step, turning Redis's "exit(1)" into the project's InputError. */
export function guardLoad<T>(fn: () => T, root?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigFaultSignal) {
      const f = e.fault;
      throw faultToInputError(root !== undefined && f.lineText !== undefined && !isInsideFolder(root, f.file) ? { ...f, lineText: '(not shown: the file is outside the model\'s folder)' } : f);
    }
    if (e instanceof InputError) throw e;
    // Anything else is a bug in the reader; still never let a raw exception escape a reader.
    throw new InputError(`internal error while reading configuration: ${(e as Error)?.message ?? String(e)}`);
  }
}

function num(values: Map<string, ConfigValue>, name: string, dflt: number): number {
  const v = values.get(name);
  return typeof v === 'bigint' ? Number(v) : dflt;
}

function bool(values: Map<string, ConfigValue>, name: string, dflt: boolean): boolean {
  const v = values.get(name);
  return typeof v === 'boolean' ? v : dflt;
}

function str(values: Map<string, ConfigValue>, name: string): string | undefined {
  const v = values.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Map a loaded configuration to the model's view (shared with Sentinel mode for port/bind). */
export function toRedisNodeConfig(file: string, l: LoadedConfig, defaultPort = 6379, defaultProtected = true): RedisNodeConfig {
  const v = l.values;
  return {
    file,
    port: num(v, 'port', defaultPort),
    bind: l.bind ?? [],
    ...(l.replicaof ? { replicaof: l.replicaof } : {}),
    ...(str(v, 'masterauth') !== undefined ? { masterauth: str(v, 'masterauth') } : {}),
    ...(str(v, 'masteruser') !== undefined ? { masteruser: str(v, 'masteruser') } : {}),
    ...(str(v, 'requirepass') !== undefined ? { requirepass: str(v, 'requirepass') } : {}),
    replicaPriority: num(v, 'replica-priority', 100),
    replicaAnnounced: bool(v, 'replica-announced', true),
    ...(str(v, 'replica-announce-ip') !== undefined ? { replicaAnnounceIp: str(v, 'replica-announce-ip') } : {}),
    replicaAnnouncePort: num(v, 'replica-announce-port', 0),
    replicaServeStaleData: bool(v, 'replica-serve-stale-data', true),
    replicaReadOnly: bool(v, 'replica-read-only', true),
    minReplicasToWrite: num(v, 'min-replicas-to-write', 0),
    minReplicasMaxLagSec: num(v, 'min-replicas-max-lag', 10),
    replBacklogSizeBytes: num(v, 'repl-backlog-size', 1024 * 1024),
    replBacklogTtlSec: num(v, 'repl-backlog-ttl', 3600),
    replTimeoutSec: num(v, 'repl-timeout', 60),
    replPingReplicaPeriodSec: num(v, 'repl-ping-replica-period', 10),
    replDisklessSync: bool(v, 'repl-diskless-sync', true),
    replDisklessSyncDelaySec: num(v, 'repl-diskless-sync-delay', 5),
    replDisklessSyncMaxReplicas: num(v, 'repl-diskless-sync-max-replicas', 0),
    savePoints: l.savePoints ?? DEFAULT_SAVE_POINTS.map((p) => ({ ...p })),
    appendonly: bool(v, 'appendonly', false),
    protectedMode: bool(v, 'protected-mode', defaultProtected),
    shutdownTimeoutSec: num(v, 'shutdown-timeout', 10),
    renamedCommands: { ...l.renamedCommands },
    directives: l.directives,
  };
}

/**
 * Parse the text of a redis.conf as `redis-server <file>` would. Without `opts.host` no file is
 * touched: `include` is refused and `dir`/`logfile` are not checked.
 * @throws InputError naming file:line and Redis's reason.
 */
export function parseRedisConf(text: string, file: string, opts: ReadOptions = {}): RedisNodeConfig {
  return guardLoad(() => toRedisNodeConfig(file, loadConfigText(text, file, { sentinelMode: false, ...opts })));
}

/** Read a redis.conf from disk, following `include` (relative to `opts.cwd`, as Redis does). */
export function readRedisConf(path: string, opts: ReadOptions = {}): RedisNodeConfig {
  return guardLoad(() => toRedisNodeConfig(path, loadConfigFile(path, { sentinelMode: false, host: readerHost(opts), cwd: opts.cwd })), opts.root);
}
