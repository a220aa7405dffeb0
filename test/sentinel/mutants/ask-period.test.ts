/**
 * sentinelHandleRedisInstance() asks the other Sentinels about an SDOWN master once per ask period
 * (1 s, sentinelAskMasterStateToOtherSentinels(..., SENTINEL_NO_FLAGS)), not on every tick; only
 * the tick that starts a failover forces the question. A StrykerJS survivor of
 * src/sentinel/timer.ts (the unforced call made forced).
 */
import { describe, expect, it } from 'vitest';
import { crash } from '../../../src/faults/index.js';
import type { SentinelState } from '../../../src/sentinel/state.js';
import { deploy, threeByThree } from '../harness.js';

const S = 1e6;

describe('is-master-down-by-addr while the master is only SDOWN', () => {
  it('s1 gets a fresh reply from s2 every 1.0-1.2 s, never sooner', () => {
    // Quorum 3 with s3 dead: s1 and s2 hold the master SDOWN but never ODOWN, so no failover forces the asking.
    const r = deploy(threeByThree({ quorum: 3, downAfterMs: 1000 }), 3);
    r.world.runUntil(20 * S);
    crash(r.world, 's3');
    r.world.runUntil(25 * S);
    crash(r.world, 'r1');
    r.world.runUntil(28 * S);
    const replyTimes: number[] = [];
    for (let t = 28 * S; t <= 36 * S; t += 20_000) {
      r.world.runUntil(t);
      const s1 = r.world.stateOf<SentinelState>('s1');
      const s2 = s1.masters[0]!.sentinels.find((p) => p.addr.ip === '10.0.0.2')!;
      if (replyTimes[replyTimes.length - 1] !== s2.lastMasterDownReplyTime) replyTimes.push(s2.lastMasterDownReplyTime);
    }
    expect(r.events({ event: '+sdown' }).filter((e) => e.text.startsWith('master')).map((e) => e.p).sort()).toEqual(['s1', 's2']);
    expect(r.events({ event: '+odown' })).toEqual([]);
    const gaps = replyTimes.slice(1).map((t, i) => t - replyTimes[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(6);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(1000);
      expect(g).toBeLessThan(1200);
    }
  });
});
