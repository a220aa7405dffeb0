import { produce, setAutoFreeze } from 'immer';
import { Links, type LinkParams, type Route } from '../net/links.js';
import type { Resp } from '../net/resp.js';
import { respToString } from '../net/resp.js';
import { RETRANSMIT_GIVE_UP_US, SYN_GIVE_UP_US } from '../net/tcp.js';
import { globalDelayFor, jumpClock, monotonicUs, newClock, setDrift, wallUs, type HostClock } from './clock.js';
import type { Behavior, CloseReason, ConnId, Ctx, Effect, Endpoint, LogLevel, NetEvent } from './process.js';
import { EventQueue } from './queue.js';
import { rngStream, type Rng } from './rng.js';
import type { TraceRecord, TraceSink } from './trace.js';
import type { TimeUs } from './time.js';

// States are replaced, never mutated, so freezing them buys nothing but time on the hot path.
setAutoFreeze(false);

/**
 * The run loop: one seeded, single-threaded discrete-event loop over hosts, processes and TCP-like
 * connections. It is the only place effects are performed. Everything it does is recorded in the
 * trace; nothing in it reads real time or real randomness.
 */

export type ProcessStatus = 'running' | 'paused' | 'down';

interface Host {
  readonly name: string;
  readonly ip: string;
  up: boolean;
  clock: HostClock;
  nextEphemeralPort: number;
}

interface ProcRec {
  readonly pid: string;
  readonly host: Host;
  readonly behavior: Behavior<any>;
  status: ProcessStatus;
  /** Bumped on every (re)start: events addressed to an older incarnation are dropped. */
  inc: number;
  state: any;
  disk: unknown;
  ctx: ProcCtx | undefined;
  ports: readonly number[];
  timers: Map<string, number>;
  /** Last timer generation handed out by this process (see applyEffects). */
  timerGen: number;
  /** Fire times (global µs) of timers armed with freezeWhilePaused, and their time left while paused. */
  freezable: Map<string, number>;
  frozen: Map<string, number>;
  /** What arrived while SIGSTOPped: socket data in arrival order, then due timers. */
  pendingNet: NetEvent[];
  pendingTimers: { key: string; gen: number }[];
}

interface ConnEnd {
  readonly pid: string;
  /** The process record (processes are never removed), to skip a lookup by pid per delivery. */
  readonly proc: ProcRec;
  readonly inc: number;
  readonly host: Host;
  readonly ep: Endpoint;
  open: boolean;
}

type Wire = { readonly k: 'syn' } | NetEvent;

interface Conn {
  readonly id: ConnId;
  readonly a: ConnEnd;
  /** The accepting end, once the SYN reached a listener. */
  b: ConnEnd | undefined;
  readonly target: Endpoint;
  readonly targetHost: Host | undefined;
  /** Latest scheduled arrival per direction (0: a→b, 1: b→a), to keep each direction in order. */
  readonly lastArrivalUs: [number, number];
  /** Segments waiting for a partition to heal, per direction. */
  readonly stalled: [Wire[], Wire[]];
  readonly stalledSinceUs: [number, number];
  /** The link route per direction, looked up once per connection instead of once per segment. */
  routes: [Route, Route] | undefined;
}

type Ev =
  | { readonly k: 'timer'; readonly p: ProcRec; readonly inc: number; readonly key: string; readonly gen: number }
  | { readonly k: 'arrive'; readonly conn: Conn; readonly dir: 0 | 1; readonly wire: Wire }
  | { readonly k: 'giveUp'; readonly conn: Conn; readonly dir: 0 | 1; readonly sinceUs: number }
  | { readonly k: 'action'; readonly label: string; readonly fn: (w: World) => void };

export interface WorldOptions {
  readonly seed: number | string;
  readonly trace?: TraceSink;
  /** 'events': faults, logs, Sentinel events, state changes. 'full': also every timer and message. */
  readonly traceDetail?: 'events' | 'full';
  /** Wall clock of every host at time 0 (µs since the Unix epoch). */
  readonly wallEpochUs?: number;
  /**
   * Keep every process state immutable (each handler runs under immer's produce), so references
   * to old states stay valid: what the player's rewind and snapshot tests need. Off, the same
   * recipes run directly on the current state, about 50 times faster; the trace is byte-identical
   * either way (test/sim/snapshots.test.ts).
   */
  readonly snapshots?: boolean;
}

