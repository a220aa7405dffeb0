import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, parseRedisConf, parseSentinelConf, splitArgs } from '../../src/config/index.js';

const MODELS = join(import.meta.dirname, '../../models');
const SEEDS = readdirSync(MODELS, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.conf'))
  .map((f) => readFileSync(join(MODELS, f), 'utf8'));

/** Run both readers; anything thrown must be an InputError naming the file. */
function onlyInputErrors(text: string): void {
  for (const read of [parseRedisConf, parseSentinelConf]) {
    try {
      read(text, 'fuzz.conf');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      expect(e.message.startsWith('fuzz.conf')).toBe(true);
    }
  }
}

const WORDS = [
  'port', 'bind', 'save', 'replicaof', 'slaveof', 'dir', 'sentinel', 'monitor', 'known-replica', 'known-sentinel',
  'down-after-milliseconds', 'myid', 'include', 'rename-command', 'user', 'maxmemory', 'appendonly', 'yes', 'no',
  '""', "''", '"a b"', '"\\x4', '"\\x41"', '#', '6379', '-1', '0', '99999999999999999999', '10kb', '1k', 'mymaster',
  '127.0.0.1', '::1', 'localhost', 'no', 'one', 'a.b', 'client-output-buffer-limit', 'normal', 'oom-score-adj-values',
  'unixsocketperm', '0777', 'latency-tracking-info-percentiles', '1e309', 'nan', 'shutdown-on-sigterm', 'save', 'now',
];

const line = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), { maxLength: 7 }).map((ws) => ws.join(' '));

describe('config readers: nothing but InputError ever escapes', () => {
  it('random lines of config-like words', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (ls) => onlyInputErrors(ls.join('\n'))), { numRuns: 400 });
  });
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyInputErrors(Buffer.from(b).toString('latin1'))),
      { numRuns: 400 },
    );
  });
  it('random unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), onlyInputErrors), { numRuns: 300 });
  });
  it('mutations of the seed files', () => {
    const mutation = fc.record({
      seed: fc.nat(SEEDS.length - 1),
      at: fc.nat(),
      del: fc.nat(8),
      ins: fc.oneof(fc.constantFrom('"', "'", '\\', '#', '\n', ' ', '\0', 'x', '0', '-', '\r', '\\x'), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let text = SEEDS[ms[0]!.seed]!;
        for (const m of ms) {
          const i = m.at % (text.length + 1);
          text = text.slice(0, i) + m.ins + text.slice(i + m.del);
        }
        onlyInputErrors(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('splitArgs mirrors sdssplitargs', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ['"a\\tb"', ['a\tb']],
    ["'it\\'s'", ["it's"]],
    ["'a\\nb'", ['a\\nb']],
    ['a\\_b', ['a\\_b']],
    ['"" x', ['', 'x']],
    ['a"b"', ['ab']],
    ['"ab"c', null],
    ['"ab', null],
    ['\u000bx', ['x']],
    ['x\u000by', ['x\u000by']],
  ] as const)('%j', (input, expected) => {
    expect(splitArgs(input)).toEqual(expected);
  });
  it('round-trips quoted words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }).filter((s) => !s.includes('\0')), { maxLength: 5 }), (ws) => {
        const quoted = ws.map((w) => '"' + w.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(' ');
        expect(splitArgs(quoted)).toEqual(ws);
      }),
    );
  });
});
