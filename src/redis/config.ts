import type { RedisNodeConfig } from '../config/types.js';
import type { ConfigDirective } from '../config/types.js';
import type { ObufLimits, RuntimeConf } from './state.js';
import { DEFAULT_CRASH_REPORT_MS, type CrashReportRange } from './crash.js';

/**
 * The replication-relevant parameters CONFIG GET/SET know about (config.c standardConfig table),
 * with their aliases, and how the node's runtime values start from the config file.
 */

interface Param {
  readonly name: string;
  readonly alias?: string;
  get(c: RuntimeConf): string;
  /** Returns an error text (after "CONFIG SET failed (possibly related to argument '<name>') - ") or undefined. */
  set(c: RuntimeConf, v: string): string | undefined;
}

const yesno = (b: boolean): string => (b ? 'yes' : 'no');

function parseBool(v: string): boolean | undefined {
  const l = v.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : undefined;
}

/** config.c: memtoull() — 64mb, 1gb, 16k ... */
export function parseMemory(v: string): number | undefined {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(v.trim());
  if (!m) return undefined;
  const mult: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1_000_000, mb: 1024 * 1024, g: 1_000_000_000, gb: 1024 * 1024 * 1024 };
  return Number(m[1]) * (m[2] ? mult[m[2].toLowerCase()]! : 1);
}

function boolParam(name: string, key: keyof RuntimeConf, alias?: string): Param {
  return {
    name,
    alias,
    get: (c) => yesno(c[key] as boolean),
    set: (c, v) => {
      const b = parseBool(v);
      if (b === undefined) return "argument must be 'yes' or 'no'";
      (c as unknown as Record<string, unknown>)[key] = b;
      return undefined;
    },
  };
}

function intParam(name: string, key: keyof RuntimeConf, min: number, max: number, alias?: string): Param {
  return {
    name,
    alias,
    get: (c) => String(c[key]),
    set: (c, v) => {
      const x = Number(v);
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(x)) return 'argument couldn\'t be parsed into an integer';
      if (x < min || x > max) return `argument must be between ${min} and ${max} inclusive`;
      (c as unknown as Record<string, unknown>)[key] = x;
      return undefined;
    },
  };
}

function strParam(name: string, key: keyof RuntimeConf, alias?: string): Param {
  return {
    name,
    alias,
    get: (c) => (c[key] as string | null) ?? '',
    set: (c, v) => {
      (c as unknown as Record<string, unknown>)[key] = v === '' ? null : v;
      return undefined;
    },
  };
}

const INT_MAX = 2147483647;

export const PARAMS: readonly Param[] = [
  intParam('port', 'port', 0, 65535),
  strParam('requirepass', 'requirepass'),
  strParam('masterauth', 'masterauth'),
  strParam('masteruser', 'masteruser'),
  intParam('replica-priority', 'replicaPriority', 0, INT_MAX, 'slave-priority'),
  boolParam('replica-announced', 'replicaAnnounced'),
  strParam('replica-announce-ip', 'replicaAnnounceIp', 'slave-announce-ip'),
  intParam('replica-announce-port', 'replicaAnnouncePort', 0, 65535, 'slave-announce-port'),
  boolParam('replica-serve-stale-data', 'replicaServeStaleData', 'slave-serve-stale-data'),
  boolParam('replica-read-only', 'replicaReadOnly', 'slave-read-only'),
  intParam('min-replicas-to-write', 'minReplicasToWrite', 0, INT_MAX, 'min-slaves-to-write'),
  intParam('min-replicas-max-lag', 'minReplicasMaxLagSec', 0, INT_MAX, 'min-slaves-max-lag'),
  {
    name: 'repl-backlog-size',
    get: (c) => String(c.replBacklogSizeBytes),
    set: (c, v) => {
      const x = parseMemory(v);
      if (x === undefined || x < 1) return 'argument must be a memory value';
      c.replBacklogSizeBytes = x;
      return undefined;
    },
  },
  intParam('repl-backlog-ttl', 'replBacklogTtlSec', 0, INT_MAX),
  intParam('repl-timeout', 'replTimeoutSec', 1, INT_MAX),
  intParam('shutdown-timeout', 'shutdownTimeoutSec', 0, INT_MAX),
  intParam('repl-ping-replica-period', 'replPingReplicaPeriodSec', 1, INT_MAX, 'repl-ping-slave-period'),
  boolParam('repl-diskless-sync', 'replDisklessSync'),
  intParam('repl-diskless-sync-delay', 'replDisklessSyncDelaySec', 0, INT_MAX),
  intParam('repl-diskless-sync-max-replicas', 'replDisklessSyncMaxReplicas', 0, INT_MAX),
  boolParam('appendonly', 'appendonly'),
  {
    name: 'save',
    get: (c) => c.savePoints.map((p) => `${p.seconds} ${p.changes}`).join(' '),
    set: (c, v) => {
      const parts = v.trim() === '' ? [] : v.trim().split(/\s+/);
      if (parts.length % 2 !== 0 || parts.some((p) => !/^\d+$/.test(p))) return 'Invalid save parameters';
      const pts: { seconds: number; changes: number }[] = [];
      for (let i = 0; i < parts.length; i += 2) pts.push({ seconds: Number(parts[i]), changes: Number(parts[i + 1]) });
      c.savePoints = pts;
      return undefined;
    },
  },
];