export class SimulationError extends Error {}

/** Events allowed at one instant before the loop says it is stuck instead of spinning forever. */
const MAX_EVENTS_PER_INSTANT = 1_000_000;

export class World {
  readonly seed: number | string;
  nowUs: TimeUs = 0;
  eventsProcessed = 0;
  private readonly queue = new EventQueue<Ev>();
  private readonly hosts = new Map<string, Host>();
  private readonly hostsByIp = new Map<string, Host>();
  private readonly dns = new Map<string, string>();
  private readonly procs = new Map<string, ProcRec>();
  private readonly listeners = new Map<string, string>();
  private readonly conns = new Map<ConnId, Conn>();
  private readonly stalledConns = new Set<Conn>();
  private nextConnId = 1;
  readonly links: Links;
  private readonly trace: TraceSink | undefined;
  private readonly full: boolean;
  private readonly snapshots: boolean;
  private readonly wallEpochUs: number | undefined;
  private readonly observers: ((r: TraceRecord) => void)[] = [];
  private readonly stepObservers: ((w: World) => void)[] = [];
  private sameInstantCount = 0;
  private lastInstantUs = -1;

  constructor(opts: WorldOptions) {
    this.seed = opts.seed;
    this.trace = opts.trace;
    this.full = opts.traceDetail === 'full';
    this.snapshots = opts.snapshots ?? false;
    this.wallEpochUs = opts.wallEpochUs;
    this.links = new Links((name) => rngStream(this.seed, name));
  }

  // ---------------------------------------------------------------- topology

  addHost(name: string, ip: string, aliases: readonly string[] = []): void {
    if (this.hosts.has(name)) throw new SimulationError(`host ${name} defined twice`);
    if (this.hostsByIp.has(ip)) throw new SimulationError(`hosts ${this.hostsByIp.get(ip)!.name} and ${name} share the address ${ip}`);
    const h: Host = { name, ip, up: true, clock: newClock(this.wallEpochUs), nextEphemeralPort: 40000 };
    this.hosts.set(name, h);
    this.hostsByIp.set(ip, h);
    this.dns.set(name, ip);
    this.dns.set(ip, ip);
    for (const a of aliases) this.dns.set(a, ip);
  }

  hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  hostIp(name: string): string {
    return this.hostOf(name).ip;
  }

  /** Add a process on a host; it boots at time `startAtUs` (default: now). */
  addProcess<S>(pid: string, hostName: string, behavior: Behavior<S>, opts: { startAtUs?: TimeUs; disk?: unknown; down?: boolean } = {}): void {
    if (this.procs.has(pid)) throw new SimulationError(`process ${pid} defined twice`);
    const host = this.hostOf(hostName);
    const p: ProcRec = {
      pid, host, behavior, status: 'down', inc: 0, state: undefined, disk: opts.disk, ctx: undefined,
      ports: [], timers: new Map(), timerGen: 0, freezable: new Map(), frozen: new Map(), pendingNet: [], pendingTimers: [],
    };
    this.procs.set(pid, p);
    if (!opts.down) {
      const at = opts.startAtUs ?? this.nowUs;
      if (at <= this.nowUs) this.boot(p);
      else this.at(at, `start ${pid}`, (w) => w.start(pid));
    }
  }

  processIds(): string[] {
    return [...this.procs.keys()];
  }

  status(pid: string): ProcessStatus {
    return this.procOf(pid).status;
  }

  /** The process's current state (immutable; undefined while down). */
  stateOf<S = unknown>(pid: string): S {
    return this.procOf(pid).state as S;
  }

  hostOfProcess(pid: string): string {
    return this.procOf(pid).host.name;
  }

  diskOf(pid: string): unknown {
    return this.procOf(pid).disk;
  }

  /** Lose what the process persisted (a wiped volume, a rewritten config replaced by the original). */
  wipeDisk(pid: string): void {
    this.record({ t: this.nowUs, k: 'fault', what: 'wipe-disk', p: pid });
    this.procOf(pid).disk = undefined;
  }

