import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JepsenHistory, edn } from '../../src/report/history.js';
import { HeaderSchema, TraceRecordSchema } from '../../src/recording/traceSchema.js';
import { cli } from './helpers.js';

/**
 * Issue 16 item 5: `run --out DIR`, a Jepsen-like run folder: trace.jsonl (the --trace file),
 * summary.json (what --format json prints), history.edn (a Jepsen history of the clients'
 * operations) and index.html (the --html page), written atomically; a bad DIR is `DIR: reason`, exit 2.
 */

const LOSSY = 'scenarios/zato-partition-minority-master.yaml';
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));

interface Op {
  type: string;
  f: string;
  key: string;
  value: string | null;
  process: number;
  time: number;
  index: number;
  client: string;
  error?: string;
}

/** Reads the EDN maps history.edn holds (this writer's shapes only: keywords, strings, integers, nil, a 2-tuple). */
function readHistory(text: string): Op[] {
  const str = '"((?:[^"\\\\]|\\\\.)*)"';
  const re = new RegExp(
    `^\\{:type :(invoke|ok|fail|info), :f :(write|read), :value \\[${str} (nil|${str})\\], :process (\\d+), :time (\\d+), :index (\\d+)(?:, :error ${str})?, :client ${str}\\}$`,
  );
  return text.trimEnd().split('\n').map((l) => {
    const m = re.exec(l);
    if (!m) throw new Error(`not a history line: ${l}`);
    return {
      type: m[1]!, f: m[2]!, key: m[3]!, value: m[4] === 'nil' ? null : m[5]!, process: Number(m[6]), time: Number(m[7]), index: Number(m[8]),
      ...(m[9] !== undefined ? { error: m[9] } : {}), client: m[10]!,
    };
  });
}

