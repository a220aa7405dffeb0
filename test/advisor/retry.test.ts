import { describe, expect, it } from 'vitest';
import { planCheck, foldCase } from '../../src/advisor/report.js';
import { retryCannotSwitch } from '../../src/advisor/retry.js';
import { runCaseSeed, type SeedOutcome } from '../../src/advisor/simulate.js';
import { loadModel } from '../../src/scenario/model.js';

/**
 * check stops watching a partition after its first attempt when the side without the master holds
 * no Redis process: a retry there cannot promote anyone. The claim is checked by running those
 * cases to the end of the retry window anyway and comparing everything the report shows.
 */

/** Every field of a seed's outcome except the watch's own bookkeeping (what a longer watch adds). */
const shown = (o: SeedOutcome) => {
  const { attempts: _a, watchedMs: _w, writesAcceptedUntilMs: _u, notElected: _n, ...rest } = o;
  return rest;
};

describe('a partition whose first attempt fails with no Redis on the side that lost the master', () => {
  const p = planCheck(loadModel('models/redis-ha-demo'));
  const ids = [
    'partition:redis-sentinel-1,redis-sentinel-2|redis-master,redis-slave-1,redis-slave-2,redis-sentinel-3',
    'partition:redis-sentinel-1,redis-sentinel-3|redis-master,redis-slave-1,redis-slave-2,redis-sentinel-2',
    'partition:redis-sentinel-2,redis-sentinel-3|redis-master,redis-slave-1,redis-slave-2,redis-sentinel-1',
    'partition:redis-master,redis-slave-1,redis-slave-2|redis-sentinel-1,redis-sentinel-2,redis-sentinel-3',
  ];
  const moot = ids.map((id) => p.cases.find((c) => c.id === id)!);

  it('redis-ha-demo has four: each Sentinel pair cut off, and all Sentinels against all Redis', () => {
    expect(moot.every((c) => c !== undefined)).toBe(true);
  });

  for (const seed of [1, 5]) {
    it(`seed ${seed}: stopping after the first attempt reports what watching the retry reports`, () => {
      const full = { ...p.timing, watchMootRetry: true };
      for (const c of moot) {
        const early = runCaseSeed(p.deployment, c, seed, p.timing);
        const late = runCaseSeed(p.deployment, c, seed, full);
        expect(early.watchedMs).toBe(p.plan.windowMs);
        expect(late.watchedMs).toBe(p.plan.retryWindowMs);
        // The retry did happen in the longer watch, and changed nothing the report shows.
        expect(late.attempts).toBeGreaterThan(early.attempts);
        expect(early.switchAtMs).toBeNull();
        expect(shown(early)).toEqual(shown(late));
        const a = foldCase(p.deployment, c, [early]);
        const b = foldCase(p.deployment, c, [late]);
        expect([a.cells, a.verdict, a.verdictText]).toEqual([b.cells, b.verdict, b.verdictText]);
      }
    });
  }
});

describe('retryCannotSwitch', () => {
  const demo = planCheck(loadModel('models/redis-ha-demo'));
  const part = (a: string[], b: string[]) => ({ k: 'partition' as const, a, b });
  const first = { leader: 'redis-sentinel-1', selected: null, sdownBy: ['redis-sentinel-1', 'redis-sentinel-2'] };
  const sentinelsApart = part(['redis-master', 'redis-slave-1', 'redis-slave-2', 'redis-sentinel-3'], ['redis-sentinel-1', 'redis-sentinel-2']);

  it('holds for the Sentinels cut off from every Redis process once a leader ran its selection', () => {
    expect(retryCannotSwitch(demo.deployment, sentinelsApart, first)).toBe(true);
  });

  it('not while the first attempt has no leader or no selection yet: a retry could still be the first to elect or select', () => {
    expect(retryCannotSwitch(demo.deployment, sentinelsApart, { ...first, leader: null })).toBe(false);
    expect(retryCannotSwitch(demo.deployment, sentinelsApart, { ...first, selected: undefined })).toBe(false);
  });

  it('not when a replica is on the side without the master: a Sentinel there could promote it', () => {
    const f = part(['redis-master', 'redis-slave-2', 'redis-sentinel-3'], ['redis-slave-1', 'redis-sentinel-1', 'redis-sentinel-2']);
    expect(retryCannotSwitch(demo.deployment, f, first)).toBe(false);
  });

  it('not when a Sentinel on the master\'s side saw the master down: it could start an attempt of its own', () => {
    expect(retryCannotSwitch(demo.deployment, sentinelsApart, { ...first, sdownBy: [...first.sdownBy, 'redis-sentinel-3'] })).toBe(false);
  });

  it('not for other faults, and not on models/two-node, whose partition leaves redis-b without the master', () => {
    expect(retryCannotSwitch(demo.deployment, { k: 'down', hosts: ['redis-master'], crashes: [], lost: ['redis-master'] }, first)).toBe(false);
    const two = planCheck(loadModel('models/two-node'));
    const c = two.cases.find((x) => x.kind === 'partition')!;
    expect(retryCannotSwitch(two.deployment, c.fault, { leader: 'sentinel-a', selected: null, sdownBy: [] })).toBe(false);
  });
});
