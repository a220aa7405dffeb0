import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/net/process.js';
import { cronPeriodMs, startPhaseMs } from '../../src/redis/cronDrift.js';
import { rngStream } from '../../src/sim/rng.js';

/** Only what cronDrift reads: the process's named streams, as ProcCtx derives them. */
function ctxOf(seed: number, pid: string): Ctx {
  const streams = new Map<string, ReturnType<typeof rngStream>>();
  const stream = (name: string) => {
    if (!streams.has(name)) streams.set(name, rngStream(seed, `${pid}#1/${name}`));
    return streams.get(name)!;
  };
  return { stream } as unknown as Ctx;
}

describe('serverCron phase and drift (ae.c processTimeEvents, ae_epoll.c aeApiPoll)', () => {
  it('the start phase spreads over the whole second across seeds 1..20, and differs per process', () => {
    const phases = Array.from({ length: 20 }, (_, i) => startPhaseMs(ctxOf(i + 1, 'r1')));
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...phases)).toBeLessThan(1000);
    expect(Math.max(...phases) - Math.min(...phases)).toBeGreaterThan(500);
    const other = Array.from({ length: 20 }, (_, i) => startPhaseMs(ctxOf(i + 1, 'r2')));
    expect(other).not.toEqual(phases);
  });

  it('each once-a-second tick comes late by what ten 100 ms loops slip: a few ms, never early', () => {
    const ctx = ctxOf(7, 'r1');
    startPhaseMs(ctx);
    const periods = Array.from({ length: 200 }, () => cronPeriodMs(ctx));
    for (const p of periods) {
      expect(p).toBeGreaterThan(1000);
      expect(p).toBeLessThan(1000 + 10 * (1 + 0.35));
    }
    // Over the 5 s of repl-diskless-sync-delay: real 7.0.15 logs show 18-46 ms.
    const fiveS = periods.slice(0, 5).reduce((a, b) => a + b, 0) - 5000;
    expect(fiveS).toBeGreaterThan(18);
    expect(fiveS).toBeLessThan(46);
  });

  it('same seed and process: the same ticks (no hidden randomness)', () => {
    const a = ctxOf(3, 'r1');
    const b = ctxOf(3, 'r1');
    expect([startPhaseMs(a), cronPeriodMs(a), cronPeriodMs(a)]).toEqual([startPhaseMs(b), cronPeriodMs(b), cronPeriodMs(b)]);
  });
});
