import { produce, setAutoFreeze } from 'immer';
import { jumpClock, setDrift, wallUs } from './clock.js';
import { ProcCtx } from './ctx.js';
import { SimulationError, ZeroDelayLoopError } from './errors.js';
import { HostTable, type Host } from './hosts.js';
import { NoNetwork, type NetQueued, type Network } from './network.js';
import type { Behavior, CloseReason, ConnId, Effect, NetEvent } from './process.js';
import { clearIncarnation, ProcessTable, type ProcessStatus, type ProcRec } from './processTable.js';
import { EventQueue } from './queue.js';
import { armTimer, cancelTimer, consumeTimer, freezeTimers, isCurrent, thawTimers, type TimerSlot } from './timers.js';
import type { TraceRecord, TraceSink } from './trace.js';
import type { TimeUs } from './time.js';

export { SimulationError, ZeroDelayLoopError } from './errors.js';
export type { ProcessStatus } from './processTable.js';

// States are replaced, never mutated, so freezing them buys nothing but time on the hot path.
setAutoFreeze(false);

/**
 * The run loop: one seeded, single-threaded discrete-event loop over hosts and processes. It is
 * the only place effects are performed, and everything it does is recorded in the trace; nothing
 * in it reads real time or real randomness. Messages are opaque here: a Network (net/) carries
 * them, and the trace shows them through the formatter it was given.
 *
 * The methods below are mechanisms (kill, suspend, power off...). What a fault means, and the
 * trace record that says it happened, is src/faults' business.
 */

interface ActionEv {
  readonly k: 'action';
  readonly label: string;
  readonly fn: (w: World<any>) => void;
}

type Ev = TimerSlot | ActionEv | NetQueued;

export interface WorldOptions<N extends Network = Network> {
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
  /** What carries messages between processes; without one, nobody can connect. */
  readonly network?: (w: World<N>) => N;
  /** How a message reads in a full trace's `msg` records (the loop itself never looks inside one). */
  readonly formatPayload?: (msg: unknown) => string;
}

/** Events allowed at one instant before the loop says it is stuck instead of spinning forever. */
const MAX_EVENTS_PER_INSTANT = 1_000_000;

