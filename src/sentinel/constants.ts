/**
 * sentinel.c's constants (the SENTINEL_* defines at its top). The "debug-tunable" ones are per-Sentinel state because
 * `SENTINEL DEBUG <name> <ms>` changes them at runtime, as Redis's own test suite does.
 */
export interface SentinelTunables {
  infoPeriodMs: number;
  pingPeriodMs: number;
  askPeriodMs: number;
  publishPeriodMs: number;
  defaultDownAfterMs: number;
  tiltTriggerMs: number;
  tiltPeriodMs: number;
  slaveReconfTimeoutMs: number;
  minLinkReconnectPeriodMs: number;
  electionTimeoutMs: number;
  scriptMaxRuntimeMs: number;
  scriptRetryDelayMs: number;
  defaultFailoverTimeoutMs: number;
}

export const DEFAULT_TUNABLES: SentinelTunables = {
  infoPeriodMs: 10000,
  pingPeriodMs: 1000,
  askPeriodMs: 1000,
  publishPeriodMs: 2000,
  defaultDownAfterMs: 30000,
  tiltTriggerMs: 2000,
  tiltPeriodMs: 30000,
  slaveReconfTimeoutMs: 10000,
  minLinkReconnectPeriodMs: 15000,
  electionTimeoutMs: 10000,
  scriptMaxRuntimeMs: 60000,
  scriptRetryDelayMs: 30000,
  defaultFailoverTimeoutMs: 180000,
};

/** `SENTINEL DEBUG` keys in the order Redis lists them (sentinel.c: sentinelSetDebugConfigParameters). */
export const DEBUG_KEYS: readonly (readonly [string, keyof SentinelTunables])[] = [
  ['info-period', 'infoPeriodMs'],
  ['ping-period', 'pingPeriodMs'],
  ['ask-period', 'askPeriodMs'],
  ['publish-period', 'publishPeriodMs'],
  ['default-down-after', 'defaultDownAfterMs'],
  ['tilt-trigger', 'tiltTriggerMs'],
  ['tilt-period', 'tiltPeriodMs'],
  ['slave-reconf-timeout', 'slaveReconfTimeoutMs'],
  ['min-link-reconnect-period', 'minLinkReconnectPeriodMs'],
  ['default-failover-timeout', 'defaultFailoverTimeoutMs'],
  ['election-timeout', 'electionTimeoutMs'],
  ['script-max-runtime', 'scriptMaxRuntimeMs'],
  ['script-retry-delay', 'scriptRetryDelayMs'],
];

export const SENTINEL_MAX_PENDING_COMMANDS = 100;
export const SENTINEL_MAX_DESYNC = 1000;
export const SENTINEL_HELLO_CHANNEL = '__sentinel__:hello';
export const SENTINEL_DEFAULT_SLAVE_PRIORITY = 100;
export const SENTINEL_DEFAULT_PARALLEL_SYNCS = 1;
export const CONFIG_DEFAULT_HZ = 10;
export const REDIS_SENTINEL_PORT = 26379;
export const REDIS_VERSION = '7.0.15';
