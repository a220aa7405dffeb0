import type { Resp } from '../net/resp.js';
import type { ConnId, Ctx } from '../sim/process.js';

/**
 * Output of one handler invocation, held back until the handler ends. hiredis writes queued
 * commands only when the event loop next polls for writability, so a command queued and then
 * freed with its connection in the same tick is never sent (spec §7.7, redisAsyncFree()).
 * Also remembers that the config must be flushed, so a handler flushes once at its end.
 */
export class Out {
  private readonly buffers = new Map<ConnId, Resp[]>();
  flushConfig = false;

  constructor(private readonly ctx: Ctx) {}

  /**
   * sentinelFlushConfig(): Redis rewrites sentinel.conf at this point and logs it; we log it here,
   * in the same place among the events, and persist once when the handler ends.
   */
  flushConfigNow(): void {
    this.ctx.log('notice', 'Sentinel new configuration saved on disk');
    this.flushConfig = true;
  }

  send(conn: ConnId, msg: Resp): void {
    let b = this.buffers.get(conn);
    if (!b) {
      b = [];
      this.buffers.set(conn, b);
    }
    b.push(msg);
  }

  close(conn: ConnId): void {
    this.buffers.delete(conn);
    this.ctx.close(conn);
  }

  /** Write everything still buffered, connection by connection in first-use order. */
  flush(): void {
    for (const [conn, msgs] of this.buffers) for (const m of msgs) this.ctx.send(conn, m);
    this.buffers.clear();
  }
}
