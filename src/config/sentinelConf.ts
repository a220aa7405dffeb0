/**
 * Reader for real `sentinel.conf` files, as `redis-server <file> --sentinel` loads them: the
 * generic loader first (loader.ts; `sentinel ...` lines are only queued there), then
 * `loadSentinelConfigFromQueue()`: the queued lines in three passes (pre-monitor globals, every
 * `monitor`, everything else), each through `sentinelHandleConfiguration()`. The first error is
 * reported with that line's own number, so it is the first failing line in pass order.
 */
import * as nodepath from 'node:path';
import { atoi, cstr, numericHost, strcaseeq, strtoull, yesnotoi } from './cparse.js';
import {
  ConfigFaultSignal,
  loadConfigFile,
  loadConfigText,
  nodeConfigHost,
  type ConfigHost,
  type LoadedConfig,
  type SentinelQueueEntry,
} from './loader.js';
import { guardLoad, readerHost, toRedisNodeConfig, type ReadOptions } from './redisConf.js';
import type { SentinelFileConfig, SentinelMasterConfig, SourcePos } from './types.js';

/** `preMonitorCfgName[]` in sentinel.c. */
export const PRE_MONITOR_DIRECTIVES = [
  'announce-ip',
  'announce-port',
  'deny-scripts-reconfig',
  'sentinel-user',
  'sentinel-pass',
  'current-epoch',
  'myid',
  'resolve-hostnames',
  'announce-hostnames',
] as const;

export interface SentinelReadOptions extends ReadOptions {
  /**
   * Name resolution for `resolve-hostnames yes` (`anetResolve` without ANET_IP_ONLY): the IP of a
   * host name, or null when it doesn't resolve. Only used to tell duplicate replicas apart; Sentinel
   * accepts unresolvable names when resolve-hostnames is on. Default: numeric addresses only.
   */
  readonly resolveHost?: (host: string) => string | null;
}

/** The pass a queued line belongs to (`queueSentinelConfig()`). */
export function sentinelPass(argv0: string): 0 | 1 | 2 {
  if (strcaseeq(argv0, 'monitor')) return 1;
  return PRE_MONITOR_DIRECTIVES.some((n) => strcaseeq(argv0, n)) ? 0 : 2;
}

interface MasterState {
  name: string;
  host: string;
  port: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  masterRebootDownAfterPeriodMs: number;
  authPass?: string;
  authUser?: string;
  notificationScript?: string;
  clientReconfigScript?: string;
  renamedCommands: Record<string, string>;
  configEpoch: bigint;
  leaderEpoch: bigint;
  replicas: Map<string, { host: string; port: number; pos: SourcePos }>;
  sentinels: Map<string, { host: string; port: number; runid: string; pos: SourcePos }>;
  pos: SourcePos;
}

interface SentinelGlobals {
  myid?: string;
  currentEpoch: bigint;
  announceIp?: string;
  announcePort: number;
  resolveHostnames: boolean;
  announceHostnames: boolean;
  denyScriptsReconfig: boolean;
  sentinelUser?: string;
  sentinelPass?: string;
}

/** The Sentinel state the queue builds; exported for lint, which inspects it further. */
export interface SentinelState {
  readonly globals: SentinelGlobals;
  readonly masters: Map<string, MasterState>;
}

class SentinelApplier {
  readonly g: SentinelGlobals = {
    currentEpoch: 0n,
    announcePort: 0,
    resolveHostnames: false,
    announceHostnames: false,
    denyScriptsReconfig: true,
  };
  readonly masters = new Map<string, MasterState>();

  constructor(
    private readonly host: ConfigHost | undefined,
    private readonly cwd: string,
    private readonly resolveHost: (h: string) => string | null,
  ) {}

