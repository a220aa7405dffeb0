import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TimeUs } from './time.js';

/**
 * One trace record per line of JSON. Every record has `t` (global µs) and `k` (kind); the rest
 * depends on the kind. Keys are always written in the order they are built, so the same run gives
 * the same bytes.
 *   timer  {p, key}                 a timer fired in process p
 *   msg    {c, from, to, m}         a message was delivered to a process (when message tracing is on)
 *   net    {c, p, what, ...}        connection lifecycle seen by process p
 *   fault  {what, ...}              a fault or scenario action was applied
 *   log    {p, level, text}         a process wrote a log line
 *   event  {p, level, event, text}  a Sentinel event (sentinelEvent())
 *   state  {p, ...}                 a state change a process chose to report
 *   reply  {p, label, reply}        a scenario client got a reply
 */
export interface TraceRecord {
  readonly t: TimeUs;
  readonly k: string;
  readonly [field: string]: unknown;
}

export interface TraceSink {
  write(rec: TraceRecord): void;
  close?(): void;
}

export class MemoryTrace implements TraceSink {
  readonly records: TraceRecord[] = [];
  write(rec: TraceRecord): void {
    this.records.push(rec);
  }
}

/** A running SHA-256 over the JSONL bytes: the determinism check without holding the trace. */
export class HashTrace implements TraceSink {
  private hash: Hash = createHash('sha256');
  lines = 0;
  write(rec: TraceRecord): void {
    this.hash.update(JSON.stringify(rec));
    this.hash.update('\n');
    this.lines++;
  }
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** Streams JSONL to a file descriptor with a small buffer, so an hour-long run never sits in memory. */
export class FileTrace implements TraceSink {
  private buf: string[] = [];
  private bytes = 0;
  private readonly fd: number;
  private readonly ownsFd: boolean;
  /** `encode`: the saved form of a record (the CLI's file schema); the record itself by default. */
  constructor(
    pathOrFd: string | number,
    private readonly encode: (rec: TraceRecord) => unknown = (rec) => rec,
  ) {
    this.ownsFd = typeof pathOrFd === 'string';
    this.fd = typeof pathOrFd === 'string' ? openSync(pathOrFd, 'w') : pathOrFd;
  }
  write(rec: TraceRecord): void {
    this.writeJson(this.encode(rec));
  }
  /** One line of any JSON value (e.g. a header before the records). */
  writeJson(value: unknown): void {
    const line = JSON.stringify(value) + '\n';
    this.buf.push(line);
    this.bytes += line.length;
    if (this.bytes > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.bytes = 0;
  }
  close(): void {
    this.flush();
    if (this.ownsFd) closeSync(this.fd);
  }
}

export class TeeTrace implements TraceSink {
  constructor(private readonly sinks: readonly TraceSink[]) {}
  write(rec: TraceRecord): void {
    for (const s of this.sinks) s.write(rec);
  }
  close(): void {
    for (const s of this.sinks) s.close?.();
  }
}
