import { describe, expect, it } from 'vitest';
import { deploy, threeByThree } from '../sentinel/harness.js';
import { crash } from '../../src/faults/index.js';

describe('NetWorld snapshot mode', () => {
  it('gives the byte-identical trace whether handlers run under immer produce or directly', () => {
    const run = (snapshots: boolean) => {
      const r = deploy(threeByThree(), 7, { snapshots });
      r.world.runUntil(20_000_000);
      crash(r.world, 'r1');
      r.world.runUntil(40_000_000);
      return r;
    };
    const a = run(true);
    const b = run(false);
    expect(a.events({ event: '+switch-master' }).length).toBeGreaterThan(0);
    expect(a.hash.digest()).toBe(b.hash.digest());
  });

  it('keeps old states intact in snapshot mode', () => {
    const r = deploy(threeByThree(), 7, { snapshots: true });
    r.world.runUntil(5_000_000);
    const before = r.world.stateOf<{ ticks: number }>('s1');
    const ticksBefore = before.ticks;
    r.world.runUntil(10_000_000);
    expect(before.ticks).toBe(ticksBefore);
    expect(r.world.stateOf<{ ticks: number }>('s1').ticks).toBeGreaterThan(ticksBefore);
  });
});
