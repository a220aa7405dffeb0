import { describe, expect, it } from 'vitest';
import { crash, hostDown, pause, resume } from '../../src/faults/index.js';
import { bulk, respWireBytes, type Resp } from '../../src/net/resp.js';
import { RCVBUF_BYTES, SNDBUF_BYTES } from '../../src/net/tcp.js';
import { createWorld, type NetWorld } from '../../src/net/world.js';
import type { Behavior, NetEvent } from '../../src/sim/process.js';

/**
 * Socket buffers: a stopped reader takes what fits in its receive buffer, the sender's kernel
 * what fits in its send buffer, and the rest stays with the sending process (unsentBytes).
 */

const CHUNK = 'x'.repeat(100_000);
const CHUNK_BYTES = respWireBytes(bulk(CHUNK));

interface SinkState {
  got: number[];
  closed: string | null;
}
/** Reads numbered chunks: `<n>:xxxx…`. */
const sink: Behavior<SinkState> = {
  kind: 'sink',
  init: () => ({ got: [], closed: null }),
  listenPorts: () => [7000],
  onNet: (d, ev: NetEvent) => {
    if (ev.k === 'data') d.got.push(Number(((ev.msg as Extract<Resp, { t: 'bulk' }>).s ?? '').split(':')[0]));
    if (ev.k === 'closed') d.closed = ev.reason;
  },
  onTimer: () => {},
};

interface SourceState {
  conn: number;
  sent: number;
  unsent: number[];
  closed: string | null;
}
/** Writes `count` chunks at 1 s, then samples unsentBytes() at 2 s and 4.5 s; closes at 3 s if asked. */
const source = (count: number, closeAt3s = false, againAtMs = 0): Behavior<SourceState> => ({
  kind: 'source',
  init: (ctx) => {
    ctx.timer('write', 1000);
    ctx.timer('sample', 2000);
    ctx.timer('sample2', 4500);
    if (closeAt3s) ctx.timer('close', 3000);
    if (againAtMs) ctx.timer('again', againAtMs);
    return { conn: ctx.connect({ ip: '10.0.0.2', port: 7000 }), sent: 0, unsent: [], closed: null };
  },
  listenPorts: () => [],
  onNet: (d, ev) => {
    if (ev.k === 'closed') d.closed = ev.reason;
  },
  onTimer: (d, key, ctx) => {
    if (key === 'write') {
      // One chunk per event, as Redis writes one command per event.
      ctx.send(d.conn, bulk(`${d.sent}:${CHUNK}`.slice(0, CHUNK.length)));
      d.sent++;
      if (d.sent % count !== 0) ctx.timer('write', 1);
    } else if (key === 'again') {
      ctx.timer('write', 0);
      ctx.timer('sample3', 1000);
    } else if (key.startsWith('sample')) d.unsent.push(ctx.unsentBytes(d.conn));
    else if (key === 'close') ctx.close(d.conn);
  },
});

function world(count: number, closeAt3s = false): NetWorld {
  const w = createWorld({ seed: 1 });
  w.addHost('a', '10.0.0.1');
  w.addHost('b', '10.0.0.2');
  w.addProcess('sink', 'b', sink);
  w.addProcess('src', 'a', source(count, closeAt3s));
  w.at(500_000, 'pause', (x) => pause(x, 'sink'));
  return w;
}
const sinkOf = (w: NetWorld) => w.procs.get('sink').state as SinkState;
const srcOf = (w: NetWorld) => w.procs.get('src').state as SourceState;

/** Chunks the stopped reader's buffer takes: one more is sent while it is below its size. */
const inRcvbuf = Math.ceil(RCVBUF_BYTES / CHUNK_BYTES);
const inSndbuf = Math.ceil(SNDBUF_BYTES / CHUNK_BYTES);

