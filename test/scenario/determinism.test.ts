import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { HashTrace } from '../../src/sim/trace.js';
import { fakeFactories } from './fakes.js';

function hashOf(file: string, seed?: number): string {
  const h = new HashTrace();
  runScenario(loadScenario(file), { seed, trace: h, traceDetail: 'full', factories: fakeFactories });
  return h.digest();
}

describe('determinism of runs', () => {
  it('the same scenario and seed give the same trace bytes', () => {
    expect(hashOf('test/scenario/fixtures/basic.yaml')).toBe(hashOf('test/scenario/fixtures/basic.yaml'));
  });
  it('another seed gives another trace (link jitter is seeded)', () => {
    expect(hashOf('test/scenario/fixtures/basic.yaml', 1)).not.toBe(hashOf('test/scenario/fixtures/basic.yaml', 2));
  });
});