export function findParam(name: string): Param | undefined {
  const l = name.toLowerCase();
  return PARAMS.find((p) => p.name === l || p.alias === l);
}

/** The node's runtime parameters from its config file (defaults already applied by the reader). */
/** config.c: the 7.0 defaults of client-output-buffer-limit (hard, soft, soft seconds per class). */
export const DEFAULT_OBUF_LIMITS: ObufLimits = {
  normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
  replica: { hardBytes: 256 * 1024 * 1024, softBytes: 64 * 1024 * 1024, softSeconds: 60 },
  pubsub: { hardBytes: 32 * 1024 * 1024, softBytes: 8 * 1024 * 1024, softSeconds: 60 },
};

/** `client-output-buffer-limit <class> <hard> <soft> <seconds>` lines of redis.conf, the last one per class winning. */
export function obufLimitsFrom(directives: readonly ConfigDirective[]): ObufLimits {
  const out = { ...DEFAULT_OBUF_LIMITS };
  for (const d of directives) {
    if (d.name !== 'client-output-buffer-limit') continue;
    for (let j = 0; j + 3 < d.args.length; j += 4) {
      const cls = d.args[j]!.toLowerCase();
      const key = cls === 'slave' || cls === 'replica' ? 'replica' : cls === 'normal' || cls === 'pubsub' ? cls : undefined;
      const hardBytes = parseMemory(d.args[j + 1]!);
      const softBytes = parseMemory(d.args[j + 2]!);
      const softSeconds = Number(d.args[j + 3]);
      // The config reader (src/config) reports malformed lines; they change nothing here.
      if (!key || hardBytes === undefined || softBytes === undefined || !Number.isInteger(softSeconds)) continue;
      out[key] = { hardBytes, softBytes, softSeconds };
    }
  }
  return out;
}

export function runtimeConf(cfg: RedisNodeConfig, crashReportMs: CrashReportRange = DEFAULT_CRASH_REPORT_MS, datasetBytes = 0): RuntimeConf {
  const dbg = cfg.directives.find((d) => d.name === 'enable-debug-command');
  const dbgVal = dbg?.args[0]?.toLowerCase();
  return {
    port: cfg.port,
    requirepass: cfg.requirepass ?? null,
    masterauth: cfg.masterauth ?? null,
    masteruser: cfg.masteruser ?? null,
    replicaPriority: cfg.replicaPriority,
    replicaAnnounced: cfg.replicaAnnounced,
    replicaAnnounceIp: cfg.replicaAnnounceIp ?? null,
    replicaAnnouncePort: cfg.replicaAnnouncePort,
    replicaServeStaleData: cfg.replicaServeStaleData,
    replicaReadOnly: cfg.replicaReadOnly,
    minReplicasToWrite: cfg.minReplicasToWrite,
    minReplicasMaxLagSec: cfg.minReplicasMaxLagSec,
    replBacklogSizeBytes: cfg.replBacklogSizeBytes,
    replBacklogTtlSec: cfg.replBacklogTtlSec,
    replTimeoutSec: cfg.replTimeoutSec,
    shutdownTimeoutSec: cfg.shutdownTimeoutSec,
    replPingReplicaPeriodSec: cfg.replPingReplicaPeriodSec,
    replDisklessSync: cfg.replDisklessSync,
    replDisklessSyncDelaySec: cfg.replDisklessSyncDelaySec,
    replDisklessSyncMaxReplicas: cfg.replDisklessSyncMaxReplicas,
    savePoints: cfg.savePoints.map((p) => ({ seconds: p.seconds, changes: p.changes })),
    appendonly: cfg.appendonly,
    enableDebugCommand: dbgVal === 'yes' || dbgVal === 'local' ? dbgVal : 'no',
    obufLimits: obufLimitsFrom(cfg.directives),
    crashReportMs: { minMs: crashReportMs.minMs, maxMs: crashReportMs.maxMs },
    datasetBytes,
  };
}
