import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceSchemaFiles } from '../../src/recording/emitTraceSchema.js';
import { decodeRecord, encodeRecord } from '../../src/recording/traceCodec.js';
import { loadTraceText } from '../../src/recording/traceFile.js';
import { documentedKeys, HeaderSchema, TraceLineSchema, TraceRecordSchema } from '../../src/recording/traceSchema.js';
import { modelHash } from '../../src/scenario/modelHash.js';
import { loadModel } from '../../src/scenario/model.js';
import { runScenario } from '../../src/scenario/runner.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { cli } from './helpers.js';

/**
 * Issue 16 item 4: `run --format jsonl` and `run --trace` write one vocabulary (timeMs in ms, kind,
 * process, ...), start with a header, and every line they write is documented by the versioned
 * schema in schema/ (generated from the zod schemas this test validates against).
 */

const SCENARIOS = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();
const lines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the saved-run schema (schema/trace.v1.schema.json)', () => {
  it('the shipped JSON Schema equals the one generated from the zod schemas (npm run schema)', () => {
    const files = traceSchemaFiles();
    expect(Object.keys(files)).toEqual(['trace.v1.schema.json']);
    expect(readFileSync('schema/trace.v1.schema.json', 'utf8')).toBe(files['trace.v1.schema.json']);
    const s = JSON.parse(files['trace.v1.schema.json']!);
    // One strict object per kind: the header and the nine record kinds.
    expect(s.oneOf).toHaveLength(10);
    for (const o of s.oneOf) expect(o.additionalProperties).toBe(false);
  });

  it('every --trace of every shipped scenario is valid line by line, starts with its header and covers every kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-trace-'));
    const kinds = new Set<string>();
    for (const f of SCENARIOS) {
      const out = join(dir, `${f}.jsonl`);
      const r = await cli(['run', `scenarios/${f}`, '--seed', '3', '--trace', out]);
      expect(r.code, r.stderr).toBeLessThan(2);
      const [header, ...recs] = lines(readFileSync(out, 'utf8'));
      expect(HeaderSchema.parse(header)).toMatchObject({
        scenario: `scenarios/${f}`, seed: 3, records: 'all', modelHash: modelHash(loadScenario(`scenarios/${f}`).model),
      });
      expect(recs.length).toBeGreaterThan(100);
      recs.forEach((rec, i) => {
        const v = TraceRecordSchema.safeParse(rec);
        expect(v.success, `${f}:${i + 2}: ${JSON.stringify(rec)}: ${v.error?.message}`).toBe(true);
        kinds.add(rec.kind as string);
      });
      // The clock: ms with µs precision, never going back.
      for (let i = 1; i < recs.length; i++) expect(recs[i]!.timeMs as number).toBeGreaterThanOrEqual(recs[i - 1]!.timeMs as number);
      for (const rec of recs) expect(String(rec.timeMs)).toMatch(/^\d+(\.\d{1,3})?$/);
    }
    expect([...kinds].sort()).toEqual(['event', 'fault', 'log', 'msg', 'net', 'op', 'reply', 'state', 'timer']);
  }, 120_000);

  it('--format jsonl: the same header (events only), then exactly the event lines of the --trace file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-jsonl-'));
    const trace = join(dir, 't.jsonl');
    const r = await cli(['run', 'scenarios/zato-stop-master.yaml', '--format', 'jsonl', '--trace', trace]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout.trim().split('\n');
    const [header, ...events] = out.map((l) => TraceLineSchema.parse(JSON.parse(l)));
    const [fullHeader, ...all] = readFileSync(trace, 'utf8').trim().split('\n');
    expect(header).toEqual({ ...JSON.parse(fullHeader!), records: 'events' });
    expect(events.length).toBeGreaterThan(20);
    expect(events.every((e) => e.kind === 'event')).toBe(true);
    // Same keys, same units: a jsonl line is byte for byte the trace's line for that event (up to the run's end).
    const traceEvents = all.filter((l) => JSON.parse(l).kind === 'event');
    expect(traceEvents.slice(0, out.length - 1)).toEqual(out.slice(1));
  });

  it('a key the writer adds without documenting it fails the schema', () => {
    const ok = encodeRecord({ t: 1500, k: 'event', p: 's1', level: 'warning', event: '+sdown', text: 'master m 1.2.3.4 6379' });
    expect(ok).toEqual({ timeMs: 1.5, kind: 'event', process: 's1', level: 'warning', event: '+sdown', text: 'master m 1.2.3.4 6379' });
    expect(TraceRecordSchema.safeParse(ok).success).toBe(true);
    expect(TraceRecordSchema.safeParse({ ...ok, epoch: 3 }).success).toBe(false);
    expect(TraceRecordSchema.safeParse(encodeRecord({ t: 0, k: 'timer', p: 'a', key: 'cron', extra: 1 })).success).toBe(false);
    expect(TraceRecordSchema.safeParse({ ...ok, kind: 'novel' }).success).toBe(false);
  });

  it('schema/README.md documents every key of every kind', () => {
    const readme = readFileSync('schema/README.md', 'utf8');
    for (const [kind, keys] of Object.entries(documentedKeys())) {
      const section = kind === 'header' ? readme.slice(readme.indexOf('### header'), readme.indexOf('### records')) : readme.split('\n').find((l) => l.startsWith(`| \`${kind}\` |`));
      expect(section, kind).toBeDefined();
      for (const k of keys.filter((x) => x !== 'timeMs' && x !== 'kind')) expect(section, `${kind}.${k}`).toContain(`\`${k}\``);
    }
  });

  it('serialization only renames: each record of a run comes back exactly as the model wrote it', () => {
    const mem = new MemoryTrace();
    runScenario(loadScenario('scenarios/haproxy-segfault-master.yaml'), { trace: mem, traceDetail: 'full' });
    expect(mem.records.length).toBeGreaterThan(1000);
    for (const r of mem.records) expect(decodeRecord(JSON.parse(JSON.stringify(encodeRecord(r))))).toEqual(r);
    // A sync's own full/partial survives next to the record's kind.
    const sync = mem.records.find((r) => r.k === 'state' && r.what === 'sync');
    expect(sync).toBeDefined();
    expect(encodeRecord(sync!)).toMatchObject({ kind: 'state', syncKind: sync!.kind });
  });
});

