import type { TraceRecord } from '../sim/trace.js';
import type { EventRecord } from './expectations.js';

/**
 * Failovers as the Sentinel events tell them. An attempt opens at a Sentinel's `+try-failover`
 * and closes at its `+failover-end` / `+failover-end-for-timeout` or a `-failover-abort-*`.
 */
export interface FailoverSummary {
  readonly master: string;
  /** The Sentinel that tried (and, if elected, led) the failover. */
  readonly sentinel: string;
  readonly elected: boolean;
  /** The elected leader (the Sentinel that ran the failover), null if it was never elected. */
  readonly leader: string | null;
  readonly startMs: number;
  readonly endMs: number | null;
  readonly durationMs: number | null;
  readonly epoch: number | null;
  /** Process name (or ip:port) of the promoted replica. */
  readonly promoted: string | null;
  /** end, end-for-timeout, an abort event, or in-progress. */
  readonly result: string;
  /** When the master was first seen down by anyone (+sdown master), if before the start. */
  readonly detectedMs: number | null;
}

interface Open {
  master: string;
  sentinel: string;
  startUs: number;
  elected: boolean;
  epoch: number | null;
  promoted: string | null;
  detectedUs: number | null;
}

const ms = (us: number) => Math.round(us / 1000);

export function summarizeFailovers(records: readonly TraceRecord[], processAt: (ip: string, port: number) => string | undefined): FailoverSummary[] {
  const out: (FailoverSummary & { order: number })[] = [];
  const open = new Map<string, Open>();
  const lastEpoch = new Map<string, number>();
  const firstSdown = new Map<string, number>();
  let order = 0;
  const close = (key: string, endUs: number | null, res: string) => {
    const o = open.get(key)!;
    open.delete(key);
    out.push({
      master: o.master, sentinel: o.sentinel, elected: o.elected, leader: o.elected ? o.sentinel : null, startMs: ms(o.startUs), endMs: endUs === null ? null : ms(endUs),
      durationMs: endUs === null ? null : ms(endUs - o.startUs), epoch: o.epoch, promoted: o.promoted, result: res,
      detectedMs: o.detectedUs === null ? null : ms(o.detectedUs), order: order++,
    });
  };
  for (const r of records) {
    if (r.k !== 'event') continue;
    const e = r as EventRecord;
    const tok = e.text.split(' ');
    if (e.event === '+new-epoch') lastEpoch.set(e.p, Number(tok[0]));
    if (e.event === '+vote-for-leader') lastEpoch.set(e.p, Number(tok[1]));
    if (e.event === '+sdown' && tok[0] === 'master' && !firstSdown.has(tok[1]!)) firstSdown.set(tok[1]!, e.t);
    if (e.event === '-sdown' && tok[0] === 'master') firstSdown.delete(tok[1]!);
    const masterName = tok[0] === 'master' ? tok[1]! : tok.includes('@') ? tok[tok.indexOf('@') + 1]! : undefined;
    if (masterName === undefined) continue;
    const key = `${e.p}/${masterName}`;
    switch (e.event) {
      case '+try-failover':
        if (open.has(key)) close(key, e.t, 'superseded');
        open.set(key, {
          master: masterName, sentinel: e.p, startUs: e.t, elected: false, epoch: lastEpoch.get(e.p) ?? null, promoted: null,
          detectedUs: firstSdown.get(masterName) ?? null,
        });
        break;
      case '+vote-for-leader':
        break;
      case '+elected-leader': {
        const o = open.get(key);
        if (o) {
          o.elected = true;
          o.epoch = lastEpoch.get(e.p) ?? o.epoch;
        }
        break;
      }
      case '+selected-slave': {
        const o = open.get(key);
        // "slave <ip>:<port> <ip> <port> @ <master> <ip> <port>"
        if (o) o.promoted = processAt(tok[2]!, Number(tok[3])) ?? `${tok[2]}:${tok[3]}`;
        break;
      }
      case '+failover-end':
      case '+failover-end-for-timeout':
        if (open.has(key)) close(key, e.t, e.event === '+failover-end' ? 'end' : 'end-for-timeout');
        break;
      case '-failover-abort-not-elected':
      case '-failover-abort-no-good-slave':
      case '-failover-abort-slave-timeout':
        if (open.has(key)) close(key, e.t, e.event.slice(1));
        break;
    }
  }
  for (const key of [...open.keys()]) close(key, null, 'in-progress');
  return out.sort((a, b) => a.startMs - b.startMs || a.order - b.order).map(({ order: _o, ...f }) => f);
}

export function countEvents(records: readonly TraceRecord[]): Record<string, number> {
  const m = new Map<string, number>();
  for (const r of records) if (r.k === 'event') m.set(r.event as string, (m.get(r.event as string) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
