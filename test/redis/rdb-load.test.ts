import { describe, expect, it } from 'vitest';
import { createWorld } from '../../src/net/world.js';
import { redisBehavior } from '../../src/redis/index.js';
import { RDB_LOAD_BYTES_PER_MS } from '../../src/redis/state.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { exchanges, type Step } from './helpers/client.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, S } from './helpers/world.js';

/**
 * A replica loads the RDB of a full sync in a time its size drives (replication.c
 * readSyncBulkPayload() → rdbLoad()); meanwhile clients get -LOADING (server.c processCommand()),
 * INFO says loading:1, and the master's stream waits in the socket until the load is done.
 */
const M = { ip: '10.0.0.1', port: 6379 };
const R = { ip: '10.0.0.2', port: 6379 };

function pair(datasetBytes: number, steps: readonly Step[] = [], seed = 1) {
  const trace = new MemoryTrace();
  const w = createWorld({ seed, trace });
  w.addHost('h1', M.ip);
  w.addHost('h2', R.ip);
  w.addProcess('r1', 'h1', redisBehavior(redisConfig({ savePoints: [] }), { datasetBytes }));
  w.addProcess('r2', 'h2', redisBehavior(redisConfig({ savePoints: [], replicaofAddr: [M.ip, 6379] }), { datasetBytes }));
  if (steps.length) addClient(w, 'c', 'h1', { m: M, r: R }, steps);
  w.runUntil(15 * S);
  const logAt = (text: string) => trace.records.find((r) => r.k === 'log' && r.p === 'r2' && r.text === text)?.t;
  return { w, trace, loadingUs: logAt('MASTER <-> REPLICA sync: Loading DB in memory')!, doneUs: logAt('MASTER <-> REPLICA sync: Finished with success')! };
}

describe('a replica loading the RDB of a full sync (rdbLoad())', () => {
  it('takes the dataset bytes at the measured load rate; with no datasetBytes it is instant', () => {
    for (const seed of [1, 2]) {
      const big = pair(52_400_000, [], seed);
      const loadMs = (big.doneUs - big.loadingUs) / 1000;
      expect(loadMs).toBeGreaterThanOrEqual(52_400_000 / RDB_LOAD_BYTES_PER_MS);
      expect(loadMs).toBeLessThan(52_400_000 / RDB_LOAD_BYTES_PER_MS + 1);
      const none = pair(0, [], seed);
      expect(none.doneUs - none.loadingUs).toBe(0);
    }
  });

  it('meanwhile answers -LOADING (PING and GET too), INFO loading:1 and master_sync_in_progress:1; a write on the master arrives after the load', () => {
    const t0Ms = pair(52_400_000).loadingUs / 1000;
    const during = t0Ms + 50;
    const after = t0Ms + 260;
    const t = pair(52_400_000, [
      { atMs: during, conn: 'r', argv: ['PING'] },
      { atMs: during + 1, conn: 'r', argv: ['GET', 'k'] },
      { atMs: during + 2, conn: 'r', argv: ['INFO', 'persistence'] },
      { atMs: during + 3, conn: 'r', argv: ['INFO', 'replication'] },
      { atMs: during + 4, conn: 'r', argv: ['MULTI'] },
      { atMs: during + 5, conn: 'r', argv: ['GET', 'k'] },
      { atMs: during + 6, conn: 'r', argv: ['EXEC'] },
      { atMs: during, conn: 'm', argv: ['SET', 'k', 'during-load'] },
      { atMs: after, conn: 'r', argv: ['GET', 'k'] },
      { atMs: after + 1, conn: 'r', argv: ['PING'] },
      { atMs: after + 2, conn: 'r', argv: ['INFO', 'persistence'] },
    ]);
    expect(t.loadingUs / 1000).toBe(t0Ms);
    expect(t.doneUs / 1000).toBeLessThan(after);
    const r = exchanges(clientState(t.w, 'c'), 'r').map((x) => x.reply);
    const loading = { error: 'LOADING Redis is loading the dataset in memory' };
    expect(r[0]).toEqual(loading);
    expect(r[1]).toEqual(loading);
    expect(String(r[2])).toContain('loading:1');
    expect(String(r[3])).toContain('master_sync_in_progress:1');
    expect(String(r[3])).toContain('master_link_status:down');
    expect(r[4]).toBe('OK');
    expect(r[5]).toEqual(loading);
    // The refused GET flagged the transaction (rejectCommand() → flagTransaction()).
    expect(r[6]).toEqual({ error: 'EXECABORT Transaction discarded because of previous errors.' });
    expect(r.slice(7)).toEqual(['during-load', 'PONG', expect.stringContaining('loading:0')]);
  });
});
