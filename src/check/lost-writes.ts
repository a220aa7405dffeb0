import { formatSeconds } from '../sim/time.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * Lost acknowledged writes (Jepsen's question for Redis: which acknowledged writes were lost?),
 * from the workload clients' history (`op` records: invoke, then ok / fail / info) and the final
 * dataset of the final master.
 *
 * A write is acknowledged when its `ok` record exists (the client got +OK). At the end:
 *  - a key written once (the `unique` workload) is lost when the final master does not hold the
 *    value that was acknowledged;
 *  - a key written many times (a register, the `set-get` workload) is judged by its final value:
 *    if it is the value of write W, every acknowledged write invoked after W was acknowledged is
 *    lost (the register went back in time); if the key is gone, every acknowledged write to it
 *    is lost; a value no recorded write explains leaves the key unjudged. Writes overwritten by a
 *    later write are not lost, so a register shows only losses after the last surviving write:
 *    use `unique` to see every lost write.
 *
 * Lost writes are grouped into windows: runs of consecutive lost acknowledgements of one client
 * with no surviving acknowledged write of that client in between.
 */

export interface OpRecord extends TraceRecord {
  readonly k: 'op';
  readonly p: string;
  readonly n: number;
  readonly phase: 'invoke' | 'ok' | 'fail' | 'info';
  readonly f: 'SET' | 'GET';
  readonly key: string;
  readonly value?: string;
  readonly to?: string;
  readonly conn?: number;
}

export interface LostWrite {
  readonly client: string;
  readonly key: string;
  readonly value: string;
  readonly invokedMs: number;
  readonly ackedMs: number;
  /** The node that acknowledged it (through a proxy: the proxy's backend for that session). */
  readonly ackedBy: string;
  /** What the final master holds for the key (null: nothing). */
  readonly finalValue: string | null;
}

export interface LostWindow {
  readonly client: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
  readonly ackedBy: readonly string[];
}

export interface AckedWrite {
  readonly client: string;
  readonly n: number;
  readonly key: string;
  readonly value: string;
  readonly invokedUs: number;
  readonly ackedUs: number;
  readonly ackedBy: string;
}

export interface LostWritesReport {
  /** The node whose dataset was checked; null when no node was master at the end. */
  readonly finalMaster: string | null;
  readonly note?: string;
  /** Acknowledged writes per client (all clients with a workload). */
  readonly acknowledged: Readonly<Record<string, number>>;
  /** Writes whose outcome the client never learnt (timeout, connection lost after sending). */
  readonly indeterminate: number;
  readonly lost: readonly LostWrite[];
  readonly windows: readonly LostWindow[];
  /** Registers whose final value no recorded write explains. */
  readonly unjudged: readonly string[];
}

const ms = (us: number) => Math.round(us / 1000);

/**
 * A workload history folded as its `op` records arrive, so a run keeps one small entry per
 * acknowledged write (and per write of unknown outcome) instead of every record: the invocation
 * time of an op is dropped as soon as its outcome is in (a workload op completes exactly once).
 * `backendOf(conn)` names what stands behind a proxied connection (from the proxy's session records,
 * which come before any reply through that session), so a write through HAProxy is attributed to
 * the node that acknowledged it.
 */
export class WriteHistory {
  readonly acked: AckedWrite[] = [];
  readonly clients = new Set<string>();
  indeterminate = 0;
  /** Writes of unknown outcome per key (a register's final value may come from one of them). */
  readonly infoByKey = new Map<string, { value: string; invokedUs: number }[]>();
  private readonly invokedAt = new Map<string, number>();

  constructor(private readonly backendOf: (conn: number) => string | undefined = () => undefined) {}

  static of(records: readonly TraceRecord[], backendOf?: (conn: number) => string | undefined): WriteHistory {
    const h = new WriteHistory(backendOf);
    for (const r of records) h.add(r);
    return h;
  }

  add(r: TraceRecord): void {
    if (r.k !== 'op') return;
    const o = r as OpRecord;
    this.clients.add(o.p);
    if (o.f !== 'SET') return;
    const id = `${o.p}#${o.n}`;
    if (o.phase === 'invoke') {
      this.invokedAt.set(id, o.t);
      return;
    }
    const invokedUs = this.invokedAt.get(id) ?? o.t;
    this.invokedAt.delete(id);
    if (o.phase === 'ok' && o.value !== undefined) {
      const via = o.conn !== undefined ? this.backendOf(o.conn) : undefined;
      this.acked.push({ client: o.p, n: o.n, key: o.key, value: o.value, invokedUs, ackedUs: o.t, ackedBy: via ? `${via} via ${o.to}` : (o.to ?? '?') });
    } else if (o.phase === 'info' && o.value !== undefined) {
      this.indeterminate++;
      if (!this.infoByKey.has(o.key)) this.infoByKey.set(o.key, []);
      this.infoByKey.get(o.key)!.push({ value: o.value, invokedUs });
    }
  }
}

