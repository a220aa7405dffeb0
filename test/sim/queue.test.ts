import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/sim/queue.js';

describe('EventQueue', () => {
  it('pops by time, then by insertion order, whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue<number>();
        times.forEach((t, i) => q.push(t, i));
        const out: [number, number][] = [];
        for (let it = q.pop(); it; it = q.pop()) out.push([it.atUs, it.event]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });

  it('nextAtUs() is the earliest time while events wait, Infinity once the queue is empty', () => {
    const q = new EventQueue<string>();
    expect(q.nextAtUs()).toBe(Infinity);
    q.push(3_000_000_000, 'late');
    q.push(2_000_000_000, 'early');
    expect(q.nextAtUs()).toBe(2_000_000_000);
    expect(q.popEvent()).toBe('early');
    expect(q.nextAtUs()).toBe(3_000_000_000);
    q.popEvent();
    expect(q.nextAtUs()).toBe(Infinity);
  });
});
