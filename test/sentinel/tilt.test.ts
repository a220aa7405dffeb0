import { describe, expect, it } from 'vitest';
import { sentinelView } from '../../src/sentinel/index.js';
import type { SentinelState } from '../../src/sentinel/state.js';
import { deploy, threeByThree } from './harness.js';
import { modelWorld } from './models.js';
import { clockJump, crash, pause, resume } from '../../src/faults/index.js';

const S = 1e6;
const SENTINELS = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'];

describe('TILT (sentinelCheckTiltCondition())', () => {
  it('redis-ha-demo (seed 003): all sentinels paused 30 s → +tilt on each, -tilt 30 s later, nothing acted on in between', () => {
    const { world, lines } = modelWorld('redis-ha-demo', 1);
    world.runUntil(60 * S);
    for (const p of SENTINELS) pause(world, p);
    // While they sleep the master dies: it must not be failed over by a sentinel in TILT.
    world.runUntil(70 * S);
    crash(world, 'redis-master');
    world.runUntil(90 * S);
    for (const p of SENTINELS) resume(world, p);
    world.runUntil(150 * S);
    for (const p of SENTINELS) {
      const mine = lines(p).filter((l) => l.t >= 90);
      const tilt = mine.find((l) => l.line === '+tilt #tilt mode entered');
      const untilt = mine.find((l) => l.line === '-tilt #tilt mode exited');
      expect(tilt, p).toBeDefined();
      expect(untilt, p).toBeDefined();
      // Entered on the first tick after SIGCONT; left 30 s (tilt-period) later, within a tick.
      expect(tilt!.t - 90).toBeLessThan(0.2);
      expect(untilt!.t - tilt!.t).toBeGreaterThanOrEqual(30);
      expect(untilt!.t - tilt!.t).toBeLessThan(30.2);
      // Nothing acting happened between +tilt and -tilt.
      const during = mine.filter((l) => l.t > tilt!.t && l.t < untilt!.t).map((l) => l.line.split(' ')[0]);
      for (const acting of ['+sdown', '-sdown', '+odown', '+try-failover', '+elected-leader', '+convert-to-slave', '+fix-slave-config']) {
        expect(during, `${p} ${acting}`).not.toContain(acting);
      }
    }
    // After TILT the master, dead for a minute, is failed over.
    expect(lines().filter((l) => l.t > 120 && l.line.startsWith('+switch-master mymaster 172.23.0.3 6379 ')).length).toBe(3);
  });

  it('a 5 s forward clock jump on one host tilts only that host\'s sentinel', () => {
    const r = deploy(threeByThree(), 4);
    r.world.runUntil(30 * S);
    clockJump(r.world, 'h2', 5000);
    r.world.runUntil(40 * S);
    expect(r.lines('s2')).toContain('+tilt #tilt mode entered');
    expect(r.lines('s1')).not.toContain('+tilt #tilt mode entered');
    expect(r.lines('s3')).not.toContain('+tilt #tilt mode entered');
    const s2 = sentinelView(r.world.stateOf<SentinelState>('s2'), r.world.hostNowMs('h2'));
    expect(s2.tilt).not.toBeNull();
    expect(s2.tilt!.elapsedMs).toBeGreaterThan(9_800);
    r.world.runUntil(70 * S);
    expect(r.lines('s2')).toContain('-tilt #tilt mode exited');
  });

  it('a clock stepping back by any amount tilts', () => {
    const back = deploy(threeByThree(), 4);
    back.world.runUntil(20 * S);
    clockJump(back.world, 'h1', -300);
    back.world.runUntil(21 * S);
    expect(back.lines('s1')).toContain('+tilt #tilt mode entered');
  });

  // The gap TILT measures is the clock step plus one tick period, which is 50-100 ms
  // (server.hz 10-19). A 1899 ms step can give at most 1999 ms, never over the 2 s trigger;
  // a 1951 ms step gives at least 2001 ms, always over it.
  for (const seed of [4, 5, 6]) {
    it(`forward steps just below and just above the 2 s trigger (seed ${seed})`, () => {
      const tiltedAfter = (stepMs: number) => {
        const r = deploy(threeByThree(), seed);
        r.world.runUntil(20 * S);
        clockJump(r.world, 'h1', stepMs);
        r.world.runUntil(25 * S);
        return r.lines('s1').includes('+tilt #tilt mode entered');
      };
      expect(tiltedAfter(1899)).toBe(false);
      expect(tiltedAfter(1951)).toBe(true);
    });
  }

  it('a Sentinel in TILT answers "not down" to its peers, so with quorum 3 the others cannot reach ODOWN until it leaves TILT', () => {
    // s2 notices the dead master first (down-after 1 s against 5 s), then tilts with its SDOWN flag
    // still set. s1 and s3 need s2's "down" for quorum 3: it must not come while s2 is in TILT.
    const d = threeByThree({ quorum: 3, downAfterMs: 5000, failoverTimeoutMs: 20_000 });
    d.sentinels[1]!.extra = ['sentinel down-after-milliseconds mymaster 1000'];
    const r = deploy(d, 7);
    r.world.runUntil(20 * S);
    crash(r.world, 'r1');
    r.world.runUntil(22.5 * S);
    expect(r.lines('s2')).toContain('+sdown master mymaster 10.0.0.1 6379');
    clockJump(r.world, 'h2', 5000);
    r.world.runUntil(80 * S);
    const tilt = r.events({ p: 's2', event: '+tilt' });
    const untilt = r.events({ p: 's2', event: '-tilt' });
    expect(tilt).toHaveLength(1);
    expect(untilt).toHaveLength(1);
    for (const p of ['s1', 's3']) {
      const sdown = r.events({ p, event: '+sdown' })[0]!;
      expect(sdown.t).toBeLessThan(tilt[0]!.t + 5000);
      const odown = r.events({ p, event: '+odown' });
      expect(odown.length, `${p} +odown`).toBeGreaterThanOrEqual(1);
      // Not while s2 was in TILT (30 s after its clock step); within a few ask periods after it left.
      expect(odown[0]!.t).toBeGreaterThan(untilt[0]!.t);
      expect(odown[0]!.t - untilt[0]!.t).toBeLessThan(3000);
      expect(odown[0]!.text).toBe('master mymaster 10.0.0.1 6379 #quorum 3/3');
    }
  });
});