  /** `createSentinelAddr()`: port range, then numeric-only resolution unless resolve-hostnames. */
  private addr(hostname: string, port: number): { ip: string } | 'EINVAL' | 'ENOENT' {
    if (port < 0 || port > 65535) return 'EINVAL';
    const numeric = numericHost(hostname);
    if (numeric !== null) return { ip: numeric };
    if (!this.g.resolveHostnames) return 'ENOENT';
    return { ip: this.resolveHost(cstr(hostname)) ?? '' };
  }

  private static createErr(e: 'EINVAL' | 'ENOENT' | 'EBUSY', role: 'master' | 'replica' | 'sentinel'): string {
    if (e === 'EINVAL') return 'Invalid port number.';
    if (e === 'ENOENT') return "Can't resolve instance hostname.";
    return role === 'master'
      ? 'Duplicate master name.'
      : role === 'replica'
        ? 'Duplicate hostname and port for replica.'
        : 'Duplicate runid for sentinel.';
  }

  /** `sentinelHandleConfiguration()`; returns the error text or null. */
  handle(argv: readonly string[], pos: SourcePos): string | null {
    const d = DIRECTIVES.find((x) => x.argc.includes(argv.length) && x.names.some((n) => strcaseeq(argv[0]!, n)));
    return d ? d.run(this, argv, pos) : 'Unrecognized sentinel configuration statement.';
  }

  /** `monitor <name> <host> <port> <quorum>`: `createSentinelRedisInstance(SRI_MASTER)`. */
  monitor(argv: readonly string[], pos: SourcePos): string | null {
    const quorum = atoi(argv[4]!);
    if (quorum <= 0) return 'Quorum must be 1 or greater.';
    const port = atoi(argv[3]!);
    const a = this.addr(argv[2]!, port);
    if (typeof a === 'string') return SentinelApplier.createErr(a, 'master');
    const name = cstr(argv[1]!);
    if (this.masters.has(name)) return SentinelApplier.createErr('EBUSY', 'master');
    this.masters.set(name, {
      name: cstr(name),
      host: cstr(argv[2]!),
      port,
      quorum,
      downAfterMs: 30000,
      failoverTimeoutMs: 180000,
      parallelSyncs: 1,
      masterRebootDownAfterPeriodMs: 0,
      renamedCommands: {},
      configEpoch: 0n,
      leaderEpoch: 0n,
      replicas: new Map(),
      sentinels: new Map(),
      pos,
    });
    return null;
  }

  /** `notification-script` / `client-reconfig-script`: refused unless executable (when paths are checked). */
  script(m: MasterState, kind: 'notification' | 'client-reconfig', argv: readonly string[]): string | null {
    const path = cstr(argv[2]!);
    if (this.host?.checkPaths && !this.host.isExecutable(nodepath.resolve(this.cwd, path))) {
      return kind === 'notification'
        ? 'Notification script seems non existing or non executable.'
        : 'Client reconfiguration script seems non existing or non executable.';
    }
    if (kind === 'notification') m.notificationScript = path;
    else m.clientReconfigScript = path;
    return null;
  }

  /** `known-replica <name> <host> <port>`: `createSentinelRedisInstance(SRI_SLAVE)`. */
  knownReplica(m: MasterState, argv: readonly string[], pos: SourcePos): string | null {
    const port = atoi(argv[3]!);
    const a = this.addr(argv[2]!, port);
    if (typeof a === 'string') return SentinelApplier.createErr(a, 'replica');
    // Replicas are keyed by `announceSentinelAddrAndPort()`: ip (or hostname) and port.
    const shown = this.g.announceHostnames ? cstr(argv[2]!) : a.ip;
    const key = shown.includes(':') ? `[${shown}]:${port}` : `${shown}:${port}`;
    if (m.replicas.has(key)) return SentinelApplier.createErr('EBUSY', 'replica');
    m.replicas.set(key, { host: cstr(argv[2]!), port, pos });
    return null;
  }

