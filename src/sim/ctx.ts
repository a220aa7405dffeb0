import { monotonicUs, wallUs } from './clock.js';
import type { ConnId, Ctx, Effect, Endpoint, LogLevel } from './process.js';
import type { Host } from './hosts.js';
import { rngStream, type Rng } from './rng.js';

/**
 * What a Ctx reads from the loop, and the sink that performs its effects. A handler's effects are
 * performed as it asks for them, in the order it asks, instead of being collected into an array
 * of effect objects and replayed after it returns: the same order, so the same trace, without one
 * object per effect. The handler still only acts on the world through this sink (process.ts), and
 * reads nothing its own effects could have changed: unsentBytes() leaves out what it sent, and an
 * exit waits for the handler's end (see ProcCtx).
 */
export interface CtxLoop<P extends CtxProcess = CtxProcess> {
  readonly seed: number | string;
  readonly nowUs: number;
  resolve(name: string): string | undefined;
  allocConnId(): ConnId;
  /** What the kernels hold of `p`'s writes on `conn`, less `excludeBytes` (held by this handler's own sends). */
  unsentBytes(p: P, conn: ConnId, excludeBytes: number): number;
  /** Performs one effect (exit excepted: ProcCtx keeps it for the end of the handler). */
  perform(p: P, e: Effect): void;
  /** send, without an effect object; returns the bytes of it the network had to hold. */
  performSend(p: P, conn: ConnId, msg: unknown): number;
  performTimer(p: P, key: string, delayMs: number, freezeWhilePaused: boolean | undefined): void;
}

/** The incarnation a Ctx belongs to (a ProcRec, seen only through what the Ctx reads). */
export interface CtxProcess {
  readonly pid: string;
  readonly inc: number;
  readonly host: Host;
}

const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

/**
 * The Ctx handed to handlers: reads clocks, and hands each effect to the loop as it is asked for.
 * At boot the loop collects them instead (begin(true)): a process's ports are opened after init()
 * returns and before its first effects.
 */
export class ProcCtx<P extends CtxProcess = CtxProcess> implements Ctx {
  readonly pid: string;
  readonly hostName: string;
  readonly rng: Rng;
  private collected: Effect[] | null = null;
  private exitCode: number | undefined = undefined;
  /**
   * Bytes this handler's own sends left held, per connection (parallel arrays, allocated on the
   * first held send: almost every handler has none). unsentBytes() subtracts them so that a
   * handler sees its connections as they were when it started, as when effects came after it.
   */
  private heldConns: ConnId[] | null = null;
  private heldBytes: number[] | null = null;
  private readonly streams = new Map<string, Rng>();

  constructor(private readonly loop: CtxLoop<P>, private readonly p: P) {
    this.pid = p.pid;
    this.hostName = p.host.name;
    this.rng = rngStream(loop.seed, `${p.pid}#${p.inc}`);
  }

  /** A handler starts; `collect`: keep its effects for end() instead of performing them. */
  begin(collect = false): void {
    this.collected = collect ? [] : null;
    this.exitCode = undefined;
    this.heldConns = null;
    this.heldBytes = null;
  }

  /** The handler returned: what begin(true) collected (empty otherwise). */
  end(): readonly Effect[] {
    const c = this.collected;
    this.collected = null;
    return c ?? NO_EFFECTS;
  }

  /** The exit code the handler asked for (the last, if several), once, or undefined. */
  takeExit(): number | undefined {
    const code = this.exitCode;
    this.exitCode = undefined;
    return code;
  }

  private add(e: Effect): void {
    if (this.collected !== null) this.collected.push(e);
    else this.loop.perform(this.p, e);
  }

  nowUs(): number {
    return wallUs(this.p.host.clock, this.loop.nowUs);
  }
  nowMs(): number {
    return Math.floor(wallUs(this.p.host.clock, this.loop.nowUs) / 1000);
  }
  monoMs(): number {
    return Math.floor(monotonicUs(this.p.host.clock, this.loop.nowUs) / 1000);
  }
  stream(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) {
      r = rngStream(this.loop.seed, `${this.p.pid}#${this.p.inc}/${name}`);
      this.streams.set(name, r);
    }
    return r;
  }
  resolve(host: string): string | undefined {
    return this.loop.resolve(host);
  }
  send(conn: ConnId, msg: unknown): void {
    if (this.collected !== null) {
      this.collected.push({ k: 'send', conn, msg });
      return;
    }
    const held = this.loop.performSend(this.p, conn, msg);
    if (held > 0) this.noteHeld(conn, held);
  }
  private noteHeld(conn: ConnId, bytes: number): void {
    if (this.heldConns === null) {
      this.heldConns = [conn];
      this.heldBytes = [bytes];
      return;
    }
    const i = this.heldConns.indexOf(conn);
    if (i >= 0) this.heldBytes![i]! += bytes;
    else {
      this.heldConns.push(conn);
      this.heldBytes!.push(bytes);
    }
  }
  connect(to: Endpoint): ConnId {
    const conn = this.loop.allocConnId();
    // Copied: `to` is often a piece of the handler's draft, revoked when the recipe ends.
    this.add({ k: 'connect', conn, to: { ip: to.ip, port: to.port } });
    return conn;
  }
  unsentBytes(conn: ConnId): number {
    const i = this.heldConns === null ? -1 : this.heldConns.indexOf(conn);
    return this.loop.unsentBytes(this.p, conn, i < 0 ? 0 : this.heldBytes![i]!);
  }
  close(conn: ConnId): void {
    this.add({ k: 'close', conn });
  }
  timer(key: string, delayMs: number, opts?: { readonly freezeWhilePaused?: boolean }): void {
    if (this.collected === null) this.loop.performTimer(this.p, key, delayMs, opts?.freezeWhilePaused);
    else this.collected.push(opts?.freezeWhilePaused ? { k: 'timer', key, delayMs, freezeWhilePaused: true } : { k: 'timer', key, delayMs });
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
    // The process dies once the handler is done: what it asks for after exit() still happens.
    if (this.collected !== null) this.collected.push({ k: 'exit', code });
    else this.exitCode = code;
  }
}
