import { describe, expect, it } from 'vitest';
import { checkLostWrites } from '../../src/check/lost-writes.js';
import { loadScenario, parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { TraceRecord } from '../../src/sim/trace.js';

const S = 1_000_000;
let n = 0;
function set(p: string, key: string, value: string, invokeS: number, outcome: 'ok' | 'fail' | 'info', doneS = invokeS + 0.001, extra: Record<string, unknown> = {}): TraceRecord[] {
  const id = ++n;
  return [
    { t: invokeS * S, k: 'op', p, n: id, phase: 'invoke', f: 'SET', key, value, to: 'm1', ...extra },
    { t: doneS * S, k: 'op', p, n: id, phase: outcome, f: 'SET', key, value, to: 'm1', ...extra },
  ];
}

describe('checkLostWrites (unit)', () => {
  it('unique keys: an acknowledged key missing or different on the final master is lost; failed and unknown writes are not', () => {
    const recs = [...set('a', 'k1', '1', 1, 'ok'), ...set('a', 'k2', '2', 2, 'ok'), ...set('a', 'k3', '3', 3, 'ok'), ...set('a', 'k4', '4', 4, 'ok'), ...set('a', 'k5', '5', 5, 'fail'), ...set('a', 'k6', '6', 6, 'info'), ...set('a', 'k7', '7', 7, 'ok')];
    const final: Record<string, string> = { k1: '1', k4: '4', k7: '7' };
    const rep = checkLostWrites(recs, 'm2', (k) => final[k] ?? null);
    expect(rep.lost.map((w) => w.key)).toEqual(['k2', 'k3']);
    expect(rep.windows).toEqual([{ client: 'a', fromMs: 2001, toMs: 3001, count: 2, ackedBy: ['m1'] }]);
    expect(rep.acknowledged).toEqual({ a: 5 });
    expect(rep.indeterminate).toBe(1);
  });

  it('a register: writes acknowledged after the surviving one was acknowledged are lost; overwritten ones are not', () => {
    const recs = [...set('a', 'r', '1', 1, 'ok'), ...set('a', 'r', '2', 2, 'ok'), ...set('a', 'r', '3', 3, 'ok'), ...set('a', 'r', '4', 4, 'ok')];
    const rep = checkLostWrites(recs, 'm2', () => '2');
    expect(rep.lost.map((w) => w.value)).toEqual(['3', '4']);
    expect(checkLostWrites(recs, 'm2', () => '4').lost).toEqual([]);
    expect(checkLostWrites(recs, 'm2', () => null).lost).toHaveLength(4);
    expect(checkLostWrites(recs, 'm2', () => 'foreign').unjudged).toEqual(['r']);
  });

  it('attributes proxied writes to the backend of their session; no final master: nothing checked', () => {
    const recs = set('a', 'k', 'v', 1, 'ok', 1.001, { conn: 42, to: 'haproxy' });
    const rep = checkLostWrites(recs, 'm2', () => null, (c) => (c === 42 ? 'redis_6379' : undefined));
    expect(rep.lost[0]!.ackedBy).toBe('redis_6379 via haproxy');
    const none = checkLostWrites(recs, null, () => null);
    expect(none.finalMaster).toBeNull();
    expect(none.lost).toEqual([]);
  });
});

describe('lost writes in simulated runs', () => {
  it('a minority-side master: every write it acknowledged while cut off is lost, in one window ending at its demotion', () => {
    const res = runScenario(loadScenario('scenarios/zato-partition-minority-master.yaml'));
    const rep = res.summary.lostWrites!;
    expect(rep.finalMaster).toBe('node2');
    expect(rep.windows).toHaveLength(1);
    const w = rep.windows[0]!;
    expect(w).toMatchObject({ client: 'zato', ackedBy: ['node1'] });
    expect(w.fromMs).toBeGreaterThanOrEqual(30_000);
    expect(w.fromMs).toBeLessThan(31_100);
    const conv = res.records.find((r) => r.k === 'event' && r.event === '+convert-to-slave')!;
    expect(w.toMs).toBeLessThanOrEqual(conv.t / 1000);
    expect(w.toMs).toBeGreaterThan(conv.t / 1000 - 1100);
    expect(w.count).toBe(rep.lost.length);
    expect(rep.lost.every((x) => x.finalValue === null)).toBe(true);
    expect(res.ok).toBe(true);
  });

  it('a clean failover (SHUTDOWN of the master, zato drill): no acknowledged write is lost', () => {
    const res = runScenario(loadScenario('scenarios/zato-stop-master.yaml'));
    const rep = res.summary.lostWrites!;
    expect(rep.acknowledged.zato).toBeGreaterThan(60);
    expect(rep.lost).toEqual([]);
  });

  it('lostWrites and writes expectations report what failed, with the windows as evidence', () => {
    const base = loadScenario('scenarios/zato-partition-minority-master.yaml');
    const text = `model: ${process.cwd()}/models/zato
seed: 1
duration: 120s
timeline:
  - { at: 30s, partition: { from: [redis1, zato1], to: [redis2, redis3] } }
  - { at: 70s, heal: true }
expect:
  - lostWrites: { max: 0 }
  - { lostWrites: 0, client: zato }
  - { writes: zato, by: node3, after: 80s }
`;
    const sc = parseScenario(text, 'inline.yaml', { model: base.model });
    const res = runScenario(sc);
    expect(res.expectations.map((e) => e.pass)).toEqual([false, false, false]);
    expect(res.expectations[0]!.evidence[0]).toMatch(/^\d+ of \d+ acknowledged writes lost \(expected 0\); checked against node2 at the end$/);
    expect(res.expectations[0]!.evidence[1]).toMatch(/^zato: \d+ acknowledged writes lost, acknowledged between 30\.\d{3}s and 80\.\d{3}s by node1$/);
    expect(res.expectations[2]!.evidence.join(' ; '), JSON.stringify(res.expectations[2])).toMatch(/also acknowledged in the window by: .*node2/);
  });
});
