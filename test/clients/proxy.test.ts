import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBehavior, type CliJob } from '../../src/clients/cli.js';
import { proxyBehavior, REDIS_MASTER_TCP_CHECK, respWire } from '../../src/clients/proxy.js';
import { bulk, status } from '../../src/net/resp.js';
import { buildWorld } from '../../src/scenario/build.js';
import { loadModel } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { crash, pause } from '../../src/faults/index.js';

/**
 * The HAProxy model (seed 002's tcp-check) against the real Redis model: health transitions at the
 * times inter/rise/fall give, forwarding, and clients reaching the new master after a failover.
 */

const model = loadModel('models/haproxy');
const S = 1_000_000;

function world(extra: { pid: string; behavior: any; startAtUs?: number }[] = [], clientJobs: CliJob[] = []) {
  const records: TraceRecord[] = [];
  const w = buildWorld(model, {
    seed: 1,
    trace: { write: (r) => records.push(r) },
    extraProcesses: extra.map((x) => ({ ...x, host: 'ubuntu' })),
    clientProcesses: clientJobs.length ? [{ pid: 'cli', behavior: cliBehavior(clientJobs) }] : [],
  });
  const transitions = (pid: string) =>
    records.filter((r) => r.k === 'state' && r.p === pid && r.proxy === 'server').map((r) => ({ t: r.t, server: r.server, status: r.status }));
  return { w, records, transitions };
}

const servers = [
  { name: 'redis_6379', ip: '::1', port: 6379 },
  { name: 'redis_6380', ip: '::1', port: 6380 },
];

describe('proxy: tcp-check health', () => {
  it('renders replies as their wire bytes for `expect string`', () => {
    expect(respWire(status('PONG'))).toBe('+PONG\r\n');
    expect(respWire(bulk('role:master\r\n'))).toBe('$13\r\nrole:master\r\n\r\n');
  });

  it('a replica is DOWN after its first check (startup health = rise), failing at the check timeout (inter)', () => {
    const { w, transitions } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers, interMs: 1000 }) }]);
    w.runUntil(5 * S);
    // server 2 of 2 is first checked at inter/2 = 500 ms; `role:master` never comes: Layer7 timeout at 1.5 s.
    expect(transitions('hap')).toEqual([{ t: 1.5 * S, server: 'redis_6380', status: 'DOWN' }]);
  });

  it('fall 3: a crashed master is DOWN at the third refused check; rise 2: UP at the second passed check', () => {
    const { w, transitions } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers: [servers[0]!], interMs: 1000 }) }]);
    w.at(10.2 * S, 'crash', (x) => crash(x, 'redis_6379'));
    w.at(20.2 * S, 'start', (x) => x.start('redis_6379'));
    w.runUntil(30 * S);
    const tr = transitions('hap');
    expect(tr.map((x) => x.status)).toEqual(['DOWN', 'UP']);
    // checks at 11, 12, 13 s are refused (one round trip on the host): DOWN at the third.
    expect(tr[0]!.t).toBeGreaterThanOrEqual(13 * S);
    expect(tr[0]!.t).toBeLessThan(13.01 * S);
    // restarted at 20.2 s (as a master: its config has no replicaof): passes at 21 and 22 s.
    expect(tr[1]!.t).toBeGreaterThanOrEqual(22 * S);
    expect(tr[1]!.t).toBeLessThan(22.01 * S);
  });

  it('rise 3 / fall 1 / inter 500ms as configured', () => {
    const { w, transitions } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers: [servers[0]!], interMs: 500, rise: 3, fall: 1 }) }]);
    w.at(10.2 * S, 'crash', (x) => crash(x, 'redis_6379'));
    w.at(20.2 * S, 'start', (x) => x.start('redis_6379'));
    w.runUntil(30 * S);
    const tr = transitions('hap');
    expect(tr.map((x) => x.status)).toEqual(['DOWN', 'UP']);
    expect(Math.floor(tr[0]!.t / 1000)).toBe(10_500);
    expect(Math.floor(tr[1]!.t / 1000)).toBe(21_500); // passes at 20.5, 21.0, 21.5 s
  });

  it('a paused server fails by timeout, and a timed-out check pushes the next one by a whole inter (checks every 2 s)', () => {
    const { w, records, transitions } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers: [servers[0]!], interMs: 1000 }) }]);
    w.at(10.2 * S, 'pause', (x) => pause(x, 'redis_6379'));
    w.runUntil(20 * S);
    const fails = records.filter((r) => r.k === 'state' && r.p === 'hap' && (r.proxy === 'check-failed' || r.status === 'DOWN')).map((r) => r.t / S);
    expect(fails).toEqual([12, 14, 16, 18, 20]);
    expect(transitions('hap')).toEqual([{ t: 16 * S, server: 'redis_6379', status: 'DOWN' }]);
  });
});