/** Linux signal numbers, for the shell status (128 + n) of a process a signal killed. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };

export class World<N extends Network = Network> {
  readonly seed: number | string;
  nowUs: TimeUs = 0;
  eventsProcessed = 0;
  readonly net: N;
  private readonly queue = new EventQueue<Ev>();
  private readonly hosts: HostTable;
  private readonly procs = new ProcessTable();
  private nextConnId = 1;
  private readonly trace: TraceSink | undefined;
  private readonly full: boolean;
  private readonly snapshots: boolean;
  private readonly formatPayload: (msg: unknown) => string;
  private readonly observers: ((r: TraceRecord) => void)[] = [];
  private readonly stepObservers: ((w: World<N>) => void)[] = [];
  private sameInstantCount = 0;
  private lastInstantUs = -1;

  constructor(opts: WorldOptions<N>) {
    this.seed = opts.seed;
    this.trace = opts.trace;
    this.full = opts.traceDetail === 'full';
    this.snapshots = opts.snapshots ?? false;
    this.formatPayload = opts.formatPayload ?? ((m) => JSON.stringify(m));
    this.hosts = new HostTable(opts.wallEpochUs);
    this.net = opts.network ? opts.network(this) : (new NoNetwork() as unknown as N);
  }

  // ---------------------------------------------------------------- topology

  addHost(name: string, ip: string, aliases: readonly string[] = []): void {
    const h = this.hosts.add(name, ip);
    this.net.addHost(h, aliases);
  }

  hostNames(): string[] {
    return this.hosts.names();
  }

  hostIp(name: string): string {
    return this.hosts.get(name).ip;
  }

  /** The host record behind a name or an address, for the network. */
  hostRec(name: string): Host {
    return this.hosts.get(name);
  }

  hostByAddress(ip: string): Host | undefined {
    return this.hosts.byAddress(ip);
  }

  /** Add a process on a host; it boots at time `startAtUs` (default: now). */
  addProcess<S>(pid: string, hostName: string, behavior: Behavior<S, any>, opts: { startAtUs?: TimeUs; disk?: unknown; down?: boolean } = {}): void {
    const p = this.procs.add(pid, this.hosts.get(hostName), behavior, opts.disk);
    if (!opts.down) {
      const at = opts.startAtUs ?? this.nowUs;
      if (at <= this.nowUs) this.boot(p);
      else this.at(at, `start ${pid}`, (w) => w.start(pid));
    }
  }

  processIds(): string[] {
    return this.procs.ids();
  }

  status(pid: string): ProcessStatus {
    return this.procs.get(pid).status;
  }

  /** The process's current state (immutable; undefined while down). */
  stateOf<S = unknown>(pid: string): S {
    return this.procs.get(pid).state as S;
  }

  hostOfProcess(pid: string): string {
    return this.procs.get(pid).host.name;
  }

  diskOf(pid: string): unknown {
    return this.procs.get(pid).disk;
  }

  setDisk(pid: string, disk: unknown): void {
    this.procs.get(pid).disk = disk;
  }

  /** This host's wall clock now, in ms, as its processes read it. */
  hostNowMs(hostName: string): number {
    return Math.floor(wallUs(this.hosts.get(hostName).clock, this.nowUs) / 1000);
  }

  isHostUp(hostName: string): boolean {
    return this.hosts.get(hostName).up;
  }

  resolve(name: string): string | undefined {
    return this.net.resolve(name);
  }

  onRecord(fn: (r: TraceRecord) => void): void {
    this.observers.push(fn);
  }

  /** Called after every event: how an observer (the player's recorder) sees each step's states. */
  afterStep(fn: (w: World<N>) => void): void {
    this.stepObservers.push(fn);
  }

  // ---------------------------------------------------------------- running

  at(atUs: TimeUs, label: string, fn: (w: World<N>) => void): void {
    if (atUs < this.nowUs) throw new SimulationError(`cannot schedule "${label}" in the past`);
    this.queue.push(atUs, { k: 'action', label, fn });
  }

  /** For the network: an event of its own, handed back to its fire() when its time comes. */
  schedule(atUs: TimeUs, ev: NetQueued): void {
    this.queue.push(atUs, ev);
  }

  /** Run every event up to and including `untilUs`, then leave the clock at `untilUs`. */
  runUntil(untilUs: TimeUs): void {
    const q = this.queue;
    while (q.size > 0 && q.nextAtUs() <= untilUs) this.step();
    if (untilUs > this.nowUs) this.nowUs = untilUs;
  }

  /** Run one event; false when the queue is empty. */
  step(): boolean {
    if (this.queue.size === 0) return false;
    const atUs = this.queue.nextAtUs();
    const ev = this.queue.popEvent();
    if (atUs === this.lastInstantUs) {
      if (++this.sameInstantCount > MAX_EVENTS_PER_INSTANT) {
        throw new ZeroDelayLoopError(atUs, MAX_EVENTS_PER_INSTANT);
      }
    } else {
      this.lastInstantUs = atUs;
      this.sameInstantCount = 0;
    }
    this.nowUs = atUs;
    this.eventsProcessed++;
    // Not a switch on a closed union: whatever is neither a timer nor an action is the network's.
    const k = ev.k;
    if (k === 'timer') this.fireTimer(ev as TimerSlot, this.queue.poppedSeq);
    else if (k === 'action') (ev as ActionEv).fn(this);
    else this.net.fire(ev);
    for (let i = 0; i < this.stepObservers.length; i++) this.stepObservers[i]!(this);
    return true;
  }

  pendingEvents(): number {
    return this.queue.size;
  }

  // ---------------------------------------------------------------- lifecycle mechanisms

  /** Start a process that is down (first boot or restart after a crash). */
  start(pid: string): void {
    const p = this.procs.get(pid);
    if (p.status !== 'down') return;
    if (!p.host.up) throw new SimulationError(`cannot start ${pid}: host ${p.host.name} is down`);
    this.record({ t: this.nowUs, k: 'fault', what: 'start', p: pid });
    this.boot(p);
  }

  /** The process dies now; `closeWith` is what its peers see ('reset' after kill -9, 'closed' after an exit). */
  kill(pid: string, closeWith: CloseReason): void {
    const p = this.procs.get(pid);
    if (p.status !== 'down') this.terminate(p, closeWith);
  }

  /** SIGSTOP: no timer fires and no input is handled; the kernel still accepts and buffers. */
  suspend(pid: string): void {
    const p = this.procs.get(pid);
    if (p.status !== 'running') return;
    p.status = 'paused';
    freezeTimers(p, this.nowUs);
  }

  /** SIGCONT: first everything that waited in the socket buffers, in order, then due timers. */
  wake(pid: string): void {
    const p = this.procs.get(pid);
    if (p.status !== 'paused') return;
    p.status = 'running';
    this.net.resumed(p);
    const net = p.pendingNet;
    const timers = p.pendingTimers;
    const signals = p.pendingSignals;
    p.pendingNet = [];
    p.pendingTimers = [];
    p.pendingSignals = [];
    const inc = p.inc;
    // A handler may pause or kill the process again; re-read the status each time.
    const alive = (): boolean => (p.status as ProcessStatus) === 'running' && p.inc === inc;
    for (const sig of signals) {
      if (!alive()) break;
      this.handleSignal(p, sig);
    }
    for (const ev of net) {
      if (!alive()) break;
      this.handleNet(p, ev);
    }
    for (const t of timers) {
      if (!alive()) break;
      this.fireTimer(t.slot, t.seq);
    }
    if (alive()) thawTimers(this.queue, this.nowUs, p);
  }

  /**
   * kill -<signal>: the process's handler runs now (held until SIGCONT while it is stopped); a
   * process without one dies as after an exit, its sockets closed with FIN.
   */
  signal(pid: string, sig: string): void {
    const p = this.procs.get(pid);
    if (p.status === 'down') return;
    if (p.status === 'paused') {
      p.pendingSignals.push(sig);
      return;
    }
    this.handleSignal(p, sig);
  }

  /** The whole machine goes away: its processes die and say nothing to their peers. */
  powerOff(hostName: string): void {
    const h = this.hosts.get(hostName);
    if (!h.up) return;
    h.up = false;
    for (const p of this.procs.all()) if (p.host === h && p.status !== 'down') this.terminate(p, null);
  }

  /** The machine is back; what waited for it moves on, and its processes start (services enabled at boot). */
  powerOn(hostName: string, startProcesses: boolean): void {
    const h = this.hosts.get(hostName);
    if (h.up) return;
    h.up = true;
    this.net.hostUp(h);
    if (startProcesses) for (const p of this.procs.all()) if (p.host === h && p.status === 'down') this.boot(p);
  }

  jumpClock(hostName: string, byUs: number): void {
    const h = this.hosts.get(hostName);
    h.clock = jumpClock(h.clock, byUs);
  }

  setClockDrift(hostName: string, ppm: number): void {
    const h = this.hosts.get(hostName);
    h.clock = setDrift(h.clock, this.nowUs, ppm);
  }

  /** A trace record for something done to the world from outside (a fault, a client command, a note). */
  note(data: Record<string, unknown>): void {
    this.record({ t: this.nowUs, k: 'fault', ...data });
  }

  // ---------------------------------------------------------------- for the network

  /** Hand a socket event to a process incarnation: dropped if it died, buffered while it is stopped. */
  deliver(p: ProcRec, inc: number, ev: NetEvent): void {
    if (p.inc !== inc || p.status === 'down') return;
    if (p.status === 'paused') {
      p.pendingNet.push(ev);
      return;
    }
    this.handleNet(p, ev);
  }

  /** For ProcCtx only. */
  allocConnId(): ConnId {
    return this.nextConnId++;
  }

  /** For ProcCtx only. */
  unsentBytes(p: ProcRec, conn: ConnId, excludeBytes: number): number {
    return this.net.unsentBytes(p, conn, excludeBytes);
  }

  /** For ProcCtx only: a handler's send, performed as it asks (see CtxLoop). */
  performSend(p: ProcRec, conn: ConnId, msg: unknown): number {
    return this.net.send(p, conn, msg);
  }

  /** For ProcCtx only. */
  performTimer(p: ProcRec, key: string, delayMs: number, freezeWhilePaused: boolean | undefined): void {
    armTimer(this.queue, this.nowUs, p, key, delayMs, freezeWhilePaused);
  }

  /** For ProcCtx only: every other effect but exit, which waits for the handler's end (endHandler()). */
  perform(p: ProcRec, e: Effect): void {
    switch (e.k) {
      case 'send':
        this.net.send(p, e.conn, e.msg);
        break;
      case 'connect':
        this.net.connect(p, e.conn, e.to);
        break;
      case 'close':
        this.net.close(p, e.conn);
        break;
      case 'timer':
        armTimer(this.queue, this.nowUs, p, e.key, e.delayMs, e.freezeWhilePaused);
        break;
      case 'cancelTimer':
        cancelTimer(p, e.key);
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
        break;
    }
  }

  // ---------------------------------------------------------------- internals: processes

  private boot(p: ProcRec): void {
    p.inc++;
    p.status = 'running';
    clearIncarnation(p);
    const ctx = new ProcCtx<ProcRec>(this, p);
    p.ctx = ctx;
    ctx.begin(true);
    p.state = p.behavior.init(ctx, p.disk);
    const ports = p.behavior.listenPorts(p.state);
    this.net.listen(p, ports);
    p.ports = ports;
    const inc = p.inc;
    const effects = ctx.end();
    let exitCode: number | undefined;
    for (let i = 0; i < effects.length; i++) {
      const e = effects[i]!;
      if (e.k === 'exit') exitCode = e.code;
      else this.perform(p, e);
    }
    this.exitIfAsked(p, inc, exitCode);
  }

  private terminate(p: ProcRec, closeWith: CloseReason | null): void {
    p.status = 'down';
    p.state = undefined;
    p.ctx = undefined;
    clearIncarnation(p);
    this.net.processGone(p, closeWith);
    p.ports = [];
  }

  private fireTimer(slot: TimerSlot, seq: number): void {
    if (!isCurrent(slot, seq)) return;
    const p = slot.p;
    const key = slot.key;
    const inc = slot.inc;
    if (p.status === 'paused') {
      p.pendingTimers.push({ slot, seq });
      return;
    }
    consumeTimer(slot);
    if (this.full) this.record({ t: this.nowUs, k: 'timer', p: p.pid, key });
    const ctx = p.ctx!;
    ctx.begin();
    if (this.snapshots) p.state = timerUnderImmer(p, key, ctx);
    else p.behavior.onTimer(p.state, key, ctx);
    this.exitIfAsked(p, inc, ctx.takeExit());
  }

  private handleNet(p: ProcRec, ev: NetEvent): void {
    if (this.full) {
      if (ev.k === 'data') this.record({ t: this.nowUs, k: 'msg', c: ev.conn, to: p.pid, m: this.formatPayload(ev.msg) });
      else this.record({ t: this.nowUs, k: 'net', c: ev.conn, p: p.pid, what: ev.k, ...('reason' in ev ? { reason: ev.reason } : {}) });
    }
    const ctx = p.ctx!;
    const inc = p.inc;
    ctx.begin();
    if (this.snapshots) p.state = netUnderImmer(p, ev, ctx);
    else p.behavior.onNet(p.state, ev, ctx);
    this.exitIfAsked(p, inc, ctx.takeExit());
  }

  private handleSignal(p: ProcRec, sig: string): void {
    const onSignal = p.behavior.onSignal;
    if (!onSignal) {
      // The default action of SIGTERM/SIGINT: killed by the signal (shell status 128 + signal number).
      this.record({ t: this.nowUs, k: 'fault', what: 'exit', p: p.pid, code: 128 + (SIGNAL_NUMBERS[sig] ?? 15) });
      this.terminate(p, 'closed');
      return;
    }
    const ctx = p.ctx!;
    const inc = p.inc;
    ctx.begin();
    if (this.snapshots) p.state = produce(p.state, (d: any) => onSignal(d, sig, ctx));
    else onSignal(p.state, sig, ctx);
    this.exitIfAsked(p, inc, ctx.takeExit());
  }

  /** A handler asked to exit: the process dies now that its other effects are done (if it still lives). */
  private exitIfAsked(p: ProcRec, inc: number, exitCode: number | undefined): void {
    if (exitCode !== undefined && p.inc === inc && p.status !== 'down') {
      this.record({ t: this.nowUs, k: 'fault', what: 'exit', p: p.pid, code: exitCode });
      this.terminate(p, 'closed');
    }
  }

  // ---------------------------------------------------------------- internals: trace

  private record(r: TraceRecord): void {
    this.trace?.write(r);
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!(r);
  }
}

/*
 * The immer paths of fireTimer() and handleNet(), kept out of them: a closure in a function makes V8
 * allocate a context for the variables it captures at every call, even when the closure is never
 * made (the snapshot-less path, which is every CLI run).
 */
function timerUnderImmer(p: ProcRec, key: string, ctx: ProcCtx<ProcRec>): unknown {
  return produce(p.state, (d: any) => p.behavior.onTimer(d, key, ctx));
}

function netUnderImmer(p: ProcRec, ev: NetEvent, ctx: ProcCtx<ProcRec>): unknown {
  return produce(p.state, (d: any) => p.behavior.onNet(d, ev, ctx));
}
