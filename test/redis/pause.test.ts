import { describe, expect, it } from 'vitest';
import { redisView } from '../../src/redis/index.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, logs, MS, redisWorld, S, state, syncs } from './helpers/world.js';
import { pause, resume } from '../../src/faults/index.js';

const M = { ip: '10.0.0.1', port: 6379 };

function pair(over: Parameters<typeof redisConfig>[0] = {}) {
  return redisWorld([
    { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig(over) },
    { pid: 'r2', host: 'h2', ip: '10.0.0.2', cfg: redisConfig({ ...over, replicaofAddr: [M.ip, 6379] }) },
  ]);
}

describe('SIGSTOP / SIGCONT', () => {
  it('a paused master answers nothing until resumed, then handles what waited in order', () => {
    const { world } = pair();
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 8500, conn: 'm', argv: ['SET', 'a', '1'] },
      { atMs: 8600, conn: 'm', argv: ['INCR', 'a'] },
      { atMs: 8700, conn: 'm', argv: ['GET', 'a'] },
    ]);
    world.at(8 * S, 'pause', (w) => pause(w, 'r1'));
    world.at(10 * S, 'resume', (w) => resume(w, 'r1'));
    world.runUntil(9900 * MS);
    expect(clientState(world, 'c').log.every((e) => e.repliedMs === null)).toBe(true);
    expect(state(world, 'r1').db).toEqual({});
    world.runUntil(11 * S);
    const log = clientState(world, 'c').log;
    expect(log.map((e) => e.reply)).toEqual(['OK', 2, '2']);
    for (const e of log) expect(e.repliedMs!).toBeGreaterThanOrEqual(10_000);
    expect(state(world, 'r2').db).toEqual({ a: '2' });
  });

  it('a paused replica applies nothing while stopped, then the whole stream in order', () => {
    const { world } = pair();
    addClient(
      world,
      'c',
      'h1',
      { m: M },
      Array.from({ length: 20 }, (_, i) => ({ atMs: 8100 + i * 50, conn: 'm', argv: ['SET', 'last', String(i)] })),
    );
    world.at(8 * S, 'pause', (w) => pause(w, 'r2'));
    world.at(12 * S, 'resume', (w) => resume(w, 'r2'));
    world.runUntil(11 * S);
    const frozen = state(world, 'r2');
    expect(frozen.db.last).toBeUndefined();
    expect(frozen.masterReplOffset).toBeLessThan(state(world, 'r1').masterReplOffset);
    world.runUntil(12 * S + 10 * MS);
    expect(state(world, 'r2').db.last).toBe('19');
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
  });

  it('a replica stopped longer than repl-timeout is dropped by its master and resumes with a partial resync', () => {
    const { world, trace } = pair({ replTimeoutSec: 10 });
    addClient(world, 'c', 'h1', { m: M }, [{ atMs: 9000, conn: 'm', argv: ['SET', 'k', 'v'] }]);
    world.at(8 * S, 'pause', (w) => pause(w, 'r2'));
    world.at(25 * S, 'resume', (w) => resume(w, 'r2'));
    world.runUntil(24 * S);
    expect(logs(trace!, 'r1').some((t) => t.startsWith('Disconnecting timedout replica (streaming sync): 10.0.0.2:6379'))).toBe(true);
    world.runUntil(27 * S);
    expect(logs(trace!, 'r2')).toContain('Connection with master lost.');
    expect(syncs(trace!, 'r2').map((r) => r.kind)).toEqual(['full', 'partial']);
    expect(redisView(state(world, 'r2')).linkStatus).toBe('up');
    expect(state(world, 'r2').db).toEqual({ k: 'v' });
  });
});
