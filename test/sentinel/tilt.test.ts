import { describe, expect, it } from 'vitest';
import { sentinelView } from '../../src/sentinel/index.js';
import type { SentinelState } from '../../src/sentinel/state.js';
import { deploy, threeByThree } from './harness.js';
import { modelWorld } from './models.js';
import { clockJump, crash, pause, resume } from '../../src/faults/index.js';

const S = 1e6;
const SENTINELS = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'];

describe('TILT (spec §9)', () => {
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

  it('a clock stepping back by any amount tilts; a 1.5 s forward step does not', () => {
    const back = deploy(threeByThree(), 4);
    back.world.runUntil(20 * S);
    clockJump(back.world, 'h1', -300);
    back.world.runUntil(21 * S);
    expect(back.lines('s1')).toContain('+tilt #tilt mode entered');

    const fwd = deploy(threeByThree(), 4);
    fwd.world.runUntil(20 * S);
    clockJump(fwd.world, 'h1', 1500);
    fwd.world.runUntil(25 * S);
    expect(fwd.lines('s1')).not.toContain('+tilt #tilt mode entered');
  });
});
