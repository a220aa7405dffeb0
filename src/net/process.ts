import type * as sim from '../sim/process.js';
import type { Resp } from './resp.js';

/**
 * The process contract of sim/process.ts with its opaque message type fixed to RESP values: what
 * the Redis nodes, Sentinels and clients of this simulator exchange. The loop never looks inside.
 */
export type Ctx = sim.Ctx<Resp>;
export type NetEvent = sim.NetEvent<Resp>;
export type Effect = sim.Effect<Resp>;
export type Behavior<S> = sim.Behavior<S, Resp>;
export type { CloseReason, ConnId, Endpoint, LogLevel } from '../sim/process.js';
