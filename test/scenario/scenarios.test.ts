import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { HashTrace } from '../../src/sim/trace.js';

/** Every shipped scenario runs with the real Redis and Sentinel models and its expectations hold. */
const FILES = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();

describe('shipped scenarios', () => {
  it('there are scenarios', () => expect(FILES.length).toBeGreaterThan(0));
  for (const f of FILES) {
    it(`${f}: every expectation holds`, () => {
      const res = runScenario(loadScenario(`scenarios/${f}`));
      const failed = res.expectations.filter((e) => !e.pass).map((e) => `${e.name}: ${e.evidence.join(' | ')}`);
      expect(failed).toEqual([]);
    });
  }
});

describe('determinism with the real models', () => {
  const hash = (seed?: number) => {
    const h = new HashTrace();
    runScenario(loadScenario('scenarios/zato-stop-master.yaml'), { seed, trace: h, traceDetail: 'full' });
    return h.digest();
  };
  it('same scenario and seed: byte-identical trace', () => expect(hash()).toBe(hash()));
  it('another seed: a different trace', () => expect(hash(2)).not.toBe(hash(1)));
});