describe('proxy: forwarding', () => {
  it('passes commands and replies through to the UP server, and closes at once when none is UP', () => {
    const hap = { ip: '::1', port: 7000, name: 'hap' };
    const { w, records } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers, interMs: 1000 }) }], [
      { id: 1, atMs: 3000, argv: ['SET', 'k', 'via-proxy'], to: hap, timeoutMs: 1000 },
      { id: 2, atMs: 3500, argv: ['GET', 'k'], to: { ip: '::1', port: 6379, name: 'redis_6379' }, timeoutMs: 1000 },
      { id: 3, atMs: 4000, argv: ['INFO', 'server'], to: hap, timeoutMs: 1000 },
      { id: 4, atMs: 13500, argv: ['PING'], to: hap, timeoutMs: 1000 },
    ]);
    w.at(10.2 * S, 'crash', (x) => crash(x, 'redis_6379'));
    w.runUntil(20 * S);
    const rep = (job: number) => records.find((r) => r.k === 'state' && r.p === 'cli' && (r.reply as any)?.job === job)!.reply as any;
    expect(rep(1).text).toBe('OK');
    expect(rep(2).text).toBe('"via-proxy"');
    expect(rep(3).text).toMatch(/tcp_port:6379/);
    expect(rep(4).text).toBe('Error: Server closed the connection');
  });
});

describe('proxy: the seed 002 drill through HAProxy', () => {
  const res = runScenario(loadScenario('scenarios/haproxy-segfault-master.yaml'));
  const ops = res.records.filter((r) => r.k === 'op' && r.p === 'app');
  const sessions = new Map(res.records.filter((r) => r.k === 'state' && r.proxy === 'session').map((r) => [r.conn as number, r.server as string]));

  it('the app writes through HAProxy to 6379, nothing is acknowledged while no server is UP, then it writes to 6380', () => {
    const ok = ops.filter((r) => r.phase === 'ok');
    const before = ok.filter((r) => r.t < 30 * S);
    const after = ok.filter((r) => r.t > 30 * S);
    expect(before.length).toBeGreaterThan(25);
    expect(before.every((r) => sessions.get(r.conn as number) === 'redis_6379')).toBe(true);
    expect(after[0]!.t).toBeGreaterThan(35 * S);
    expect(after[0]!.t).toBeLessThan(37 * S);
    expect(after.every((r) => sessions.get(r.conn as number) === 'redis_6380')).toBe(true);
  });

  it('HAProxy marks 6379 DOWN 3 checks after the crash and 6380 UP two checks after its promotion', () => {
    const tr = res.records.filter((r) => r.k === 'state' && r.p === 'haproxy' && r.proxy === 'server').map((r) => [Math.round(r.t / 1000) / 1000, r.server, r.status]);
    const sw = res.records.find((r) => r.k === 'event' && r.event === '+switch-master')!;
    const down = tr.find((x) => x[1] === 'redis_6379' && x[2] === 'DOWN')!;
    const up = tr.find((x) => x[1] === 'redis_6380' && x[2] === 'UP')!;
    expect(down[0]).toBeGreaterThan(31);
    expect(down[0]).toBeLessThan(33.1);
    expect(up[0] as number).toBeGreaterThan(sw.t / S - 1.5);
    expect(up[0] as number).toBeLessThan(sw.t / S + 2);
    // The restarted 6379 is a master again until the Sentinel converts it: HAProxy sees two UP servers.
    const up79 = tr.find((x) => x[1] === 'redis_6379' && x[2] === 'UP' && (x[0] as number) > 50)!;
    const down79 = tr.find((x) => x[1] === 'redis_6379' && x[2] === 'DOWN' && (x[0] as number) > 50)!;
    const conv = res.records.find((r) => r.k === 'event' && r.event === '+convert-to-slave')!;
    expect(up79[0]).toBeLessThan(conv.t / S);
    expect(down79[0]).toBeGreaterThan(conv.t / S);
  });

  it('no acknowledged write is lost', () => {
    expect(res.summary.lostWrites).toMatchObject({ finalMaster: 'redis_6380', lost: [] });
    expect(res.ok).toBe(true);
  });
});