  /** This host's wall clock now, in ms, as its processes read it. */
  hostNowMs(hostName: string): number {
    return Math.floor(wallUs(this.hostOf(hostName).clock, this.nowUs) / 1000);
  }

  resolve(name: string): string | undefined {
    return this.dns.get(name) ?? this.dns.get(name.toLowerCase());
  }

  onRecord(fn: (r: TraceRecord) => void): void {
    this.observers.push(fn);
  }

  /** Called after every event: how an observer (the player's recorder) sees each step's states. */
  afterStep(fn: (w: World) => void): void {
    this.stepObservers.push(fn);
  }

  // ---------------------------------------------------------------- running

  at(atUs: TimeUs, label: string, fn: (w: World) => void): void {
    if (atUs < this.nowUs) throw new SimulationError(`cannot schedule "${label}" in the past`);
    this.queue.push(atUs, { k: 'action', label, fn });
  }

  /** Run every event up to and including `untilUs`, then leave the clock at `untilUs`. */
  runUntil(untilUs: TimeUs): void {
    for (;;) {
      const t = this.queue.peekTime();
      if (t === undefined || t > untilUs) break;
      this.step();
    }
    if (untilUs > this.nowUs) this.nowUs = untilUs;
  }

  /** Run one event; false when the queue is empty. */
  step(): boolean {
    const atUs = this.queue.peekTime();
    if (atUs === undefined) return false;
    const ev = this.queue.popEvent();
    if (atUs === this.lastInstantUs) {
      if (++this.sameInstantCount > MAX_EVENTS_PER_INSTANT) {
        throw new SimulationError(`more than ${MAX_EVENTS_PER_INSTANT} events at t=${atUs} µs: the model is stuck in a zero-delay loop`);
      }
    } else {
      this.lastInstantUs = atUs;
      this.sameInstantCount = 0;
    }
    this.nowUs = atUs;
    this.eventsProcessed++;
    switch (ev.k) {
      case 'timer':
        this.fireTimer(ev.p, ev.inc, ev.key, ev.gen);
        break;
      case 'arrive':
        this.arrive(ev.conn, ev.dir, ev.wire);
        break;
      case 'giveUp':
        this.giveUp(ev.conn, ev.dir, ev.sinceUs);
        break;
      case 'action':
        ev.fn(this);
        break;
    }
    for (let i = 0; i < this.stepObservers.length; i++) this.stepObservers[i]!(this);
    return true;
  }

  pendingEvents(): number {
    return this.queue.size;
  }

  // ---------------------------------------------------------------- faults

  /** Start a process that is down (first boot or restart after a crash). */
  start(pid: string): void {
    const p = this.procOf(pid);
    if (p.status !== 'down') return;
    if (!p.host.up) throw new SimulationError(`cannot start ${pid}: host ${p.host.name} is down`);
    this.record({ t: this.nowUs, k: 'fault', what: 'start', p: pid });
    this.boot(p);
  }

  /** kill -9 or a segfault: the kernel resets every connection; nothing is persisted now. */
  crash(pid: string, what = 'crash'): void {
    const p = this.procOf(pid);
    if (p.status === 'down') return;
    this.record({ t: this.nowUs, k: 'fault', what, p: pid });
    this.kill(p, 'reset');
  }

  /** SIGSTOP: no timer fires and no input is handled; the kernel still accepts and buffers. */
  pause(pid: string): void {
    const p = this.procOf(pid);
    if (p.status !== 'running') return;
    this.record({ t: this.nowUs, k: 'fault', what: 'pause', p: pid });
    p.status = 'paused';
    // Timers counted in the process's own loop iterations stop where they are (see Ctx.timer).
    for (const [key, atUs] of p.freezable) {
      p.frozen.set(key, Math.max(0, atUs - this.nowUs));
      p.timers.set(key, ++p.timerGen); // the queued event is now stale
    }
    p.freezable.clear();
  }

