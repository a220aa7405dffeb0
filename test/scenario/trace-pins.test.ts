import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runner.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { HashTrace, type TraceRecord } from '../../src/sim/trace.js';

/**
 * Full-trace hashes of every shipped scenario for seeds 1..20, pinned before the engine was
 * restructured (`node scripts/trace-pins.mjs` writes them from a build). A refactoring leaves every
 * byte of every trace unchanged; a deliberate model change rewrites the pins and its commit says why.
 */
const PINS = JSON.parse(readFileSync('test/scenario/trace-pins.json', 'utf8')) as Record<string, Record<string, string>>;
const root = resolve('.');

function digest(file: string, seed: number): string {
  const h = new HashTrace();
  // INFO's config_file line holds the checkout's absolute path: hash with it cut out.
  const trace = { write: (r: TraceRecord) => h.write(JSON.parse(JSON.stringify(r).replaceAll(root, '<repo>')) as TraceRecord) };
  runScenario(loadScenario(`scenarios/${file}`), { seed, trace, traceDetail: 'full' });
  return h.digest();
}

describe('pinned full-trace hashes of the shipped scenarios, seeds 1..20', () => {
  it('every shipped scenario is pinned', () => {
    const files = JSON.parse(JSON.stringify(Object.keys(PINS))) as string[];
    expect(files.length).toBeGreaterThanOrEqual(8);
  });
  for (const file of Object.keys(PINS)) {
    it(file, () => {
      const got: Record<string, string> = {};
      for (const seed of Object.keys(PINS[file]!)) got[seed] = digest(file, Number(seed));
      expect(got).toEqual(PINS[file]);
    });
  }
});
