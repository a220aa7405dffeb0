/**
 * The Sentinel's per-handler output buffer (src/sentinel/out.ts): written connection by connection
 * in first-use order, messages in order; a close drops what its connection still had (hiredis's
 * redisAsyncFree() discards the unwritten buffer); a reused buffer starts empty.
 */
import { describe, expect, it } from 'vitest';
import { bulk, type Resp } from '../../src/net/resp.js';
import { Out } from '../../src/sentinel/out.js';
import { FakeCtx } from './fakeCtx.js';

const m = (s: string): Resp => bulk(s);
const sends = (ctx: FakeCtx) => ctx.effects.flatMap((e) => (e.k === 'send' ? [`${e.conn}:${(e.msg as { s: string }).s}`] : e.k === 'close' ? [`close ${e.conn}`] : []));

describe('Sentinel Out', () => {
  it('writes each connection in order, connections in the order of their first message', () => {
    const ctx = new FakeCtx();
    const out = new Out(ctx);
    out.send(7, m('a'));
    out.send(3, m('b'));
    out.send(7, m('c'));
    out.send(5, m('d'));
    out.send(3, m('e'));
    expect(sends(ctx)).toEqual([]);
    out.flush();
    expect(sends(ctx)).toEqual(['7:a', '7:c', '3:b', '3:e', '5:d']);
    out.flush();
    expect(sends(ctx)).toHaveLength(5);
  });

  it('drops what a closed connection still had; a later message to it comes last', () => {
    const ctx = new FakeCtx();
    const out = new Out(ctx);
    out.send(1, m('a'));
    out.send(2, m('b'));
    out.send(1, m('c'));
    out.send(3, m('d'));
    out.close(1);
    out.send(1, m('e'));
    out.send(2, m('f'));
    out.flush();
    expect(sends(ctx)).toEqual(['close 1', '2:b', '2:f', '3:d', '1:e']);
  });

  it('take() hands over the same order and leaves nothing to flush', () => {
    const ctx = new FakeCtx();
    const out = new Out(ctx);
    out.send(4, m('a'));
    out.send(9, m('b'));
    out.send(4, m('c'));
    expect(out.take().map((h) => `${h.conn}:${(h.msg as { s: string }).s}`)).toEqual(['4:a', '4:c', '9:b']);
    out.flush();
    expect(sends(ctx)).toEqual([]);
  });

  it('a released Out comes back empty, for the new handler ctx; one in use is never handed out twice', () => {
    const ctx1 = new FakeCtx();
    const ctx2 = new FakeCtx();
    const a = Out.acquire(ctx1);
    const b = Out.acquire(ctx1);
    expect(b).not.toBe(a);
    a.send(1, m('x'));
    a.flushConfigNow();
    a.flush();
    a.release();
    const c = Out.acquire(ctx2);
    expect(c.flushConfig).toBe(false);
    expect(c.flushes).toBe(0);
    c.send(2, m('y'));
    c.flush();
    expect(sends(ctx1)).toEqual(['1:x']);
    expect(sends(ctx2)).toEqual(['2:y']);
    // Not released while it still holds output: the next acquire gets a fresh one.
    c.send(3, m('z'));
    c.release();
    const d = Out.acquire(ctx2);
    expect(d).not.toBe(c);
    d.flush();
    expect(sends(ctx2)).toEqual(['2:y']);
    c.release();
    b.release();
  });
});