  /** SIGCONT: first everything that waited in the socket buffers, in order, then due timers. */
  resume(pid: string): void {
    const p = this.procOf(pid);
    if (p.status !== 'paused') return;
    this.record({ t: this.nowUs, k: 'fault', what: 'resume', p: pid });
    p.status = 'running';
    const net = p.pendingNet;
    const timers = p.pendingTimers;
    p.pendingNet = [];
    p.pendingTimers = [];
    const inc = p.inc;
    // A handler may pause or kill the process again; re-read the status each time.
    const alive = (): boolean => (p.status as ProcessStatus) === 'running' && p.inc === inc;
    for (const ev of net) {
      if (!alive()) break;
      this.handleNet(p, ev);
    }
    for (const t of timers) {
      if (!alive()) break;
      this.fireTimer(p, inc, t.key, t.gen);
    }
    if (!alive()) return;
    for (const [key, leftUs] of p.frozen) {
      const gen = ++p.timerGen;
      p.timers.set(key, gen);
      p.freezable.set(key, this.nowUs + leftUs);
      this.queue.push(this.nowUs + leftUs, { k: 'timer', p, inc, key, gen });
    }
    p.frozen.clear();
  }

  /** The whole machine goes away: its processes die and its network goes silent (no RSTs). */
  hostDown(hostName: string): void {
    const h = this.hostOf(hostName);
    if (!h.up) return;
    this.record({ t: this.nowUs, k: 'fault', what: 'host-down', host: hostName });
    h.up = false;
    for (const p of this.procs.values()) if (p.host === h && p.status !== 'down') this.kill(p, null);
  }

  /** The machine is back; its processes start again (services enabled at boot). */
  hostUp(hostName: string, startProcesses = true): void {
    const h = this.hostOf(hostName);
    if (h.up) return;
    this.record({ t: this.nowUs, k: 'fault', what: 'host-up', host: hostName });
    h.up = true;
    this.flushStalled();
    if (startProcesses) for (const p of this.procs.values()) if (p.host === h && p.status === 'down') this.boot(p);
  }

  isHostUp(hostName: string): boolean {
    return this.hostOf(hostName).up;
  }

  /** Block traffic between two groups of hosts; `oneWay` blocks only from → to. */
  partition(from: readonly string[], to: readonly string[], oneWay = false): void {
    for (const h of [...from, ...to]) this.hostOf(h);
    this.record({ t: this.nowUs, k: 'fault', what: oneWay ? 'partition-one-way' : 'partition', from: [...from], to: [...to] });
    for (const a of from)
      for (const b of to) {
        this.links.block(a, b);
        if (!oneWay) this.links.block(b, a);
      }
  }

  heal(): void {
    this.record({ t: this.nowUs, k: 'fault', what: 'heal' });
    this.links.healAll();
    this.flushStalled();
  }

  clockJump(hostName: string, byMs: number): void {
    const h = this.hostOf(hostName);
    this.record({ t: this.nowUs, k: 'fault', what: 'clock-jump', host: hostName, ms: byMs });
    h.clock = jumpClock(h.clock, Math.round(byMs * 1000));
  }

  clockDrift(hostName: string, ppm: number): void {
    const h = this.hostOf(hostName);
    this.record({ t: this.nowUs, k: 'fault', what: 'clock-drift', host: hostName, ppm });
    h.clock = setDrift(h.clock, this.nowUs, ppm);
  }

  setLink(fromHost: string, toHost: string, params: LinkParams, bothWays = true): void {
    this.hostOf(fromHost);
    this.hostOf(toHost);
    this.record({ t: this.nowUs, k: 'fault', what: 'link', from: fromHost, to: toHost, ...params });
    this.links.setParams(fromHost, toHost, params);
    if (bothWays) this.links.setParams(toHost, fromHost, params);
  }

  /** A trace record for something the scenario layer did (a client command, a note). */
  note(data: Record<string, unknown>): void {
    this.record({ t: this.nowUs, k: 'fault', ...data });
  }

  // ---------------------------------------------------------------- internals: processes

  private hostOf(name: string): Host {
    const h = this.hosts.get(name);
    if (!h) throw new SimulationError(`unknown host ${name}`);
    return h;
  }

  private procOf(pid: string): ProcRec {
    const p = this.procs.get(pid);
    if (!p) throw new SimulationError(`unknown process ${pid}`);
    return p;
  }

