import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

const scenario = (expect: string) => `model: ${BASIC}\nseed: 1\nduration: 10s\ntimeline:\n  - { at: 1s, crash: a }\nexpect:\n${expect}`;

describe('user patterns run on RE2 (linear time)', () => {
  it('a catastrophic-backtracking pattern in text: finishes the run (exit 1: it never matches)', async () => {
    const dir = tempTree({ 's.yaml': scenario('  - { event: +sdown, text: "^(.*)*X$" }\n') });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}\+sdown matching \/\^\(\.\*\)\*X\$\//);
  }, 20_000);

  it('the same pattern in a reply `matches:` finishes too', async () => {
    const dir = tempTree({
      's.yaml': `model: ${BASIC}\nseed: 1\nduration: 5s\ntimeline:\n  - { at: 1s, command: [ECHO, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"], to: a, label: e }\nexpect:\n  - { reply: e, matches: "^(a|a)*$X" }\n`,
    });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(1);
  }, 20_000);

  it('RE2 semantics: a matching pattern passes, unanchored', async () => {
    const dir = tempTree({ 's.yaml': scenario('  - { event: +sdown, text: "master \\\\w+ [0-9.]+ 6379" }\n') });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 20_000);

  it.each([
    ['a lookbehind (not RE2)', '(?<=a)b', /s\.yaml:7: bad regular expression \(RE2 syntax\): invalid named capture/],
    ['a backreference', '(a)\\\\1', /s\.yaml:7: bad regular expression \(RE2 syntax\): invalid escape sequence/],
    ['an unclosed group', '(a', /s\.yaml:7: bad regular expression \(RE2 syntax\): missing closing \)/],
    ['a repeat beyond RE2\'s 1000', 'a{1001}', /s\.yaml:7: bad regular expression \(RE2 syntax\): invalid repeat count/],
    ['an oversized program', '[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}[a-z]{1000}', /s\.yaml:7: bad regular expression \(RE2 syntax\): the pattern compiles to \d+ RE2 instructions; the limit is 20000/],
    ['a pattern over 1000 characters', 'a'.repeat(1001), /s\.yaml:7: bad regular expression \(RE2 syntax\): the pattern is 1001 characters long; the limit is 1000/],
  ])('%s is a clean file:line error, exit 2', async (_name, pattern, reason) => {
    const dir = tempTree({ 's.yaml': scenario(`  - { event: +sdown, text: "${pattern}" }\n`) });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(reason);
  });
});
