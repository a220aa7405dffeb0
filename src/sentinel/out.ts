import type { Resp } from '../net/resp.js';
import type { ConnId, Ctx } from '../net/process.js';

/**
 * Output of one handler invocation, held back until the handler ends. hiredis writes queued
 * commands only when the event loop next polls for writability, so a command queued and then
 * freed with its connection in the same tick is never sent (redisAsyncFree() drops the unwritten output buffer).
 * Also remembers that the config must be flushed, so a handler flushes once at its end.
 */
export class Out {
  /**
   * Buffered output as flat (conn, msg) pairs in the order sent: `count` pairs are live. Written
   * per connection in first-use order, so the pairs are grouped at flush time rather than kept in
   * one array per connection: a handler touches one to five connections and sends a handful of
   * messages, and per-connection arrays were most of what a Sentinel allocated per event.
   */
  private readonly pairs: (ConnId | Resp)[] = [];
  private count = 0;
  flushConfig = false;
  /** sentinelFlushConfig() calls in this handler: each one blocks the loop (flushcost.ts). */
  flushes = 0;

  constructor(private ctx: Ctx) {}

  /**
   * An empty Out for a handler of `ctx`: the one kept for reuse when it is free, a new one when a
   * handler is still using it (a handler that threw never gave it back). release() hands it back.
   */
  static acquire(ctx: Ctx): Out {
    const o = spare;
    if (o === null) return new Out(ctx);
    spare = null;
    o.ctx = ctx;
    o.flushConfig = false;
    o.flushes = 0;
    return o;
  }

  /** The handler is done with this Out (everything written or taken): it may serve the next one. */
  release(): void {
    if (this.count !== 0) return; // still holding output: never reuse it
    this.ctx = NO_CTX;
    spare = this;
  }

  /**
   * sentinelFlushConfig(): Redis rewrites sentinel.conf at this point and logs it; we log it here,
   * in the same place among the events, and persist once when the handler ends.
   */
  flushConfigNow(): void {
    this.ctx.log('notice', 'Sentinel new configuration saved on disk');
    this.flushConfig = true;
    this.flushes++;
  }

  send(conn: ConnId, msg: Resp): void {
    const at = this.count++ * 2;
    this.pairs[at] = conn;
    this.pairs[at + 1] = msg;
  }

  /** The connection is closed: what it still had buffered is dropped. */
  close(conn: ConnId): void {
    const p = this.pairs;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (p[2 * i] === conn) continue;
      p[2 * kept] = p[2 * i]!;
      p[2 * kept + 1] = p[2 * i + 1]!;
      kept++;
    }
    this.clear(kept);
    this.ctx.close(conn);
  }

  /** Everything still buffered, in write order, handed over instead of written (the loop is busy). */
  take(): { conn: ConnId; msg: Resp }[] {
    const out: { conn: ConnId; msg: Resp }[] = [];
    this.inWriteOrder((conn, msg) => out.push({ conn, msg }));
    this.clear(0);
    return out;
  }

  /** Write everything still buffered, connection by connection in first-use order. */
  flush(): void {
    const p = this.pairs;
    const ctx = this.ctx;
    for (let i = 0; i < this.count; i++) {
      const conn = p[2 * i] as ConnId;
      if (this.usedBefore(conn, i)) continue;
      for (let j = i; j < this.count; j++) if (p[2 * j] === conn) ctx.send(conn, p[2 * j + 1] as Resp);
    }
    this.clear(0);
  }

  /** Each connection's messages in order, connections in the order of their first message. */
  private inWriteOrder(write: (conn: ConnId, msg: Resp) => void): void {
    const p = this.pairs;
    for (let i = 0; i < this.count; i++) {
      const conn = p[2 * i] as ConnId;
      if (this.usedBefore(conn, i)) continue;
      for (let j = i; j < this.count; j++) if (p[2 * j] === conn) write(conn, p[2 * j + 1] as Resp);
    }
  }

  /** Whether one of the first `pairs` pairs went to `conn` (then its messages are already written). */
  private usedBefore(conn: ConnId, pairs: number): boolean {
    for (let j = 0; j < pairs; j++) if (this.pairs[2 * j] === conn) return true;
    return false;
  }

  /** Keep the first `kept` pairs; the slots after them let go of their messages. */
  private clear(kept: number): void {
    for (let i = 2 * kept; i < 2 * this.count; i++) this.pairs[i] = 0;
    this.count = kept;
  }
}

/** What a released Out points at, so that it keeps no finished run's process alive. */
const NO_CTX = null as unknown as Ctx;
let spare: Out | null = null;
