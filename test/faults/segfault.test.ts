import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRASH_REPORT_MS } from '../../src/redis/crash.js';
import { redisBehavior } from '../../src/redis/index.js';
import { createWorld } from '../../src/net/world.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import * as faults from '../../src/faults/index.js';
import { loadModel } from '../../src/scenario/model.js';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { redisConfig } from '../redis/helpers/config.js';
import { exchanges } from '../redis/helpers/client.js';
import { addClient, clientState, logs, S } from '../redis/helpers/world.js';

const M = { ip: '10.0.0.1', port: 6379 };
const debugOn = { directives: [{ name: 'enable-debug-command', args: ['yes'], pos: { file: 'x', line: 1 } }] };

function node(seed: number, crashReportMs?: { minMs: number; maxMs: number }) {
  const trace = new MemoryTrace();
  const world = createWorld({ seed, trace });
  world.addHost('h1', M.ip);
  world.addProcess('r1', 'h1', redisBehavior(redisConfig({ savePoints: [], ...debugOn }), { crashReportMs }));
  addClient(world, 'c', 'h1', { a: M, b: M }, [
    { atMs: 5_000, conn: 'a', argv: ['DEBUG', 'SEGFAULT'] },
    { atMs: 5_050, conn: 'b', argv: ['PING'] },
  ]);
  return { world, trace };
}

describe('DEBUG SEGFAULT: the bug report keeps the sockets open and answers nothing, then the process dies', () => {
  it('the crash line at once, silence for crashReportMs (a seeded draw in the range), then exit 139 and EOF (FIN) for every client', () => {
    const delays = new Set<number>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { world, trace } = node(seed, { minMs: 400, maxMs: 600 });
      world.runUntil(5 * S + 399_000);
      expect(world.status('r1')).toBe('running');
      expect(logs(trace, 'r1').at(-1)).toBe('Redis 7.0.15 crashed by signal: 11, si_code: 2');
      world.runUntil(6 * S);
      const exit = trace.records.find((r) => r.k === 'fault' && r.what === 'exit' && r.p === 'r1')!;
      expect(exit.code).toBe(139);
      const delayMs = exit.t / 1000 - 5_000;
      expect(delayMs).toBeGreaterThanOrEqual(400);
      expect(delayMs).toBeLessThanOrEqual(600);
      delays.add(delayMs);
      const c = clientState(world, 'c');
      expect(exchanges(c, 'a')[0]!.reply).toEqual({ closed: 'closed' });
      expect(exchanges(c, 'b')[0]!.reply).toEqual({ closed: 'closed' });
    }
    expect(delays.size).toBeGreaterThan(3);
  });

  it('without a model option the measured default applies: 236-334 ms', () => {
    expect(DEFAULT_CRASH_REPORT_MS).toEqual({ minMs: 236, maxMs: 334 });
    for (const seed of [1, 2, 3]) {
      const { world, trace } = node(seed);
      world.runUntil(6 * S);
      const exit = trace.records.find((r) => r.k === 'fault' && r.what === 'exit' && r.p === 'r1')!;
      expect(exit.t / 1000 - 5_000).toBeGreaterThanOrEqual(236);
      expect(exit.t / 1000 - 5_000).toBeLessThanOrEqual(334);
    }
  });

  it('the debug-segfault fault does the same through SIGSEGV; a fixed crashReportMs in model.yaml fixes the delay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'segv-model-'));
    cpSync('models/zato', dir, { recursive: true });
    writeFileSync(join(dir, 'model.yaml'), `${readFileSync('models/zato/model.yaml', 'utf8')}options:\n  crashReportMs: 900\n`);
    const model = loadModel(dir);
    expect(model.options?.crashReportMs).toEqual({ minMs: 900, maxMs: 900 });
    const sc = parseScenario('model: x\nseed: 3\nduration: 25s\ntimeline:\n  - { at: 20s, debug-segfault: node1 }\n', 'inline.yaml', { model });
    const rs = runScenario(sc).records;
    const exit = rs.find((r) => r.k === 'fault' && r.what === 'exit' && r.p === 'node1')!;
    expect(exit.t - 20 * S).toBe(900_000);
    expect(exit.code).toBe(139);
  });

  it('a model with min above max is refused with the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'segv-model-'));
    cpSync('models/zato', dir, { recursive: true });
    writeFileSync(join(dir, 'model.yaml'), `${readFileSync('models/zato/model.yaml', 'utf8')}options:\n  crashReportMs: { min: 500, max: 100 }\n`);
    expect(() => loadModel(dir)).toThrow(/model\.yaml:\d+: .*min \(500\) is above max \(100\)/);
  });
});

describe('faults.debugSegfault on a process without a handler', () => {
  it('dies at once with status 139', () => {
    const trace = new MemoryTrace();
    const w = createWorld({ seed: 1, trace });
    w.addHost('a', '10.0.0.1');
    w.addProcess('pa', 'a', { kind: 'idle', init: () => ({}), listenPorts: () => [1], onNet: () => {}, onTimer: () => {} });
    w.runUntil(1000);
    faults.debugSegfault(w, 'pa');
    expect(w.status('pa')).toBe('down');
    expect(trace.records.filter((r) => r.k === 'fault').map((r) => [r.what, r.code])).toEqual([['debug-segfault', undefined], ['exit', 139]]);
  });
});
