import { describe, expect, it } from 'vitest';
import type { SentinelState } from '../../src/sentinel/state.js';
import { deploy, threeByThree } from './harness.js';
import { crash, pause } from '../../src/faults/index.js';

const S = 1e6;

function linkTo(r: ReturnType<typeof deploy>, sentinel: string, replica: string) {
  const s = r.world.stateOf<SentinelState>(sentinel);
  const ri = s.masters[0]!.slaves.find((x) => x.name === replica)!;
  return { ...s.links[ri.linkId]! };
}

describe('Sentinel links (instanceLink, sentinelReconnectInstance())', () => {
  it('force-closes and reconnects a command link with a PING outstanding over down-after/2, and a silent Pub/Sub link after 3 publish periods', () => {
    const r = deploy(threeByThree({ downAfterMs: 5000 }), 1);
    r.world.runUntil(20 * S);
    const before = linkTo(r, 's1', '10.0.0.2:6379');
    pause(r.world, 'r2');
    // sentinelCheckSubjectivelyDown(): the links were made at ~10.2 s, when the replica was
    // discovered, so they can be closed from ~25.2 s (15 s old). By then cc's PING has been
    // unanswered for over down-after/2 (2.5 s) and pc silent for over 3 × 2 s (the last hello it
    // carried came just before the pause): both are closed and reconnected.
    r.world.runUntil(25 * S);
    expect(linkTo(r, 's1', '10.0.0.2:6379').ccConnTime).toBe(before.ccConnTime);
    expect(linkTo(r, 's1', '10.0.0.2:6379').pcConnTime).toBe(before.pcConnTime);
    r.world.runUntil(25.8 * S);
    const after = linkTo(r, 's1', '10.0.0.2:6379');
    expect(after.ccConnTime).toBeGreaterThan(before.ccConnTime);
    expect(after.pcConnTime).toBeGreaterThan(before.pcConnTime);
    // A fresh link is not closed again until it is 15 s old (min-link-reconnect-period).
    r.world.runUntil(34 * S);
    expect(linkTo(r, 's1', '10.0.0.2:6379').ccConnTime).toBe(after.ccConnTime);
    r.world.runUntil(45 * S);
    expect(linkTo(r, 's1', '10.0.0.2:6379').ccConnTime).toBeGreaterThan(after.ccConnTime);
    expect(r.lines('s1')).toContain('+sdown slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
  });

  it('stops queueing INFO/PING/PUBLISH at 100 pending replies on a link that does not answer', () => {
    const r = deploy(threeByThree({ downAfterMs: 120_000 }), 1);
    r.world.runUntil(20 * S);
    pause(r.world, 'r2');
    let maxOnCc = 0;
    let maxPending = 0;
    for (let t = 20; t <= 70; t += 0.25) {
      r.world.runUntil(t * S);
      const l = linkTo(r, 's1', '10.0.0.2:6379');
      maxOnCc = Math.max(maxOnCc, l.ccQueue.length);
      maxPending = Math.max(maxPending, l.pendingCommands);
    }
    // INFO and the hello go out on every tick once their last reply is older than their period
    // (info_refresh and last_pub_time only move on a reply), so the cap of
    // SENTINEL_MAX_PENDING_COMMANDS is reached within seconds and holds.
    expect(maxOnCc).toBe(100);
    // sentinelSetClientName() also counts the CLIENT SETNAME of every forced Pub/Sub reconnection,
    // and closing pc does not reset the counter: one more per reconnection (every ~15 s here).
    expect(maxPending).toBeGreaterThan(100);
    expect(maxPending).toBeLessThanOrEqual(104);
  });
});

describe('reconnection pacing (sentinelReconnectInstance: at most one attempt per ping-period)', () => {
  it('a Sentinel killed within a second of being discovered goes SDOWN up to 1 s later than one with a settled link', () => {
    const late: number[] = [];
    const settled: number[] = [];
    for (const seed of [2, 3, 4]) {
      for (const early of [true, false]) {
        const r = deploy(threeByThree({ downAfterMs: 2000, quorum: 3 }), seed);
        // Until s1 and s2 have both discovered s3 (their first hellos), then 100 ms or 10 s more.
        let t = 0;
        while (!['s1', 's2'].every((p) => r.events({ p, event: '+sentinel' }).some((e) => e.text.includes(' 10.0.0.3 26379 ')))) r.world.runUntil((t += 10_000));
        const killAt = t + (early ? 100_000 : 10 * S);
        r.world.runUntil(killAt);
        crash(r.world, 's3');
        r.world.runUntil(killAt + 6 * S);
        const d = r.events({ event: '+sdown' }).filter((e) => e.text.startsWith('sentinel ')).map((e) => e.t - killAt / 1000);
        expect(d).toHaveLength(2);
        (early ? late : settled).push(...d);
      }
    }
    // Real 7.0.15 gave 2919-3064 ms (killed right after discovery) and 2027-2117 ms (settled links).
    for (const d of late) expect(d).toBeGreaterThan(2800);
    for (const d of settled) expect(d).toBeLessThan(2200);
  });
});
