import { describe, expect, it } from 'vitest';
import { parseSentinelConf } from '../../src/config/index.js';
import { renderConfig, type SentinelDisk } from '../../src/sentinel/index.js';
import type { SentinelState } from '../../src/sentinel/state.js';
import { deploy, threeByThree } from './harness.js';
import { modelWorld } from './models.js';
import { crash } from '../../src/faults/index.js';

const S = 1e6;

describe("Sentinel's own state in sentinel.conf (sentinelFlushConfig(), rewriteConfigSentinelOption())", () => {
  it('docker-3node (seed 004) starts from already-rewritten configs: ids, known replicas, epochs; and fails over', () => {
    const { world, lines } = modelWorld('docker-3node', 1);
    world.runUntil(1 * S);
    const s1 = world.stateOf<SentinelState>('sentinel1');
    expect(s1.myid).toBe('b16319cdc0783a0bf3b49e3f60759c3a173cbe7b');
    // Known replicas are there from the start, without +slave events.
    expect(s1.masters[0]!.slaves.map((x) => x.name).sort()).toEqual(['10.20.161.111:6379', '10.20.161.80:6379']);
    expect(lines('sentinel1').map((l) => l.line)).toEqual(['+monitor master s6l 10.20.161.181 6379 quorum 2']);
    world.runUntil(40 * S);
    // Sentinels found each other through hellos, with auth (requirepass on each sentinel).
    expect(world.stateOf<SentinelState>('sentinel1').masters[0]!.sentinels.map((x) => x.runid).sort()).toEqual([
      '2a88d7cbe2c3ae42505b7ced061b84e53cd353ce',
      'e3e9b126a9a6b17bbf1ccadda0d05315abe1dc28',
    ]);
    crash(world, 'node1');
    world.runUntil(70 * S);
    expect(lines().filter((l) => l.line.startsWith('+switch-master s6l 10.20.161.181 6379 '))).toHaveLength(3);
  });

  it('a restarted sentinel keeps its id, epochs and vote from the config it rewrote, and does not vote twice', () => {
    const r = deploy(threeByThree(), 9);
    r.world.runUntil(20 * S);
    crash(r.world, 'r1');
    r.world.runUntil(40 * S);
    const before = r.world.stateOf<SentinelState>('s2');
    const disk = r.world.diskOf('s2') as SentinelDisk;
    const text = renderConfig(disk.config);
    expect(text).toContain(`sentinel myid ${before.myid}`);
    expect(text).toContain('sentinel current-epoch 1');
    expect(text).toContain('sentinel leader-epoch mymaster 1');
    expect(text).toContain('sentinel config-epoch mymaster 1');
    expect(text).toMatch(/sentinel monitor mymaster 10\.0\.0\.[23] 6379 2/);
    expect(text).toContain('sentinel known-replica mymaster 10.0.0.1 6379');
    // The rewritten file is valid sentinel.conf that Redis's loader (our reader) accepts.
    const reread = parseSentinelConf(text, 'sentinel.conf');
    expect(reread.myid).toBe(before.myid);
    expect(reread.masters[0]!.knownSentinels).toHaveLength(2);

    crash(r.world, 's2');
    r.world.start('s2');
    r.world.runUntil(41 * S);
    const after = r.world.stateOf<SentinelState>('s2');
    expect(after.myid).toBe(before.myid);
    expect(after.currentEpoch).toBe(1);
    expect(after.masters[0]!.leaderEpoch).toBe(1);
    expect(after.masters[0]!.leader).toBeNull(); // `leader` itself is not persisted (rewriteConfigSentinelOption() writes only leader-epoch)
    expect(after.masters[0]!.addr).toEqual(before.masters[0]!.addr);
    expect(after.masters[0]!.sentinels).toHaveLength(2);
  });
});