  private boot(p: ProcRec): void {
    p.inc++;
    p.status = 'running';
    p.timers = new Map();
    p.freezable = new Map();
    p.frozen = new Map();
    p.pendingNet = [];
    p.pendingTimers = [];
    const ctx = new ProcCtx(this, p);
    p.ctx = ctx;
    ctx.begin();
    p.state = p.behavior.init(ctx, p.disk);
    const ports = p.behavior.listenPorts(p.state);
    for (const port of ports) {
      const key = `${p.host.name}:${port}`;
      const holder = this.listeners.get(key);
      if (holder && holder !== p.pid) throw new SimulationError(`${p.pid} cannot listen on ${p.host.ip}:${port}: ${holder} already does`);
      this.listeners.set(key, p.pid);
    }
    p.ports = ports;
    this.applyEffects(p, ctx.end());
  }

  /** Stop a process. `closeWith` is what peers see ('reset' after a crash, 'closed' after an exit, null when the host vanished). */
  private kill(p: ProcRec, closeWith: CloseReason | null): void {
    p.status = 'down';
    p.state = undefined;
    p.ctx = undefined;
    p.timers = new Map();
    p.freezable = new Map();
    p.frozen = new Map();
    p.pendingNet = [];
    p.pendingTimers = [];
    for (const port of p.ports) {
      const key = `${p.host.name}:${port}`;
      if (this.listeners.get(key) === p.pid) this.listeners.delete(key);
    }
    p.ports = [];
    const inc = p.inc;
    for (const c of [...this.conns.values()]) {
      if (c.a.pid === p.pid && c.a.inc === inc && c.a.open) {
        c.a.open = false;
        if (closeWith && c.b?.open) this.transmit(c, 0, { k: 'closed', conn: c.id, reason: closeWith });
      }
      if (c.b && c.b.pid === p.pid && c.b.inc === inc && c.b.open) {
        c.b.open = false;
        if (closeWith && c.a.open) this.transmit(c, 1, { k: 'closed', conn: c.id, reason: closeWith });
      }
      this.forgetIfDead(c);
    }
  }


  private fireTimer(p: ProcRec, inc: number, key: string, gen: number): void {
    if (p.inc !== inc || p.status === 'down' || p.timers.get(key) !== gen) return;
    if (p.status === 'paused') {
      p.pendingTimers.push({ key, gen });
      return;
    }
    p.timers.delete(key);
    if (p.freezable.size > 0) p.freezable.delete(key);
    if (this.full) this.record({ t: this.nowUs, k: 'timer', p: p.pid, key });
    const ctx = p.ctx!;
    ctx.begin();
    if (this.snapshots) p.state = produce(p.state, (d: any) => p.behavior.onTimer(d, key, ctx));
    else p.behavior.onTimer(p.state, key, ctx);
    this.applyEffects(p, ctx.end());
  }

  private handleNet(p: ProcRec, ev: NetEvent): void {
    if (this.full) {
      if (ev.k === 'data') this.record({ t: this.nowUs, k: 'msg', c: ev.conn, to: p.pid, m: respToString(ev.msg) });
      else this.record({ t: this.nowUs, k: 'net', c: ev.conn, p: p.pid, what: ev.k, ...('reason' in ev ? { reason: ev.reason } : {}) });
    }
    const ctx = p.ctx!;
    ctx.begin();
    if (this.snapshots) p.state = produce(p.state, (d: any) => p.behavior.onNet(d, ev, ctx));
    else p.behavior.onNet(p.state, ev, ctx);
    this.applyEffects(p, ctx.end());
  }

