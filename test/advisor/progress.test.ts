import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/advisor/command.js';
import { checkProgress } from '../../src/cli/check.js';

/**
 * A check of a big model runs for minutes: it says how far it got on a terminal's stderr, as `run`
 * does, and nothing anywhere else (captured output stays the same bytes).
 */
describe('check reports its runs as they finish', () => {
  it.each([1, 2])('with %i worker(s): counts up to the total, and the output is the same bytes as without', async (workers) => {
    const calls: [number, number][] = [];
    const opts = { format: 'json' as const, seeds: [1, 2], workers };
    const withProgress = await runCheck('models/two-node', opts, { onRun: (d, t) => calls.push([d, t]) });
    const without = await runCheck('models/two-node', opts);
    const total = calls[0]![1];
    expect(total).toBeGreaterThan(4);
    expect(calls.every(([, t]) => t === total)).toBe(true);
    expect(calls.map(([d]) => d)).toEqual([...calls.map(([d]) => d)].sort((a, b) => a - b));
    expect(calls[calls.length - 1]![0]).toBe(total);
    if (workers === 1) expect(calls.map(([d]) => d)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(withProgress.stdout).toBe(without.stdout);
    expect(withProgress.stderr).toBe(without.stderr);
  });

  it('on a terminal: the first line after 3 s, then at most one every 5 s, none when done; nothing off a terminal', () => {
    let now = 1_000_000;
    let text = '';
    const p = checkProgress({ isTTY: true, write: (s: string) => (text += s) }, () => now)!;
    now += 2_000;
    p(10, 100);
    expect(text).toBe('');
    now += 2_000;
    p(20, 100);
    expect(text).toBe('check: 20 of 100 runs, about 16 s to go (Ctrl-C stops it)\n');
    now += 4_000;
    p(40, 100);
    expect(text.split('\n')).toHaveLength(2);
    now += 1_500;
    p(50, 100);
    expect(text.split('\n')[1]).toBe('check: 50 of 100 runs, about 10 s to go (Ctrl-C stops it)');
    now += 10_000;
    p(100, 100);
    expect(text.split('\n')).toHaveLength(3);
    expect(checkProgress({ isTTY: false, write: () => undefined })).toBeUndefined();
  });
});
