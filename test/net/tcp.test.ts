import { describe, expect, it } from 'vitest';
import { command, type Resp } from '../../src/net/resp.js';
import { RETRANSMIT_GIVE_UP_US, SYN_GIVE_UP_US } from '../../src/net/tcp.js';
import type { Behavior, NetEvent } from '../../src/sim/process.js';
import { crash, heal, partition, pause, resume, setLink } from '../../src/faults/index.js';
import { createWorld, type NetWorld } from '../../src/net/world.js';

/** A server that echoes, and a client that connects at start and sends what it is told to. */
interface Log {
  entries: string[];
}
const echo = (log: Log): Behavior<{ got: number }> => ({
  kind: 'echo',
  init: () => ({ got: 0 }),
  listenPorts: () => [7000],
  onNet: (d, ev, ctx) => {
    log.entries.push(`server ${show(ev)}`);
    if (ev.k === 'data') {
      d.got++;
      ctx.send(ev.conn, ev.msg);
    }
  },
  onTimer: () => {},
});
const client = (log: Log, to: string, sends: { atMs: number; msg: string }[]): Behavior<{ conn: number }> => ({
  kind: 'client',
  init: (ctx) => {
    const conn = ctx.connect({ ip: to, port: 7000 });
    sends.forEach((s, i) => ctx.timer(`send${i}`, s.atMs));
    return { conn };
  },
  listenPorts: () => [],
  onNet: (_d, ev) => {
    log.entries.push(`client ${show(ev)}`);
  },
  onTimer: (d, key, ctx) => {
    ctx.send(d.conn, command(sends[Number(key.slice(4))]!.msg));
  },
});
function show(ev: NetEvent): string {
  if (ev.k === 'data') return `data ${((ev.msg as Extract<Resp, { t: 'array' }>).items![0] as { s: string }).s}`;
  if (ev.k === 'closed' || ev.k === 'connectFailed') return `${ev.k} ${ev.reason}`;
  return ev.k;
}
function twoHosts(): NetWorld {
  const w = createWorld({ seed: 1 });
  w.addHost('a', '10.0.0.1');
  w.addHost('b', '10.0.0.2');
  return w;
}

describe('TCP-like connections', () => {
  it('delivers in order per connection, whatever the jitter', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    w.addProcess('srv', 'b', echo(log));
    w.addProcess('cli', 'a', client(log, '10.0.0.2', Array.from({ length: 50 }, (_, i) => ({ atMs: 10, msg: `m${i}` }))));
    w.runUntil(1_000_000);
    const got = log.entries.filter((e) => e.startsWith('server data')).map((e) => e.split(' ')[2]);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('refused when nothing listens; reset when the peer process crashes', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    w.addProcess('cli', 'a', client(log, '10.0.0.2', []));
    w.runUntil(100_000);
    expect(log.entries).toEqual(['client connectFailed refused']);

    const log2: Log = { entries: [] };
    const w2 = twoHosts();
    w2.addProcess('srv', 'b', echo(log2));
    w2.addProcess('cli', 'a', client(log2, '10.0.0.2', []));
    w2.runUntil(100_000);
    crash(w2, 'srv');
    w2.runUntil(200_000);
    expect(log2.entries).toEqual(['server accepted', 'client connected', 'client closed reset']);
  });

  it('a partition holds bytes unacknowledged; they arrive in order after the heal', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    w.addProcess('srv', 'b', echo(log));
    w.addProcess('cli', 'a', client(log, '10.0.0.2', [{ atMs: 2000, msg: 'x1' }, { atMs: 3000, msg: 'x2' }]));
    w.runUntil(1_000_000);
    partition(w, ['a'], ['b']);
    w.runUntil(60_000_000);
    expect(log.entries.filter((e) => e.includes('data'))).toEqual([]);
    heal(w);
    w.runUntil(61_000_000);
    expect(log.entries.filter((e) => e.includes('data'))).toEqual(['server data x1', 'server data x2', 'client data x1', 'client data x2']);
  });

  it('one-way partition: a→b blocked, b→a still flows', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    w.addProcess('srv', 'b', echo(log));
    w.addProcess('cli', 'a', client(log, '10.0.0.2', [{ atMs: 2000, msg: 'y' }]));
    w.runUntil(1_000_000);
    partition(w, ['a'], ['b'], true);
    w.runUntil(5_000_000);
    expect(log.entries.filter((e) => e.includes('data'))).toEqual([]);
    expect(w.net.links.isBlocked('b', 'a')).toBe(false);
    expect(w.net.links.isBlocked('a', 'b')).toBe(true);
  });

  it('gives up after the retransmission timeout (tcp_retries2) with data stuck in a partition; connect() gives up after the SYN retries', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    w.addProcess('srv', 'b', echo(log));
    w.addProcess('cli', 'a', client(log, '10.0.0.2', [{ atMs: 2000, msg: 'z' }]));
    w.runUntil(1_000_000);
    partition(w, ['a'], ['b']);
    w.runUntil(2_000_000 + RETRANSMIT_GIVE_UP_US - 1_000_000);
    expect(log.entries.some((e) => e.startsWith('client closed'))).toBe(false);
    w.runUntil(2_000_000 + RETRANSMIT_GIVE_UP_US + 1_000_000);
    expect(log.entries.filter((e) => e.startsWith('client closed'))).toEqual(['client closed timeout']);

    const log2: Log = { entries: [] };
    const w2 = twoHosts();
    w2.addProcess('srv', 'b', echo(log2));
    partition(w2, ['a'], ['b']);
    w2.addProcess('cli', 'a', client(log2, '10.0.0.2', []));
    w2.runUntil(SYN_GIVE_UP_US - 1);
    expect(log2.entries).toEqual([]);
    w2.runUntil(SYN_GIVE_UP_US + 1);
    expect(log2.entries).toEqual(['client connectFailed timeout']);
  });

  it('a paused server accepts (the kernel completes the handshake) and handles the data only after SIGCONT, in order', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    w.addProcess('srv', 'b', echo(log));
    pause(w, 'srv');
    w.addProcess('cli', 'a', client(log, '10.0.0.2', [{ atMs: 100, msg: 'p1' }, { atMs: 200, msg: 'p2' }]));
    w.runUntil(5_000_000);
    expect(log.entries).toEqual(['client connected']);
    resume(w, 'srv');
    w.runUntil(6_000_000);
    expect(log.entries).toEqual(['client connected', 'server accepted', 'server data p1', 'server data p2', 'client data p1', 'client data p2']);
  });

  it('loss shows up as retransmission delay, never as lost bytes', () => {
    const log: Log = { entries: [] };
    const w = twoHosts();
    setLink(w, 'a', 'b', { latencyUs: 200, jitterUs: 0, loss: 0.5 });
    w.addProcess('srv', 'b', echo(log));
    w.addProcess('cli', 'a', client(log, '10.0.0.2', Array.from({ length: 20 }, (_, i) => ({ atMs: 10 + i, msg: `l${i}` }))));
    w.runUntil(60_000_000);
    expect(log.entries.filter((e) => e.startsWith('server data'))).toHaveLength(20);
  });
});
