/**
 * The clock-step case (a host's wall clock stepped under real Redis through scripts/wallshift.c):
 * how the harness reads logs whose stamps were shifted, and what the simulator makes of the steps.
 */
import { describe, expect, it } from 'vitest';
import { simulate, type Step } from '../../src/conformance/compare.js';
import { clockStep } from '../../src/conformance/compare-cases.js';
import { topology } from '../../src/conformance/topology.js';
import { segments, type ShiftStep } from '../../src/conformance/wallshift.js';

const step = (offsetMs: number, bytes: number): ShiftStep => ({ offsetMs, logBytes: new Map([['s1', bytes]]) });

describe('a log whose stamps a clock step shifted', () => {
  const log = Buffer.from('a 1\nb 2\nc 3\n');

  it('is read in pieces, each with the offset in force when it was written', () => {
    expect(segments(log, 's1', [step(3000, 4), step(0, 8)])).toEqual([
      { text: 'a 1\n', offsetMs: 0 },
      { text: 'b 2\n', offsetMs: 3000 },
      { text: 'c 3\n', offsetMs: 0 },
    ]);
  });

  it('keeps a line begun before a step with the stamp it was begun with', () => {
    expect(segments(log, 's1', [step(3000, 5)])).toEqual([
      { text: 'a 1\nb 2\n', offsetMs: 0 },
      { text: 'c 3\n', offsetMs: 3000 },
    ]);
  });

  it('of a process a step did not see (started later) is all read with the latest offset', () => {
    expect(segments(log, 'other', [step(-3000, 0)])).toEqual([{ text: 'a 1\nb 2\nc 3\n', offsetMs: -3000 }]);
  });
});

describe('the simulator under the clock-step case', () => {
  const spec = topology({ base: clockStep.base, ...clockStep.topology });
  const debug: Step[] = ['sentinel1', 'sentinel2', 'sentinel3'].map((s, i) => ({ atMs: -3000 + i, kind: 'sentinel-debug', target: s, argv: ['SENTINEL', 'DEBUG', 'tilt-period', '5000'] }));
  const jumps: Step[] = [
    { atMs: 0, kind: 'clock-jump', target: 'local', byMs: 3000 },
    { atMs: 6200, kind: 'clock-jump', target: 'local', byMs: -3000 },
    { atMs: 12400, kind: 'clock-jump', target: 'local', byMs: 1500 },
  ];

  it('enters TILT at the next timer run after a step forward past 2 s or any step back, not after +1.5 s (sentinelCheckTiltCondition())', () => {
    for (const seed of [1, 2, 3]) {
      const obs = simulate(clockStep, spec, [...debug, ...jumps], 16_500, seed);
      for (const s of ['sentinel1', 'sentinel2', 'sentinel3']) {
        expect(obs.events[s]!.map((e) => e.event)).toEqual(['+tilt', '-tilt', '+tilt', '-tilt']);
        const t = (key: string) => obs.timings.find((x) => x.key === `${s} ${key}`)?.ms;
        // A Sentinel's timer runs every 50-100 ms (server.hz randomised in 10..19).
        expect(t('+tilt | from clock-jump local +3000ms')).toBeLessThan(100);
        expect(t('+tilt | from clock-jump local -3000ms')).toBeLessThan(100);
        // -tilt: the first timer run once tilt-period (5000 ms of the wall clock) has passed.
        expect(t('-tilt | from clock-jump local +3000ms')).toBeGreaterThanOrEqual(5000);
        expect(t('-tilt | from clock-jump local -3000ms')).toBeLessThan(5200);
      }
    }
  });
});