  /** `known-sentinel <name> <host> <port> [<runid>]`: `createSentinelRedisInstance(SRI_SENTINEL)`. */
  knownSentinel(argv: readonly string[], pos: SourcePos): string | null {
    if (argv.length === 4) return null; // the old form without run id is ignored
    const m = this.masters.get(cstr(argv[1]!));
    if (!m) return NO_MASTER;
    const port = atoi(argv[3]!);
    const a = this.addr(argv[2]!, port);
    if (typeof a === 'string') return SentinelApplier.createErr(a, 'sentinel');
    const runid = argv[4]!;
    if (m.sentinels.has(runid)) return SentinelApplier.createErr('EBUSY', 'sentinel');
    m.sentinels.set(runid, { host: cstr(argv[2]!), port, runid: cstr(runid), pos });
    return null;
  }
}

const NO_MASTER = 'No such master with specified name.';
const NOT_POSITIVE = 'negative or zero time parameter.';

type DirectiveRun = (ap: SentinelApplier, argv: readonly string[], pos: SourcePos) => string | null;

/** One branch of `sentinelHandleConfiguration()`: the names it matches and the argc it takes. */
interface Directive {
  readonly names: readonly string[];
  readonly argc: readonly number[];
  readonly run: DirectiveRun;
}

/** A directive about the master named in argv[1], which must already be monitored. */
function onMaster(fn: (ap: SentinelApplier, m: MasterState, argv: readonly string[], pos: SourcePos) => string | null): DirectiveRun {
  return (ap, argv, pos) => {
    const m = ap.masters.get(cstr(argv[1]!));
    return m ? fn(ap, m, argv, pos) : NO_MASTER;
  };
}

/** A global yes/no flag (`yesnotoi()`), with its own complaint when it is neither. */
function yesNoGlobal(key: 'denyScriptsReconfig' | 'resolveHostnames' | 'announceHostnames', err: string): DirectiveRun {
  return (ap, argv) => {
    const yn = yesnotoi(argv[1]!);
    if (yn === -1) return err;
    ap.g[key] = yn === 1;
    return null;
  };
}

/** A global string that an empty value leaves unset. */
function nonEmptyGlobal(key: 'announceIp' | 'sentinelUser' | 'sentinelPass'): DirectiveRun {
  return (ap, argv) => {
    if (cstr(argv[1]!).length) ap.g[key] = cstr(argv[1]!);
    return null;
  };
}

/** The per-master settings: timings, credentials, epochs, renamed commands. */
const MASTER_DIRECTIVES: readonly Directive[] = [
  { names: ['down-after-milliseconds'], argc: [3], run: onMaster((_, m, argv) => {
    m.downAfterMs = atoi(argv[2]!);
    return m.downAfterMs <= 0 ? NOT_POSITIVE : null;
  }) },
  { names: ['failover-timeout'], argc: [3], run: onMaster((_, m, argv) => {
    m.failoverTimeoutMs = atoi(argv[2]!);
    return m.failoverTimeoutMs <= 0 ? NOT_POSITIVE : null;
  }) },
  { names: ['parallel-syncs'], argc: [3], run: onMaster((_, m, argv) => {
    m.parallelSyncs = atoi(argv[2]!);
    return null;
  }) },
  { names: ['notification-script'], argc: [3], run: onMaster((ap, m, argv) => ap.script(m, 'notification', argv)) },
  { names: ['client-reconfig-script'], argc: [3], run: onMaster((ap, m, argv) => ap.script(m, 'client-reconfig', argv)) },
  { names: ['auth-pass'], argc: [3], run: onMaster((_, m, argv) => {
    m.authPass = cstr(argv[2]!);
    return null;
  }) },
  { names: ['auth-user'], argc: [3], run: onMaster((_, m, argv) => {
    m.authUser = cstr(argv[2]!);
    return null;
  }) },
  { names: ['config-epoch'], argc: [3], run: onMaster((ap, m, argv) => {
    m.configEpoch = strtoull(argv[2]!).value;
    if (m.configEpoch > ap.g.currentEpoch) ap.g.currentEpoch = m.configEpoch;
    return null;
  }) },
  { names: ['leader-epoch'], argc: [3], run: onMaster((_, m, argv) => {
    m.leaderEpoch = strtoull(argv[2]!).value;
    return null;
  }) },
  { names: ['known-slave', 'known-replica'], argc: [4], run: onMaster((ap, m, argv, pos) => ap.knownReplica(m, argv, pos)) },
  { names: ['known-sentinel'], argc: [4, 5], run: (ap, argv, pos) => ap.knownSentinel(argv, pos) },
  { names: ['rename-command'], argc: [4], run: onMaster((_, m, argv) => {
    // renamedCommandsDictType compares case-insensitively.
    const key = cstr(argv[2]!).toLowerCase();
    if (key in m.renamedCommands) return 'Same command renamed multiple times with rename-command.';
    m.renamedCommands[key] = cstr(argv[3]!);
    return null;
  }) },
  { names: ['master-reboot-down-after-period'], argc: [3], run: onMaster((_, m, argv) => {
    m.masterRebootDownAfterPeriodMs = atoi(argv[2]!);
    return m.masterRebootDownAfterPeriodMs < 0 ? 'negative time parameter.' : null;
  }) },
];

