import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findBinaries, MissingBinaryError, RealDeployment, redisVersion, withDeployment } from '../../src/conformance/real.js';
import { RespClient, RespError } from '../../src/conformance/resp-client.js';
import { topology } from '../../src/conformance/topology.js';

// Ports 25600..25999 belong to this file.

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('real-process harness', () => {
  it('finds Debian redis 7.0.15 binaries', () => {
    expect(findBinaries().sentinel).toMatch(/redis-sentinel$/);
    expect(redisVersion()).toMatch(/^Redis server v=7\.0\.15 /);
  });

  it('names the Debian package when a binary is missing', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent-dir';
    try {
      expect(() => findBinaries()).toThrow(MissingBinaryError);
      expect(() => findBinaries()).toThrow(/redis-sentinel.*apt-get install -y redis-server redis-sentinel/);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('starts a healthy topology, talks RESP, applies faults, and stops every PID even when the body throws', async () => {
    let pids: number[] = [];
    let root = '';
    const err = await withDeployment(topology({ base: 25600, nodes: 2, sentinels: 2, quorum: 2 }), async (d) => {
      root = d.rootDir;
      await d.waitHealthy();
      pids = d.names().map((n) => d.pid(n)!);
      expect(pids.every(pidAlive)).toBe(true);
      expect(Object.keys(d.runIds).sort()).toEqual(['sentinel1', 'sentinel2']);
      expect(Object.values(d.runIds).every((id) => /^[0-9a-f]{40}$/.test(id))).toBe(true);

      // RESP client: pipelined commands, error replies as values, nested arrays.
      const c = await RespClient.connect(d.port('node1'));
      try {
        const [set, get, bad, role] = await Promise.all([
          c.command(['SET', 'k', 'v\r\nwith crlf']),
          c.command(['GET', 'k']),
          c.command(['NOSUCHCOMMAND']),
          c.command(['ROLE']),
        ]);
        expect(set).toBe('OK');
        expect(get).toBe('v\r\nwith crlf');
        expect(bad).toBeInstanceOf(RespError);
        expect((bad as RespError).message).toMatch(/^ERR unknown command/);
        expect(Array.isArray(role) && role[0]).toBe('master');
      } finally {
        c.close();
      }
      expect(await d.masterName('sentinel1')).toBe('node1');
      // The monitor event of startup is in the log, normalized.
      expect(d.normalizedEvents('sentinel1').some((e) => e.event === '+monitor' && e.text === 'master mymaster node1 quorum 2')).toBe(true);

      // SIGSTOP/SIGCONT and kill -9 of a replica, then a restart from the same config. A fault
      // carries the event waits since the previous fault (the simulator replays it after its own
      // such events); sleepUntil() times the next fault from the previous fault instead.
      await d.waitForEventOnEach('+monitor', (e) => e.event === '+monitor', 10_000);
      d.pause('node2');
      d.resume('node2');
      expect(await d.call('node2', ['PING'], 5000)).toBe('PONG');
      await d.waitForEvent('+monitor', (e) => e.event === '+monitor', 10_000);
      await d.sleepUntil(d.now() + 10);
      await d.kill9('node2');
      expect(d.isAlive('node2')).toBe(false);
      const restart = await d.restart('node2');
      expect(d.isAlive('node2')).toBe(true);
      // The restart also says when the server came up (its `Server initialized` line), after the
      // spawn and before it answered PING; the recorded fault is that record.
      expect(restart.upMs).toBeGreaterThanOrEqual(restart.timeMs);
      expect(restart.upMs).toBeLessThanOrEqual(d.now());
      expect(d.faults.find((f) => f.kind === 'restart')).toBe(restart);
      await d.waitHealthy();
      await d.sentinelDebug({ 'info-period': 1000 });
      expect(d.faults.map((f) => f.kind)).toEqual(['sigstop', 'sigcont', 'kill9', 'restart', 'sentinel-debug', 'sentinel-debug']);
      expect(d.faults.map((f) => (f.waits ?? []).map((w) => `${w.what} ${w.sentinels.join('+')}`))).toEqual([['+monitor on sentinel1 sentinel1', '+monitor on sentinel2 sentinel2'], [], [], [], [], []]);
      pids = d.names().map((n) => d.pid(n)!);
      d.pause('sentinel2'); // a paused process must be stopped too
      throw new Error('body failed on purpose');
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe('body failed on purpose');
    expect(pids.length).toBe(4);
    expect(pids.filter(pidAlive)).toEqual([]);
    expect(existsSync(root)).toBe(false);
  });

  it('DEBUG SEGFAULT and SHUTDOWN NOSAVE end the node', async () => {
    await withDeployment(topology({ base: 25700, nodes: 2, sentinels: 0 }), async (d) => {
      const p1 = d.pid('node2')!;
      await d.debugSegfault('node2');
      expect(pidAlive(p1)).toBe(false);
      expect(d.log('node2')).toMatch(/crashed by signal: 11/);
      const p0 = d.pid('node1')!;
      await d.shutdownNoSave('node1');
      expect(pidAlive(p0)).toBe(false);
      expect(d.log('node1')).toMatch(/Redis is now ready to exit, bye bye/);
    });
  });

  it("steps every process's wall clock (wallShift): TIME moves with it, and log stamps are read back on the harness's clock", async () => {
    await withDeployment(topology({ base: 25900, nodes: 1, sentinels: 1, quorum: 1, wallShift: true }), async (d) => {
      await d.waitHealthy();
      const timeMs = async () => {
        const r = (await d.call('node1', ['TIME'])) as string[];
        return Number(r[0]) * 1000 + Number(r[1]) / 1000;
      };
      const before = (await timeMs()) - Date.now();
      const f = d.clockJump(60_000);
      const after = (await timeMs()) - Date.now();
      expect(after - before).toBeGreaterThan(59_900);
      expect(after - before).toBeLessThan(60_100);
      // sentinelCheckTiltCondition(): a step of a minute enters TILT at the next timer run.
      const tilt = await d.waitForEvent('+tilt', (e) => e.event === '+tilt', 5000, { sinceMs: f.timeMs });
      expect(tilt.timeMs - f.timeMs).toBeGreaterThanOrEqual(0);
      expect(tilt.timeMs - f.timeMs).toBeLessThan(1000);
    });
  });

  it('reports a config error from the process', async () => {
    const spec = topology({ base: 25800, nodes: 1, sentinels: 0 });
    const bad = { ...spec, nodes: [{ ...spec.nodes[0], config: spec.nodes[0].config + 'no-such-directive 1\n' }] };
    await expect(RealDeployment.start(bad)).rejects.toThrow(/exited during startup[\s\S]*FATAL CONFIG FILE ERROR[\s\S]*Bad directive or wrong number of arguments/);
  });
});
