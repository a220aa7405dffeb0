import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTraceText } from '../../src/recording/traceFile.js';
import { cli } from '../cli/helpers.js';
import { tempTree } from './helpers.js';

/**
 * A saved run given to `play` is input like a scenario: a record of the current schema that does
 * not fit it used to be drawn as "0.001 undefined [undefined] undefined -> undefined" or dropped
 * without a word, and an empty file played as a run of 0 s, exit 0. Each is now `file:line: reason`.
 */

const HEADER = '{"kind":"header","schema":"sentinel-sim/trace","version":1,"seed":1}';
const load = (line: string) => () => loadTraceText(`${HEADER}\n${line}\n`, 'r.jsonl');

describe('play: trace records are checked against the trace schema', () => {
  it.each([
    ['{"timeMs":1,"kind":"reply"}', 'r.jsonl:2: not a trace record of schema version 1: missing "process"'],
    ['{"timeMs":1,"kind":"fault"}', 'r.jsonl:2: not a trace record of schema version 1: missing "what"'],
    ['{"timeMs":1,"kind":"event","process":"s1","level":"#","event":"+x","text":"t"}', 'r.jsonl:2: not a trace record of schema version 1: level: '],
    ['{"timeMs":-5,"kind":"event","process":"s1","level":"warning","event":"+x","text":"t"}', 'r.jsonl:2: not a trace record of schema version 1: timeMs: '],
    ['{"timeMs":1,"kind":"event","process":5,"level":"warning","event":"+x","text":"t"}', 'r.jsonl:2: not a trace record of schema version 1: process: '],
    ['{"timeMs":1,"kind":"event","process":"s1","level":"warning","event":"+x","text":"t","zz":1}', 'r.jsonl:2: not a trace record of schema version 1: unknown key "zz"'],
    ['{"timeMs":1,"kind":"bogus"}', 'r.jsonl:2: not a trace record of schema version 1: kind: '],
    ['{"timeMs":1e300,"kind":"event","process":"s1","level":"warning","event":"+x","text":"t"}', 'r.jsonl:2: timeMs 1e+300 is past the end of the longest run sentinel-sim makes (720h)'],
  ])('%s', (line, message) => {
    expect(load(line)).toThrow(message);
  });

  it('a record that fits still plays', () => {
    const rec = load('{"timeMs":1.5,"kind":"event","process":"s1","level":"warning","event":"+sdown","text":"master m 1.2.3.4 6379"}')();
    expect(rec.log.map((l) => l.line)).toEqual([expect.stringContaining('+sdown master m 1.2.3.4 6379')]);
    expect(rec.seed).toBe(1);
  });

  it('an empty file (or blank lines only) is not a saved run: exit 2, no 0 s "run"', async () => {
    const dir = tempTree({ 'e.jsonl': '', 'n.jsonl': '\n\n' });
    for (const f of ['e.jsonl', 'n.jsonl']) {
      const r = await cli(['play', join(dir, f)]);
      expect(r.stderr).toContain(`${join(dir, f)}:1: no header and no record: an empty file is not a saved run`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
  });
});
