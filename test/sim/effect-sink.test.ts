import { describe, expect, it } from 'vitest';
import { pause } from '../../src/faults/index.js';
import { bulk, respWireBytes } from '../../src/net/resp.js';
import { RCVBUF_BYTES, SNDBUF_BYTES } from '../../src/net/tcp.js';
import { createWorld } from '../../src/net/world.js';
import type { Behavior } from '../../src/sim/process.js';
import { MemoryTrace } from '../../src/sim/trace.js';

/**
 * The loop performs a handler's effects as the handler asks for them (sim/ctx.ts). What a handler
 * can observe must still be what it was when the handler started: its own sends are not in
 * unsentBytes(), and it dies only after the handler returns, with every other effect it asked for.
 */

const CHUNK = 'x'.repeat(100_000);
const CHUNK_BYTES = respWireBytes(bulk(CHUNK));

const sink: Behavior<null> = { kind: 'sink', init: () => null, listenPorts: () => [7000], onNet: () => {}, onTimer: () => {} };

interface SrcState {
  conn: number;
  seen: number[][];
}

/** Fills the stopped reader's buffers at 1 s; at 2 s and 3 s sends a chunk between unsentBytes() readings. */
const source: Behavior<SrcState> = {
  kind: 'source',
  init: (ctx) => {
    ctx.timer('fill', 1000);
    ctx.timer('probe', 2000);
    ctx.timer('probe2', 3000);
    return { conn: ctx.connect({ ip: '10.0.0.2', port: 7000 }), seen: [] };
  },
  listenPorts: () => [],
  onNet: () => {},
  onTimer: (d, key, ctx) => {
    if (key === 'fill') {
      for (let i = 0; i < 60; i++) ctx.send(d.conn, bulk(CHUNK));
      return;
    }
    const before = ctx.unsentBytes(d.conn);
    ctx.send(d.conn, bulk(CHUNK));
    const between = ctx.unsentBytes(d.conn);
    ctx.send(d.conn, bulk(CHUNK));
    d.seen.push([before, between, ctx.unsentBytes(d.conn)]);
  },
};

describe('effects performed as the handler asks', () => {
  it("a handler's own sends are not in its unsentBytes(); the next handler sees them", () => {
    const w = createWorld({ seed: 1 });
    w.addHost('a', '10.0.0.1');
    w.addHost('b', '10.0.0.2');
    w.addProcess('sink', 'b', sink);
    w.addProcess('src', 'a', source);
    w.at(500_000, 'pause', (x) => pause(x, 'sink'));
    w.runUntil(3_500_000);
    const held = (60 - Math.ceil(RCVBUF_BYTES / CHUNK_BYTES)) * CHUNK_BYTES - SNDBUF_BYTES;
    expect(held).toBeGreaterThan(0);
    const seen = w.stateOf<SrcState>('src').seen;
    expect(seen).toEqual([
      [held, held, held],
      [held + 2 * CHUNK_BYTES, held + 2 * CHUNK_BYTES, held + 2 * CHUNK_BYTES],
    ]);
  });

  it('an exit takes effect after the rest of the handler: later logs and timers are still performed first', () => {
    const trace = new MemoryTrace();
    const w = createWorld({ seed: 1, trace });
    w.addHost('a', '10.0.0.1');
    const quitter: Behavior<null> = {
      kind: 'quitter',
      init: (ctx) => {
        ctx.timer('quit', 10);
        return null;
      },
      listenPorts: () => [],
      onNet: () => {},
      onTimer: (_d, key, ctx) => {
        if (key !== 'quit') throw new Error(`a timer of a dead process fired: ${key}`);
        ctx.log('notice', 'before exit');
        ctx.exit(0);
        ctx.log('notice', 'after exit');
        ctx.timer('never', 1);
      },
    };
    w.addProcess('q', 'a', quitter);
    w.runUntil(1_000_000);
    expect(trace.records.map((r) => (r.k === 'log' ? r.text : `${r.k} ${String(r.what)}`))).toEqual(['before exit', 'after exit', 'fault exit']);
    expect(w.status('q')).toBe('down');
  });

  it('timer keys made unique per arming do not pile up in the process record', () => {
    const w = createWorld({ seed: 1 });
    w.addHost('a', '10.0.0.1');
    const ticker: Behavior<{ n: number; other: boolean }> = {
      kind: 'ticker',
      init: (ctx) => {
        ctx.timer('t:0', 1);
        ctx.timer('other', 6000);
        return { n: 0, other: false };
      },
      listenPorts: () => [],
      onNet: () => {},
      onTimer: (d, key, ctx) => {
        if (key === 'other') {
          d.other = true;
          return;
        }
        d.n++;
        ctx.timer(`t:${d.n}`, 1);
        // A cancelled unique key, too.
        ctx.timer(`c:${d.n}`, 5);
        ctx.cancelTimer(`c:${d.n}`);
      },
    };
    w.addProcess('t', 'a', ticker);
    w.runUntil(5_000_000);
    expect(w.stateOf<{ n: number }>('t').n).toBe(5000);
    const rec = (w as unknown as { procs: { get(pid: string): { timers: Map<string, number> } } }).procs.get('t');
    expect(rec.timers.size).toBeLessThan(600);
    // The long timer armed at boot survived the compactions and still fires, once, on time.
    w.runUntil(5_999_999);
    expect(w.stateOf<{ other: boolean }>('t').other).toBe(false);
    w.runUntil(6_000_000);
    expect(w.stateOf<{ other: boolean }>('t').other).toBe(true);
  });
});