  private applyEffects(p: ProcRec, effects: readonly Effect[]): void {
    const inc = p.inc;
    let exitCode: number | undefined;
    for (const e of effects) {
      switch (e.k) {
        case 'send':
          this.send(p, e.conn, e.msg);
          break;
        case 'connect':
          this.connect(p, e.conn, e.to);
          break;
        case 'close':
          this.closeFrom(p, e.conn);
          break;
        case 'timer': {
          // One counter per process, never per key: a key cancelled and armed again must not reuse
          // a generation that an already-queued (stale) timer event still carries.
          const gen = ++p.timerGen;
          p.timers.set(e.key, gen);
          const delay = globalDelayFor(p.host.clock, Math.max(0, e.delayMs) * 1000);
          this.queue.push(this.nowUs + delay, { k: 'timer', p, inc, key: e.key, gen });
          if (e.freezeWhilePaused) p.freezable.set(e.key, this.nowUs + delay);
          else if (p.freezable.size > 0) p.freezable.delete(e.key);
          break;
        }
        case 'cancelTimer':
          p.timers.delete(e.key);
          p.freezable.delete(e.key);
          p.frozen.delete(e.key);
          break;
        case 'log':
          this.record({ t: this.nowUs, k: 'log', p: p.pid, level: e.level, text: e.text });
          break;
        case 'event':
          this.record({ t: this.nowUs, k: 'event', p: p.pid, level: e.level, event: e.event, text: e.text });
          break;
        case 'state':
          this.record({ t: this.nowUs, k: 'state', p: p.pid, ...e.data });
          break;
        case 'persist':
          p.disk = e.data;
          break;
        case 'exit':
          exitCode = e.code;
          break;
      }
    }
    if (exitCode !== undefined && p.inc === inc && p.status !== 'down') {
      this.record({ t: this.nowUs, k: 'fault', what: 'exit', p: p.pid, code: exitCode });
      this.kill(p, 'closed');
    }
  }

  // ---------------------------------------------------------------- internals: TCP-like connections

  /** Which open end of `c` is this process's (0: a, 1: b), or -1 (a number, not a pair: this runs for every send). */
  private dirOf(p: ProcRec, c: Conn): 0 | 1 | -1 {
    if (c.a.pid === p.pid && c.a.inc === p.inc) return c.a.open ? 0 : -1;
    if (c.b && c.b.pid === p.pid && c.b.inc === p.inc) return c.b.open ? 1 : -1;
    return -1;
  }

  private connect(p: ProcRec, id: ConnId, to: Endpoint): void {
    const targetHost = this.lookupHost(to.ip, p.host);
    const local: Endpoint = { ip: targetHost === p.host && to.ip === '127.0.0.1' ? '127.0.0.1' : p.host.ip, port: p.host.nextEphemeralPort++ };
    if (p.host.nextEphemeralPort > 60999) p.host.nextEphemeralPort = 40000;
    const c: Conn = {
      id, a: { pid: p.pid, proc: p, inc: p.inc, host: p.host, ep: local, open: true }, b: undefined, target: to, targetHost,
      lastArrivalUs: [0, 0], stalled: [[], []], stalledSinceUs: [0, 0], routes: undefined,
    };
    this.conns.set(id, c);
    if (!targetHost) {
      // No such host on the simulated network: the SYN goes nowhere and connect() times out.
      this.queue.push(this.nowUs + SYN_GIVE_UP_US, { k: 'giveUp', conn: c, dir: 0, sinceUs: -1 });
      return;
    }
    this.transmit(c, 0, { k: 'syn' });
  }

  private lookupHost(ip: string, from: Host): Host | undefined {
    const h = this.hostsByIp.get(ip);
    if (h) return h;
    if (ip === '127.0.0.1' || ip === '::1' || ip === 'localhost') return from;
    return undefined;
  }

  private send(p: ProcRec, id: ConnId, msg: Resp): void {
    const c = this.conns.get(id);
    if (!c) return;
    const dir = this.dirOf(p, c);
    if (dir === -1) return;
    this.transmit(c, dir, { k: 'data', conn: id, msg });
  }

  private closeFrom(p: ProcRec, id: ConnId): void {
    const c = this.conns.get(id);
    if (!c) return;
    const dir = this.dirOf(p, c);
    if (dir === -1) return;
    if (dir === 0) c.a.open = false;
    else c.b!.open = false;
    const peer = dir === 0 ? c.b : c.a;
    if (peer?.open) this.transmit(c, dir, { k: 'closed', conn: id, reason: 'closed' });
    this.forgetIfDead(c);
  }

  private forgetIfDead(c: Conn): void {
    if (!c.a.open && (!c.b || !c.b.open) && c.stalled[0].length === 0 && c.stalled[1].length === 0) {
      this.conns.delete(c.id);
      this.stalledConns.delete(c);
    }
  }

  private hostsOf(c: Conn, dir: 0 | 1): [Host, Host | undefined] {
    return dir === 0 ? [c.a.host, c.targetHost] : [c.targetHost!, c.a.host];
  }