/** This Sentinel's own settings (mostly the pre-monitor pass). */
const GLOBAL_DIRECTIVES: readonly Directive[] = [
  { names: ['current-epoch'], argc: [2], run: (ap, argv) => {
    const e = strtoull(argv[1]!).value;
    if (e > ap.g.currentEpoch) ap.g.currentEpoch = e;
    return null;
  } },
  { names: ['myid'], argc: [2], run: (ap, argv) => {
    if (cstr(argv[1]!).length !== 40) return 'Malformed Sentinel id in myid option.';
    ap.g.myid = cstr(argv[1]!);
    return null;
  } },
  { names: ['announce-ip'], argc: [2], run: nonEmptyGlobal('announceIp') },
  { names: ['announce-port'], argc: [2], run: (ap, argv) => {
    ap.g.announcePort = atoi(argv[1]!);
    return null;
  } },
  { names: ['deny-scripts-reconfig'], argc: [2], run: yesNoGlobal('denyScriptsReconfig', 'Please specify yes or no for the deny-scripts-reconfig options.') },
  { names: ['sentinel-user'], argc: [2], run: nonEmptyGlobal('sentinelUser') },
  { names: ['sentinel-pass'], argc: [2], run: nonEmptyGlobal('sentinelPass') },
  { names: ['resolve-hostnames'], argc: [2], run: yesNoGlobal('resolveHostnames', 'Please specify yes or no for the resolve-hostnames option.') },
  { names: ['announce-hostnames'], argc: [2], run: yesNoGlobal('announceHostnames', 'Please specify yes or no for the announce-hostnames option.') },
];

/**
 * Every statement `sentinelHandleConfiguration()` knows. A name with the wrong argc matches no
 * entry and so is "Unrecognized", as in sentinel.c's if/else chain.
 */
const DIRECTIVES: readonly Directive[] = [
  { names: ['monitor'], argc: [5], run: (ap, argv, pos) => ap.monitor(argv, pos) },
  ...MASTER_DIRECTIVES,
  ...GLOBAL_DIRECTIVES,
];

/** `loadSentinelConfigFromQueue()`: three passes; throws ConfigFaultSignal on the first error. */
export function applySentinelQueue(
  queue: readonly SentinelQueueEntry[],
  opts: { host?: ConfigHost; cwd: string; resolveHost?: (h: string) => string | null },
): SentinelState {
  const ap = new SentinelApplier(opts.host, opts.cwd, opts.resolveHost ?? (() => null));
  for (const pass of [0, 1, 2] as const) {
    for (const e of queue) {
      if (sentinelPass(e.argv[0]!) !== pass) continue;
      const err = ap.handle(e.argv, e.pos);
      if (err !== null) {
        throw new ConfigFaultSignal({ file: e.pos.file, line: e.pos.line, lineText: e.text, reason: err, style: 'fatal' });
      }
    }
  }
  return { globals: ap.g, masters: ap.masters };
}

