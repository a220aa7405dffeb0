import { describe, expect, it } from 'vitest';
import { cliBehavior, type CliJob, type ReplyInfo } from '../../src/clients/cli.js';
import { redisView, type RedisState } from '../../src/redis/index.js';
import { deploy, threeByThree } from './harness.js';
import { heal, partition } from '../../src/faults/index.js';

const S = 1e6;

describe('partition {master, one sentinel} | {two replicas, two sentinels}', () => {
  it('the majority fails over; after the heal the old master is demoted and its partition-time writes are gone', () => {
    const d = threeByThree();
    d.hosts.push({ name: 'hc', ip: '10.0.9.1' });
    const r = deploy(d, 3);
    const r1 = { ip: '10.0.0.1', port: 6379 };
    let id = 0;
    const jobs: CliJob[] = [];
    // Before the partition: acknowledged and replicated.
    jobs.push({ id: id++, atMs: 15_000, label: 'before', argv: ['SET', 'before', 'kept'], to: r1, timeoutMs: 2000 });
    // During the partition, on the minority side: acknowledged by the old master.
    for (let i = 0; i < 10; i++) jobs.push({ id: id++, atMs: 25_000 + i * 1000, label: `during${i}`, argv: ['SET', `during${i}`, 'x'], to: r1, timeoutMs: 2000 });
    // Long after the heal: read everything back from the old master (now a replica).
    for (const k of ['before', 'during0', 'during9']) jobs.push({ id: id++, atMs: 110_000, label: `get-${k}`, argv: ['GET', k], to: r1, timeoutMs: 2000 });
    r.world.addProcess('cli', 'hc', cliBehavior(jobs));

    r.world.runUntil(20 * S);
    partition(r.world, ['h1', 'hc'], ['h2', 'h3']);
    r.world.runUntil(60 * S);
    // The majority side elected a leader among s2/s3 and promoted r2 or r3; s1 alone could not.
    const switches = r.events({ event: '+switch-master' });
    expect(new Set(switches.map((e) => e.p))).toEqual(new Set(['s2', 's3']));
    expect(r.events({ p: 's1', event: '+odown' })).toEqual([]);
    const newMaster = switches[0]!.text.endsWith('10.0.0.2 6379') ? 'r2' : 'r3';
    expect(redisView(r.world.stateOf<RedisState>('r1')).role).toBe('master'); // still, on its island

    heal(r.world);
    r.world.runUntil(120 * S);
    // s1 learns the new config from hellos; someone converts the old master.
    expect(r.events({ p: 's1', event: '+switch-master' }).map((e) => e.text)).toEqual([switches[0]!.text]);
    expect(r.events({ event: '+convert-to-slave' }).map((e) => e.text)).toContain('slave 10.0.0.1:6379 10.0.0.1 6379 @ mymaster ' + switches[0]!.text.split(' ').slice(3).join(' '));
    const v1 = redisView(r.world.stateOf<RedisState>('r1'));
    expect(v1.role).toBe('slave');
    expect(v1.linkStatus).toBe('up');

    const replies = new Map<string, ReplyInfo>();
    for (const rec of r.trace.records) if (rec.k === 'state' && rec.p === 'cli' && rec.reply) replies.set((rec.reply as ReplyInfo).label!, rec.reply as ReplyInfo);
    // The old master acknowledged every write made on its side of the partition...
    for (let i = 0; i < 10; i++) expect(replies.get(`during${i}`)?.reply, `during${i}`).toBe('OK');
    // ...and after its full resync from the new master they are gone; the earlier write survived.
    expect(replies.get('get-before')?.reply).toBe('kept');
    expect(replies.get('get-during0')?.reply).toBeNull();
    expect(replies.get('get-during9')?.reply).toBeNull();
    expect(r.trace.records.some((x) => x.k === 'state' && x.p === 'r1' && (x as { kind?: string }).kind === 'full')).toBe(true);
    expect(redisView(r.world.stateOf<RedisState>(newMaster)).role).toBe('master');
  });
});
