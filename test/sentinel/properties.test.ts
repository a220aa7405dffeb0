import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deploy, type Deployment } from './harness.js';
import { clockJump, crash, heal, partition, pause, resume } from '../../src/faults/index.js';

const S = 1e6;

type Fault =
  | { k: 'crash' | 'start' | 'pause' | 'resume'; target: string }
  | { k: 'partition'; side: string[] }
  | { k: 'heal' }
  | { k: 'jump'; host: string; ms: number };

const deploymentArb = fc
  .record({ sentinels: fc.integer({ min: 1, max: 5 }), replicas: fc.integer({ min: 1, max: 3 }), quorumBias: fc.integer({ min: 0, max: 4 }) })
  .map(({ sentinels, replicas, quorumBias }): Deployment => {
    const nHosts = Math.max(sentinels, replicas + 1);
    const hosts = Array.from({ length: nHosts }, (_, i) => ({ name: `h${i + 1}`, ip: `10.0.0.${i + 1}` }));
    return {
      hosts,
      nodes: Array.from({ length: replicas + 1 }, (_, i) => ({ name: `r${i + 1}`, host: `h${i + 1}`, port: 6379, ...(i > 0 ? { replicaOf: 'r1' } : {}) })),
      sentinels: Array.from({ length: sentinels }, (_, i) => ({ name: `s${i + 1}`, host: `h${i + 1}`, port: 26379 })),
      quorum: 1 + (quorumBias % sentinels),
      downAfterMs: 2000,
      failoverTimeoutMs: 6000,
    };
  });

function faultArb(d: Deployment): fc.Arbitrary<{ atMs: number; f: Fault }[]> {
  const procs = [...d.nodes.map((n) => n.name), ...d.sentinels.map((s) => s.name)];
  const hosts = d.hosts.map((h) => h.name);
  const fault: fc.Arbitrary<Fault> = fc.oneof(
    fc.record({ k: fc.constantFrom('crash', 'start', 'pause', 'resume' as const), target: fc.constantFrom(...procs) }) as fc.Arbitrary<Fault>,
    fc.subarray(hosts, { minLength: 1, maxLength: Math.max(1, hosts.length - 1) }).map((side): Fault => ({ k: 'partition', side })),
    fc.constant<Fault>({ k: 'heal' }),
    fc.record({ host: fc.constantFrom(...hosts), ms: fc.integer({ min: -5000, max: 8000 }) }).map((x): Fault => ({ k: 'jump', ...x })),
  );
  return fc.array(fc.record({ atMs: fc.integer({ min: 5_000, max: 80_000 }), f: fault }), { maxLength: 8 }).map((xs) => [...xs].sort((a, b) => a.atMs - b.atMs));
}

const scenarioArb = deploymentArb.chain((d) => fc.tuple(fc.constant(d), faultArb(d), fc.integer({ min: 1, max: 1_000_000 })));

function runScenario(d: Deployment, faults: { atMs: number; f: Fault }[], seed: number) {
  const r = deploy(d, seed);
  const w = r.world;
  for (const { atMs, f } of faults) {
    w.at(atMs * 1000, f.k, () => {
      switch (f.k) {
        case 'crash':
          return crash(w, f.target);
        case 'start':
          return w.start(f.target);
        case 'pause':
          return pause(w, f.target);
        case 'resume':
          return resume(w, f.target);
        case 'partition':
          return partition(w, f.side, d.hosts.map((h) => h.name).filter((h) => !f.side.includes(h)));
        case 'heal':
          return heal(w);
        case 'jump':
          return clockJump(w, f.host, f.ms);
      }
    });
  }
  w.runUntil(120 * S);
  return r;
}

describe('Sentinel safety properties under random faults (fast-check)', () => {
  it('never two leaders in one epoch, never two votes in one epoch by one sentinel, never a failover started in TILT', () => {
    fc.assert(
      fc.property(scenarioArb, ([d, faults, seed]) => {
        const r = runScenario(d, faults, seed);
        const leaders = new Map<number, string>();
        const lastNewEpoch = new Map<string, number>();
        const electedEpoch = new Map<string, number>();
        const voted = new Map<string, Set<number>>();
        const inTilt = new Map<string, boolean>();
        for (const e of r.events()) {
          if (e.event === '+tilt') inTilt.set(e.p, true);
          if (e.event === '-tilt') inTilt.set(e.p, false);
          if (e.event === '+new-epoch') lastNewEpoch.set(e.p, Number(e.text));
          if (e.event === '+try-failover') {
            expect(inTilt.get(e.p) ?? false, `${e.p} started a failover in TILT at ${e.t}`).toBe(false);
            electedEpoch.set(e.p, lastNewEpoch.get(e.p)!);
          }
          if (e.event === '+elected-leader') {
            const epoch = electedEpoch.get(e.p)!;
            const other = leaders.get(epoch);
            expect(other === undefined || other === e.p, `epoch ${epoch}: ${other} and ${e.p} both elected`).toBe(true);
            leaders.set(epoch, e.p);
          }
          if (e.event === '+vote-for-leader') {
            const epoch = Number(e.text.split(' ')[1]);
            const mine = voted.get(e.p) ?? new Set<number>();
            expect(mine.has(epoch), `${e.p} voted twice in epoch ${epoch}`).toBe(false);
            mine.add(epoch);
            voted.set(e.p, mine);
          }
        }
      }),
      { numRuns: 40, seed: 20261122, endOnFailure: true },
    );
  });

  it('a crashed master with a majority of sentinels alive is always replaced (liveness sanity check)', () => {
    fc.assert(
      fc.property(deploymentArb, fc.integer({ min: 1, max: 1_000_000 }), (d, seed) => {
        // Only deployments where a majority exists and the quorum is reachable.
        fc.pre(d.quorum <= d.sentinels.length);
        const r = deploy(d, seed);
        r.world.runUntil(15 * S);
        crash(r.world, 'r1');
        r.world.runUntil(60 * S);
        expect(r.events({ event: '+switch-master' }).length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});
