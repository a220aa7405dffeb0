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
    const a0 = argv[0]!;
    const argc = argv.length;
    const is = (n: string) => strcaseeq(a0, n);
    const master = (): MasterState | undefined => this.masters.get(cstr(argv[1]!));
    const noMaster = 'No such master with specified name.';

    if (is('monitor') && argc === 5) {
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
    if (is('down-after-milliseconds') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.downAfterMs = atoi(argv[2]!);
      return m.downAfterMs <= 0 ? 'negative or zero time parameter.' : null;
    }
    if (is('failover-timeout') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.failoverTimeoutMs = atoi(argv[2]!);
      return m.failoverTimeoutMs <= 0 ? 'negative or zero time parameter.' : null;
    }
    if (is('parallel-syncs') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.parallelSyncs = atoi(argv[2]!);
      return null;
    }
    if ((is('notification-script') || is('client-reconfig-script')) && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      const path = cstr(argv[2]!);
      if (this.host?.checkPaths && !this.host.isExecutable(nodepath.resolve(this.cwd, path))) {
        return is('notification-script')
          ? 'Notification script seems non existing or non executable.'
          : 'Client reconfiguration script seems non existing or non executable.';
      }
      if (is('notification-script')) m.notificationScript = path;
      else m.clientReconfigScript = path;
      return null;
    }
    if (is('auth-pass') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.authPass = cstr(argv[2]!);
      return null;
    }
    if (is('auth-user') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.authUser = cstr(argv[2]!);
      return null;
    }
    if (is('current-epoch') && argc === 2) {
      const e = strtoull(argv[1]!).value;
      if (e > this.g.currentEpoch) this.g.currentEpoch = e;
      return null;
    }
    if (is('myid') && argc === 2) {
      if (cstr(argv[1]!).length !== 40) return 'Malformed Sentinel id in myid option.';
      this.g.myid = cstr(argv[1]!);
      return null;
    }
    if (is('config-epoch') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.configEpoch = strtoull(argv[2]!).value;
      if (m.configEpoch > this.g.currentEpoch) this.g.currentEpoch = m.configEpoch;
      return null;
    }
    if (is('leader-epoch') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.leaderEpoch = strtoull(argv[2]!).value;
      return null;
    }
    if ((is('known-slave') || is('known-replica')) && argc === 4) {
      const m = master();
      if (!m) return noMaster;
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
    if (is('known-sentinel') && (argc === 4 || argc === 5)) {
      if (argc === 4) return null; // the old form without run id is ignored
      const m = master();
      if (!m) return noMaster;
      const port = atoi(argv[3]!);
      const a = this.addr(argv[2]!, port);
      if (typeof a === 'string') return SentinelApplier.createErr(a, 'sentinel');
      const runid = argv[4]!;
      if (m.sentinels.has(runid)) return SentinelApplier.createErr('EBUSY', 'sentinel');
      m.sentinels.set(runid, { host: cstr(argv[2]!), port, runid: cstr(runid), pos });
      return null;
    }
    if (is('rename-command') && argc === 4) {
      const m = master();
      if (!m) return noMaster;
      // renamedCommandsDictType compares case-insensitively.
      const key = cstr(argv[2]!).toLowerCase();
      if (key in m.renamedCommands) return 'Same command renamed multiple times with rename-command.';
      m.renamedCommands[key] = cstr(argv[3]!);
      return null;
    }
    if (is('announce-ip') && argc === 2) {
      if (cstr(argv[1]!).length) this.g.announceIp = cstr(argv[1]!);
      return null;
    }
    if (is('announce-port') && argc === 2) {
      this.g.announcePort = atoi(argv[1]!);
      return null;
    }
    if (is('deny-scripts-reconfig') && argc === 2) {
      const yn = yesnotoi(argv[1]!);
      if (yn === -1) return 'Please specify yes or no for the deny-scripts-reconfig options.';
      this.g.denyScriptsReconfig = yn === 1;
      return null;
    }
    if (is('sentinel-user') && argc === 2) {
      if (cstr(argv[1]!).length) this.g.sentinelUser = cstr(argv[1]!);
      return null;
    }
    if (is('sentinel-pass') && argc === 2) {
      if (cstr(argv[1]!).length) this.g.sentinelPass = cstr(argv[1]!);
      return null;
    }
    if (is('resolve-hostnames') && argc === 2) {
      const yn = yesnotoi(argv[1]!);
      if (yn === -1) return 'Please specify yes or no for the resolve-hostnames option.';
      this.g.resolveHostnames = yn === 1;
      return null;
    }
    if (is('announce-hostnames') && argc === 2) {
      const yn = yesnotoi(argv[1]!);
      if (yn === -1) return 'Please specify yes or no for the announce-hostnames option.';
      this.g.announceHostnames = yn === 1;
      return null;
    }
    if (is('master-reboot-down-after-period') && argc === 3) {
      const m = master();
      if (!m) return noMaster;
      m.masterRebootDownAfterPeriodMs = atoi(argv[2]!);
      return m.masterRebootDownAfterPeriodMs < 0 ? 'negative time parameter.' : null;
    }
    return 'Unrecognized sentinel configuration statement.';
  }
}

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
