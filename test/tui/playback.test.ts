import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPEED_INDEX, initialPlayback, lastAtOrBefore, parseTimeInput, reducePlayback, SPEEDS, speedOf,
  type PlaybackAction, type PlaybackState, type PlaybackTimeline,
} from '../../src/recording/playback.js';

// Events at 0 (twice), 1 s, 5 s (three at the same instant), 9 s; key events at indices 2 and 5.
const tl: PlaybackTimeline = {
  eventTimes: [0, 0, 1_000_000, 5_000_000, 5_000_000, 5_000_000, 9_000_000],
  keyIndices: [2, 5],
  totalUs: 10_000_000,
};

const run = (s: PlaybackState, ...as: PlaybackAction[]) => as.reduce((x, a) => reducePlayback(tl, x, a), s);
const start = initialPlayback(tl);

describe('playback reducer', () => {
  it('starts paused at 0 with the events of time 0 behind the cursor', () => {
    expect(start).toEqual({ cursorUs: 0, index: 1, playing: false, speedIndex: DEFAULT_SPEED_INDEX, sliceUs: 100_000 });
    expect(speedOf(start)).toBe(4);
  });

  it('space toggles play and pause', () => {
    const p = run(start, { type: 'toggle' });
    expect(p.playing).toBe(true);
    expect(run(p, { type: 'toggle' }).playing).toBe(false);
    expect(run(start, { type: 'pause' })).toBe(start);
  });

  it('ticks advance by real time × speed only while playing', () => {
    expect(run(start, { type: 'tick', realMs: 500 })).toBe(start);
    const p = run(start, { type: 'play' }, { type: 'tick', realMs: 500 });
    expect(p.cursorUs).toBe(2_000_000); // 0.5 s × 4
    expect(p.index).toBe(2);
    const q = run(p, { type: 'tick', realMs: 1000 });
    expect(q.cursorUs).toBe(6_000_000);
    expect(q.index).toBe(5);
  });

  it('stops at the end, and playing again from the end starts over', () => {
    const p = run(start, { type: 'play' }, { type: 'tick', realMs: 60_000 });
    expect(p).toMatchObject({ cursorUs: 10_000_000, playing: false, index: 6 });
    const again = run(p, { type: 'toggle' });
    expect(again).toMatchObject({ cursorUs: 0, playing: true, index: 1 });
  });

  it('speed goes from ×0.1 to ×1000 and no further', () => {
    let s = start;
    for (let i = 0; i < 30; i++) s = run(s, { type: 'faster' });
    expect(speedOf(s)).toBe(1000);
    for (let i = 0; i < 30; i++) s = run(s, { type: 'slower' });
    expect(speedOf(s)).toBe(0.1);
    expect(SPEEDS[0]).toBe(0.1);
    expect(SPEEDS[SPEEDS.length - 1]).toBe(1000);
    const fast = run({ ...start, speedIndex: SPEEDS.length - 1 }, { type: 'play' }, { type: 'tick', realMs: 5 });
    expect(fast.cursorUs).toBe(5_000_000);
    const slow = run({ ...start, speedIndex: 0 }, { type: 'play' }, { type: 'tick', realMs: 1000 });
    expect(slow.cursorUs).toBe(100_000);
  });

  it('→ steps one event at a time, also among events of the same instant', () => {
    const s1 = run(start, { type: 'nextEvent' });
    expect(s1).toMatchObject({ index: 2, cursorUs: 1_000_000 });
    const s2 = run(s1, { type: 'nextEvent' }, { type: 'nextEvent' });
    expect(s2).toMatchObject({ index: 4, cursorUs: 5_000_000 });
    const end = run(s2, { type: 'nextEvent' }, { type: 'nextEvent' }, { type: 'nextEvent' }, { type: 'nextEvent' });
    expect(end).toMatchObject({ index: 6, cursorUs: 9_000_000 });
  });

  it('stepping pauses playback', () => {
    const p = run(start, { type: 'play' }, { type: 'nextEvent' });
    expect(p.playing).toBe(false);
  });

  it('← steps back one event, and first comes back to the highlighted one after a move by time', () => {
    const at5 = run(start, { type: 'goto', us: 5_000_000 });
    expect(at5.index).toBe(5);
    const b = run(at5, { type: 'prevEvent' });
    expect(b).toMatchObject({ index: 4, cursorUs: 5_000_000 });
    const between = run(start, { type: 'goto', us: 7_000_000 });
    expect(between.index).toBe(5);
    expect(run(between, { type: 'prevEvent' })).toMatchObject({ index: 5, cursorUs: 5_000_000 });
    const first = run(start, { type: 'prevEvent' });
    expect(first).toMatchObject({ index: 0, cursorUs: 0 });
    expect(run(first, { type: 'prevEvent' })).toMatchObject({ index: -1, cursorUs: 0 });
    expect(run(first, { type: 'prevEvent' }, { type: 'prevEvent' })).toMatchObject({ index: -1, cursorUs: 0 });
  });

  it('n / p jump between key events', () => {
    const k1 = run(start, { type: 'nextKey' });
    expect(k1).toMatchObject({ index: 2, cursorUs: 1_000_000 });
    const k2 = run(k1, { type: 'nextKey' });
    expect(k2).toMatchObject({ index: 5, cursorUs: 5_000_000 });
    expect(run(k2, { type: 'nextKey' })).toEqual(k2);
    expect(run(k2, { type: 'prevKey' })).toMatchObject({ index: 2 });
    expect(run(k1, { type: 'prevKey' })).toEqual(k1);
    // Past a key event by time, p comes back to it.
    const after = run(start, { type: 'goto', us: 8_000_000 });
    expect(run(after, { type: 'prevKey' })).toMatchObject({ index: 5, cursorUs: 5_000_000 });
  });

  it('. and , move by a fixed slice and clamp to the run', () => {
    const s = run(start, { type: 'slice', dir: 1 }, { type: 'slice', dir: 1 });
    expect(s.cursorUs).toBe(200_000);
    expect(s.index).toBe(1);
    expect(run(start, { type: 'slice', dir: -1 }).cursorUs).toBe(0);
    const end = run(start, { type: 'end' }, { type: 'slice', dir: 1 });
    expect(end.cursorUs).toBe(10_000_000);
    const ten = run(initialPlayback(tl, { sliceUs: 1_000_000 }), { type: 'slice', dir: 1 });
    expect(ten).toMatchObject({ cursorUs: 1_000_000, index: 2 });
  });

  it('goto clamps and puts the highlight on the last event at or before the time', () => {
    expect(run(start, { type: 'goto', us: 4_999_999 })).toMatchObject({ cursorUs: 4_999_999, index: 2 });
    expect(run(start, { type: 'goto', us: -5 })).toMatchObject({ cursorUs: 0, index: 1 });
    expect(run(start, { type: 'goto', us: 99_000_000 })).toMatchObject({ cursorUs: 10_000_000, index: 6 });
    expect(run(start, { type: 'end' }, { type: 'start' })).toMatchObject({ cursorUs: 0, index: 1 });
  });

  it('never mutates the state it is given', () => {
    const frozen = Object.freeze({ ...start });
    const acts: PlaybackAction[] = [
      { type: 'toggle' }, { type: 'tick', realMs: 10 }, { type: 'faster' }, { type: 'slower' }, { type: 'nextEvent' }, { type: 'prevEvent' },
      { type: 'nextKey' }, { type: 'prevKey' }, { type: 'slice', dir: 1 }, { type: 'goto', us: 3 }, { type: 'start' }, { type: 'end' },
    ];
    for (const a of acts) expect(() => reducePlayback(tl, frozen, a)).not.toThrow();
  });

  it('an empty log still plays by time', () => {
    const empty: PlaybackTimeline = { eventTimes: [], keyIndices: [], totalUs: 1_000_000 };
    const s = initialPlayback(empty);
    expect(s.index).toBe(-1);
    expect(reducePlayback(empty, s, { type: 'nextEvent' })).toBe(s);
    expect(reducePlayback(empty, s, { type: 'slice', dir: 1 }).cursorUs).toBe(100_000);
  });
});

describe('helpers', () => {
  it('lastAtOrBefore is a binary search', () => {
    expect(lastAtOrBefore([], 5)).toBe(-1);
    expect(lastAtOrBefore([1, 2, 2, 3], 0)).toBe(-1);
    expect(lastAtOrBefore([1, 2, 2, 3], 2)).toBe(2);
    expect(lastAtOrBefore([1, 2, 2, 3], 9)).toBe(3);
  });

  it('parses the times typed after g', () => {
    expect(parseTimeInput('42')).toBe(42_000_000);
    expect(parseTimeInput('42.5')).toBe(42_500_000);
    expect(parseTimeInput('42.5s')).toBe(42_500_000);
    expect(parseTimeInput('1500ms')).toBe(1_500_000);
    expect(parseTimeInput('2m')).toBe(120_000_000);
    expect(parseTimeInput('1m30s')).toBe(90_000_000);
    expect(parseTimeInput('1:30')).toBe(90_000_000);
    expect(parseTimeInput('1h')).toBe(3_600_000_000);
    expect(parseTimeInput('')).toBeUndefined();
    expect(parseTimeInput('soon')).toBeUndefined();
    expect(parseTimeInput('5x')).toBeUndefined();
  });
});
