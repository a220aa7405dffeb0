/**
 * A tiny RESP2 client over node:net for talking to real redis-server / redis-sentinel processes
 * on 127.0.0.1. One connection, commands pipelined in order, every call bounded by a timeout.
 * Not the simulator's RESP (src/net/resp.ts): this one parses bytes off a real socket.
 */
import { connect, type Socket } from 'node:net';

export class RespError extends Error {
  constructor(readonly reply: string) {
    super(reply);
  }
}

export type RespValue = string | number | null | RespError | RespValue[];

/** Parse one value at `off`; undefined if the buffer does not hold a whole value yet. */
function parseAt(buf: Buffer, off: number): [RespValue, number] | undefined {
  if (off >= buf.length) return undefined;
  const eol = buf.indexOf('\r\n', off);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[off]);
  const line = buf.toString('utf8', off + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return [line, next];
    case '-':
      return [new RespError(line), next];
    case ':':
      return [Number(line), next];
    case '$': {
      const len = Number(line);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) return undefined;
      return [buf.toString('utf8', next, next + len), next + len + 2];
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return [null, next];
      const items: RespValue[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseAt(buf, p);
        if (!r) return undefined;
        items.push(r[0]);
        p = r[1];
      }
      return [items, p];
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte ${JSON.stringify(type)}`);
  }
}

function encode(argv: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = Buffer.from(a, 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

interface Pending {
  resolve(v: RespValue): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private closed = false;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (d) => this.onData(d));
    const fail = (e: Error) => this.failAll(e);
    sock.on('error', fail);
    sock.on('close', () => this.failAll(new Error('connection closed')));
  }

  static connect(port: number, host = '127.0.0.1', timeoutMs = 2000): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const sock = connect({ port, host });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        sock.setNoDelay(true);
        resolve(new RespClient(sock));
      });
    });
  }

  /** Send a command; resolves with the reply (an error reply resolves as a RespError value). */
  command(argv: readonly string[], timeoutMs = 2000): Promise<RespValue> {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(new Error(`${argv.join(' ')}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.push({ resolve, reject, timer });
      this.sock.write(encode(argv));
    });
  }

  close(): void {
    this.closed = true;
    this.sock.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    let off = 0;
    for (;;) {
      let r: [RespValue, number] | undefined;
      try {
        r = parseAt(this.buf, off);
      } catch (e) {
        this.failAll(e as Error);
        return;
      }
      if (!r) break;
      off = r[1];
      const p = this.pending.shift();
      if (p) {
        clearTimeout(p.timer);
        p.resolve(r[0]);
      }
    }
    this.buf = this.buf.subarray(off);
  }

  private failAll(e: Error): void {
    this.closed = true;
    this.sock.destroy();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(e);
    }
  }
}

/** Connect, send one command, close. Rejects on connect failure or timeout. */
export async function redisCall(port: number, argv: readonly string[], timeoutMs = 2000): Promise<RespValue> {
  const c = await RespClient.connect(port, '127.0.0.1', timeoutMs);
  try {
    return await c.command(argv, timeoutMs);
  } finally {
    c.close();
  }
}

/** A flat RESP2 map reply (`[k1, v1, k2, v2, …]`) as a record of strings. */
export function flatMap(v: RespValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(v)) return out;
  for (let i = 0; i + 1 < v.length; i += 2) out[String(v[i])] = String(v[i + 1]);
  return out;
}

/** `INFO` text as a record of `field: value`. */
export function parseInfo(text: RespValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== 'string') return out;
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