  /** Put a segment on the wire in one direction, or hold it while the path is cut. */
  private transmit(c: Conn, dir: 0 | 1, wire: Wire): void {
    // hostsOf() without its tuple: this runs for every segment.
    const from = dir === 0 ? c.a.host : c.targetHost!;
    const to = dir === 0 ? c.targetHost : c.a.host;
    if (!to) return;
    const held = c.stalled[dir];
    if (held.length > 0 || !to.up || !from.up || this.links.isBlocked(from.name, to.name)) {
      if (held.length === 0) {
        c.stalledSinceUs[dir] = this.nowUs;
        const limit = wire.k === 'syn' ? SYN_GIVE_UP_US : RETRANSMIT_GIVE_UP_US;
        this.queue.push(this.nowUs + limit, { k: 'giveUp', conn: c, dir, sinceUs: this.nowUs });
      }
      held.push(wire);
      this.stalledConns.add(c);
      return;
    }
    if (!c.routes) c.routes = [this.links.route(c.a.host.name, c.targetHost!.name), this.links.route(c.targetHost!.name, c.a.host.name)];
    const atUs = Math.max(this.nowUs + this.links.delayOn(c.routes[dir]), c.lastArrivalUs[dir]);
    c.lastArrivalUs[dir] = atUs;
    this.queue.push(atUs, { k: 'arrive', conn: c, dir, wire });
  }

  private flushStalled(): void {
    const conns = [...this.stalledConns].sort((x, y) => x.id - y.id);
    for (const c of conns) {
      for (const dir of [0, 1] as const) {
        const held = c.stalled[dir];
        if (held.length === 0) continue;
        const [from, to] = this.hostsOf(c, dir);
        if (!to || !to.up || !from.up || this.links.isBlocked(from.name, to.name)) continue;
        c.stalled[dir] = [];
        for (const w of held) this.transmit(c, dir, w);
      }
      if (c.stalled[0].length === 0 && c.stalled[1].length === 0) this.stalledConns.delete(c);
      this.forgetIfDead(c);
    }
  }

  /** Retransmissions (or SYN retries) ran out while the path stayed cut. */
  private giveUp(c: Conn, dir: 0 | 1, sinceUs: number): void {
    if (sinceUs === -1) {
      if (c.a.open) this.failConnect(c, 'timeout');
      return;
    }
    if (c.stalled[dir].length === 0 || c.stalledSinceUs[dir] !== sinceUs) return;
    const first = c.stalled[dir][0]!;
    c.stalled[dir] = [];
    if (dir === 0 && first.k === 'syn') {
      if (c.a.open) this.failConnect(c, 'timeout');
      this.stalledConns.delete(c);
      return;
    }
    const sender = dir === 0 ? c.a : c.b;
    if (sender?.open) {
      sender.open = false;
      this.deliverLocal(sender, { k: 'closed', conn: c.id, reason: 'timeout' });
    }
    if (c.stalled[1 - dir]!.length === 0) this.stalledConns.delete(c);
    this.forgetIfDead(c);
  }

  private failConnect(c: Conn, reason: 'refused' | 'timeout'): void {
    c.a.open = false;
    this.deliverLocal(c.a, { k: 'connectFailed', conn: c.id, reason });
    this.forgetIfDead(c);
  }

  private arrive(c: Conn, dir: 0 | 1, wire: Wire): void {
    if (wire.k === 'syn') {
      this.synArrives(c);
      return;
    }
    const dest = dir === 0 ? c.b : c.a;
    const src = dir === 0 ? c.a : c.b;
    if (!dest) return; // data queued behind a SYN that was refused
    if (!dest.open) {
      // The receiving socket is gone: its kernel answers data with an RST (if the host is up).
      if (wire.k === 'data' && src?.open && dest.host.up) this.transmit(c, (1 - dir) as 0 | 1, { k: 'closed', conn: c.id, reason: 'reset' });
      this.forgetIfDead(c);
      return;
    }
    if (wire.k === 'closed' || wire.k === 'connectFailed') dest.open = false;
    this.deliverLocal(dest, wire);
    this.forgetIfDead(c);
  }