/** The acknowledged writes in a history (see WriteHistory for `backendOf`). */
export function acknowledgedWrites(records: readonly TraceRecord[], backendOf: (conn: number) => string | undefined = () => undefined): AckedWrite[] {
  return WriteHistory.of(records, backendOf).acked;
}

export function checkLostWrites(
  records: readonly TraceRecord[],
  finalMaster: string | null,
  finalValue: (key: string) => string | null,
  backendOf: (conn: number) => string | undefined = () => undefined,
  note?: string,
): LostWritesReport {
  return checkLostWritesOf(WriteHistory.of(records, backendOf), finalMaster, finalValue, note);
}

/** checkLostWrites() over a history folded as the run went. */
export function checkLostWritesOf(h: WriteHistory, finalMaster: string | null, finalValue: (key: string) => string | null, note?: string): LostWritesReport {
  const { acked, clients, indeterminate, infoByKey } = h;
  const acknowledged: Record<string, number> = {};
  for (const c of [...clients].sort()) acknowledged[c] = 0;
  for (const w of acked) acknowledged[w.client] = (acknowledged[w.client] ?? 0) + 1;
  if (finalMaster === null) {
    return { finalMaster, note: note ?? 'no node was master at the end: nothing to check against', acknowledged, indeterminate, lost: [], windows: [], unjudged: [] };
  }
  // Each key's writes: the write itself for a key written once (the `unique` workload writes one
  // key a second, 86,400 a day), an array only for a key written again.
  const byKey = new Map<string, AckedWrite | AckedWrite[]>();
  for (const w of acked) {
    const had = byKey.get(w.key);
    if (had === undefined) byKey.set(w.key, w);
    else if (Array.isArray(had)) had.push(w);
    else byKey.set(w.key, [had, w]);
  }
  const lostSet = new Set<AckedWrite>();
  const unjudged: string[] = [];
  for (const [key, one] of byKey) {
    const fv = finalValue(key);
    const infos = infoByKey.get(key);
    if (!Array.isArray(one) && (fv === null || !infos?.length)) {
      if (one.value !== fv) lostSet.add(one);
      continue;
    }
    const ws = Array.isArray(one) ? one : [one];
    if (fv === null) {
      for (const w of ws) lostSet.add(w);
      continue;
    }
    // A register: the write that left the final value.
    const src = ws.filter((w) => w.value === fv).sort((a, b) => a.ackedUs - b.ackedUs)[0];
    if (!src) {
      if (!(infos ?? []).some((x) => x.value === fv)) unjudged.push(key);
      continue;
    }
    for (const w of ws) if (w !== src && w.invokedUs > src.ackedUs && w.value !== fv) lostSet.add(w);
  }
  unjudged.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lost: LostWrite[] = acked
    .filter((w) => lostSet.has(w))
    .map((w) => ({ client: w.client, key: w.key, value: w.value, invokedMs: ms(w.invokedUs), ackedMs: ms(w.ackedUs), ackedBy: w.ackedBy, finalValue: finalValue(w.key) }));
  // Windows: per client, maximal runs of lost acknowledgements in ack order.
  const windows: LostWindow[] = [];
  for (const c of [...clients].sort()) {
    let cur: { fromUs: number; toUs: number; count: number; by: Set<string> } | null = null;
    for (const w of acked.filter((x) => x.client === c).sort((a, b) => a.ackedUs - b.ackedUs || a.n - b.n)) {
      if (lostSet.has(w)) {
        if (!cur) cur = { fromUs: w.ackedUs, toUs: w.ackedUs, count: 0, by: new Set() };
        cur.toUs = w.ackedUs;
        cur.count++;
        cur.by.add(w.ackedBy);
      } else if (cur) {
        windows.push({ client: c, fromMs: ms(cur.fromUs), toMs: ms(cur.toUs), count: cur.count, ackedBy: [...cur.by].sort() });
        cur = null;
      }
    }
    if (cur) windows.push({ client: c, fromMs: ms(cur.fromUs), toMs: ms(cur.toUs), count: cur.count, ackedBy: [...cur.by].sort() });
  }
  windows.sort((a, b) => a.fromMs - b.fromMs || (a.client < b.client ? -1 : 1));
  return { finalMaster, ...(note ? { note } : {}), acknowledged, indeterminate, lost, windows, unjudged };
}

/** One line per window, for evidence and logs. */
export function lostWindowLines(rep: LostWritesReport): string[] {
  return rep.windows.map(
    (w) => `${w.client}: ${w.count} acknowledged write${w.count === 1 ? '' : 's'} lost, acknowledged between ${formatSeconds(w.fromMs * 1000)}s and ${formatSeconds(w.toMs * 1000)}s by ${w.ackedBy.join(', ')}`,
  );
}
