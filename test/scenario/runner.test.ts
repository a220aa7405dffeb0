import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { HashTrace } from '../../src/sim/trace.js';
import { fakeFactories } from './fakes.js';

const BASIC = 'test/scenario/fixtures/basic.yaml';

describe('runScenario with fake nodes', () => {
  it('runs the timeline, records replies and checks every expectation', () => {
    const res = runScenario(loadScenario(BASIC), { factories: fakeFactories });
    for (const e of res.expectations) expect({ name: e.name, pass: e.pass, evidence: e.evidence }).toMatchObject({ pass: true });
    expect(res.ok).toBe(true);
    expect(res.summary.finalRoles).toEqual({ a: 'master', b: 'slave' });
    expect(res.summary.eventCounts['+sdown']).toBe(1);
  });
});
