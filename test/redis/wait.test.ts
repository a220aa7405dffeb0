import { describe, expect, it } from 'vitest';
import { pause, resume } from '../../src/faults/index.js';
import { exchanges, type Step } from './helpers/client.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, redisWorld, S } from './helpers/world.js';

const M = { ip: '10.0.0.1', port: 6379 };
const R2 = { ip: '10.0.0.2', port: 6379 };

function cluster(steps: readonly Step[], seed = 1) {
  const t = redisWorld(
    [
      { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({ savePoints: [] }) },
      { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ savePoints: [], replicaofAddr: [M.ip, 6379] }) },
      { pid: 'r3', host: 'h3', ip: '10.0.0.3', cfg: redisConfig({ savePoints: [], replicaofAddr: [M.ip, 6379] }) },
    ],
    { seed },
  );
  addClient(t.world, 'c', 'h1', { a: M, b: R2, c: M }, steps);
  return t;
}
const ex = (t: ReturnType<typeof cluster>, conn = 'a') => exchanges(clientState(t.world, 'c'), conn);

describe('WAIT numreplicas timeout (replication.c waitCommand / processClientsWaitingReplicas)', () => {
  it('after a write, returns as soon as enough replicas acknowledged it: REPLCONF GETACK is answered at once, not at the next 1 s ACK', () => {
    for (const seed of [1, 2, 3]) {
      const t = cluster([{ atMs: 20_000, conn: 'a', argv: ['SET', 'k', 'v'] }, { atMs: 20_001, conn: 'a', argv: ['WAIT', '2', '1000'] }], seed);
      t.world.runUntil(22 * S);
      const w = ex(t).find((x) => x.argv[0] === 'WAIT')!;
      expect(w.reply).toBe(2);
      // One round trip to the replicas on a LAN: well under the once-a-second ACK.
      expect(w.repliedMs! - w.sentMs).toBeLessThan(20);
    }
  });

  it('asks for more replicas than exist: blocks past the timeout until the loop wakes (a 100 ms serverCron loop at the latest), then answers how many acknowledged', () => {
    const late: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const t = cluster([{ atMs: 20_000, conn: 'a', argv: ['SET', 'k', 'v'] }, { atMs: 20_001, conn: 'a', argv: ['WAIT', '3', '500'] }], seed);
      t.world.runUntil(22 * S);
      const w = ex(t).find((x) => x.argv[0] === 'WAIT')!;
      expect(w.reply).toBe(2);
      // timeout.c checkBlockedClientTimeout(): `timeout < now`, so never at the deadline itself;
      // real 7.0.15 answered WAIT 2 500 after 580 ms with nothing else waking it.
      late.push(w.repliedMs! - w.sentMs - 500);
    }
    for (const ms of late) expect(ms).toBeGreaterThan(0);
    for (const ms of late) expect(ms).toBeLessThanOrEqual(102);
    // The serverCron phase is seeded: the lateness is not one fixed figure.
    expect(new Set(late.map(Math.round)).size).toBeGreaterThan(1);
  });

  it('any event after the deadline wakes the loop and answers the timed-out WAIT at once (beforeSleep)', () => {
    // Find when the WAIT alone is answered, then send a PING on another connection before that.
    const alone = cluster([{ atMs: 20_000, conn: 'a', argv: ['SET', 'k', 'v'] }, { atMs: 20_001, conn: 'a', argv: ['WAIT', '3', '500'] }]);
    alone.world.runUntil(22 * S);
    const aloneMs = ex(alone).find((x) => x.argv[0] === 'WAIT')!.repliedMs!;
    expect(aloneMs - 20_501).toBeGreaterThan(3);
    const t = cluster([
      { atMs: 20_000, conn: 'a', argv: ['SET', 'k', 'v'] },
      { atMs: 20_001, conn: 'a', argv: ['WAIT', '3', '500'] },
      { atMs: 20_503, conn: 'c', argv: ['PING'] },
    ]);
    t.world.runUntil(22 * S);
    const w = ex(t).find((x) => x.argv[0] === 'WAIT')!;
    const ping = ex(t, 'c')[0]!;
    expect(w.reply).toBe(2);
    expect(w.repliedMs!).toBeLessThan(aloneMs);
    expect(Math.abs(w.repliedMs! - ping.repliedMs!)).toBeLessThanOrEqual(1);
  });

  it('a stopped replica does not count; WAIT with timeout 0 blocks until it is resumed and acknowledges', () => {
    const t = cluster([
      { atMs: 20_000, conn: 'a', argv: ['SET', 'k', 'v'] },
      { atMs: 20_001, conn: 'a', argv: ['WAIT', '2', '300'] },
      { atMs: 21_000, conn: 'a', argv: ['SET', 'k', 'w'] },
      { atMs: 21_001, conn: 'a', argv: ['WAIT', '2', '0'] },
    ]);
    t.world.runUntil(19 * S);
    pause(t.world, 'r3');
    t.world.runUntil(25 * S);
    const waits = ex(t).filter((x) => x.argv[0] === 'WAIT');
    expect(waits[0]!.reply).toBe(1);
    expect(waits[1]!.repliedMs).toBeNull();
    resume(t.world, 'r3');
    t.world.runUntil(26 * S);
    expect(waits[1]!.reply).toBe(2);
    expect(waits[1]!.repliedMs! - 25_000).toBeLessThan(20);
  });

  it('without a write it answers at once; on a replica and with bad arguments it is an error', () => {
    const t = cluster([
      { atMs: 20_000, conn: 'a', argv: ['WAIT', '5', '100'] },
      { atMs: 20_200, conn: 'a', argv: ['WAIT', 'x', '100'] },
      { atMs: 20_300, conn: 'a', argv: ['WAIT', '1', '-1'] },
      { atMs: 20_400, conn: 'b', argv: ['WAIT', '1', '100'] },
    ]);
    t.world.runUntil(21 * S);
    const a = ex(t).filter((x) => x.argv[0] === 'WAIT');
    // woff 0: every online replica's ACK covers it, yet 5 are asked for, so it waits the 100 ms.
    expect(a[0]!.reply).toBe(2);
    expect(a[1]!.reply).toEqual({ error: 'ERR value is not an integer or out of range' });
    expect(a[2]!.reply).toEqual({ error: 'ERR timeout is negative' });
    expect(ex(t, 'b')[0]!.reply).toEqual({ error: expect.stringMatching(/^ERR WAIT cannot be used with replica instances\./) });
  });
});
