import { describe, expect, it } from 'vitest';
import { cliBehavior, type ReplyInfo } from '../../src/clients/cli.js';
import { deploy, threeByThree } from './harness.js';
import { crash } from '../../src/faults/index.js';

const S = 1e6;

describe('instance reboots and replica announcement', () => {
  it('a master restarted within down-after is seen as +reboot (new run id), not SDOWN (test 12-master-reboot)', () => {
    const r = deploy(threeByThree({ downAfterMs: 5000 }), 3);
    r.world.runUntil(20 * S);
    crash(r.world, 'r1');
    r.world.start('r1');
    r.world.runUntil(45 * S);
    for (const p of ['s1', 's2', 's3']) {
      expect(r.lines(p)).toContain('+reboot master mymaster 10.0.0.1 6379');
      expect(r.lines(p)).not.toContain('+sdown master mymaster 10.0.0.1 6379');
    }
    expect(r.events({ event: '+switch-master' })).toEqual([]);
  });

  it('replica-announced no hides a replica from SENTINEL REPLICAS, yet it stays promotable', () => {
    const d = threeByThree();
    d.nodes[1]!.extra = ['replica-announced no'];
    d.nodes[2]!.extra = ['replica-priority 0'];
    d.hosts.push({ name: 'hc', ip: '10.0.9.1' });
    const r = deploy(d, 3);
    r.world.addProcess('cli', 'hc', cliBehavior([{ id: 1, atMs: 20_000, label: 'replicas', argv: ['SENTINEL', 'REPLICAS', 'mymaster'], to: { ip: '10.0.0.1', port: 26379 }, timeoutMs: 1000 }]));
    r.world.runUntil(21 * S);
    const rec = r.trace.records.find((x) => x.k === 'state' && (x.reply as ReplyInfo | undefined)?.label === 'replicas')!;
    const names = ((rec.reply as ReplyInfo).reply as string[][]).map((x) => x[1]);
    expect(names).toEqual(['10.0.0.3:6379']);
    crash(r.world, 'r1');
    r.world.runUntil(40 * S);
    expect(r.events({ event: '+selected-slave' }).map((e) => e.text)).toEqual(['slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379']);
  });
});
