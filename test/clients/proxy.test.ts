import { describe, expect, it } from 'vitest';
import { cliBehavior, type CliJob } from '../../src/clients/cli.js';
import { proxyBehavior, respWire } from '../../src/clients/proxy.js';
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

function world(extra: { pid: string; behavior: any }[] = [], clientJobs: CliJob[] = []) {
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