describe('proxy: timeouts, retries and names as HAProxy has them', () => {
  const logs = (records: TraceRecord[], pid: string) => records.filter((r) => r.k === 'log' && r.p === pid).map((r) => ({ t: r.t, text: String(r.text) }));

  it('a replica fails `expect string role:master` with a Layer7 timeout: after inter without `timeout check`', () => {
    const { w, records } = world([{ pid: 'hap', behavior: proxyBehavior({ backend: 'bk_redis', port: 7000, servers, interMs: 1000 }) }]);
    w.runUntil(3 * S);
    const down = logs(records, 'hap').find((l) => l.text.includes('is DOWN'))!;
    expect(down.t).toBe(1.5 * S);
    expect(down.text).toBe('Server bk_redis/redis_6380 is DOWN, reason: Layer7 timeout, check duration: 1000ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.');
  });

  it('... and after `timeout check` once connected, when it is set', () => {
    const { w, records } = world([{ pid: 'hap', behavior: proxyBehavior({ backend: 'bk_redis', port: 7000, servers, interMs: 1000, checkTimeoutMs: 300, connectTimeoutMs: 3000 }) }]);
    w.runUntil(3 * S);
    const down = logs(records, 'hap').find((l) => l.text.includes('is DOWN'))!;
    expect(down.t).toBeGreaterThan(0.8 * S);
    expect(down.t).toBeLessThan(0.81 * S); // first check at 0.5 s, connected within a round trip, then 300 ms
    expect(down.text).toMatch(/^Server bk_redis\/redis_6380 is DOWN, reason: Layer7 timeout, check duration: 30\dms\. /);
  });

  it('a refused connection to a server still marked UP is retried 3 times, 1 s apart, before the client is closed', () => {
    const hap = { ip: '::1', port: 7000, name: 'hap' };
    const { w, records } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers: [servers[0]!], interMs: 1000, connectTimeoutMs: 3000 }) }], [
      { id: 1, atMs: 10_500, argv: ['PING'], to: hap, timeoutMs: 5000 },
      { id: 2, atMs: 10_600, argv: ['PING'], to: hap, timeoutMs: 1000 },
    ]);
    w.at(10.2 * S, 'crash', (x) => crash(x, 'redis_6379'));
    w.runUntil(20 * S);
    const retries = records.filter((r) => r.k === 'state' && r.p === 'hap' && r.proxy === 'retry' && r.attempt !== undefined);
    expect(retries.filter((r) => r.conn === retries[0]!.conn).map((r) => r.attempt)).toEqual([2, 3, 4]);
    const ends = records.filter((r) => r.k === 'state' && r.p === 'hap' && r.proxy === 'session-end');
    const first = ends.find((r) => r.conn === retries[0]!.conn)!;
    expect(first.why).toBe('server connection refused');
    expect(first.t).toBeGreaterThanOrEqual(13.5 * S);
    expect(first.t).toBeLessThan(13.52 * S);
    const rep = (job: number) => records.find((r) => r.k === 'state' && r.p === 'cli' && (r.reply as any)?.job === job)!;
    // The patient client sees the close after the retries; the impatient one times out first.
    expect((rep(1).reply as any).text).toBe('Error: Server closed the connection');
    expect(rep(1).t).toBeGreaterThanOrEqual(13.5 * S);
    expect((rep(2).reply as any).text).toMatch(/timed out|timeout/i);
    expect(rep(2).t).toBeLessThan(11.7 * S);
  });

  it('with `retries 0` the client is closed at the first refusal', () => {
    const hap = { ip: '::1', port: 7000, name: 'hap' };
    const { w, records } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers: [servers[0]!], interMs: 1000, retries: 0 }) }], [
      { id: 1, atMs: 10_500, argv: ['PING'], to: hap, timeoutMs: 5000 },
    ]);
    w.at(10.2 * S, 'crash', (x) => crash(x, 'redis_6379'));
    w.runUntil(12 * S);
    const end = records.find((r) => r.k === 'state' && r.p === 'hap' && r.proxy === 'session-end')!;
    expect(end.t).toBeLessThan(10.52 * S);
    expect(records.some((r) => r.k === 'state' && r.p === 'hap' && r.proxy === 'retry')).toBe(false);
  });

  it('a proxy started later checks nothing before its start (first check of server i at start + i·inter/n)', () => {
    const { w, transitions } = world([{ pid: 'hap', behavior: proxyBehavior({ port: 7000, servers, interMs: 1000 }), startAtUs: 5 * S }]);
    w.runUntil(8 * S);
    expect(transitions('hap')).toEqual([{ t: 6.5 * S, server: 'redis_6380', status: 'DOWN' }]);
  });
});

