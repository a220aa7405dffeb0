import { describe, expect, it } from 'vitest';
import { globalDelayFor, jumpClock, monotonicUs, newClock, setDrift, wallUs } from '../../src/sim/clock.js';
import type { Behavior } from '../../src/sim/process.js';
import { clockJump, pause, resume } from '../../src/faults/index.js';
import { createWorld, type NetWorld } from '../../src/net/world.js';

describe('host clocks', () => {
  it('a jump moves the wall clock and leaves the monotonic clock alone', () => {
    const c0 = newClock(1_000_000_000);
    const c1 = jumpClock(c0, 5_000_000);
    expect(wallUs(c1, 10) - wallUs(c0, 10)).toBe(5_000_000);
    expect(monotonicUs(c1, 10)).toBe(monotonicUs(c0, 10));
    const back = jumpClock(c1, -20_000_000);
    expect(wallUs(back, 10)).toBeLessThan(wallUs(c0, 10));
    expect(monotonicUs(back, 10)).toBe(10);
  });

  it('drift (ppm) runs both clocks fast or slow from the moment it is set, without a step', () => {
    const c = setDrift(newClock(0), 1_000_000, 1000); // +1000 ppm from t = 1 s
    expect(wallUs(c, 1_000_000)).toBe(1_000_000);
    expect(wallUs(c, 2_000_000)).toBe(2_001_000);
    expect(monotonicUs(c, 2_000_000)).toBe(2_001_000);
    // A timer of 1 s of host time fires after slightly less global time on a fast clock.
    expect(globalDelayFor(c, 1_000_000)).toBe(999_001);
  });

  it('a process reads its own host clock; timers run on the monotonic clock', () => {
    const seen: { wall: number; mono: number }[] = [];
    const b: Behavior<{ n: number }> = {
      kind: 'probe',
      init: (ctx) => {
        ctx.timer('t', 1000);
        return { n: 0 };
      },
      listenPorts: () => [],
      onNet: () => {},
      onTimer: (d, _key, ctx) => {
        seen.push({ wall: ctx.nowMs(), mono: ctx.monoMs() });
        d.n++;
        ctx.timer('t', 1000);
      },
    };
    const w = createWorld({ seed: 1, wallEpochUs: 0 });
    w.addHost('a', '10.0.0.1');
    w.addHost('b', '10.0.0.2');
    w.addProcess('pa', 'a', b);
    w.addProcess('pb', 'b', b);
    w.runUntil(2_500_000);
    clockJump(w, 'a', 60_000);
    w.runUntil(4_500_000);
    const a = seen.filter((_, i) => i % 2 === 0);
    // Ticks keep their 1 s cadence on both hosts; only host a's wall clock stepped by 60 s.
    expect(a.map((x) => x.mono)).toEqual([1000, 2000, 3000, 4000]);
    expect(a.map((x) => x.wall)).toEqual([1000, 2000, 63000, 64000]);
    expect(w.hostNowMs('b')).toBe(4500);
  });
});

describe('timers', () => {
  it('a timer cancelled and armed again never lets the stale one fire (generations are not reused)', () => {
    const fired: number[] = [];
    const b: Behavior<{ n: number }> = {
      kind: 'probe',
      init: (ctx) => {
        ctx.timer('t', 100); // stale after the cancel below
        ctx.timer('kick', 10);
        return { n: 0 };
      },
      listenPorts: () => [],
      onNet: () => {},
      onTimer: (_d, key, ctx) => {
        if (key === 'kick') {
          ctx.cancelTimer('t');
          ctx.timer('t', 500);
        } else fired.push(ctx.monoMs());
      },
    };
    const w = createWorld({ seed: 1, wallEpochUs: 0 });
    w.addHost('a', '10.0.0.1');
    w.addProcess('p', 'a', b);
    w.runUntil(2_000_000);
    expect(fired).toEqual([510]);
  });
});

describe('timers frozen while paused', () => {
  it('keeps the time left across SIGSTOP/SIGCONT instead of firing at once on resume', () => {
    const fired: { key: string; atMs: number }[] = [];
    const b: Behavior<{ n: number }> = {
      kind: 'probe',
      init: (ctx) => {
        ctx.timer('loop', 1000, { freezeWhilePaused: true });
        ctx.timer('plain', 1000);
        return { n: 0 };
      },
      listenPorts: () => [],
      onNet: () => {},
      onTimer: (_d, key, ctx) => {
        fired.push({ key, atMs: ctx.monoMs() });
      },
    };
    const w = createWorld({ seed: 1, wallEpochUs: 0 });
    w.addHost('a', '10.0.0.1');
    w.addProcess('p', 'a', b);
    w.runUntil(300_000);
    pause(w, 'p');
    w.runUntil(5_300_000);
    resume(w, 'p');
    w.runUntil(10_000_000);
    // The plain timer was due during the pause: it fires on resume. The frozen one had 700 ms left.
    expect(fired).toEqual([
      { key: 'plain', atMs: 5300 },
      { key: 'loop', atMs: 6000 },
    ]);
  });
});