  private synArrives(c: Conn): void {
    if (!c.a.open) return;
    const host = c.targetHost!;
    const pid = this.listeners.get(`${host.name}:${c.target.port}`);
    const p = pid ? this.procs.get(pid) : undefined;
    if (!p || p.status === 'down') {
      this.transmit(c, 1, { k: 'connectFailed', conn: c.id, reason: 'refused' });
      return;
    }
    // The kernel completes the handshake even for a SIGSTOPped process; accept() waits for it.
    c.b = { pid: p.pid, proc: p, inc: p.inc, host, ep: c.target, open: true };
    this.transmit(c, 1, { k: 'connected', conn: c.id, local: c.a.ep });
    this.deliverLocal(c.b, { k: 'accepted', conn: c.id, local: c.target, remote: c.a.ep });
  }

  private deliverLocal(end: ConnEnd, ev: NetEvent): void {
    const p = end.proc;
    if (p.inc !== end.inc || p.status === 'down') return;
    if (p.status === 'paused') {
      p.pendingNet.push(ev);
      return;
    }
    this.handleNet(p, ev);
  }

  // ---------------------------------------------------------------- internals: trace

  private record(r: TraceRecord): void {
    this.trace?.write(r);
    for (const o of this.observers) o(r);
  }

  /** For ProcCtx only. */
  allocConnId(): ConnId {
    return this.nextConnId++;
  }

}

const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

/** The Ctx handed to handlers: reads clocks, collects effects; performs nothing. */
class ProcCtx implements Ctx {
  readonly pid: string;
  readonly hostName: string;
  readonly rng: Rng;
  /** Allocated on the first effect: many events (a PONG, a hello) ask for none. */
  private effects: Effect[] | null = null;
  private readonly streams = new Map<string, Rng>();

  constructor(private readonly world: World, private readonly p: ProcRec) {
    this.pid = p.pid;
    this.hostName = p.host.name;
    this.rng = rngStream(world.seed, `${p.pid}#${p.inc}`);
  }

  begin(): void {
    this.effects = null;
  }

  end(): readonly Effect[] {
    return this.effects ?? NO_EFFECTS;
  }

  private add(e: Effect): void {
    if (this.effects === null) this.effects = [e];
    else this.effects.push(e);
  }

  nowUs(): number {
    return wallUs(this.p.host.clock, this.world.nowUs);
  }
  nowMs(): number {
    return Math.floor(wallUs(this.p.host.clock, this.world.nowUs) / 1000);
  }
  monoMs(): number {
    return Math.floor(monotonicUs(this.p.host.clock, this.world.nowUs) / 1000);
  }
  stream(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) {
      r = rngStream(this.world.seed, `${this.p.pid}#${this.p.inc}/${name}`);
      this.streams.set(name, r);
    }
    return r;
  }
  resolve(host: string): string | undefined {
    return this.world.resolve(host);
  }
  send(conn: ConnId, msg: Resp): void {
    this.add({ k: 'send', conn, msg });
  }
  connect(to: Endpoint): ConnId {
    const conn = this.world.allocConnId();
    // Copied: `to` is often a piece of the handler's draft, revoked when the recipe ends.
    this.add({ k: 'connect', conn, to: { ip: to.ip, port: to.port } });
    return conn;
  }
  close(conn: ConnId): void {
    this.add({ k: 'close', conn });
  }
  timer(key: string, delayMs: number, opts?: { readonly freezeWhilePaused?: boolean }): void {
    this.add(opts?.freezeWhilePaused ? { k: 'timer', key, delayMs, freezeWhilePaused: true } : { k: 'timer', key, delayMs });
  }
  cancelTimer(key: string): void {
    this.add({ k: 'cancelTimer', key });
  }
  log(level: LogLevel, text: string): void {
    this.add({ k: 'log', level, text });
  }
  event(level: LogLevel, event: string, text: string): void {
    this.add({ k: 'event', level, event, text });
  }
  state(data: Readonly<Record<string, unknown>>): void {
    this.add({ k: 'state', data });
  }
  persist(data: unknown): void {
    this.add({ k: 'persist', data });
  }
  exit(code: number): void {
    this.add({ k: 'exit', code });
  }
}
