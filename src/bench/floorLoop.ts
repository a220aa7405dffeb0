import { performance } from 'node:perf_hooks';
import { createWorld } from '../net/world.js';
import type { Behavior } from '../net/process.js';
import type { Resp } from '../net/resp.js';

/**
 * The engine's floor: the model's own loop, TCP model, timers and Ctx (createWorld(), as every
 * scenario builds), with handlers that do only what every event of the zato model must do at the
 * least: a timer re-arms itself and sends, a message is answered with one message. Three "nodes"
 * answer PING with PONG; three "Sentinels" tick every 100-109 ms (a seeded draw per tick, as
 * sentinelTimer() draws its hz) and PING each node. About six messages per tick, so, as in the
 * zato hour, most events are deliveries.
 *
 * What the model costs beyond this floor is Redis, Sentinel and client logic; what the floor
 * costs beyond the bare loop (bareLoop.ts) is the simulator's machinery per event (queue entry
 * per segment, connection lookup, link delay draw, timer slot, Ctx). Neither figure is asserted.
 */

const PING: Resp = { t: 'array', items: [{ t: 'bulk', s: 'PING' }] };
const PONG: Resp = { t: 'status', s: 'PONG' };
const NODE_PORT = 6379;
const NODE_IPS = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

function pongNode(): Behavior<Record<string, never>> {
  return {
    kind: 'floor-node',
    init: () => ({}),
    listenPorts: () => [NODE_PORT],
    onNet: (_s, ev, ctx) => {
      if (ev.k === 'data') ctx.send(ev.conn, PONG);
    },
    onTimer: () => {},
  };
}

function pingTicker(): Behavior<{ conns: number[] }> {
  return {
    kind: 'floor-ticker',
    init: (ctx) => {
      ctx.timer('tick', 1);
      return { conns: [] };
    },
    listenPorts: () => [],
    onNet: () => {},
    onTimer: (s, _key, ctx) => {
      if (s.conns.length === 0) for (const ip of NODE_IPS) s.conns.push(ctx.connect({ ip, port: NODE_PORT }));
      for (let i = 0; i < s.conns.length; i++) ctx.send(s.conns[i]!, PING);
      ctx.timer('tick', 100 + ctx.rng.int(10));
    },
  };
}

/** One simulated hour of the floor world: events and wall ms. */
export function floorHour(): { events: number; wallMs: number } {
  const w = createWorld({ seed: 1 });
  NODE_IPS.forEach((ip, i) => {
    w.addHost(`n${i}`, ip);
    w.addProcess(`node${i}`, `n${i}`, pongNode());
  });
  for (let i = 0; i < 3; i++) {
    w.addHost(`s${i}`, `10.0.1.${i + 1}`);
    w.addProcess(`ticker${i}`, `s${i}`, pingTicker());
  }
  const t0 = performance.now();
  w.runUntil(3_600_000_000);
  return { events: w.eventsProcessed, wallMs: performance.now() - t0 };
}
