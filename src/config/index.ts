/** Public entry points of the config readers. */
export { parseRedisConf, readRedisConf, DEFAULT_SAVE_POINTS, type ReadOptions } from './redisConf.js';
export {
  parseSentinelConf,
  readSentinelConf,
  PRE_MONITOR_DIRECTIVES,
  sentinelPass,
  type SentinelReadOptions,
} from './sentinelConf.js';
export { splitArgs, atoi, memtoull, yesnotoi } from './cparse.js';
export { nodeConfigHost, type ConfigFault, type ConfigHost } from './loader.js';
export { faultMessage, redisReport, faultHeadline, REDIS_VERSION } from './report.js';
export { InputError } from './errors.js';
export type * from './types.js';
