import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBehavior, type CliJob } from '../../src/clients/cli.js';
import { buildWorld } from '../../src/scenario/build.js';
import { loadModel } from '../../src/scenario/model.js';
import { HashTrace, type TraceRecord, type TraceSink } from '../../src/sim/trace.js';
import type { NetWorld } from '../../src/net/world.js';
import { clockJump, crash, heal, hostDown, hostUp, partition, pause, resume, setLink } from '../../src/faults/index.js';

/**
 * Pinned trace hashes of a few fixed runs, computed before the hot paths were optimised. A
 * performance change must leave every byte of every trace unchanged; if one of these fails, the
 * change altered behaviour (or the model changed on purpose, and the pins must be recomputed and
 * the reason written in the commit).
 *
 * Full traces (every timer and message), so even a reordered or extra message is noticed.
 */

const MIN = 60_000_000;

function zato(seed: number, setup: (w: NetWorld) => void, minutes: number): { hash: string; lines: number; events: number; seen: Set<string> } {
  const model = loadModel('models/zato');
  const node1 = model.processes.find((p) => p.name === 'node1')!;
  const ip = model.hosts.find((h) => h.name === node1.host)!.ip;
  // A write to node1 every 5 s, as a client pinned to the first master would do.
  const jobs: CliJob[] = [];
  for (let s = 20; s < minutes * 60; s += 5) {
    jobs.push({ id: jobs.length + 1, atMs: s * 1000, argv: ['SET', `k${s % 30}`, `v${s}`], to: { ip, port: node1.port, password: node1.redis!.requirepass }, timeoutMs: 1000 });
  }
  // INFO's config_file line holds the absolute path of the checkout: hash with it cut out.
  const root = resolve('.');
  const hash = new HashTrace();
  const trace: TraceSink = { write: (r) => hash.write(JSON.parse(JSON.stringify(r).replaceAll(root, '<repo>')) as TraceRecord) };
  const w = buildWorld(model, { seed, trace, traceDetail: 'full', clientProcesses: [{ pid: 'writer', behavior: cliBehavior(jobs) }] });
  const seen = new Set<string>();
  w.onRecord((r) => {
    if (r.k === 'event') seen.add(r.event as string);
  });
  setup(w);
  w.runUntil(minutes * MIN);
  return { hash: hash.digest(), lines: hash.lines, events: w.eventsProcessed, seen };
}

describe('trace invariance of the hot paths (pinned hashes)', () => {
  it('zato, 10 minutes: node1 (the master) crashes at 2 min and restarts at 4 min', () => {
    const r = zato(1, (w) => {
      w.at(2 * MIN, 'crash', (x) => crash(x, 'node1'));
      w.at(4 * MIN, 'restart', (x) => x.start('node1'));
    }, 10);
    expect(r.seen).toContain('+switch-master');
    expect(r.seen).toContain('-sdown');
    expect({ hash: r.hash, lines: r.lines, events: r.events }).toEqual({ hash: '40062c49ece2a6555a51be101d771d6f9a18365d699f12213ec20cd6168636a2', lines: 69550, events: 72102 });
  });

  it('zato, 10 minutes: redis1 cut off from redis2/redis3 at 2 min, healed at 5 min, then a lossy link', () => {
    const r = zato(2, (w) => {
      w.at(2 * MIN, 'partition', (x) => partition(x, ['redis1'], ['redis2', 'redis3']));
      w.at(5 * MIN, 'heal', (x) => heal(x));
      w.at(7 * MIN, 'lossy', (x) => setLink(x, 'redis2', 'redis3', { latencyUs: 400, jitterUs: 300, loss: 0.05 }));
    }, 10);
    expect(r.seen).toContain('+sdown');
    expect({ hash: r.hash, lines: r.lines, events: r.events }).toEqual({ hash: 'a74a515d091f235524cea4aabb60fc0d169dafebe7ab2d9a2a0893b66a21b3dd', lines: 66791, events: 74611 });
  });

  it('zato, 6 minutes: sentinel1 paused for 20 s, a clock jump on redis2 (TILT), host redis3 down and up', () => {
    const r = zato(3, (w) => {
      w.at(1 * MIN, 'pause', (x) => pause(x, 'sentinel1'));
      w.at(1 * MIN + 20_000_000, 'resume', (x) => resume(x, 'sentinel1'));
      w.at(2 * MIN, 'jump', (x) => clockJump(x, 'redis2', 4000));
      w.at(3 * MIN, 'down', (x) => hostDown(x, 'redis3'));
      w.at(4 * MIN, 'up', (x) => hostUp(x, 'redis3'));
    }, 6);
    expect(r.seen).toContain('+tilt');
    expect({ hash: r.hash, lines: r.lines, events: r.events }).toEqual({ hash: '527356f2b4729b3e2b36ba3c912e73dbeb058632d7e05e5bc3a7258d8186ea52', lines: 41167, events: 43134 });
  });
});
