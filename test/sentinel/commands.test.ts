import { describe, expect, it } from 'vitest';
import { cliBehavior, type CliJob, type ReplyInfo } from '../../src/clients/cli.js';
import { deploy, threeByThree, type Run } from './harness.js';

const S = 1e6;
const S1 = { ip: '10.0.0.1', port: 26379 };

function withClient(jobs: Omit<CliJob, 'id' | 'timeoutMs' | 'to'>[], seed = 1): { r: Run; reply: (label: string) => unknown } {
  const d = threeByThree();
  d.hosts.push({ name: 'hc', ip: '10.0.9.1' });
  const r = deploy(d, seed);
  r.world.addProcess('cli', 'hc', cliBehavior(jobs.map((j, id) => ({ ...j, id, to: S1, timeoutMs: 2000 }))));
  const reply = (label: string) => {
    for (const rec of r.trace.records) if (rec.k === 'state' && rec.p === 'cli' && (rec.reply as ReplyInfo | undefined)?.label === label) return (rec.reply as ReplyInfo).reply;
    return undefined;
  };
  return { r, reply };
}

const asMap = (flat: unknown) => {
  const a = flat as string[];
  const m: Record<string, string> = {};
  for (let i = 0; i < a.length; i += 2) m[a[i]!] = a[i + 1]!;
  return m;
};

