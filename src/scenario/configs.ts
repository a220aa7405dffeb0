import { dirname, resolve } from 'node:path';
import { readRedisConf, readSentinelConf } from '../config/index.js';
import type { RedisNodeConfig, SentinelFileConfig } from '../config/types.js';

/**
 * The one place the scenario layer reads configuration files: the real readers in src/config/,
 * run from the file's own folder (as `redis-server file` would be, for relative `include`s).
 * `resolveHost` is the model's resolver (host names and aliases).
 */
export interface ConfAccess {
  /** The model's folder: nothing outside it is read unless `allowOutside`. */
  readonly root?: string;
  readonly allowOutside?: boolean;
}

export function loadRedisConf(path: string, access: ConfAccess = {}): RedisNodeConfig {
  return readRedisConf(resolve(path), { cwd: dirname(resolve(path)), ...access });
}

export function loadSentinelConf(path: string, resolveHost?: (host: string) => string | null, access: ConfAccess = {}): SentinelFileConfig {
  return readSentinelConf(resolve(path), { cwd: dirname(resolve(path)), resolveHost, ...access });
}
