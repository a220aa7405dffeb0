import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { fakeFactories } from './fakes.js';

/**
 * Bad scenario and model files: each must give `file:line: reason` on stderr and exit 2, with
 * no stack trace. The expected line is the one carrying the marker comment `#<`.
 */

const BASIC = resolve('test/scenario/fixtures/basic');
const head = `model: ${BASIC}\nseed: 1\nduration: 30s\n`;

interface Case {
  readonly name: string;
  /** The scenario text (written as s.yaml). */
  readonly scenario: string;
  /** Extra files in the temp folder (a model, confs). */
  readonly files?: Record<string, string>;
  /** Which file the error must name (default s.yaml). */
  readonly errFile?: string;
  /** A piece of the reason. */
  readonly reason: RegExp;
}

const modelHead = (body: string) => `model: m\nseed: 1\nduration: 30s\n${body}`;
const okConfs = {
  'm/a.conf': 'port 6379\n',
  'm/b.conf': 'port 6380\nreplicaof 10.9.0.1 6379\n',
  'm/s.conf': 'port 26379\nsentinel monitor mm 10.9.0.1 6379 1\n',
};
const modelWith = (yaml: string): Record<string, string> => ({ ...okConfs, 'm/model.yaml': yaml });
const goodModel = `hosts:
  - { name: h1, ip: 10.9.0.1 }
  - { name: h2, ip: 10.9.0.2 }
processes:
  - { name: a, kind: redis, host: h1, config: a.conf }
  - { name: b, kind: redis, host: h2, config: b.conf }
  - { name: s, kind: sentinel, host: h2, config: s.conf }
`;

