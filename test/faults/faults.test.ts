import { describe, expect, it } from 'vitest';
import * as faults from '../../src/faults/index.js';
import type { Behavior } from '../../src/net/process.js';
import { createWorld, type NetWorld } from '../../src/net/world.js';
import { MemoryTrace } from '../../src/sim/trace.js';

/** A process that does nothing but exist (and listen, so a partition has something to cut). */
const idle: Behavior<object> = { kind: 'idle', init: () => ({}), listenPorts: () => [6379], onNet: () => {}, onTimer: () => {} };

function world(): { w: NetWorld; faultsSeen: () => string[] } {
  const trace = new MemoryTrace();
  const w = createWorld({ seed: 7, trace });
  for (const [h, ip] of [['a', '10.0.0.1'], ['b', '10.0.0.2'], ['client', '10.0.0.9']] as const) w.addHost(h, ip);
  w.addProcess('pa', 'a', idle);
  w.addProcess('pb', 'b', idle);
  const faultsSeen = () => trace.records.filter((r) => r.k === 'fault' && r.what !== 'start').map((r) => [r.what, r.p ?? r.host ?? '', r.action ?? ''].join(' ').trim());
  return { w, faultsSeen };
}

describe('faults: one place, each with its trace record', () => {
  it('a crash of a process already down, a pause of a paused one, a resume of a running one: nothing happens, nothing is recorded', () => {
    const { w, faultsSeen } = world();
    faults.crash(w, 'pa');
    faults.crash(w, 'pa');
    faults.pause(w, 'pb');
    faults.pause(w, 'pb');
    faults.resume(w, 'pa');
    expect(faultsSeen()).toEqual(['crash pa', 'pause pb']);
    expect([w.status('pa'), w.status('pb')]).toEqual(['down', 'paused']);
  });

  it('restart kills then starts; on a host that is down it is skipped, and the trace says why', () => {
    const { w, faultsSeen } = world();
    faults.restart(w, 'pa');
    expect(w.status('pa')).toBe('running');
    faults.hostDown(w, 'b');
    faults.restart(w, 'pb');
    faults.start(w, 'pb');
    expect(w.status('pb')).toBe('down');
    expect(faultsSeen()).toEqual(['kill pa', 'host-down b', 'skipped pb restart', 'skipped pb start']);
    faults.hostUp(w, 'b');
    expect(w.status('pb')).toBe('running');
  });

  // debug-segfault's timing belongs to the process (a Redis node's bug report): test/faults/segfault.test.ts.
  it('pauseFor resumes by itself; debug-segfault of a process without a SIGSEGV handler kills it at once', () => {
    const { w, faultsSeen } = world();
    faults.pauseFor(w, 'pa', 2_000_000);
    faults.debugSegfault(w, 'pb');
    expect(w.status('pb')).toBe('down');
    w.runUntil(1_999_999);
    expect(w.status('pa')).toBe('paused');
    w.runUntil(2_000_000);
    expect(w.status('pa')).toBe('running');
    expect(faultsSeen()).toEqual(['pause pa', 'debug-segfault pb', 'exit pb', 'resume pa']);
  });

  it('isolate cuts one host from the hosts it is given only; heal removes every cut', () => {
    const { w } = world();
    faults.isolate(w, 'a', ['a', 'b']);
    expect(w.net.links.blockedPairs()).toEqual(['a>b', 'b>a']);
    faults.partition(w, ['b'], ['client'], true);
    expect(w.net.links.blockedPairs()).toEqual(['a>b', 'b>a', 'b>client']);
    faults.heal(w);
    expect(w.net.links.blockedPairs()).toEqual([]);
  });

  it('an unknown host is refused before anything is recorded', () => {
    const { w, faultsSeen } = world();
    expect(() => faults.partition(w, ['a'], ['nowhere'])).toThrow(/unknown host nowhere/);
    expect(() => faults.clockJump(w, 'nowhere', 1000)).toThrow(/unknown host nowhere/);
    expect(faultsSeen()).toEqual([]);
  });

  it('changeLink keeps the parameters it is not given; clock faults move only that host', () => {
    const { w } = world();
    faults.setLink(w, 'a', 'b', { latencyUs: 500, jitterUs: 0, loss: 0 });
    faults.changeLink(w, 'a', 'b', { loss: 0.5 }, false);
    expect(w.net.links.paramsFor('a', 'b')).toEqual({ latencyUs: 500, jitterUs: 0, loss: 0.5 });
    expect(w.net.links.paramsFor('b', 'a')).toEqual({ latencyUs: 500, jitterUs: 0, loss: 0 });
    const before = w.hostNowMs('b');
    faults.clockJump(w, 'a', 60_000);
    expect(w.hostNowMs('a') - w.hostNowMs('b')).toBe(60_000);
    expect(w.hostNowMs('b')).toBe(before);
  });
});