describe('run --out DIR', () => {
  it('writes trace.jsonl, summary.json, history.edn and index.html, the same as --trace, --format json and --html', async () => {
    const dir = tmp('run-out-');
    const out = join(dir, 'run');
    const a = await cli(['run', LOSSY, '--format', 'json', '--out', out, '--trace', join(dir, 't.jsonl'), '--html', join(dir, 'p.html')]);
    expect(a.code, a.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['p.html', 'run', 't.jsonl']);
    expect(readdirSync(out).sort()).toEqual(['history.edn', 'index.html', 'summary.json', 'trace.jsonl']);
    expect(readFileSync(join(out, 'trace.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 't.jsonl'), 'utf8'));
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe(readFileSync(join(dir, 'p.html'), 'utf8'));
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toEqual(JSON.parse(a.stdout));
    const [header, first] = readFileSync(join(out, 'trace.jsonl'), 'utf8').split('\n', 2).map((l) => JSON.parse(l));
    expect(HeaderSchema.parse(header)).toMatchObject({ scenario: LOSSY, records: 'all' });
    expect(TraceRecordSchema.safeParse(first).success).toBe(true);
  });

  it("history.edn is a well-formed Jepsen history of the clients' operations, matching the lost-writes count", async () => {
    const out = join(tmp('run-out-'), 'run');
    const r = await cli(['run', LOSSY, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const ops = readHistory(readFileSync(join(out, 'history.edn'), 'utf8'));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(ops.length).toBeGreaterThan(100);
    ops.forEach((o, i) => expect(o.index).toBe(i));
    for (let i = 1; i < ops.length; i++) expect(ops[i]!.time).toBeGreaterThanOrEqual(ops[i - 1]!.time);
    // Each process is single-threaded: invoke, then one completion with the same :f and key; after :info, never again.
    const open = new Map<number, Op>();
    const crashed = new Set<number>();
    for (const o of ops) {
      expect(crashed.has(o.process), `process ${o.process} reused after :info`).toBe(false);
      if (o.type === 'invoke') {
        expect(open.has(o.process)).toBe(false);
        open.set(o.process, o);
        continue;
      }
      const inv = open.get(o.process);
      expect(inv, `completion without invoke at ${o.index}`).toBeDefined();
      expect([o.f, o.key, o.client]).toEqual([inv!.f, inv!.key, inv!.client]);
      if (o.f === 'write') expect(o.value).toBe(inv!.value);
      if (o.type !== 'ok') expect(o.error).toBeDefined();
      if (o.type === 'info') crashed.add(o.process);
      open.delete(o.process);
    }
    // The acknowledged writes are the ones the lost-writes check counted (it reads the run's records up to the final probes too).
    const acked: Record<string, number> = {};
    for (const o of ops) if (o.type === 'ok' && o.f === 'write') acked[o.client] = (acked[o.client] ?? 0) + 1;
    expect(acked).toEqual(summary.lostWrites.acknowledged);
    expect(summary.lostWrites.lost.length).toBeGreaterThan(0);
    for (const lost of summary.lostWrites.lost) {
      expect(ops.some((o) => o.type === 'ok' && o.f === 'write' && o.key === lost.key && o.value === lost.value && o.client === lost.client)).toBe(true);
    }
  });

  it('the same run twice gives the same folder, byte for byte', async () => {
    const base = tmp('run-out-');
    for (const d of ['a', 'b']) expect((await cli(['run', 'scenarios/zato-stop-master.yaml', '--out', join(base, d)])).code).toBe(0);
    for (const f of ['trace.jsonl', 'summary.json', 'history.edn', 'index.html']) {
      expect(readFileSync(join(base, 'b', f), 'utf8'), f).toBe(readFileSync(join(base, 'a', f), 'utf8'));
    }
  });

  it('an empty DIR is filled', async () => {
    const out = tmp('run-out-empty-');
    expect((await cli(['run', 'scenarios/zato-stop-master.yaml', '--out', out])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['history.edn', 'index.html', 'summary.json', 'trace.jsonl']);
  });

  it('a bad DIR is `DIR: reason`, exit 2, before the run, and nothing is written', async () => {
    const dir = tmp('run-out-bad-');
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    const cases: [string, RegExp][] = [
      [full, /exists and is not empty/],
      [file, /exists and is not a folder/],
      [join(dir, 'no', 'such', 'run'), /cannot write the run folder: .*No such file or directory/],
      [join(file, 'run'), /cannot write the run folder: (Not a directory|.* is not a folder)/],
    ];
    for (const [out, why] of cases) {
      const r = await cli(['run', 'scenarios/zato-stop-master.yaml', '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `, 'm'));
      expect(r.stderr).toMatch(why);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
    expect(readdirSync(dir).sort()).toEqual(['file.txt', 'full']);
    expect(readdirSync(full)).toEqual(['keep.txt']);
  });

  it('a run that stops (event cap) leaves neither DIR nor its temporary folder', async () => {
    const dir = tmp('run-out-cap-');
    const r = await cli(['run', 'scenarios/zato-stop-master.yaml', '--max-events', '5000', '--out', join(dir, 'run')]);
    expect(r.code).toBe(3);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});

describe('the Jepsen history writer', () => {
  it('an operation never sent gets its invoke next to its fail; an :info retires the process', () => {
    const h = new JepsenHistory();
    const op = (t: number, phase: string, extra: object = {}) => h.lines({ t, k: 'op', p: 'w1', n: t, phase, f: 'SET', key: 'k', value: 'v', ...extra });
    expect(op(1, 'fail', { error: 'no master' })).toEqual([
      '{:type :invoke, :f :write, :value ["k" "v"], :process 0, :time 1000, :index 0, :client "w1"}',
      '{:type :fail, :f :write, :value ["k" "v"], :process 0, :time 1000, :index 1, :error "no master", :client "w1"}',
    ]);
    op(2, 'invoke');
    expect(h.lines({ t: 3, k: 'op', p: 'w1', n: 2, phase: 'info', f: 'SET', key: 'k', value: 'v', error: 'timeout' })[0]).toMatch(/^\{:type :info, .*:process 0, /);
    expect(op(4, 'invoke')[0]).toMatch(/:process 1, /);
    expect(h.lines({ t: 5, k: 'log', p: 'w1', text: 'x' })).toEqual([]);
  });

  it('reads carry nil on invoke and the value read on ok; EDN strings are escaped', () => {
    const h = new JepsenHistory();
    expect(h.lines({ t: 1, k: 'op', p: 'r', n: 1, phase: 'invoke', f: 'GET', key: 'k' })[0]).toContain(':value ["k" nil]');
    expect(h.lines({ t: 2, k: 'op', p: 'r', n: 1, phase: 'ok', f: 'GET', key: 'k', read: 'a"b\\c\n' })[0]).toContain(':value ["k" "a\\"b\\\\c\\n"]');
    expect(edn([1, null, true, { a: 'b' }])).toBe('[1 nil true {"a" "b"}]');
  });
});