describe('socket buffers and backpressure', () => {
  it('a stopped reader fills its receive buffer, then the send buffer; the rest waits with the sender', () => {
    const w = world(100);
    w.runUntil(2_500_000);
    const heldBytes = (100 - inRcvbuf) * CHUNK_BYTES;
    expect(srcOf(w).unsent).toEqual([heldBytes - SNDBUF_BYTES]);
    // About 3.9 MB in the kernels, as measured on a real stopped replica (REAL-MEASUREMENTS.md).
    expect(100 * CHUNK_BYTES - srcOf(w).unsent[0]!).toBeGreaterThan(3_850_000);
    expect(100 * CHUNK_BYTES - srcOf(w).unsent[0]!).toBeLessThan(4_000_000);
    expect(sinkOf(w).got).toEqual([]);
  });

  it('a reader that runs again gets everything in order, and the sender holds nothing more', () => {
    const w = world(100);
    w.at(3_000_000, 'resume', (x) => resume(x, 'sink'));
    w.runUntil(5_000_000);
    expect(sinkOf(w).got).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(srcOf(w).unsent).toEqual([(100 - inRcvbuf) * CHUNK_BYTES - SNDBUF_BYTES, 0]);
  });

  it('a reader stopped a second time takes only a receive buffer again', () => {
    const w = createWorld({ seed: 1 });
    w.addHost('a', '10.0.0.1');
    w.addHost('b', '10.0.0.2');
    w.addProcess('sink', 'b', sink);
    w.addProcess('src', 'a', source(100, false, 6000));
    w.at(500_000, 'pause', (x) => pause(x, 'sink'));
    w.at(3_000_000, 'resume', (x) => resume(x, 'sink'));
    w.at(5_000_000, 'pause again', (x) => pause(x, 'sink'));
    w.runUntil(7_500_000);
    expect(sinkOf(w).got).toHaveLength(100);
    expect(srcOf(w).unsent).toEqual([(100 - inRcvbuf) * CHUNK_BYTES - SNDBUF_BYTES, 0, (100 - inRcvbuf) * CHUNK_BYTES - SNDBUF_BYTES]);
  });

  it('a running reader never backs up: nothing waits with the sender', () => {
    const w = createWorld({ seed: 1 });
    w.addHost('a', '10.0.0.1');
    w.addHost('b', '10.0.0.2');
    w.addProcess('sink', 'b', sink);
    w.addProcess('src', 'a', source(100));
    w.runUntil(2_500_000);
    expect(srcOf(w).unsent).toEqual([0]);
    expect(sinkOf(w).got).toHaveLength(100);
  });

  it('kill -9 of the sender loses its output buffer; what the kernels held still reaches the reader, then the reset', () => {
    const w = world(100);
    w.at(2_500_000, 'crash', (x) => crash(x, 'src'));
    w.at(3_000_000, 'resume', (x) => resume(x, 'sink'));
    w.runUntil(4_000_000);
    expect(sinkOf(w).got).toEqual(Array.from({ length: inRcvbuf + inSndbuf }, (_, i) => i));
    expect(sinkOf(w).closed).toBe('reset');
  });

  it('close() by the sender frees its output buffer, the kernel still sends its buffer and then the FIN', () => {
    const w = world(100, true);
    w.at(3_500_000, 'resume', (x) => resume(x, 'sink'));
    w.runUntil(4_000_000);
    expect(sinkOf(w).got).toEqual(Array.from({ length: inRcvbuf + inSndbuf }, (_, i) => i));
    expect(sinkOf(w).closed).toBe('closed');
  });

  it("a sender's machine that vanishes takes its send buffer along: only the receive buffer is read", () => {
    const w = world(100);
    w.at(2_500_000, 'power off', (x) => hostDown(x, 'a'));
    w.at(3_000_000, 'resume', (x) => resume(x, 'sink'));
    w.runUntil(4_000_000);
    expect(sinkOf(w).got).toEqual(Array.from({ length: inRcvbuf }, (_, i) => i));
    expect(sinkOf(w).closed).toBeNull();
  });

  it('a stopped reader that is killed resets the sender, whose waiting output is dropped', () => {
    const w = world(100);
    w.at(2_500_000, 'crash', (x) => crash(x, 'sink'));
    w.runUntil(3_000_000);
    expect(srcOf(w).closed).toBe('reset');
  });
});
