import type { SentinelFileConfig, SentinelMasterConfig } from '../config/types.js';
import { currentMasterAddr, promotedOf } from './instances.js';
import type { SentinelState } from './state.js';

/**
 * sentinelFlushConfig() / rewriteConfigSentinelOption(): what a Sentinel writes back
 * into its sentinel.conf, as the typed config it is read back from on restart, and as text.
 */
export function toFileConfig(s: SentinelState): SentinelFileConfig {
  const pos = { file: s.configFile, line: 0 };
  const masters: SentinelMasterConfig[] = s.masters.map((m) => {
    const addr = currentMasterAddr(m);
    const promoted = promotedOf(m);
    const inReconf = addr !== m.addr;
    const knownReplicas = m.slaves.map((sl) => {
      // The promoted replica is written as the old master's address once we advertise it as master.
      const a = inReconf && promoted && sl === promoted ? m.addr : sl.addr;
      return { host: s.announceHostnames ? a.hostname : a.ip, port: a.port, pos };
    });
    const knownSentinels = m.sentinels
      .filter((x) => x.runid !== null)
      .map((x) => ({ host: s.announceHostnames ? x.addr.hostname : x.addr.ip, port: x.addr.port, runid: x.runid!, pos }));
    return {
      name: m.name,
      // announceSentinelAddr(): the IP unless announce-hostnames, even when the file named a host.
      host: s.announceHostnames ? addr.hostname : addr.ip,
      port: addr.port,
      quorum: m.quorum,
      downAfterMs: m.downAfterPeriod,
      failoverTimeoutMs: m.failoverTimeout,
      parallelSyncs: m.parallelSyncs,
      masterRebootDownAfterPeriodMs: m.masterRebootDownAfterPeriod,
      ...(m.authPass !== null ? { authPass: m.authPass } : {}),
      ...(m.authUser !== null ? { authUser: m.authUser } : {}),
      ...(m.notificationScript !== null ? { notificationScript: m.notificationScript } : {}),
      ...(m.clientReconfigScript !== null ? { clientReconfigScript: m.clientReconfigScript } : {}),
      renamedCommands: { ...m.renamedCommands },
      configEpoch: m.configEpoch,
      leaderEpoch: m.leaderEpoch,
      knownReplicas,
      knownSentinels,
      pos,
    };
  });
  return {
    file: s.configFile,
    port: s.port,
    bind: [],
    ...(s.requirepass !== null ? { requirepass: s.requirepass } : {}),
    myid: s.myid,
    currentEpoch: s.currentEpoch,
    ...(s.announceIp !== null ? { announceIp: s.announceIp } : {}),
    announcePort: s.announcePort,
    resolveHostnames: s.resolveHostnames,
    announceHostnames: s.announceHostnames,
    denyScriptsReconfig: s.denyScriptsReconfig,
    ...(s.sentinelUser !== null ? { sentinelUser: s.sentinelUser } : {}),
    ...(s.sentinelPass !== null ? { sentinelPass: s.sentinelPass } : {}),
    masters,
    directives: [],
  };
}

/** The rewritten sentinel.conf text, in the order rewriteConfigSentinelOption() writes it. */
export function renderConfig(c: SentinelFileConfig, defaults = { downAfterMs: 30000, failoverTimeoutMs: 180000 }): string {
  const lines: string[] = [`port ${c.port}`];
  if (c.requirepass !== undefined) lines.push(`requirepass ${quote(c.requirepass)}`);
  lines.push(`sentinel myid ${c.myid}`);
  if (c.resolveHostnames) lines.push('sentinel resolve-hostnames yes');
  if (c.announceHostnames) lines.push('sentinel announce-hostnames yes');
  if (!c.denyScriptsReconfig) lines.push('sentinel deny-scripts-reconfig no');
  for (const m of c.masters) {
    lines.push(`sentinel monitor ${m.name} ${m.host} ${m.port} ${m.quorum}`);
    if (m.downAfterMs !== defaults.downAfterMs) lines.push(`sentinel down-after-milliseconds ${m.name} ${m.downAfterMs}`);
    if (m.failoverTimeoutMs !== defaults.failoverTimeoutMs) lines.push(`sentinel failover-timeout ${m.name} ${m.failoverTimeoutMs}`);
    if (m.parallelSyncs !== 1) lines.push(`sentinel parallel-syncs ${m.name} ${m.parallelSyncs}`);
    if (m.notificationScript) lines.push(`sentinel notification-script ${m.name} ${m.notificationScript}`);
    if (m.clientReconfigScript) lines.push(`sentinel client-reconfig-script ${m.name} ${m.clientReconfigScript}`);
    if (m.authPass !== undefined) lines.push(`sentinel auth-pass ${m.name} ${quote(m.authPass)}`);
    if (m.authUser !== undefined) lines.push(`sentinel auth-user ${m.name} ${quote(m.authUser)}`);
    if (m.masterRebootDownAfterPeriodMs !== 0) lines.push(`sentinel master-reboot-down-after-period ${m.name} ${m.masterRebootDownAfterPeriodMs}`);
    lines.push(`sentinel config-epoch ${m.name} ${m.configEpoch}`);
    lines.push(`sentinel leader-epoch ${m.name} ${m.leaderEpoch}`);
    for (const [from, to] of Object.entries(m.renamedCommands)) lines.push(`sentinel rename-command ${m.name} ${from} ${to}`);
    for (const r of m.knownReplicas) lines.push(`sentinel known-replica ${m.name} ${r.host} ${r.port}`);
    for (const x of m.knownSentinels) lines.push(`sentinel known-sentinel ${m.name} ${x.host} ${x.port} ${x.runid}`);
  }
  lines.push(`sentinel current-epoch ${c.currentEpoch}`);
  if (c.announceIp !== undefined) lines.push(`sentinel announce-ip ${c.announceIp}`);
  if (c.announcePort) lines.push(`sentinel announce-port ${c.announcePort}`);
  if (c.sentinelUser !== undefined) lines.push(`sentinel sentinel-user ${c.sentinelUser}`);
  if (c.sentinelPass !== undefined) lines.push(`sentinel sentinel-pass ${c.sentinelPass}`);
  return lines.join('\n') + '\n';
}

function quote(v: string): string {
  return /^[\x21-\x7e]+$/.test(v) && !/["'\\]/.test(v) ? v : JSON.stringify(v);
}