describe('SENTINEL commands (sentinelCommand()), answered from the model', () => {
  it('inspection commands on a healthy deployment', () => {
    const { r, reply } = withClient([
      { atMs: 20_000, label: 'master', argv: ['SENTINEL', 'MASTER', 'mymaster'] },
      { atMs: 20_000, label: 'replicas', argv: ['SENTINEL', 'REPLICAS', 'mymaster'] },
      { atMs: 20_000, label: 'sentinels', argv: ['SENTINEL', 'SENTINELS', 'mymaster'] },
      { atMs: 20_000, label: 'addr', argv: ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'] },
      { atMs: 20_000, label: 'addr-unknown', argv: ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'nope'] },
      { atMs: 20_000, label: 'ckquorum', argv: ['SENTINEL', 'CKQUORUM', 'mymaster'] },
      { atMs: 20_000, label: 'info', argv: ['INFO', 'sentinel'] },
      { atMs: 20_000, label: 'unknown-master', argv: ['SENTINEL', 'MASTER', 'nope'] },
      { atMs: 20_000, label: 'arity', argv: ['SENTINEL', 'MASTER'] },
      { atMs: 20_000, label: 'role', argv: ['ROLE'] },
      { atMs: 20_000, label: 'debug-set', argv: ['SENTINEL', 'DEBUG', 'ping-period', '500'] },
      { atMs: 20_100, label: 'debug', argv: ['SENTINEL', 'DEBUG'] },
      { atMs: 20_000, label: 'debug-bad', argv: ['SENTINEL', 'DEBUG', 'ping-period', 'x'] },
      { atMs: 20_000, label: 'set', argv: ['SENTINEL', 'SET', 'mymaster', 'down-after-milliseconds', '7000'] },
      { atMs: 20_000, label: 'set-bad', argv: ['SENTINEL', 'SET', 'mymaster', 'quorum', '0'] },
      { atMs: 20_100, label: 'master-after-set', argv: ['SENTINEL', 'MASTER', 'mymaster'] },
      { atMs: 20_000, label: 'config-get', argv: ['SENTINEL', 'CONFIG', 'GET', 'resolve-hostnames'] },
      { atMs: 20_000, label: 'ismd', argv: ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '10.0.0.1', '6379', '0', '*'] },
    ]);
    r.world.runUntil(25 * S);
    const m = asMap(reply('master'));
    expect(Object.keys(m).slice(0, 7)).toEqual(['name', 'ip', 'port', 'runid', 'flags', 'link-pending-commands', 'link-refcount']);
    expect(m).toMatchObject({ name: 'mymaster', ip: '10.0.0.1', port: '6379', flags: 'master', 'role-reported': 'master', 'num-slaves': '2', 'num-other-sentinels': '2', quorum: '2', 'config-epoch': '0' });
    expect(m.runid).toMatch(/^[0-9a-f]{40}$/);
    const replicas = (reply('replicas') as string[][]).map(asMap);
    expect(replicas.map((x) => `${x.name} ${x.flags} ${x['master-link-status']} ${x['master-host']}:${x['master-port']}`).sort()).toEqual([
      '10.0.0.2:6379 slave ok 10.0.0.1:6379',
      '10.0.0.3:6379 slave ok 10.0.0.1:6379',
    ]);
    const sentinels = (reply('sentinels') as string[][]).map(asMap);
    expect(sentinels.map((x) => `${x.ip}:${x.port} ${x.flags} ${x['voted-leader']}`).sort()).toEqual(['10.0.0.2:26379 sentinel ?', '10.0.0.3:26379 sentinel ?']);
    expect(reply('addr')).toEqual(['10.0.0.1', '6379']);
    expect(reply('addr-unknown')).toBeNull();
    expect(reply('ckquorum')).toBe('OK 3 usable Sentinels. Quorum and failover authorization can be reached');
    expect(String(reply('info'))).toContain('master0:name=mymaster,status=ok,address=10.0.0.1:6379,slaves=2,sentinels=3');
    expect(String(reply('info'))).toContain('sentinel_tilt:0');
    expect(reply('unknown-master')).toEqual({ error: 'ERR No such master with that name' });
    expect(reply('arity')).toEqual({ error: "ERR wrong number of arguments for 'sentinel|master' command" });
    expect(reply('role')).toEqual(['sentinel', ['mymaster']]);
    expect(reply('debug-set')).toBe('OK');
    expect(asMap(reply('debug'))['ping-period']).toBe('500');
    expect(reply('debug-bad')).toEqual({ error: "ERR Invalid argument 'x' for SENTINEL DEBUG 'ping-period'" });
    expect(reply('set')).toBe('OK');
    expect(reply('set-bad')).toEqual({ error: "ERR Invalid argument '0' for SENTINEL SET 'quorum'" });
    expect(asMap(reply('master-after-set'))['down-after-milliseconds']).toBe('7000');
    expect(r.lines('s1')).toContain('+set master mymaster 10.0.0.1 6379 down-after-milliseconds 7000');
    expect(reply('config-get')).toEqual(['resolve-hostnames', 'no']);
    expect(reply('ismd')).toEqual([0, '*', 0]);
  });

  it('SENTINEL FAILOVER on a healthy master: forced, no vote requests, the sequence real Sentinel logs', () => {
    const { r, reply } = withClient([
      { atMs: 20_000, label: 'failover', argv: ['SENTINEL', 'FAILOVER', 'mymaster'] },
      { atMs: 20_010, label: 'again', argv: ['SENTINEL', 'FAILOVER', 'mymaster'] },
      { atMs: 30_000, label: 'addr', argv: ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'] },
    ]);
    r.world.runUntil(35 * S);
    expect(reply('failover')).toBe('OK');
    expect(reply('again')).toEqual({ error: 'INPROG Failover already in progress' });
    const leader = r.events({ p: 's1' }).filter((e) => e.t >= 20_000);
    const seq = leader.map((e) => e.event);
    expect(seq.slice(0, 13)).toEqual([
      '+new-epoch', '+try-failover', '+vote-for-leader', '+elected-leader', '+failover-state-select-slave', '+selected-slave',
      '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion', '+promoted-slave', '+failover-state-reconf-slaves',
      '+slave-reconf-sent', '+slave-reconf-inprog', '+slave-reconf-done',
    ]);
    // +vote-for-leader, +elected-leader and +failover-state-select-slave happen in one tick (D5).
    expect(leader[2]!.t).toBe(leader[3]!.t);
    expect(leader[3]!.t).toBe(leader[4]!.t);
    expect(leader[2]!.text).toBe(`${r.world.stateOf<{ myid: string }>('s1').myid} 1`);
    expect(r.trace.records.some((x) => x.k === 'log' && x.p === 's1' && x.text === "Executing user requested FAILOVER of 'mymaster'")).toBe(true);
    expect(r.events({ event: '+sdown' }).filter((e) => e.text.startsWith('master'))).toEqual([]);
    // The others never vote; they learn the epoch from the leader's first hello after the command
    // (a periodic one, or the forced one after +promoted-slave: then in the same ms, as in
    // REAL-MEASUREMENTS.md §2 where the command followed a hello burst), then the new config.
    for (const p of ['s2', 's3']) {
      const mine = r.events({ p }).filter((e) => e.t >= 20_000);
      expect(mine.map((e) => e.event).slice(0, 3)).toEqual(['+new-epoch', '+config-update-from', '+switch-master']);
      expect(mine[0]!.text).toBe('1');
      expect(mine[0]!.t).toBeLessThanOrEqual(mine[1]!.t);
      expect(mine[1]!.t).toBe(mine[2]!.t);
      expect(r.events({ p, event: '+vote-for-leader' })).toEqual([]);
    }
    const sw = r.events({ p: 's1', event: '+switch-master' })[0]!.text.split(' ');
    expect(reply('addr')).toEqual([sw[3], sw[4]]);
  });
});
