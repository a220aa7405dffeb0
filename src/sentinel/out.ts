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
   * Buffered output per connection, in first-use order: two parallel arrays rather than a Map,
   * allocated on first use. A handler touches one to five connections and most ticks send
   * nothing, and one Out is made per handler invocation.
   */
  private conns: ConnId[] | null = null;
  private bufs: Resp[][] | null = null;
  flushConfig = false;
  /** sentinelFlushConfig() calls in this handler: each one blocks the loop (flushcost.ts). */
  flushes = 0;

  constructor(private readonly ctx: Ctx) {}

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
    if (this.conns === null) {
      this.conns = [conn];
      this.bufs = [[msg]];
      return;
    }
    const i = this.conns.indexOf(conn);
    if (i >= 0) this.bufs![i]!.push(msg);
    else {
      this.conns.push(conn);
      this.bufs!.push([msg]);
    }
  }

  close(conn: ConnId): void {
    const i = this.conns === null ? -1 : this.conns.indexOf(conn);
    if (i >= 0) {
      this.conns!.splice(i, 1);
      this.bufs!.splice(i, 1);
    }
    this.ctx.close(conn);
  }

  /** Everything still buffered, in write order, handed over instead of written (the loop is busy). */
  take(): { conn: ConnId; msg: Resp }[] {
    const out: { conn: ConnId; msg: Resp }[] = [];
    const conns = this.conns;
    if (conns === null) return out;
    for (let i = 0; i < conns.length; i++) for (const msg of this.bufs![i]!) out.push({ conn: conns[i]!, msg });
    this.conns = null;
    this.bufs = null;
    return out;
  }

  /** Write everything still buffered, connection by connection in first-use order. */
  flush(): void {
    const conns = this.conns;
    if (conns === null) return;
    const bufs = this.bufs!;
    for (let i = 0; i < conns.length; i++) for (const m of bufs[i]!) this.ctx.send(conns[i]!, m);
    this.conns = null;
    this.bufs = null;
  }
}
