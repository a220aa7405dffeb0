import type { Ctx } from '../net/process.js';
import type { RedisNodeConfig } from '../config/types.js';
import type { RedisState } from './state.js';
import { unixSec } from './state.js';

/** Everything a handler needs: the draft state, the effect context and the immutable config. */
export interface Node {
  readonly d: RedisState;
  readonly ctx: Ctx;
  readonly cfg: RedisNodeConfig;
}

export const nowSec = (n: Node): number => unixSec(n.ctx.nowMs());

/** serverLog(LL_NOTICE/LL_WARNING, ...) */
export function notice(n: Node, text: string): void {
  n.ctx.log('notice', text);
}
export function warning(n: Node, text: string): void {
  n.ctx.log('warning', text);
}
