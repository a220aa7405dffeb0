import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDurationUs } from '../../src/scenario/duration.js';

describe('durations', () => {
  it('reads ms, s, m, h, us and decimals', () => {
    expect(parseDurationUs('1500ms')).toBe(1_500_000);
    expect(parseDurationUs('10s')).toBe(10_000_000);
    expect(parseDurationUs('3m')).toBe(180_000_000);
    expect(parseDurationUs('1h')).toBe(3_600_000_000);
    expect(parseDurationUs('1.5s')).toBe(1_500_000);
    expect(parseDurationUs('250us')).toBe(250);
    expect(parseDurationUs('-30s')).toBe(-30_000_000);
    expect(parseDurationUs('0')).toBe(0);
  });
  it('reads compound durations, largest unit first', () => {
    expect(parseDurationUs('1m30s')).toBe(90_000_000);
    expect(parseDurationUs('2h15m')).toBe(8_100_000_000);
    expect(parseDurationUs('1s500ms')).toBe(1_500_000);
    expect(parseDurationUs('1h0m0.5s')).toBe(3_600_500_000);
    expect(parseDurationUs('-1m30s')).toBe(-90_000_000);
    expect(parseDurationUs('1ms250us')).toBe(1250);
  });
  it('refuses numbers without a unit and other text', () => {
    for (const s of ['10', '1.5', 's', '10 s', '10sec', '1e3ms', '', 'ten', '-', '30s1m', '1m1m', '1m 30s', '1m30', 'm30s']) expect(parseDurationUs(s)).toBeUndefined();
  });
  it('a compound duration is the sum of its parts', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(59), fc.nat(59), fc.nat(999), (h, m, s, ms) => parseDurationUs(`${h}h${m}m${s}s${ms}ms`) === ((h * 60 + m) * 60 + s) * 1_000_000 + ms * 1000),
    );
  });
  it('round-trips integer milliseconds', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => parseDurationUs(`${n}ms`) === n * 1000));
  });
});