describe('the header', () => {
  it("modelHash changes with a file's contents, not with the folder's place", () => {
    const a = mkdtempSync(join(tmpdir(), 'schema-model-'));
    const b = mkdtempSync(join(tmpdir(), 'schema-model-'));
    cpSync('models/zato', a, { recursive: true });
    cpSync('models/zato', b, { recursive: true });
    const h = modelHash(loadModel('models/zato'));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(modelHash(loadModel(a))).toBe(h);
    const conf = readdirSync(b).find((f) => f.endsWith('.conf'))!;
    writeFileSync(join(b, conf), `${readFileSync(join(b, conf), 'utf8')}# edited\n`);
    expect(modelHash(loadModel(b))).not.toBe(h);
  });
});

describe('the player reads saved runs', () => {
  it('a new trace and the same run in the old {t, k} form give the same log; the header gives the seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-play-'));
    const file = join(dir, 'run.jsonl');
    expect((await cli(['run', 'scenarios/zato-stop-master.yaml', '--seed', '5', '--trace', file])).code).toBe(0);
    const now = loadTraceText(readFileSync(file, 'utf8'), file);
    const old = loadTraceText(
      readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => JSON.stringify(decodeRecord(JSON.parse(l)))).join('\n'),
      'old.jsonl',
    );
    expect(now.seed).toBe(5);
    expect(now.log.length).toBeGreaterThan(50);
    expect(now.log).toEqual(old.log);
    expect(now.totalUs).toBe(old.totalUs);
  });

  it('an old --format jsonl file (no header, no kind) is still read', () => {
    const rec = loadTraceText('{"timeMs":1.5,"process":"s1","level":"warning","event":"+sdown","text":"master m 1.2.3.4 6379"}\n', 'old.jsonl');
    expect(rec.totalUs).toBe(1500);
    expect(rec.log).toHaveLength(1);
  });

  it('a newer schema version or another schema is refused with file:line', () => {
    const later = '{"timeMs":0,"kind":"log","process":"a","level":"notice","text":"x"}\n{"kind":"header","schema":"sentinel-sim/trace","version":2,"seed":1}\n';
    expect(() => loadTraceText(later, 'x.jsonl')).toThrow(/^x\.jsonl:2: trace schema version 2: this sentinel-sim reads versions up to 1/);
    expect(() => loadTraceText('{"kind":"header","schema":"other","version":1}\n', 'y.jsonl')).toThrow(/^y\.jsonl:1: a header of schema "other"/);
  });
});
