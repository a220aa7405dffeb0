import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/scenario/model.js';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { MemoryTrace, type TraceRecord } from '../../src/sim/trace.js';
import * as faults from '../../src/faults/index.js';
import { redisConfig } from '../redis/helpers/config.js';
import { logs, redisWorld, S } from '../redis/helpers/world.js';

const zato = loadModel('models/zato');

function run(timeline: string, seed: number, duration = '40s'): readonly TraceRecord[] {
  const sc = parseScenario(`model: x\nseed: ${seed}\nduration: ${duration}\ntimeline:\n${timeline}`, 'inline.yaml', { model: zato });
  const trace = new MemoryTrace();
  runScenario(sc, { traceDetail: 'full', trace });
  return trace.records;
}

const linesOf = (rs: readonly TraceRecord[], p: string, fromUs: number): string[] =>
  rs.filter((r) => r.k === 'log' && r.p === p && r.t >= fromUs).map((r) => String(r.text));
const exitOf = (rs: readonly TraceRecord[], p: string): TraceRecord | undefined => rs.find((r) => r.k === 'fault' && r.what === 'exit' && r.p === p);
/** How the peers of `p` saw their connections to it end, in the 5 ms after it died (a connection keeps its id on both sides). */
function peerCloses(rs: readonly TraceRecord[], p: string, atUs: number): string[] {
  const mine = new Set(rs.filter((r) => (r.k === 'net' && r.p === p) || (r.k === 'msg' && r.to === p)).map((r) => r.c));
  return rs.filter((r) => r.k === 'net' && r.what === 'closed' && r.p !== p && r.t >= atUs && r.t <= atUs + 5000 && mine.has(r.c)).map((r) => String(r.reason));
}

describe('sigterm fault (server.c sigShutdownHandler(), then prepareForShutdown() at the next serverCron)', () => {
  it('a Sentinel logs its own three lines, exits 0 within one serverCron loop, and its peers see FIN, not RST', () => {
    for (const seed of [1, 2, 3]) {
      const rs = run('  - { at: 20s, sigterm: sentinel1 }\n', seed);
      expect(linesOf(rs, 'sentinel1', 20 * S)).toEqual(['Received SIGTERM scheduling shutdown...', 'User requested shutdown...', 'Sentinel is now ready to exit, bye bye...']);
      const exit = exitOf(rs, 'sentinel1')!;
      expect(exit.code).toBe(0);
      // Sentinel's serverCron runs at hz 10-19: the shutdown comes at the next tick.
      expect(exit.t - 20 * S).toBeGreaterThan(0);
      expect(exit.t - 20 * S).toBeLessThanOrEqual(100_000);
      const closes = peerCloses(rs, 'sentinel1', exit.t);
      expect(closes.length).toBeGreaterThan(0);
      expect(new Set(closes)).toEqual(new Set(['closed']));
    }
  });

  it('kill -9 of the same Sentinel, for contrast, resets its peers', () => {
    const rs = run('  - { at: 20s, crash: sentinel1 }\n', 1);
    const t = rs.find((r) => r.k === 'fault' && r.what === 'crash')!.t;
    expect(new Set(peerCloses(rs, 'sentinel1', t))).toEqual(new Set(['reset']));
  });

  it('a master with replicas: its shutdown lines, the final RDB (save points configured), exit 0 within shutdown-timeout, then a failover', () => {
    const rs = run('  - { at: 20s, sigterm: node1 }\n', 4, '60s');
    const lines = linesOf(rs, 'node1', 20 * S);
    expect(lines[0]).toBe('Received SIGTERM scheduling shutdown...');
    expect(lines[1]).toBe('User requested shutdown...');
    expect(lines).toContain('2 of 2 replicas are in sync when shutting down.');
    expect(lines.slice(-3)).toEqual(['Saving the final RDB snapshot before exiting.', 'DB saved on disk', 'Redis is now ready to exit, bye bye...']);
    const exit = exitOf(rs, 'node1')!;
    expect(exit.code).toBe(0);
    expect(exit.t - 20 * S).toBeLessThan(10_100_000);
    expect(new Set(peerCloses(rs, 'node1', exit.t))).toEqual(new Set(['closed']));
    expect(rs.some((r) => r.k === 'event' && r.event === '+switch-master')).toBe(true);
  });
});

const M = { ip: '10.0.0.1', port: 6379 };
function master(extra: Record<string, unknown> = {}, withReplica = true, seed = 1) {
  const nodes = [{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ savePoints: [{ seconds: 3600, changes: 1 }], ...extra }) }];
  if (withReplica) nodes.push({ pid: 'r2', host: 'h2', ip: '10.0.0.2', cfg: redisConfig({ savePoints: [], replicaofAddr: [M.ip, 6379] }) });
  return redisWorld(nodes, { seed });
}

describe('sigterm on a Redis node (unit)', () => {
  it('a master waits for a stopped replica up to shutdown-timeout (10 s), names it, then saves and exits', () => {
    const t = master();
    t.world.runUntil(15 * S);
    faults.pause(t.world, 'r2');
    // The master's replication PING (repl-ping-replica-period 10) moves its offset past what the stopped replica acknowledged.
    t.world.runUntil(30 * S);
    faults.sigterm(t.world, 'r1');
    t.world.runUntil(30 * S + 9_900_000);
    expect(t.world.status('r1')).toBe('running');
    expect(logs(t.trace!, 'r1')).toContain('Waiting for replicas before shutting down.');
    t.world.runUntil(40 * S + 200_000);
    expect(t.world.status('r1')).toBe('down');
    const l = logs(t.trace!, 'r1');
    expect(l.some((x) => /^Lagging replica 10\.0\.0\.2:6379 reported offset \d+ behind master, lag=\d+, state=online\.$/.test(x))).toBe(true);
    expect(l).toContain('0 of 1 replicas are in sync when shutting down.');
    expect(l.at(-1)).toBe('Redis is now ready to exit, bye bye...');
  });

  it('shutdown-on-sigterm nosave skips the final RDB; now skips the wait', () => {
    const dir = (args: string[]) => ({ directives: [{ name: 'shutdown-on-sigterm', args, pos: { file: 'x', line: 1 } }] });
    const t = master(dir(['nosave', 'now']));
    t.world.runUntil(15 * S);
    faults.pause(t.world, 'r2');
    t.world.runUntil(30 * S);
    faults.sigterm(t.world, 'r1');
    t.world.runUntil(30 * S + 150_000);
    expect(t.world.status('r1')).toBe('down');
    const l = logs(t.trace!, 'r1');
    expect(l).not.toContain('Saving the final RDB snapshot before exiting.');
    expect(l).not.toContain('Waiting for replicas before shutting down.');
    expect(l.at(-1)).toBe('Redis is now ready to exit, bye bye...');
  });

  it('a stopped process handles SIGTERM only after SIGCONT', () => {
    const t = master({}, false);
    t.world.runUntil(5 * S);
    faults.pause(t.world, 'r1');
    faults.sigterm(t.world, 'r1');
    t.world.runUntil(8 * S);
    expect(t.world.status('r1')).toBe('paused');
    expect(logs(t.trace!, 'r1')).not.toContain('Received SIGTERM scheduling shutdown...');
    faults.resume(t.world, 'r1');
    t.world.runUntil(8 * S + 150_000);
    expect(t.world.status('r1')).toBe('down');
    expect(logs(t.trace!, 'r1').slice(-2)).toEqual(['DB saved on disk', 'Redis is now ready to exit, bye bye...']);
  });
});
