import { monotonicUs, wallUs } from './clock.js';
import type { ConnId, Ctx, Effect, Endpoint, LogLevel } from './process.js';
import type { Host } from './hosts.js';
import { rngStream, type Rng } from './rng.js';

/** What a Ctx reads from the loop. */
export interface CtxLoop {
  readonly seed: number | string;
  readonly nowUs: number;
  resolve(name: string): string | undefined;
  allocConnId(): ConnId;
  unsentBytes(p: CtxProcess, conn: ConnId): number;
}

/** The incarnation a Ctx belongs to (a ProcRec, seen only through what the Ctx reads). */
export interface CtxProcess {
  readonly pid: string;
  readonly inc: number;
  readonly host: Host;
}

const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

/** The Ctx handed to handlers: reads clocks, collects effects; performs nothing. */
export class ProcCtx implements Ctx {
  readonly pid: string;
  readonly hostName: string;
  readonly rng: Rng;
  /** Allocated on the first effect: many events (a PONG, a hello) ask for none. */
  private effects: Effect[] | null = null;
  private readonly streams = new Map<string, Rng>();

  constructor(private readonly loop: CtxLoop, private readonly p: CtxProcess) {
    this.pid = p.pid;
    this.hostName = p.host.name;
    this.rng = rngStream(loop.seed, `${p.pid}#${p.inc}`);
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
    this.add({ k: 'send', conn, msg });
  }
  connect(to: Endpoint): ConnId {
    const conn = this.loop.allocConnId();
    // Copied: `to` is often a piece of the handler's draft, revoked when the recipe ends.
    this.add({ k: 'connect', conn, to: { ip: to.ip, port: to.port } });
    return conn;
  }
  unsentBytes(conn: ConnId): number {
    return this.loop.unsentBytes(this.p, conn);
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
