import { performance } from 'node:perf_hooks';
import { cliBehavior, type CliJob } from '../clients/cli.js';
import { command } from '../net/resp.js';
import { buildWorld } from '../scenario/build.js';
import { loadModel } from '../scenario/model.js';
import type { Behavior } from '../net/process.js';
import { setLink } from '../faults/index.js';
import { createWorld } from '../net/world.js';

/**
 * `npm run bench`: figures, never assertions. (1) The bare loop: two processes bouncing one
 * message over a zero-jitter link, as events per wall-clock second. (2) The zato model (3 Redis
 * nodes, 3 Sentinels) for one simulated hour with a client writing once a second: simulated time
 * per wall time. Wall time is read here only, never in model code.
 */

interface Pong {
  n: number;
}

function pingPong(port: number, peer?: { ip: string; port: number }): Behavior<Pong> {
  return {
    kind: 'bench',
    init: (ctx) => {
      if (peer) ctx.connect(peer);
      return { n: 0 };
    },
    listenPorts: () => (peer ? [] : [port]),
    onTimer() {},
    onNet(d, ev, ctx) {
      if (ev.k === 'connected' || ev.k === 'data') {
        d.n++;
        ctx.send(ev.conn, PING);
      }
    },
  };
}
const PING = command('PING');

function bareLoop(simSeconds: number): { events: number; wallMs: number } {
  const w = createWorld({ seed: 1 });
  w.addHost('a', '10.0.0.1');
  w.addHost('b', '10.0.0.2');
  setLink(w, 'a', 'b', { latencyUs: 100, jitterUs: 0, loss: 0 });
  w.addProcess('server', 'b', pingPong(7000));
  w.addProcess('client', 'a', pingPong(0, { ip: '10.0.0.2', port: 7000 }));
  const t0 = performance.now();
  w.runUntil(simSeconds * 1_000_000);
  return { events: w.eventsProcessed, wallMs: performance.now() - t0 };
}

function sentinelHour(modelPath: string, simSeconds: number): { events: number; wallMs: number } {
  const model = loadModel(modelPath);
  const redis = model.processes.filter((p) => p.kind === 'redis');
  const master = redis.find((p) => !p.redis!.replicaof) ?? redis[0]!;
  const ip = model.hosts.find((h) => h.name === master.host)!.ip;
  const jobs: CliJob[] = [];
  for (let s = 60; s < simSeconds; s++) {
    jobs.push({ id: jobs.length + 1, atMs: s * 1000, argv: ['SET', `k${s % 100}`, `v${s}`], to: { ip, port: master.port, password: master.redis!.requirepass }, timeoutMs: 1000 });
  }
  const w = buildWorld(model, { seed: 1, clientProcesses: [{ pid: 'writer', behavior: cliBehavior(jobs) }] });
  const t0 = performance.now();
  w.runUntil(simSeconds * 1_000_000);
  return { events: w.eventsProcessed, wallMs: performance.now() - t0 };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs per figure: the first (cold: the JIT still warming up) is printed as before, then the median of all. */
const RUNS = 5;

const bares = Array.from({ length: RUNS }, () => bareLoop(20));
const bare = bares[0]!;
console.log(`bare loop (ping-pong over one link):   ${fmt(bare.events)} events in ${fmt(bare.wallMs)} ms wall = ${fmt(bare.events / (bare.wallMs / 1000))} events/s`);
const hours = Array.from({ length: RUNS }, () => sentinelHour('models/zato', 3600));
const hour = hours[0]!;
console.log(
  `zato model (3 Redis + 3 Sentinels, 1 write/s), 1 simulated hour: ${fmt(hour.events)} events in ${fmt(hour.wallMs)} ms wall = ` +
    `${fmt(3600_000 / hour.wallMs)}x real time, ${fmt(hour.events / (hour.wallMs / 1000))} events/s`,
);
const bareMed = median(bares.map((b) => b.events / (b.wallMs / 1000)));
const hourMed = median(hours.map((h) => h.wallMs));
console.log(`median of ${RUNS} runs (first one included): bare loop ${fmt(bareMed)} events/s; zato hour ${fmt(hourMed)} ms wall (${fmt(hours[0]!.events / (hourMed / 1000))} events/s)`);