function toSentinelFileConfig(file: string, l: LoadedConfig, st: SentinelState): SentinelFileConfig {
  // initSentinelConfig(): Sentinel mode defaults to port 26379 and protected-mode no.
  const node = toRedisNodeConfig(file, l, 26379, false);
  const g = st.globals;
  const masters: SentinelMasterConfig[] = [...st.masters.values()]
    .sort((a, b) => a.pos.line - b.pos.line || (a.pos.file < b.pos.file ? -1 : 1))
    .map((m) => ({
      name: m.name,
      host: m.host,
      port: m.port,
      quorum: m.quorum,
      downAfterMs: m.downAfterMs,
      failoverTimeoutMs: m.failoverTimeoutMs,
      parallelSyncs: m.parallelSyncs,
      masterRebootDownAfterPeriodMs: m.masterRebootDownAfterPeriodMs,
      ...(m.authPass !== undefined ? { authPass: m.authPass } : {}),
      ...(m.authUser !== undefined ? { authUser: m.authUser } : {}),
      ...(m.notificationScript !== undefined ? { notificationScript: m.notificationScript } : {}),
      ...(m.clientReconfigScript !== undefined ? { clientReconfigScript: m.clientReconfigScript } : {}),
      renamedCommands: { ...m.renamedCommands },
      configEpoch: Number(m.configEpoch),
      leaderEpoch: Number(m.leaderEpoch),
      knownReplicas: [...m.replicas.values()],
      knownSentinels: [...m.sentinels.values()],
      pos: m.pos,
    }));
  return {
    file,
    port: node.port,
    bind: node.bind,
    ...(node.requirepass !== undefined ? { requirepass: node.requirepass } : {}),
    ...(g.myid !== undefined ? { myid: g.myid } : {}),
    currentEpoch: Number(g.currentEpoch),
    ...(g.announceIp !== undefined ? { announceIp: g.announceIp } : {}),
    announcePort: g.announcePort,
    resolveHostnames: g.resolveHostnames,
    announceHostnames: g.announceHostnames,
    denyScriptsReconfig: g.denyScriptsReconfig,
    ...(g.sentinelUser !== undefined ? { sentinelUser: g.sentinelUser } : {}),
    ...(g.sentinelPass !== undefined ? { sentinelPass: g.sentinelPass } : {}),
    masters,
    directives: l.directives,
  };
}

/**
 * Parse the text of a sentinel.conf as `redis-server <file> --sentinel` would.
 * @throws InputError naming file:line and Redis's reason.
 */
export function parseSentinelConf(text: string, file: string, opts: SentinelReadOptions = {}): SentinelFileConfig {
  return guardLoad(() => {
    const l = loadConfigText(text, file, { sentinelMode: true, host: opts.host, cwd: opts.cwd });
    const st = applySentinelQueue(l.sentinelQueue, { host: opts.host, cwd: l.cwd, resolveHost: opts.resolveHost });
    return toSentinelFileConfig(file, l, st);
  });
}

/** Read a sentinel.conf from disk, following `include`. */
export function readSentinelConf(path: string, opts: SentinelReadOptions = {}): SentinelFileConfig {
  return guardLoad(() => {
    const host = readerHost(opts);
    const l = loadConfigFile(path, { sentinelMode: true, host, cwd: opts.cwd });
    const st = applySentinelQueue(l.sentinelQueue, { host, cwd: l.cwd, resolveHost: opts.resolveHost });
    return toSentinelFileConfig(path, l, st);
  }, opts.root);
}
