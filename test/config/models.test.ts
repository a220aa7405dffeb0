import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRedisConf, readSentinelConf } from '../../src/config/index.js';

const MODELS = join(import.meta.dirname, '../../models');
const m = (model: string, file: string) => join(MODELS, model, file);

describe('every models/ config file parses', () => {
  const files = readdirSync(MODELS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.conf'));
  it('finds the seed models', () => {
    expect(files.length).toBeGreaterThanOrEqual(21);
  });
  for (const f of files) {
    it(f, () => {
      const path = join(MODELS, f);
      if (/^sentinel/.test(f.split('/').pop()!)) expect(readSentinelConf(path).masters.length).toBe(1);
      else expect(readRedisConf(path).port).toBeGreaterThan(0);
    });
  }
});

describe('zato (seeds 000/001)', () => {
  it('node1 is the master on redis1:16300; node2/3 replicate it', () => {
    const n1 = readRedisConf(m('zato', 'node1.conf'));
    expect(n1.port).toBe(16300);
    expect(n1.bind).toEqual(['redis1']);
    expect(n1.replicaof).toBeUndefined();
    expect(n1.savePoints).toEqual([
      { seconds: 3600, changes: 1 },
      { seconds: 300, changes: 100 },
      { seconds: 60, changes: 10000 },
    ]);
    const n2 = readRedisConf(m('zato', 'node2.conf'));
    expect(n2.port).toBe(26300);
    expect(n2.replicaof).toMatchObject({ host: 'redis1', port: 16300 });
    expect(readRedisConf(m('zato', 'node3.conf')).port).toBe(36300);
  });
  it('sentinels monitor redis-ha redis1 16300 quorum 2, down-after 10000', () => {
    for (const [i, port] of [[1, 16355], [2, 26355], [3, 36355]] as const) {
      const s = readSentinelConf(m('zato', `sentinel${i}.conf`));
      expect(s.port).toBe(port);
      expect(s.resolveHostnames).toBe(true);
      expect(s.masters[0]).toMatchObject({
        name: 'redis-ha',
        host: 'redis1',
        port: 16300,
        quorum: 2,
        downAfterMs: 10000,
        parallelSyncs: 1,
        failoverTimeoutMs: 180000,
      });
    }
  });
});

describe('haproxy (seed 002)', () => {
  it('master 6379, replica 6380 of localhost 6379', () => {
    expect(readRedisConf(m('haproxy', 'master.conf')).port).toBe(6379);
    const r = readRedisConf(m('haproxy', 'replica.conf'));
    expect(r.port).toBe(6380);
    expect(r.replicaof).toMatchObject({ host: 'localhost', port: 6379 });
  });
  it('one sentinel on 26379, quorum 1, down-after 3000, failover-timeout 6000', () => {
    const s = readSentinelConf(m('haproxy', 'sentinel.conf'));
    expect(s.port).toBe(26379);
    expect(s.masters).toHaveLength(1);
    expect(s.masters[0]).toMatchObject({
      name: 'master01',
      host: 'localhost',
      port: 6379,
      quorum: 1,
      downAfterMs: 3000,
      failoverTimeoutMs: 6000,
      parallelSyncs: 1,
    });
  });
});

describe('redis-ha-demo (seed 003)', () => {
  it('M1 with two replicas, three sentinels quorum 2', () => {
    expect(readRedisConf(m('redis-ha-demo', 'master.conf')).replicaof).toBeUndefined();
    for (const i of [1, 2]) {
      expect(readRedisConf(m('redis-ha-demo', `replica${i}.conf`)).replicaof).toMatchObject({ host: '172.23.0.3', port: 6379 });
    }
    for (const i of [1, 2, 3]) {
      const s = readSentinelConf(m('redis-ha-demo', `sentinel${i}.conf`));
      expect(s.port).toBe(26379);
      expect(s.masters[0]).toMatchObject({ name: 'mymaster', host: '172.23.0.3', port: 6379, quorum: 2, downAfterMs: 30000 });
      expect(s.masters[0]!.authPass).toBe('<password>');
    }
  });
});

describe('docker-3node (seed 004)', () => {
  it('node1 is master with auth, no min-replicas; its explicit save lines replace the defaults', () => {
    const n = readRedisConf(m('docker-3node', 'node1.conf'));
    expect(n.port).toBe(6379);
    expect(n.replicaof).toBeUndefined();
    expect(n.requirepass).toBe('<password>');
    expect(n.masterauth).toBe('<password>');
    expect(n.minReplicasToWrite).toBe(0);
    expect(n.replDisklessSync).toBe(true);
    expect(n.replDisklessSyncDelaySec).toBe(10);
    expect(n.protectedMode).toBe(false);
    expect(n.savePoints).toEqual([
      { seconds: 300, changes: 10 },
      { seconds: 60, changes: 10000 },
      { seconds: 900, changes: 1 },
    ]);
  });
  it('node2/node3 replicate 10.20.161.181:6379 with min-replicas 1 / lag 10', () => {
    for (const i of [2, 3]) {
      const n = readRedisConf(m('docker-3node', `node${i}.conf`));
      expect(n.replicaof).toMatchObject({ host: '10.20.161.181', port: 6379 });
      expect(n.minReplicasToWrite).toBe(1);
      expect(n.minReplicasMaxLagSec).toBe(10);
      expect(n.replicaPriority).toBe(100);
      expect(n.replicaReadOnly).toBe(true);
      expect(n.replDisklessSync).toBe(false);
    }
  });
  it('sentinels carry their rewritten state', () => {
    const ids = ['b16319cdc0783a0bf3b49e3f60759c3a173cbe7b', '2a88d7cbe2c3ae42505b7ced061b84e53cd353ce', 'e3e9b126a9a6b17bbf1ccadda0d05315abe1dc28'];
    for (const i of [1, 2, 3]) {
      const s = readSentinelConf(m('docker-3node', `sentinel${i}.conf`));
      expect(s.myid).toBe(ids[i - 1]);
      expect(s.port).toBe(26379);
      expect(s.requirepass).toBe('<password>');
      expect(s.denyScriptsReconfig).toBe(false);
      expect(s.currentEpoch).toBe(0);
      const mm = s.masters[0]!;
      expect(mm).toMatchObject({ name: 's6l', host: '10.20.161.181', port: 6379, quorum: 2, downAfterMs: 10000, failoverTimeoutMs: 10000 });
      expect(mm.authPass).toBe('<password>');
      expect(mm.configEpoch).toBe(0);
      expect(mm.leaderEpoch).toBe(0);
      expect(mm.knownReplicas.map((r) => `${r.host}:${r.port}`).sort()).toEqual(['10.20.161.111:6379', '10.20.161.80:6379']);
      expect(mm.knownSentinels).toEqual([]);
    }
  });
});
