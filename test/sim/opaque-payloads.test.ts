import { describe, expect, it } from 'vitest';
import { TcpNetwork } from '../../src/net/network.js';
import type { Behavior } from '../../src/sim/process.js';
import { MemoryTrace } from '../../src/sim/trace.js';
import { SimulationError, World } from '../../src/sim/world.js';

/** Payloads are whatever the processes exchange: here plain objects, never RESP. */
type Msg = { readonly n: number };

const counter = (peer?: string): Behavior<{ got: number[] }, Msg> => ({
  kind: 'counter',
  init: (ctx) => {
    if (peer) ctx.connect({ ip: peer, port: 9 });
    return { got: [] };
  },
  listenPorts: () => (peer ? [] : [9]),
  onNet: (d, ev, ctx) => {
    if (ev.k === 'connected') ctx.send(ev.conn, { n: 1 });
    if (ev.k === 'data') {
      d.got.push(ev.msg.n);
      if (ev.msg.n < 4) ctx.send(ev.conn, { n: ev.msg.n + 1 });
    }
  },
  onTimer: () => {},
});

describe('the engine carries opaque payloads', () => {
  it('delivers any payload over the network and shows it in the trace through the injected formatter', () => {
    const trace = new MemoryTrace();
    const w = new World<TcpNetwork>({ seed: 1, trace, traceDetail: 'full', network: (x) => new TcpNetwork(x), formatPayload: (m) => `n=${(m as Msg).n}` });
    w.addHost('a', '10.0.0.1');
    w.addHost('b', '10.0.0.2');
    w.addProcess('srv', 'b', counter());
    w.addProcess('cli', 'a', counter('10.0.0.2'));
    w.runUntil(1_000_000);
    expect(w.stateOf<{ got: number[] }>('srv').got).toEqual([1, 3]);
    expect(w.stateOf<{ got: number[] }>('cli').got).toEqual([2, 4]);
    expect(trace.records.filter((r) => r.k === 'msg').map((r) => `${r.to} ${r.m}`)).toEqual(['srv n=1', 'cli n=2', 'srv n=3', 'cli n=4']);
  });

  it('a world without a network refuses a connect with a clear error, and runs timers alone', () => {
    const w = new World({ seed: 1 });
    w.addHost('a', '10.0.0.1');
    let fired = 0;
    w.addProcess('t', 'a', { kind: 't', init: (ctx) => (ctx.timer('x', 5), {}), listenPorts: () => [], onNet: () => {}, onTimer: () => void fired++ });
    w.runUntil(10_000);
    expect(fired).toBe(1);
    expect(() => w.addProcess('c', 'a', counter('10.0.0.2'))).toThrow(SimulationError);
    expect(() => w.addProcess('d', 'a', counter('10.0.0.2'))).toThrow(/d cannot connect: this world has no network/);
  });
});

describe('the loop and the network', () => {
  it('runUntil(Infinity) runs every queued event and then stops (an empty queue ends the loop)', () => {
    const w = new World({ seed: 1 });
    const seen: number[] = [];
    w.at(5, 'a', (x) => seen.push(x.nowUs));
    w.at(3_600_000_000, 'b', (x) => seen.push(x.nowUs));
    w.runUntil(Infinity);
    expect(seen).toEqual([5, 3_600_000_000]);
    expect(w.pendingEvents()).toBe(0);
    expect(w.step()).toBe(false);
  });
});
