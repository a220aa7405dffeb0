import { describe, expect, it } from 'vitest';
import { cliBehavior, type ReplyInfo } from '../../src/clients/cli.js';
import type { SentinelState } from '../../src/sentinel/state.js';
import { deploy, threeByThree } from './harness.js';
import { crash, wipeDisk } from '../../src/faults/index.js';

const S = 1e6;

describe('Sentinel discovery and the known-sentinel count', () => {
  it('a sentinel restarted with a wiped config gets a new id at the same address: +sentinel-invalid-addr, count unchanged (test 11-port-0, redis/redis#8791)', () => {
    const r = deploy(threeByThree(), 2);
    r.world.runUntil(20 * S);
    const oldId = r.world.stateOf<SentinelState>('s3').myid;
    crash(r.world, 's3');
    wipeDisk(r.world, 's3');
    r.world.start('s3');
    r.world.runUntil(30 * S);
    const newId = r.world.stateOf<SentinelState>('s3').myid;
    expect(newId).not.toBe(oldId);
    for (const p of ['s1', 's2']) {
      const lines = r.lines(p).filter((l) => l.includes(oldId) || l.includes(newId));
      expect(lines).toContain(`+sentinel-invalid-addr sentinel ${oldId} 10.0.0.3 26379 @ mymaster 10.0.0.1 6379`);
      expect(lines).toContain(`+sentinel sentinel ${newId} 10.0.0.3 26379 @ mymaster 10.0.0.1 6379`);
      // Exactly the other live sentinel and s3's new id: the old id was dropped, not kept beside it.
      const other = r.world.stateOf<SentinelState>(p === 's1' ? 's2' : 's1').myid;
      expect(r.world.stateOf<SentinelState>(p).masters[0]!.sentinels.map((x) => x.runid).sort()).toEqual([other, newId].sort());
    }
  });

  it('a dead sentinel keeps counting toward the majority until SENTINEL RESET (redis/redis#1972)', () => {
    const d = threeByThree();
    d.hosts.push({ name: 'hc', ip: '10.0.9.1' });
    const r = deploy(d, 5);
    const s1 = { ip: '10.0.0.1', port: 26379 };
    r.world.addProcess(
      'cli',
      'hc',
      cliBehavior([
        { id: 1, atMs: 60_000, label: 'before', argv: ['INFO', 'sentinel'], to: s1, timeoutMs: 1000 },
        { id: 2, atMs: 60_500, label: 'reset', argv: ['SENTINEL', 'RESET', '*'], to: s1, timeoutMs: 1000 },
        { id: 3, atMs: 90_000, label: 'after', argv: ['INFO', 'sentinel'], to: s1, timeoutMs: 1000 },
      ]),
    );
    r.world.runUntil(20 * S);
    crash(r.world, 's3');
    r.world.runUntil(95 * S);
    const reply = (label: string) => String(r.trace.records.find((x) => x.k === 'state' && (x.reply as ReplyInfo | undefined)?.label === label)?.reply && (r.trace.records.find((x) => x.k === 'state' && (x.reply as ReplyInfo | undefined)?.label === label)!.reply as ReplyInfo).reply);
    expect(reply('before')).toContain('slaves=2,sentinels=3');
    expect(reply('reset')).toBe('1');
    expect(r.lines('s1')).toContain('+reset-master master mymaster 10.0.0.1 6379');
    // Rediscovered from INFO and hellos: both replicas, and only the live sentinel.
    expect(reply('after')).toContain('slaves=2,sentinels=2');
  });
});
