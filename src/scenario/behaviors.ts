import type { RedisNodeConfig, SentinelFileConfig } from '../config/types.js';
import { error } from '../net/resp.js';
import type { Behavior } from '../net/process.js';
import { redisBehavior } from '../redis/index.js';
import { sentinelBehavior } from '../sentinel/index.js';
import type { ModelOptions, ModelProcess } from './model.js';

/**
 * How the world builder turns a model process into a Behavior. The defaults are the real Redis
 * node and Sentinel models; tests pass small fakes.
 */
export interface BehaviorFactories {
  redis(cfg: RedisNodeConfig, proc: ModelProcess, options?: ModelOptions): Behavior<any>;
  sentinel(cfg: SentinelFileConfig, proc: ModelProcess): Behavior<any>;
}

/** A process that listens and refuses every command (for tests of the scenario layer). */
export function inertBehavior(kind: string, port: number): Behavior<{ n: number }> {
  return {
    kind,
    init: () => ({ n: 0 }),
    listenPorts: () => [port],
    onNet(d, ev, ctx) {
      if (ev.k === 'data') ctx.send(ev.conn, error(`ERR ${kind} is not simulated in this build`));
    },
    onTimer() {},
  };
}

export const defaultFactories: BehaviorFactories = {
  redis: (cfg, _proc, options) => redisBehavior(cfg, { crashReportMs: options?.crashReportMs, datasetBytes: options?.datasetBytes }),
  sentinel: (cfg) => sentinelBehavior(cfg),
};
