import { describe, expect, it } from 'vitest';
import { newClock } from '../../src/sim/clock.js';
import { ProcessTable } from '../../src/sim/processTable.js';
import { armTimer, cancelTimer, consumeTimer, freezeTimers, isCurrent, thawTimers, type TimerSlot } from '../../src/sim/timers.js';

/**
 * A fired or cancelled timer's key stays in the process's maps (so a long-lived Map is not rebuilt
 * at every fire, which filled V8's old generation in the 24-hour soak), but keys made of ids must
 * not pile up: the maps stay bounded however many distinct keys a process arms over a long run.
 */

function setup() {
  const table = new ProcessTable();
  const p = table.add('p', { name: 'h', ip: '10.0.0.1', up: true, clock: newClock(0) }, {} as never, undefined);
  p.inc = 1;
  p.status = 'running';
  const queued: { atUs: number; ev: TimerSlot; seq: number }[] = [];
  let nextSeq = 0;
  const q = {
    push: (atUs: number, ev: TimerSlot) => {
      queued.push({ atUs, ev, seq: nextSeq });
      return nextSeq++;
    },
  };
  /** Fire the last queued event of `key` as the world does: only if it is still current. */
  const fire = (key: string): boolean => {
    const e = [...queued].reverse().find((x) => x.ev.key === key)!;
    if (!isCurrent(e.ev, e.seq)) return false;
    consumeTimer(e.ev);
    return true;
  };
  return { p, q, queued, fire };
}

describe('spent timer keys', () => {
  it('a timer fires once per arming, also when its key was spent before', () => {
    const { p, q, fire } = setup();
    for (let i = 0; i < 1000; i++) {
      armTimer(q, i * 100, p, 'cron', 100, true);
      expect(fire('cron')).toBe(true);
      expect(fire('cron')).toBe(false);
    }
    armTimer(q, 0, p, 'x', 10, false);
    cancelTimer(p, 'x');
    expect(fire('x')).toBe(false);
    armTimer(q, 0, p, 'x', 10, false);
    expect(fire('x')).toBe(true);
  });

  it('keys made of ids do not pile up: 20,000 distinct keys leave a map of a few dozen', () => {
    const { p, q, fire, queued } = setup();
    for (let i = 0; i < 20_000; i++) {
      armTimer(q, i, p, `timeout:${i}`, 5, i % 2 === 0);
      if (i % 3 === 0) cancelTimer(p, `timeout:${i}`);
      else expect(fire(`timeout:${i}`)).toBe(true);
      armTimer(q, i, p, 'cron', 100, true);
      expect(fire('cron')).toBe(true);
      queued.length = 0;
    }
    expect(p.timers.size).toBeLessThanOrEqual(70);
    expect(p.freezable.size).toBeLessThanOrEqual(70);
  });

  it('a pending timer survives the sweeps, and only pending freezable timers are frozen', () => {
    const { p, q, fire, queued } = setup();
    armTimer(q, 0, p, 'cron', 1000, true);
    for (let i = 0; i < 500; i++) {
      armTimer(q, 0, p, `k:${i}`, 5, true);
      expect(fire(`k:${i}`)).toBe(true);
    }
    freezeTimers(p, 400_000);
    expect([...p.frozen]).toEqual([['cron', 600_000]]);
    queued.length = 0;
    thawTimers(q, 2_000_000, p);
    expect(queued.map((e) => [e.ev.key, e.atUs])).toEqual([['cron', 2_600_000]]);
    expect(fire('cron')).toBe(true);
  });
});
