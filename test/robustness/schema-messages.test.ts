import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

/**
 * A value of the wrong kind where the schema takes one of several (`crash: 5`, `heal: false`,
 * `command: []`) used to say only "timeline[0].crash: Invalid input", zod's words for a union no
 * branch fits; bounds said "Too small: expected number to be >=0". Each now says what was expected
 * and what was there, at the value's line.
 */

async function refusal(yaml: string): Promise<string> {
  const dir = tempTree({ 's.yaml': `model: ${BASIC}\nseed: 1\nduration: 10s\n${yaml}` });
  const r = await cli(['run', join(dir, 's.yaml')]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  return r.stderr.replace(`${join(dir, 's.yaml')}:`, 's.yaml:');
}

describe('schema refusals say what was expected', () => {
  it.each([
    ['timeline:\n  - { at: 1s, crash: 5 }', 's.yaml:5: timeline[0].crash: expected a string or a list, got 5'],
    ['timeline:\n  - { at: 1s, pause: null }', 's.yaml:5: timeline[0].pause: expected a string or a list, got null'],
    ['timeline:\n  - { at: 1s, heal: false }', 's.yaml:5: timeline[0].heal: expected true or "all", got false'],
    ['timeline:\n  - { at: 1s, command: [] }', 's.yaml:5: timeline[0].command: expected a non-empty list, got an empty list'],
    ['timeline:\n  - { at: 1s, command: 5 }', 's.yaml:5: timeline[0].command: expected a list, got 5'],
    // The branch that got furthest speaks: a list of commands whose second item is not a list.
    ['timeline:\n  - { at: 1s, command: [[PING], PING] }', 's.yaml:5: timeline[0].command[1]: expected array, got "PING"'],
    ['timeline:\n  - { at: 1s, command: [PING, true] }', 's.yaml:5: timeline[0].command[1]: expected a string, a number or a mapping, got true'],
    ['timeline:\n  - { at: 1s, partition: { from: [], to: [hb] } }', 's.yaml:5: timeline[0].partition.from: needs at least 1 item, got 0'],
    ['timeline:\n  - { at: 1s, link: { from: ha, to: hb, loss: 1.5 } }', 's.yaml:5: timeline[0].link.loss: 1.5 is above the maximum of 1'],
    ['expect:\n  - { event: +sdown, count: abc }', 's.yaml:5: expect[0].count: expected a number or a mapping, got "abc"'],
    ['expect:\n  - { event: +sdown, count: { min: -1 } }', 's.yaml:5: expect[0].count.min: -1 is below the minimum of 0'],
    ['expect:\n  - { key: k, value: [1] }', 's.yaml:5: expect[0].value: expected a string, a number or null, got a list'],
  ])('%s', async (yaml, message) => {
    expect(await refusal(yaml)).toBe(`${message}\n`);
  });

  it('a seed out of range, and a !!binary value (it was called "a mapping")', async () => {
    const dir = tempTree({
      'neg.yaml': `model: ${BASIC}\nseed: -1\nduration: 10s\n`,
      'bin.yaml': `model: ${BASIC}\nseed: 1\nduration: !!binary aGVsbG8=\n`,
    });
    const neg = await cli(['run', join(dir, 'neg.yaml')]);
    expect(neg.stderr).toBe(`${join(dir, 'neg.yaml')}:2: seed: -1 is below the minimum of 0\n`);
    const bin = await cli(['run', join(dir, 'bin.yaml')]);
    expect(bin.stderr).toBe(`${join(dir, 'bin.yaml')}:3: duration: expected string, got binary data\n`);
    expect([neg.code, bin.code]).toEqual([2, 2]);
  });
});
