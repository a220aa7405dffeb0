import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../src/scenario/scenario.js';
import { loadModel } from '../../src/scenario/model.js';
import { runScenario } from '../../src/scenario/runner.js';
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

describe('Sentinel-aware client workload', () => {
  it('asks the Sentinels, then writes and reads its key every interval', () => {
    const model = loadModel('test/scenario/fixtures/withclient');
    const sc = parseScenario('model: x\nseed: 1\nduration: 8s\ntimeline:\n  - { at: 4500ms, pause: s1 }\n', 'inline.yaml', { model });
    const res = runScenario(sc, { factories: fakeFactories });
    const replies = res.records.filter((r) => r.k === 'reply' && r.p === 'app1');
    expect(replies.slice(0, 2).map((r) => [r.cmd, r.to, r.text])).toEqual([
      ['SET ts 1', 'a', 'OK'],
      ['GET ts', 'a', '"1"'],
    ]);
    const last = replies[replies.length - 1]!;
    expect(last.text).toBe("No master found for 'mymaster' (s1: timeout)");
  });
});
