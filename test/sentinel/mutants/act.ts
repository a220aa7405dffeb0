import { produce } from 'immer';
import { Out } from '../../../src/sentinel/out.js';
import type { Instance, SentinelState } from '../../../src/sentinel/state.js';
import type { SentinelHarness } from '../fakeCtx.js';

/**
 * Run `fn` on a draft of the harness's state (its first master) with a fresh Out, then flush the
 * Out; returns fn's result as plain data, so it outlives the draft.
 */
export function act<T>(h: SentinelHarness, fn: (s: SentinelState, m: Instance, out: Out, now: number) => T): T {
  let r: T | undefined;
  h.state = produce(h.state, (d) => {
    const out = new Out(h.ctx);
    const res = fn(d as SentinelState, (d as SentinelState).masters[0]!, out, h.ctx.nowMs());
    r = res === undefined || res === null ? res : (JSON.parse(JSON.stringify(res)) as T);
    out.flush();
  });
  return r as T;
}
