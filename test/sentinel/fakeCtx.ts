import { produce } from 'immer';
import { parseSentinelConf } from '../../src/config/index.js';
import type { Resp } from '../../src/net/resp.js';
import type { Behavior, ConnId, Ctx, Effect, Endpoint, LogLevel, NetEvent } from '../../src/sim/process.js';
import { rngStream, type Rng } from '../../src/sim/rng.js';
import { sentinelBehavior, type SentinelState } from '../../src/sentinel/index.js';

/** A Ctx with a settable clock that records effects: drives one Sentinel's handlers directly. */
export class FakeCtx implements Ctx {
  readonly pid = 'sentinel1';
  readonly hostName = 'host1';
  nowMsValue = 1_700_000_000_000;
  effects: Effect[] = [];
  private nextConn = 1;
  readonly rng: Rng = rngStream(1, 'fake');
  private streams = new Map<string, Rng>();
  dns: Record<string, string> = { host1: '10.0.0.1' };
  nowMs(): number {
    return this.nowMsValue;
  }
  nowUs(): number {
    return this.nowMsValue * 1000;
  }
  monoMs(): number {
    return this.nowMsValue;
  }
  stream(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) this.streams.set(name, (r = rngStream(1, `fake/${name}`)));
    return r;
  }
  resolve(host: string): string | undefined {
    return this.dns[host] ?? (/^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : undefined);
  }
  send(conn: ConnId, msg: Resp): void {
    this.effects.push({ k: 'send', conn, msg });
  }
  connect(to: Endpoint): ConnId {
    const conn = this.nextConn++;
    this.effects.push({ k: 'connect', conn, to });
    return conn;
  }
  close(conn: ConnId): void {
    this.effects.push({ k: 'close', conn });
  }
  unsentBytes(): number {
    return 0;
  }
  timer(key: string, delayMs: number): void {
    this.effects.push({ k: 'timer', key, delayMs });
  }
  cancelTimer(key: string): void {
    this.effects.push({ k: 'cancelTimer', key });
  }
  log(level: LogLevel, text: string): void {
    this.effects.push({ k: 'log', level, text });
  }
  event(level: LogLevel, event: string, text: string): void {
    this.effects.push({ k: 'event', level, event, text });
  }
  state(data: Readonly<Record<string, unknown>>): void {
    this.effects.push({ k: 'state', data });
  }
  persist(data: unknown): void {
    this.effects.push({ k: 'persist', data });
  }
  exit(code: number): void {
    this.effects.push({ k: 'exit', code });
  }
  events(): string[] {
    return this.effects.flatMap((e) => (e.k === 'event' ? [`${e.event} ${e.text}`] : []));
  }
  take(): Effect[] {
    const e = this.effects;
    this.effects = [];
    return e;
  }
}

/** One Sentinel booted from config text, with helpers to feed it timers and network events. */
export class SentinelHarness {
  readonly ctx = new FakeCtx();
  readonly behavior: Behavior<SentinelState>;
  state: SentinelState;
  constructor(confText: string) {
    this.behavior = sentinelBehavior(parseSentinelConf(confText, 'sentinel.conf'));
    this.state = this.behavior.init(this.ctx, undefined);
  }
  tick(): void {
    this.state = produce(this.state, (d) => this.behavior.onTimer(d, 'tick', this.ctx));
  }
  net(ev: NetEvent): void {
    this.state = produce(this.state, (d) => this.behavior.onNet(d, ev, this.ctx));
  }
  advance(ms: number): void {
    this.ctx.nowMsValue += ms;
  }
  /**
   * Let config flushes in progress end (src/sentinel/flushcost.ts): advance past the last armed
   * 'write' timer and fire it, so what the handler queued is written. Returns the ms waited.
   */
  settle(): number {
    const w = [...this.ctx.effects].reverse().find((e) => e.k === 'timer' && e.key === 'write');
    if (!w || w.k !== 'timer') return 0;
    const waitMs = Math.ceil(w.delayMs);
    this.advance(waitMs);
    this.state = produce(this.state, (d) => this.behavior.onTimer(d, 'write', this.ctx));
    return waitMs;
  }
}