const CASES: Case[] = [
  { name: 'YAML syntax error', scenario: `${head}timeline:\n  - at: 1s\n    crash: a\n   pause: b #<\n`, reason: /YAML syntax error/ },
  { name: 'top level is a list', scenario: `- model: x #<\n`, reason: /must be a mapping/ },
  { name: 'missing model', scenario: `seed: 1 #<\nduration: 10s\n`, reason: /missing required key "model"/ },
  { name: 'unknown top-level key', scenario: `${head}expectations: [] #<\n`, reason: /unknown key "expectations" \(did you mean "expect"\?\)/ },
  { name: 'seed not an integer', scenario: `model: ${BASIC}\nseed: abc #<\nduration: 10s\n`, reason: /seed: expected number/ },
  { name: 'duration without unit', scenario: `model: ${BASIC}\nseed: 1\nduration: 60 #<\n`, reason: /duration: expected string, got 60/ },
  { name: 'duration not a duration', scenario: `model: ${BASIC}\nseed: 1\nduration: ten seconds #<\n`, reason: /is not a duration/ },
  { name: 'model path not found', scenario: `model: nowhere #<\nseed: 1\nduration: 10s\n`, reason: /model .*nowhere: model not found/ },
  { name: 'action without at', scenario: `${head}timeline:\n  - { crash: a } #<\n`, reason: /missing required key "at"/ },
  { name: 'at without unit', scenario: `${head}timeline:\n  - { at: 5, crash: a } #<\n`, reason: /expected string, got 5/ },
  { name: 'unknown action', scenario: `${head}timeline:\n  - at: 1s\n    explode: a #<\n`, reason: /unknown action "explode"; expected one of: crash/ },
  { name: 'two actions in one entry', scenario: `${head}timeline:\n  - at: 1s\n    crash: a\n    pause: b #<\n`, reason: /one action per entry: found both "crash" and "pause"/ },
  { name: 'unknown process', scenario: `${head}timeline:\n  - at: 1s\n    crash: nobody #<\n`, reason: /unknown process "nobody" \(the model has: a, b, s1\)/ },
  { name: 'unknown host in a partition', scenario: `${head}timeline:\n  - at: 1s\n    partition:\n      from: [ha]\n      to: [hz] #<\n`, reason: /unknown host "hz"/ },
  { name: 'host on both sides', scenario: `${head}timeline:\n  - at: 1s\n    partition: #<\n      from: [ha]\n      to: [a]\n`, reason: /host "ha" is on both sides/ },
  { name: 'action after the end', scenario: `${head}timeline:\n  - { at: 31s, crash: a } #<\n`, reason: /at 31s is after the end of the run \(duration 30s\)/ },
  { name: 'loss above 1', scenario: `${head}timeline:\n  - at: 1s\n    link:\n      from: ha\n      to: hb\n      loss: 1.5 #<\n`, reason: /link\.loss/ },
  { name: 'empty command', scenario: `${head}timeline:\n  - at: 1s\n    command: [] #<\n`, reason: /command/ },
  { name: 'a { bytes } value above 64 MiB', scenario: `${head}timeline:\n  - { at: 1s, command: [SET, k, { bytes: 70000000 }], to: a } #<\n`, reason: /bytes/ },
  {
    name: '{ bytes } values above 256 MiB in a scenario',
    scenario: `${head}timeline:\n  - { at: 1s, command: [MSET, a, { bytes: 60000000 }, b, { bytes: 60000000 }, c, { bytes: 60000000 }, d, { bytes: 60000000 }, e, { bytes: 60000000 }], to: a } #<\n`,
    reason: /add up to more than 268435456 bytes \(256 MiB\), the limit for a scenario/,
  },
  { name: 'sentinel command to a redis node', scenario: `${head}timeline:\n  - at: 1s\n    sentinel: [failover, mymaster]\n    to: a #<\n`, reason: /"a" is a redis process, expected a sentinel/ },
  { name: 'unknown expectation kind', scenario: `${head}expect:\n  - happens: +sdown #<\n`, reason: /unknown expectation "happens"/ },
  { name: 'misspelt event', scenario: `${head}expect:\n  - event: +swich-master #<\n`, reason: /unknown Sentinel event "\+swich-master" \(did you mean "\+switch-master"\?\)/ },
  { name: 'bad regular expression', scenario: `${head}expect:\n  - event: +sdown\n    text: "([a-" #<\n`, reason: /bad regular expression/ },
  { name: 'reply to an unknown label', scenario: `${head}expect:\n  - reply: nolabel #<\n    equals: OK\n`, reason: /no command in the timeline has label "nolabel"/ },
  { name: 'count min above max', scenario: `${head}expect:\n  - event: +sdown\n    count: { min: 3, max: 1 } #<\n`, reason: /count min 3 is greater than max 1/ },
  { name: 'master naming a sentinel', scenario: `${head}expect:\n  - master: s1 #<\n    at: 5s\n`, reason: /"s1" is a sentinel process, expected a redis/ },
  { name: 'window ends before it starts', scenario: `${head}expect:\n  - event: +sdown\n    after: 10s\n    before: 5s #<\n`, reason: /the window ends \(5s\) before it starts \(10s\)/ },
  { name: 'duplicate key', scenario: `${head}seed: 2 #<\n`, reason: /YAML syntax error: .*[Uu]nique/ },
  { name: 'clock drift out of range', scenario: `${head}timeline:\n  - at: 1s\n    clock-drift:\n      host: ha\n      ppm: 2000000 #<\n`, reason: /would stop or reverse the clock/ },
  { name: 'reply without a condition', scenario: `${head}timeline:\n  - { at: 1s, command: [PING], to: a, label: p }\nexpect:\n  - reply: p #<\n`, reason: /say what the reply should be/ },
  // ---- model files
  { name: 'model: ip is not an address', scenario: modelHead(''), files: modelWith(goodModel.replace('ip: 10.9.0.2 }', 'ip: hosttwo } #<')), errFile: 'm/model.yaml', reason: /"hosttwo" is not an IP address/ },
  { name: 'model: two hosts share an address', scenario: modelHead(''), files: modelWith(goodModel.replace('ip: 10.9.0.2 }', 'ip: 10.9.0.1 } #<')), errFile: 'm/model.yaml', reason: /share the address 10\.9\.0\.1/ },
  { name: 'model: process on an unknown host', scenario: modelHead(''), files: modelWith(goodModel.replace('host: h2, config: b.conf }', 'host: h9, config: b.conf } #<')), errFile: 'm/model.yaml', reason: /unknown host "h9"/ },
  { name: 'model: config file missing', scenario: modelHead(''), files: modelWith(goodModel.replace('config: b.conf }', 'config: nope.conf } #<')), errFile: 'm/model.yaml', reason: /nope\.conf not found/ },
  { name: 'model: bad directive in a .conf', scenario: modelHead(''), files: { ...modelWith(goodModel), 'm/b.conf': 'port 6380\nmaxmemory-polcy allkeys-lru #<\n' }, errFile: 'm/b.conf', reason: /maxmemory-polcy|Bad directive/ },
  { name: 'model: duplicate process', scenario: modelHead(''), files: modelWith(goodModel.replace('{ name: b, kind: redis', '{ name: a, kind: redis').replace('config: b.conf }', 'config: b.conf } #<')), errFile: 'm/model.yaml', reason: /process "a" is defined twice/ },
  { name: 'model: port clash', scenario: modelHead(''), files: { ...modelWith(goodModel.replace('host: h2, config: b.conf }', 'host: h1, config: b.conf } #<')), 'm/b.conf': 'port 6379\n' }, errFile: 'm/model.yaml', reason: /processes "a" \(line \d+\) and "b" both listen on 10\.9\.0\.1:6379 \(host "h1"\); real Redis refuses the second: "Could not create server TCP listening socket 10\.9\.0\.1:6379: bind: Address already in use"/ },
  { name: 'model: sentinel without monitor', scenario: modelHead(''), files: modelWith(goodModel.replace('config: s.conf }', 'config: a.conf } #<')), errFile: 'm/model.yaml', reason: /no "sentinel monitor" line/ },
  { name: 'model: failure domain names an unknown process', scenario: modelHead(''), files: modelWith(`${goodModel}failureDomains:\n  - name: rack1\n    kind: rack\n    processes: [a, zz] #<\n`), errFile: 'm/model.yaml', reason: /unknown process "zz" in failure domain "rack1"/ },
  { name: 'model: unknown key', scenario: modelHead(''), files: modelWith(goodModel.replace('config: a.conf }', 'conf: a.conf } #<')), errFile: 'm/model.yaml', reason: /unknown key "conf" \(did you mean "config"\?\)/ },
  { name: 'model: no processes', scenario: modelHead(''), files: modelWith(`hosts: #<\n  - { name: h1, ip: 10.9.0.1 }\n`), errFile: 'm/model.yaml', reason: /missing required key "processes"/ },
  { name: 'model: proxy without port', scenario: modelHead(''), files: modelWith(`${goodModel}clients:\n  - { name: px, kind: proxy, host: h1, backends: [a] } #<\n`), errFile: 'm/model.yaml', reason: /a proxy needs "port"/ },
  { name: 'model: unknown kind', scenario: modelHead(''), files: modelWith(goodModel.replace('kind: redis, host: h1', 'kind: valkey, host: h1').replace('config: a.conf }', 'config: a.conf } #<')), errFile: 'm/model.yaml', reason: /"valkey" is not one of "redis", "sentinel"/ },
];

function markerLine(text: string): number {
  const i = text.split('\n').findIndex((l) => l.includes('#<'));
  if (i < 0) throw new Error('fixture has no #< marker');
  return i + 1;
}

describe('bad scenario and model files: file:line and exit 2', () => {
  it(`has at least 20 kinds`, () => expect(CASES.length).toBeGreaterThanOrEqual(20));
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-bad-'));
      for (const [p, text] of Object.entries(c.files ?? {})) {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), text);
      }
      const file = join(dir, 's.yaml');
      writeFileSync(file, c.scenario);
      const errFile = c.errFile ?? 's.yaml';
      const line = markerLine(errFile === 's.yaml' ? c.scenario : c.files![errFile]!);
      const r = await cli(['run', file], { factories: fakeFactories });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const first = r.stderr.split('\n')[0]!;
      expect(first.startsWith(`${join(dir, errFile)}:${line}: `), `stderr: ${r.stderr}`).toBe(true);
      expect(first).toMatch(c.reason);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    });
  }
});