describe('proxy: seed 002 from its haproxy.cfg', () => {
  it('the model reads frontend, backend, server names, checks, timeouts and retries from models/haproxy/haproxy.cfg', () => {
    const px = model.clients.find((c) => c.kind === 'proxy')!;
    expect(px.port).toBe(6378);
    expect(px.haproxy!.frontend.name).toBe('ft_redis');
    expect(px.haproxy!.backend).toMatchObject({ name: 'bk_redis', connectMs: 3000, serverMs: 6000, retries: 3 });
    expect(px.haproxy!.frontend.clientMs).toBe(6000);
    expect(px.haproxy!.backend.servers.map((s) => [s.name, s.host, s.port, s.interMs])).toEqual([['redis_6379', 'localhost', 6379, 1000], ['redis_6380', 'localhost', 6380, 1000]]);
    expect(px.haproxy!.backend.tcpCheck).toEqual([...REDIS_MASTER_TCP_CHECK]);
  });

  it('the drill logs the DOWN lines with the configuration\'s names', () => {
    const res = runScenario(loadScenario('scenarios/haproxy-segfault-master.yaml'));
    const lines = res.records.filter((r) => r.k === 'log' && r.p === 'haproxy').map((r) => String(r.text));
    expect(lines[0]).toMatch(/^Proxy ft_redis started \(bk_redis: redis_6379, redis_6380;/);
    expect(lines).toContain('Server bk_redis/redis_6380 is DOWN, reason: Layer7 timeout, check duration: 1000ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.');
  });
});

describe('proxy: model options', () => {
  function tempModel(edit: (yaml: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-model-'));
    cpSync('models/haproxy', dir, { recursive: true });
    writeFileSync(join(dir, 'model.yaml'), edit(readFileSync('models/haproxy/model.yaml', 'utf8')));
    return dir;
  }

  it('`start` delays the proxy: no check before it, the replica DOWN one inter and a half later', () => {
    const dir = tempModel((y) => y.replace('    config: haproxy.cfg\n', '    config: haproxy.cfg\n    start: 20s\n'));
    try {
      const m = loadModel(dir);
      expect(m.clients.find((c) => c.name === 'haproxy')!.startAtUs).toBe(20 * S);
      writeFileSync(join(dir, 'idle.yaml'), 'name: idle\nmodel: .\nseed: 1\nduration: 25s\n');
      const res = runScenario(loadScenario(join(dir, 'idle.yaml')));
      const hap = res.records.filter((r) => r.p === 'haproxy' && (r.k === 'log' || (r.k === 'state' && r.proxy === 'server')));
      expect(hap[0]!.t).toBe(20 * S);
      expect(hap.filter((r) => r.k === 'state').map((r) => [r.t, r.server, r.status])).toEqual([[21.5 * S, 'redis_6380', 'DOWN']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('port, backends and check settings come from the config when there is one: both is bad input', () => {
    const dir = tempModel((y) => y.replace('    config: haproxy.cfg\n', '    config: haproxy.cfg\n    port: 6378\n'));
    try {
      expect(() => loadModel(dir)).toThrow(/model\.yaml:\d+: "port" comes from the proxy's config \(haproxy\.cfg\): set it there/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
