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
  it('refuses numbers without a unit and other text', () => {
    for (const s of ['10', '1.5', 's', '10 s', '10sec', '1e3ms', '', 'ten']) expect(parseDurationUs(s)).toBeUndefined();
  });
  it('round-trips integer milliseconds', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => parseDurationUs(`${n}ms`) === n * 1000));
  });
});
