import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, type CliRun } from '../cli/helpers.js';
import { tempTree } from './helpers.js';

/**
 * Fuzzers over the scenario reader, the model reader, the conf readers and the CLI flags, run
 * in-process through main(). Whatever the input: exit 0, 1, 2 (or 3, a run stopped by the event cap), never 70 (an internal error),
 * never a stack trace, and a 2 always starts with `something: reason`. Each case is bounded by
 * construction: simulated runs stop at --until 2s at most, so none can run long.
 *
 * CI runs FUZZ_RUNS (default 10,000) cases split over the four; `npm run fuzz` runs 100,000 with a
 * fresh seed (FUZZ_SEED fixes it; the default in CI is fixed so CI is reproducible).
 */

const TOTAL = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 15);
const share = (fraction: number) => Math.max(1, Math.round(TOTAL * fraction));
const params = (fraction: number) => ({ numRuns: share(fraction), seed: SEED, endOnFailure: true });

function assertClean(r: CliRun, what: string): void {
  const ctx = `${what}\n--- stderr ---\n${r.stderr.slice(0, 2000)}`;
  expect([0, 1, 2, 3], ctx).toContain(r.code);
  expect(r.stderr, ctx).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n|Maximum call stack|RangeError|TypeError|SyntaxError: Invalid regular/);
  // A 2 says why: `file:line: reason` / `error: ...` on stderr, or the usage when there were no arguments.
  if (r.code === 2) expect(r.stderr === '' ? r.stdout : r.stderr, ctx).toMatch(/^(\S[^\n]*: \S|error: |Usage)/);
}

/**
 * A Node warning printed on the process's stderr (the yaml package's "Keys with collection values
 * will be stringified", say) is output no `file:line: reason` explains: every property ends with none.
 */
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
beforeEach(() => {
  warnings.length = 0;
  process.on('warning', onWarning);
});
afterEach(async () => {
  // Warnings are emitted on a later tick than the call that raised them.
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  expect(warnings).toEqual([]);
});

// ---------------------------------------------------------------- text mutation

const YAML_BITS = ['[', ']', '{', '}', ':', '-', ' ', '\n', '  ', '"', "'", '&a', '*a', '!!str', '#', ',', '|', '>', '?', '%', '@', '`', '\t', '\0', 'é', '__proto__', 'constructor', '1e309', '-1', '0x10', '.inf', 'null', '~', 'true', '9999999999999999999'];

/** A text mutated at 1 to 6 places: a YAML-significant piece inserted, a span deleted or replaced. */
function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat({ max: base.length }), len: fc.nat({ max: 12 }), ins: fc.oneof(fc.constantFrom(...YAML_BITS), fc.string({ maxLength: 8 })) });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let s = base;
    for (const e of edits) {
      const at = Math.min(e.at, s.length);
      s = s.slice(0, at) + e.ins + s.slice(at + e.len);
    }
    return s;
  });
}

// ---------------------------------------------------------------- scenario reader

const BASIC = resolve('test/scenario/fixtures/basic');
const SCENARIO = `model: ${BASIC}
seed: 7
duration: 2s
timeline:
  - { at: 100ms, command: [CONFIG, GET, "maxmemory*"], to: a, label: cfg }
  - { at: 200ms, command: [SET, k, v], label: set }
  - { at: 300ms, sentinel: [get-master-addr-by-name, mymaster] }
  - { at: 400ms, crash: a }
  - { at: 500ms, partition: { from: [ha], to: [hb] } }
  - { at: 600ms, clock-jump: { host: ha, by: -1s } }
  - { at: 700ms, link: { from: ha, to: hb, latency: 5ms, loss: 0.1 } }
  - { at: 1s, restart: a }
  - { at: 1500ms, heal: true }
expect:
  - { event: +sdown, process: s1, text: "master \\\\w+", within: 2s, count: { min: 0, max: 3 } }
  - { master: a, at: 1s }
  - { key: k, value: v, at: 1500ms }
  - { reply: cfg, matches: "maxmemory", error: false }
  - { reply: set, equals: OK }
`;

describe('fuzz: the scenario reader', () => {
  it(`${share(0.2)} mutated scenarios: exit 0/1/2, never 70, no stack trace`, async () => {
    const dir = tempTree({});
    const file = join(dir, 's.yaml');
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 6, arbitrary: mutated(SCENARIO) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }), async (text) => {
        writeFileSync(file, text);
        assertClean(await cli(['run', file, '--until', '1s', '--format', 'json']), text);
      }),
      params(0.2),
    );
  });
});

// ---------------------------------------------------------------- model reader

const MODEL = `name: fuzz
hosts:
  - { name: ha, ip: 10.1.0.1, aliases: [node-a] }
  - { name: hb, ip: 10.1.0.2 }
processes:
  - { name: a, kind: redis, host: ha, config: a.conf }
  - { name: b, kind: redis, host: hb, config: b.conf, start: 100ms }
  - { name: s1, kind: sentinel, host: hb, config: s1.conf }
failureDomains:
  - { name: rack1, kind: rack, hosts: [ha], processes: [s1] }
links:
  - { from: ha, to: hb, latency: 1ms, jitter: 1ms, loss: 0 }
clients:
  - { name: app, host: ha, kind: sentinel-aware, master: mymaster, sentinels: [s1], every: 500ms }
  - { name: px, host: hb, kind: proxy, port: 7000, backends: [a, b] }
`;

