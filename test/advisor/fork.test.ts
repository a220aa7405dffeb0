import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forkGraph, NotForkable, planFork } from '../../src/advisor/fork.js';
import { planCheck, runPlannedCase, type CheckPlan } from '../../src/advisor/report.js';
import { realFactories, runCaseFrom, runCaseSeed, settle } from '../../src/advisor/simulate.js';
import { buildWorld } from '../../src/scenario/build.js';
import { loadModel } from '../../src/scenario/model.js';
import { rngStream } from '../../src/sim/rng.js';
import type { TraceRecord } from '../../src/sim/trace.js';

/**
 * check simulates each seed's settling (the time before the fault) once and runs every case on a
 * copy of that world (src/advisor/fork.ts). A copy must behave exactly as the world it copies:
 * a case run from a copy gives what the same case run from the start gives, seed by seed.
 */

const MODELS = ['redis-ha-demo', 'zato', 'docker-3node', 'haproxy', 'two-node'];

describe('a settled world, copied', () => {
  it('every shipped model builds and settles into worlds that can be copied (so check does fork, and does not silently start afresh)', () => {
    for (const m of MODELS) {
      const p = planCheck(loadModel(`models/${m}`), { seeds: [1] });
      expect(() => forkGraph(buildWorld(p.model, { seed: 1, factories: realFactories })), m).not.toThrow();
      const s = settle(p.deployment, 1, p.timing);
      expect(() => planFork(s.world), m).not.toThrow();
    }
  });

  it('after the fault, a copy logs what a world simulated from the start logs, record by record, for every kind of case of every shipped model', () => {
    let compared = 0;
    let records = 0;
    for (const m of MODELS) {
      const p = planCheck(loadModel(`models/${m}`), { seeds: [5], maxPartitions: 2 });
      const kinds = new Set<string>();
      const template = settle(p.deployment, 5, p.timing);
      const copy = planFork(template.world);
      for (let ci = 0; ci < p.cases.length; ci++) {
        const c = p.cases[ci]!;
        if (kinds.has(c.kind)) continue;
        kinds.add(c.kind);
        const fresh = settle(p.deployment, 5, p.timing);
        const forked = recordsOf(p, ci, 5, copy(), template.preFault);
        expect(forked.length, `${m} ${c.id}`).toBeGreaterThan(1);
        expect(forked, `${m} ${c.id}`).toEqual(recordsOf(p, ci, 5, fresh.world, fresh.preFault));
        compared++;
        records += forked.length;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(MODELS.length * 3);
    expect(records).toBeGreaterThan(10_000);
  });

  it('property: for any seed and any case of docker-3node, a case run from a copy gives what it gives from the start', () => {
    const p = planCheck(loadModel('models/docker-3node'), { maxPartitions: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat({ max: p.cases.length - 1 }), (seed, ci) => {
        expect(runPlannedCase(p, ci, seed)).toEqual(runCaseSeed(p.deployment, p.cases[ci]!, seed, p.timing));
      }),
      { numRuns: 8, seed: 20261207 },
    );
  });

  it('redis-ha-demo: every case, seed 2, from a copy equals the case run from the start', () => {
    const p = planCheck(loadModel('models/redis-ha-demo'), { seeds: [2] });
    expect(p.cases.length).toBeGreaterThan(50);
    for (let ci = 0; ci < p.cases.length; ci++) {
      for (const seed of p.plan.seeds) {
        const forked = runPlannedCase(p, ci, seed);
        const fresh = runCaseSeed(p.deployment, p.cases[ci]!, seed, p.timing);
        expect(forked, `${p.cases[ci]!.id} seed ${seed}`).toEqual(fresh);
      }
    }
  });

  it('the other shipped models: every case but the later partitions, seed 3, from a copy equals the case run from the start', () => {
    for (const m of MODELS.slice(1)) {
      const p = planCheck(loadModel(`models/${m}`), { seeds: [3], maxPartitions: 4 });
      for (let ci = 0; ci < p.cases.length; ci++) {
        expect(runPlannedCase(p, ci, 3), `${m} ${p.cases[ci]!.id}`).toEqual(runCaseSeed(p.deployment, p.cases[ci]!, 3, p.timing));
      }
    }
  });

  it('a copy does not touch what it copies: the template, run after its copy ran, gives the same outcome', () => {
    const p = planCheck(loadModel('models/zato'), { seeds: [4] });
    const ci = p.cases.findIndex((c) => c.kind === 'partition');
    const template = settle(p.deployment, 4, p.timing);
    const fromCopy = runCaseFrom(p.deployment, p.cases[ci]!, 4, forkGraph(template.world), template.preFault, p.timing);
    expect(template.world.nowUs).toBe(p.timing.faultAtUs - 1);
    const onTemplate = runCaseFrom(p.deployment, p.cases[ci]!, 4, template.world, template.preFault, p.timing);
    expect(onTemplate).toEqual(fromCopy);
    expect(onTemplate).toEqual(runCaseSeed(p.deployment, p.cases[ci]!, 4, p.timing));
  });
});

/**
 * Every record the world makes from 1 µs before the fault to the end of the case, at the trace's
 * full detail (each message with its connection, each timer): what a `run --trace` would write.
 * check's worlds are built without it; it is switched on here, for both worlds alike, once settled.
 */
function recordsOf(p: CheckPlan, ci: number, seed: number, w: ReturnType<typeof settle>['world'], preFault: readonly string[]): string[] {
  const out: string[] = [];
  (w as unknown as { full: boolean }).full = true;
  w.onRecord((r: TraceRecord) => out.push(JSON.stringify(r)));
  const outcome = runCaseFrom(p.deployment, p.cases[ci]!, seed, w, preFault, p.timing);
  out.push(JSON.stringify(outcome));
  return out;
}

describe('forkGraph', () => {
  it('keeps prototypes, shared references and cycles; shares functions and frozen objects', () => {
    class Box {
      items: unknown[] = [];
      size(): number {
        return this.items.length;
      }
    }
    const shared = { n: 1 };
    const frozen = Object.freeze({ k: 'v' });
    const fn = () => 1;
    const b = new Box();
    const root = { b, a: shared, again: shared, frozen, fn, map: new Map<unknown, unknown>([[shared, new Set([shared])]]), t: new Float64Array([1, 2]), self: null as unknown };
    root.self = root;
    b.items.push(root, 'x');
    const c = forkGraph(root);
    expect(c).not.toBe(root);
    expect(c.b).toBeInstanceOf(Box);
    expect(c.b.size()).toBe(2);
    expect(c.b.items[0]).toBe(c);
    expect(c.self).toBe(c);
    expect(c.a).not.toBe(shared);
    expect(c.again).toBe(c.a);
    expect([...c.map.keys()][0]).toBe(c.a);
    expect([...(c.map.get(c.a) as Set<unknown>)][0]).toBe(c.a);
    expect(c.frozen).toBe(frozen);
    expect(c.fn).toBe(fn);
    c.t[0] = 9;
    expect(root.t[0]).toBe(1);
    c.a.n = 2;
    expect(shared.n).toBe(1);
  });

  it('an RNG stream copies itself: the copy draws what the original would, and each goes on alone', () => {
    const r = rngStream(7, 'x');
    r.next();
    const holder = forkGraph({ r });
    const a = [r.next(), r.next(), r.hex40()];
    const b = [holder.r.next(), holder.r.next(), holder.r.hex40()];
    expect(b).toEqual(a);
    expect(holder.r).not.toBe(r);
  });

  it('refuses what it cannot copy faithfully: a proxy that is not a dataset snapshot, a Date, a subclassed Map, an own "__proto__" key', () => {
    expect(() => forkGraph({ p: new Proxy({ a: 1 }, {}) })).toThrow(NotForkable);
    expect(() => forkGraph({ o: JSON.parse('{"__proto__": {"x": 1}, "a": "1"}') })).toThrow(NotForkable);
    expect(() => forkGraph({ d: new Date(0) })).toThrow(NotForkable);
    expect(() => forkGraph({ m: new (class extends Map {})() })).toThrow(NotForkable);
  });

  it('a dataset (an object with no prototype) copies as one, "__proto__" and "constructor" keys included, in order, objects in it forked', () => {
    const db = Object.assign(Object.create(null) as Record<string, unknown>, JSON.parse('{"b": "2", "__proto__": "p", "constructor": "c", "7": "n"}'));
    db.o = { x: 1 };
    const c = forkGraph({ db, again: db });
    expect(Object.getPrototypeOf(c.db)).toBeNull();
    expect(Object.keys(c.db)).toEqual(['7', 'b', '__proto__', 'constructor', 'o']);
    expect(c.db.__proto__).toBe('p');
    expect(c.db.o).toEqual({ x: 1 });
    expect(c.db.o).not.toBe(db.o);
    expect(c.again).toBe(c.db);
    c.db.k = 'new';
    expect(db.k).toBeUndefined();
  });

  it('a dataset snapshot (a read-only proxy of strings) becomes a frozen dataset with the same keys in the same order', () => {
    const target = { b: '2', a: '1', 10: 'x' };
    const view = new Proxy({}, { ownKeys: () => Reflect.ownKeys(target), getOwnPropertyDescriptor: (_t, k) => Reflect.getOwnPropertyDescriptor(target, k), get: (_t, k) => Reflect.get(target, k) });
    const c = forkGraph({ view, again: view });
    expect(Object.keys(c.view)).toEqual(['10', 'b', 'a']);
    expect(c.view).toEqual({ 10: 'x', b: '2', a: '1' });
    expect(Object.isFrozen(c.view)).toBe(true);
    expect(Object.getPrototypeOf(c.view)).toBeNull();
    expect(c.again).toBe(c.view);
  });
});
