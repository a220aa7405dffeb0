import { describe, expect, it } from 'vitest';
import { workloadClientBehavior } from '../../src/clients/workload.js';
import { buildWorld } from '../../src/scenario/build.js';
import { loadModel } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { TraceRecord } from '../../src/sim/trace.js';

const S = 1_000_000;

describe('Sentinel-aware client (the Sentinel client guidelines)', () => {
  const res = runScenario(loadScenario('scenarios/zato-partition-minority-master.yaml'));
  const mine = (r: TraceRecord) => r.p === 'zato';

  it('re-resolves through the Sentinels after the CLIENT KILL of the reconfiguration and verifies ROLE', () => {
    const conv = res.records.find((r) => r.k === 'event' && r.event === '+convert-to-slave')!;
    const changes = res.records.filter((r) => mine(r) && r.k === 'state' && r.client !== undefined && r.t > 60 * S);
    expect(changes[0]).toMatchObject({ client: 'disconnected', to: 'node1', why: 'Connection closed by server.' });
    // the kill comes with the SLAVEOF transaction, in the same millisecond as +convert-to-slave
    expect(Math.abs(changes[0]!.t - conv.t)).toBeLessThan(2000);
    expect(changes[1]).toMatchObject({ client: 'connected', to: 'node2' });
    expect(changes[1]!.t - changes[0]!.t).toBeLessThan(1.5 * S);
    // before the kill it kept one connection the whole run (on-reconnect: no Sentinel asked per write)
    const earlier = res.records.filter((r) => mine(r) && r.k === 'state' && r.client !== undefined && r.t <= 60 * S);
    expect(earlier.map((r) => [r.client, r.to])).toEqual([['connected', 'node1']]);
    const okAfter = res.records.filter((r) => mine(r) && r.k === 'op' && r.phase === 'ok' && r.t > changes[1]!.t);
    expect(okAfter.length).toBeGreaterThan(30);
    expect(new Set(okAfter.map((r) => r.to))).toEqual(new Set(['node2']));
  });

  it('keeps writing to the minority master, which acknowledges them', () => {
    const during = res.records.filter((r) => mine(r) && r.k === 'op' && r.phase === 'ok' && r.t > 30 * S && r.t < 70 * S);
    expect(during.length).toBeGreaterThanOrEqual(39);
    expect(new Set(during.map((r) => r.to))).toEqual(new Set(['node1']));
  });
});

describe('client at a fixed address', () => {
  it('a -READONLY reply drops the connection and the client reconnects for the next write', () => {
    const model = loadModel('models/haproxy');
    const records: TraceRecord[] = [];
    const w = buildWorld(model, {
      seed: 1, trace: { write: (r) => records.push(r) },
      extraProcesses: [{
        pid: 'c', host: 'ubuntu',
        behavior: workloadClientBehavior({ name: 'c', via: { kind: 'fixed', to: { ip: '::1', port: 6380, name: 'redis_6380' } }, timeoutMs: 100, everyMs: 1000, workload: 'unique', key: 'k' }),
      }],
    });
    w.runUntil(3.5 * S);
    const fails = records.filter((r) => r.k === 'state' && r.p === 'c' && (r.op as any)?.phase === 'fail');
    expect(fails.map((r) => (r.op as any).error)).toEqual([
      "READONLY You can't write against a read only replica.",
      "READONLY You can't write against a read only replica.",
      "READONLY You can't write against a read only replica.",
    ]);
    const conn = records.filter((r) => r.k === 'state' && r.p === 'c' && r.client !== undefined).map((r) => r.client);
    expect(conn).toEqual(['connected', 'disconnected', 'connected', 'disconnected', 'connected', 'disconnected']);
  });

  it('every-op Sentinel clients ask before each round: with every Sentinel unreachable, "No master found"', () => {
    const sc = loadScenario('scenarios/redis-ha-demo-sentinels.yaml');
    expect(sc.model.clients.find((c) => c.name === 'demoapp')?.resolve).toBeUndefined(); // default every-op
    const res = runScenario(sc);
    const nomaster = res.records.filter((r) => r.k === 'reply' && r.p === 'demoapp' && String(r.text).startsWith("No master found for 'mymaster'"));
    expect(nomaster.length).toBeGreaterThan(0);
  });
});