describe('fuzz: the model reader', () => {
  it(`${share(0.2)} mutated models: exit 0/1/2, never 70, no stack trace`, async () => {
    const dir = tempTree({ 's.yaml': 'model: m\nseed: 1\nduration: 1s\n' });
    cpSync(BASIC, join(dir, 'm'), { recursive: true });
    await fc.assert(
      fc.asyncProperty(mutated(MODEL), async (text) => {
        writeFileSync(join(dir, 'm', 'model.yaml'), text);
        assertClean(await cli(['run', join(dir, 's.yaml'), '--format', 'json']), text);
      }),
      params(0.2),
    );
  });
});

// ---------------------------------------------------------------- conf readers

const WORDS = ['port', 'bind', 'replicaof', 'slaveof', 'include', 'rename-command', 'requirepass', 'masterauth', 'dir', 'save', 'sentinel', 'monitor',
  'down-after-milliseconds', 'known-replica', 'known-sentinel', 'config-epoch', 'leader-epoch', 'resolve-hostnames', 'announce-ip', 'mymaster',
  'maxmemory', 'user', 'loglevel', 'replica-priority', 'client-output-buffer-limit', 'latency-tracking-info-percentiles', 'proc-title-template'];
const ARGS = ['6379', '26379', '0', '-1', '65536', '10.1.0.1', '127.0.0.1', 'localhost', 'yes', 'no', 'one', '"a b"', "'x'", '"\\x41"', '""', '*', '[a-', '../x/*.conf',
  '/etc/passwd', '1gb', '100%', '{title}', '99999999999999999999', 'mymaster', 'é', '\\', '"unterminated'];
const confLine = fc.oneof(
  fc.tuple(fc.constantFrom(...WORDS), fc.array(fc.constantFrom(...ARGS, ...WORDS), { maxLength: 5 })).map(([w, a]) => [w, ...a].join(' ')),
  fc.string({ maxLength: 30 }),
);
const confText = fc.array(confLine, { maxLength: 12 }).map((ls) => ls.join('\n') + '\n');

describe('fuzz: the conf readers', () => {
  it(`${share(0.25)} generated redis.conf / sentinel.conf files, read by run and by lint`, async () => {
    const dir = tempTree({ 's.yaml': 'model: m\nseed: 1\nduration: 1s\n' });
    cpSync(BASIC, join(dir, 'm'), { recursive: true });
    await fc.assert(
      fc.asyncProperty(confText, fc.constantFrom('a.conf', 's1.conf'), async (text, which) => {
        const file = join(dir, 'm', which);
        writeFileSync(file, which === 's1.conf' ? `sentinel monitor mymaster 10.1.0.1 6379 1\n${text}` : text);
        assertClean(await cli(['run', join(dir, 's.yaml'), '--format', 'json']), `${which}:\n${text}`);
        assertClean(await cli(['lint', file]), `lint ${which}:\n${text}`);
      }),
      params(0.25),
    );
  });
});

// ---------------------------------------------------------------- CLI flags

const TOKENS = ['run', 'lint', 'check', '--seed', '--until', '--format', '--trace', '--print-config', '--allow-outside-model', '--help', '-h', '-v', '-V',
  '--mode', '--strict', '--seeds', '--max-partitions', 'log', 'jsonl', 'json', 'text', 'redis', 'sentinel', '1', '-1', '0', '1.5', '1e3', '2s', '0s', '-2s',
  '1m30s', '10x', '9007199254740993', '', ' ', '=', '--seed=3', '--until=1s', '--format=xml', '/nonexistent', '/', '.', '-', '--', '--bogus'];

describe('fuzz: CLI flags', () => {
  it(`${share(0.35)} argument lists: exit 0/1/2, never 70`, async () => {
    const dir = tempTree({ 'basic.yaml': `model: ${BASIC}\nseed: 1\nduration: 2s\n` });
    const scenarioFile = join(dir, 'basic.yaml');
    const conf = join(BASIC, 's1.conf');
    const arg = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.constantFrom(scenarioFile, conf, join(dir, 'out.jsonl'), dir) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { maxLength: 7 }), async (argv) => {
        // check runs the advisor (seconds per model), so it only ever gets bad targets here; run is bounded at 2 s simulated.
        if (argv[0] === 'check' && argv.some((a) => a === scenarioFile || a === dir || a === '.')) return;
        const full = argv[0] === 'run' ? [...argv, '--until', '2s'] : argv;
        // `-` reads stdin (run, lint): a small scenario, which lint reads as a config it refuses.
        assertClean(await cli(full, { stdinText: readFileSync(scenarioFile, 'utf8') }), JSON.stringify(full));
      }),
      params(0.35),
    );
  });
});
