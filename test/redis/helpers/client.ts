import { argvOf, command, respToJs, type Resp } from '../../../src/net/resp.js';
import type { Behavior, ConnId, Endpoint } from '../../../src/sim/process.js';

/**
 * A tiny scripted client process for tests: each step sends one command on a named connection at
 * a given simulated time (ms since the client started); replies are matched to commands in order
 * per connection, pushes (pub/sub `message` arrays) are kept apart. A connection is opened on first
 * use and reopened by a later step after it was closed.
 */
export interface Step {
  readonly atMs: number;
  readonly conn: string;
  readonly argv: readonly string[];
}

export interface Exchange {
  readonly conn: string;
  readonly sentMs: number;
  readonly argv: readonly string[];
  repliedMs: number | null;
  reply: unknown;
}

export interface ConnRec {
  id: ConnId | null;
  to: Endpoint;
  state: 'connecting' | 'up' | 'closed';
  closedMs: number | null;
  closeReason: string | null;
  /** Indexes into `log` of commands waiting for their reply. */
  waiting: number[];
}

export interface TestClientState {
  conns: Record<string, ConnRec>;
  log: Exchange[];
  pushes: { conn: string; atMs: number; msg: unknown }[];
  byId: Record<number, string>;
}

export function testClient(targets: Record<string, Endpoint>, steps: readonly Step[]): Behavior<TestClientState> {
  return {
    kind: 'test-client',
    init: (ctx) => {
      const conns: Record<string, ConnRec> = {};
      for (const [name, to] of Object.entries(targets)) conns[name] = { id: null, to, state: 'closed', closedMs: null, closeReason: null, waiting: [] };
      steps.forEach((s, i) => ctx.timer(`step:${i}`, s.atMs));
      return { conns, log: [], pushes: [], byId: {} };
    },
    listenPorts: () => [],
    onTimer: (d, key, ctx) => {
      const step = steps[Number(key.slice(5))]!;
      const c = d.conns[step.conn]!;
      if (c.state === 'closed') {
        c.id = ctx.connect({ ip: c.to.ip, port: c.to.port });
        c.state = 'connecting';
        c.waiting = [];
        d.byId[c.id] = step.conn;
      }
      d.log.push({ conn: step.conn, sentMs: ctx.monoMs(), argv: [...step.argv], repliedMs: null, reply: undefined });
      c.waiting.push(d.log.length - 1);
      ctx.send(c.id!, command(...step.argv));
    },
    onNet: (d, ev, ctx) => {
      const name = d.byId[ev.conn];
      if (name === undefined) return;
      const c = d.conns[name]!;
      if (c.id !== ev.conn) return;
      switch (ev.k) {
        case 'connected':
          c.state = 'up';
          return;
        case 'connectFailed':
        case 'closed':
          c.state = 'closed';
          c.closedMs = ctx.monoMs();
          c.closeReason = ev.reason;
          for (const i of c.waiting) d.log[i]!.reply = { closed: ev.reason };
          c.waiting = [];
          return;
        case 'data': {
          if (isPush(ev.msg)) {
            d.pushes.push({ conn: name, atMs: ctx.monoMs(), msg: respToJs(ev.msg) });
            return;
          }
          const i = c.waiting.shift();
          if (i === undefined) return;
          d.log[i]!.reply = respToJs(ev.msg);
          d.log[i]!.repliedMs = ctx.monoMs();
          return;
        }
        default:
          return;
      }
    },
  };
}

function isPush(m: Resp): boolean {
  const a = m.t === 'array' ? argvOf(m) : undefined;
  return a !== undefined && a.length === 3 && a[0] === 'message';
}

/** The exchanges of a client whose command starts with the given words (case-insensitive). */
export function exchanges(s: TestClientState, conn: string, ...prefix: string[]): Exchange[] {
  return s.log.filter((e) => e.conn === conn && prefix.every((p, i) => e.argv[i]?.toLowerCase() === p.toLowerCase()));
}
