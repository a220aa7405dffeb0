import type { TraceRecord } from '../sim/trace.js';

/**
 * The workload clients' operations as a Jepsen history (history.edn of a run folder): one EDN map
 * per line, in trace order,
 *   {:type :invoke, :f :write, :value ["key" "v1"], :process 0, :time 30000000000, :index 0, :client "w1"}
 * - :type  :invoke, then :ok, :fail (surely not applied) or :info (outcome unknown);
 * - :f     :write (SET) or :read (GET); :value is a [key value] tuple, as jepsen.independent writes
 *          it (a read's invoke has nil for the value, its :ok the value read);
 * - :process an integer per client, as Jepsen's workers have; after an :info the client is a new
 *          process (Jepsen's rule: a process with an operation of unknown outcome never invokes again);
 * - :time  simulated nanoseconds since the start of the run; :index counts the lines from 0;
 * - :error the client's reason on :fail and :info; :client the client's name in the model.
 * A command the client failed without sending (no connection) gets an :invoke just before its :fail.
 */

interface Pending {
  readonly process: number;
  readonly f: 'write' | 'read';
  readonly key: string;
  readonly value: unknown;
}

export class JepsenHistory {
  private index = 0;
  private nextProcess = 0;
  private readonly processOf = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();

  /** The history lines for one trace record (none unless it is a workload client's `op`). */
  lines(r: TraceRecord): string[] {
    if (r.k !== 'op') return [];
    const client = String(r.p);
    const id = `${client}\0${String(r.n)}`;
    const f = r.f === 'GET' ? 'read' : 'write';
    const key = String(r.key);
    const timeNs = r.t * 1000;
    if (r.phase === 'invoke') {
      const p: Pending = { process: this.processFor(client), f, key, value: f === 'write' ? r.value : null };
      this.pending.set(id, p);
      return [this.op('invoke', p, p.value, timeNs, client)];
    }
    const out: string[] = [];
    let p = this.pending.get(id);
    if (!p) {
      p = { process: this.processFor(client), f, key, value: f === 'write' ? r.value : null };
      out.push(this.op('invoke', p, p.value, timeNs, client));
    }
    this.pending.delete(id);
    const type = r.phase === 'ok' ? 'ok' : r.phase === 'fail' ? 'fail' : 'info';
    const value = type === 'ok' && f === 'read' ? r.read : p.value;
    out.push(this.op(type, p, value, timeNs, client, typeof r.error === 'string' ? r.error : undefined));
    if (type === 'info') this.processOf.delete(client);
    return out;
  }

  private processFor(client: string): number {
    let n = this.processOf.get(client);
    if (n === undefined) {
      n = this.nextProcess++;
      this.processOf.set(client, n);
    }
    return n;
  }

  private op(type: string, p: Pending, value: unknown, timeNs: number, client: string, error?: string): string {
    const err = error === undefined ? '' : `, :error ${edn(error)}`;
    return `{:type :${type}, :f :${p.f}, :value [${edn(p.key)} ${edn(value)}], :process ${p.process}, :time ${timeNs}, :index ${this.index++}${err}, :client ${edn(client)}}`;
  }
}

/** A JSON value as EDN: nil, true/false, numbers, strings with EDN escapes, vectors, maps with string keys. */
export function edn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return `"${v.replace(/[\\"\n\r\t]/g, (c) => ESCAPES[c]!)}"`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'nil';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(edn).join(' ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${edn(k)} ${edn(x)}`).join(', ')}}`;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
