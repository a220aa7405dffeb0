/**
 * sentinelTimer(), sentinelCheckTiltCondition() and sentinelHandleRedisInstance() (sentinel.c
 * 7.0.15) on one Sentinel driven tick by tick: the TILT trigger on both sides of 2 s, time going
 * backwards, the exit one tilt-period later, nothing acted on while in TILT, and the next tick's
 * delay (server.hz redrawn as 10 + rand() % 10). The tests StrykerJS showed missing for
 * src/sentinel/timer.ts.
 */
import { describe, expect, it } from 'vitest';
import { F } from '../../../src/sentinel/state.js';
import { SentinelHarness } from '../fakeCtx.js';

const conf = [`sentinel myid ${'a'.repeat(40)}`, 'sentinel monitor mymaster 10.0.0.5 6379 1', 'sentinel down-after-milliseconds mymaster 1000'].join('\n');

function booted(): SentinelHarness {
  const h = new SentinelHarness(conf);
  h.tick();
  h.ctx.take();
  return h;
}
const tilts = (h: SentinelHarness) => h.ctx.events().filter((e) => e.includes('tilt'));

describe('TILT trigger: a gap between ticks over 2000 ms, or the clock going back', () => {
  it('a 2000 ms gap is no TILT, 2001 ms is', () => {
    const h = booted();
    h.advance(2000);
    h.tick();
    expect(tilts(h)).toEqual([]);
    expect(h.state.tilt).toBe(false);
    h.advance(2001);
    h.tick();
    expect(tilts(h)).toEqual(['+tilt #tilt mode entered']);
    expect(h.state.tilt).toBe(true);
    expect(h.state.tiltStartTime).toBe(h.ctx.nowMs());
  });

  it('the clock going back 1 ms is TILT; the same time again is not', () => {
    const h = booted();
    h.tick();
    expect(h.state.tilt).toBe(false);
    h.advance(-1);
    h.tick();
    expect(tilts(h)).toEqual(['+tilt #tilt mode entered']);
  });

  it('previousTime follows every tick, so two 1.5 s gaps are no TILT', () => {
    const h = booted();
    h.advance(1500);
    h.tick();
    h.advance(1500);
    h.tick();
    expect(h.state.tilt).toBe(false);
    expect(h.state.previousTime).toBe(h.ctx.nowMs());
  });
});

describe('TILT lasts tilt-period (30 s) from its start', () => {
  it('still in TILT at 29999 ms, out at 30000 ms with -tilt', () => {
    const h = booted();
    h.advance(3000);
    h.tick();
    const start = h.ctx.nowMs();
    h.ctx.take();
    for (let t = 0; t < 29_999; t += 1000) {
      h.advance(Math.min(1000, 29_999 - t));
      h.tick();
    }
    expect(h.ctx.nowMs() - start).toBe(29_999);
    expect(h.state.tilt).toBe(true);
    expect(tilts(h)).toEqual([]);
    h.advance(1);
    h.tick();
    expect(h.state.tilt).toBe(false);
    expect(tilts(h)).toEqual(['-tilt #tilt mode exited']);
  });

  it('in TILT nothing is judged: a master silent past down-after is not SDOWN until TILT ends', () => {
    const h = booted();
    h.advance(3000);
    h.tick();
    expect(h.state.tilt).toBe(true);
    // The master never answers (the fake network delivers nothing): past down-after it would be SDOWN.
    for (let i = 0; i < 29; i++) {
      h.advance(1000);
      h.tick();
    }
    expect(h.state.masters[0]!.flags & F.S_DOWN).toBe(0);
    expect(h.ctx.events().filter((e) => e.startsWith('+sdown'))).toEqual([]);
    h.advance(1000);
    h.tick();
    expect(h.ctx.events().filter((e) => e.startsWith('-tilt') || e.startsWith('+sdown'))).toEqual(['-tilt #tilt mode exited', '+sdown master mymaster 10.0.0.5 6379']);
  });
});

describe('the next tick', () => {
  it('comes after floor(1000 / hz) ms, hz = 10 + rand() % 10: between 52 and 100 ms, and varies', () => {
    const h = booted();
    const delays: number[] = [];
    for (let i = 0; i < 200; i++) {
      h.advance(50);
      h.tick();
      const effects = h.ctx.take();
      // A tick that flushed the config is re-armed from its end (see 'a tick that flushes' below).
      const flushed = effects.some((e) => e.k === 'log' && e.text === 'Sentinel new configuration saved on disk');
      for (const e of effects) if (e.k === 'timer' && e.key === 'tick' && !flushed) delays.push(e.delayMs);
    }
    expect(delays.length).toBeGreaterThan(190);
    const allowed = Array.from({ length: 10 }, (_, i) => Math.floor(1000 / (10 + i)));
    for (const d of delays) expect(allowed).toContain(d);
    expect(new Set(delays).size).toBeGreaterThan(5);
    expect(Math.max(...delays)).toBe(100);
    expect(Math.min(...delays)).toBe(52);
  });

  it('counts ticks', () => {
    const h = booted();
    const before = h.state.ticks;
    h.tick();
    h.tick();
    expect(h.state.ticks).toBe(before + 2);
  });
});
