import { describe, expect, it } from 'vitest';
import { crash, pause, resume } from '../../src/faults/index.js';
import { respCommandBytes } from '../../src/net/resp.js';
import { RCVBUF_BYTES, SNDBUF_BYTES } from '../../src/net/tcp.js';
import type { ConfigDirective } from '../../src/config/types.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, logs, MS, redisWorld, S, state } from './helpers/world.js';

/**
 * A stopped replica takes what its socket buffers hold; the rest of the stream waits in the
 * master's output buffer for it, under client-output-buffer-limit (networking.c), and dies with
 * the master.
 */

const M = { ip: '10.0.0.1', port: 6379 };
const VALUE = 'v'.repeat(100_000);
const SET_BYTES = respCommandBytes(['SET', 'k000', VALUE]);

function cobl(line: string): ConfigDirective[] {
  return [{ name: 'client-output-buffer-limit', args: line.split(' '), pos: { file: 'redis.conf', line: 1 } }];
}

function pair(directives: ConfigDirective[] = []) {
  const over = { directives, savePoints: [] };
  return redisWorld([
    { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig(over) },
    { pid: 'r2', host: 'h2', ip: '10.0.0.2', cfg: redisConfig({ ...over, replicaofAddr: [M.ip, 6379] }) },
  ]);
}

/** `count` SETs of 100 KB values from 9 s on, 1 ms apart, plus CLIENT LIST at `listAtMs`. */
function writer(world: ReturnType<typeof pair>['world'], count: number, listAtMs: number): void {
  const steps = Array.from({ length: count }, (_, i) => ({ atMs: 9000 + i, conn: 'm', argv: ['SET', `k${String(i).padStart(3, '0')}`, VALUE] }));
  addClient(world, 'c', 'h1', { m: M }, [...steps, { atMs: listAtMs, conn: 'm', argv: ['CLIENT', 'LIST'] }]);
}

function replicaOmem(world: ReturnType<typeof pair>['world']): number | undefined {
  const list = clientState(world, 'c').log.at(-1)!.reply as string;
  const line = list.split('\n').find((l) => / flags=S /.test(l));
  return line ? Number(/ omem=(\d+) /.exec(line)![1]) : undefined;
}

describe('output buffers of a stopped replica', () => {
  it("keeps in the master's output buffer what the socket buffers cannot take, and delivers it all on SIGCONT", () => {
    const { world } = pair();
    writer(world, 100, 10_000);
    world.at(8500 * MS, 'pause', (w) => pause(w, 'r2'));
    world.at(11 * S, 'resume', (w) => resume(w, 'r2'));
    world.runUntil(10_500 * MS);
    const written = 100 * SET_BYTES;
    const omem = replicaOmem(world)!;
    const inKernels = written - omem;
    // One segment more than each buffer holds, as a segment is sent whole.
    expect(inKernels).toBeGreaterThanOrEqual(RCVBUF_BYTES + SNDBUF_BYTES);
    expect(inKernels).toBeLessThan(RCVBUF_BYTES + SNDBUF_BYTES + 2 * SET_BYTES);
    world.runUntil(12 * S);
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
    expect(Object.keys(state(world, 'r2').db)).toHaveLength(100);
  });

  it("kill -9 of the master loses its output buffer: the resumed replica applies only what the kernels held", () => {
    const { world } = pair();
    writer(world, 200, 10_000);
    let atPause = 0;
    world.at(8500 * MS, 'pause', (w) => {
      pause(w, 'r2');
      atPause = state(w, 'r1').masterReplOffset;
    });
    world.at(10_500 * MS, 'crash', (w) => crash(w, 'r1'));
    world.at(11 * S, 'resume', (w) => resume(w, 'r2'));
    world.runUntil(12 * S);
    const applied = state(world, 'r2').masterReplOffset - atPause;
    expect(applied).toBeGreaterThanOrEqual(RCVBUF_BYTES + SNDBUF_BYTES);
    expect(applied).toBeLessThan(RCVBUF_BYTES + SNDBUF_BYTES + 2 * SET_BYTES);
    expect(Object.keys(state(world, 'r2').db).length).toBeLessThan(50);
  });

  it('closes the replica at once when the hard limit is passed, with Redis\'s log line', () => {
    const { world, trace } = pair(cobl('replica 8mb 0 0'));
    writer(world, 200, 10_000);
    world.at(8500 * MS, 'pause', (w) => pause(w, 'r2'));
    world.runUntil(10_500 * MS);
    const line = logs(trace!, 'r1').find((l) => l.includes('for overcoming of output buffer limits'));
    expect(line).toMatch(/^Client id=\d+ addr=10\.0\.0\.2:\d+ .* flags=S .* omem=\d+ .* scheduled to be closed ASAP for overcoming of output buffer limits\.$/);
    const omem = Number(/ omem=(\d+) /.exec(line!)![1]);
    expect(omem).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(omem).toBeLessThan(8 * 1024 * 1024 + 2 * SET_BYTES);
    expect(state(world, 'r1').replicas).toEqual([]);
    expect(replicaOmem(world)).toBeUndefined();
    expect(logs(trace!, 'r1')).toContain('Connection with replica 10.0.0.2:6379 lost.');
  });

  it('closes the replica when the soft limit is held for longer than its seconds, not before', () => {
    const { world, trace } = pair(cobl('replica 0 4mb 5'));
    writer(world, 100, 10_000);
    world.at(8500 * MS, 'pause', (w) => pause(w, 'r2'));
    const closedAt = (): number | undefined =>
      trace!.records.find((r) => r.k === 'log' && r.p === 'r1' && String(r.text).includes('for overcoming of output buffer limits'))?.t as number | undefined;
    world.runUntil(14 * S);
    expect(closedAt()).toBeUndefined();
    expect(state(world, 'r1').replicas).toHaveLength(1);
    world.runUntil(20 * S);
    // First seen at ~9.1 s; closed when server.unixtime is more than 5 s past that: 14.x-16 s.
    expect(closedAt()).toBeGreaterThan(14 * S);
    expect(closedAt()).toBeLessThanOrEqual(16 * S);
    expect(state(world, 'r1').replicas).toEqual([]);
  });

  it('a soft limit that is left again before its seconds resets its clock', () => {
    const { world, trace } = pair(cobl('replica 0 4mb 5'));
    writer(world, 100, 10_000);
    world.at(8500 * MS, 'pause', (w) => pause(w, 'r2'));
    world.at(12 * S, 'resume', (w) => resume(w, 'r2'));
    world.runUntil(30 * S);
    expect(logs(trace!, 'r1').some((l) => l.includes('output buffer limits'))).toBe(false);
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
  });
});
