import { performance } from 'node:perf_hooks';

/**
 * The ceiling the model is measured against: a plain discrete-event loop with a binary heap of
 * (time, sequence) and six "processes" whose handler bumps a counter and schedules its next
 * event, as a Redis node or a Sentinel schedules a timer or a message. No protocol, no trace:
 * only what any event loop in this language pays per event.
 */

interface Ev {
  t: number;
  seq: number;
  p: number;
}

function before(a: Ev, b: Ev): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}

function push(h: Ev[], e: Ev): void {
  let i = h.length;
  h.push(e);
  while (i > 0) {
    const up = (i - 1) >> 1;
    if (!before(e, h[up]!)) break;
    h[i] = h[up]!;
    i = up;
  }
  h[i] = e;
}

function pop(h: Ev[]): Ev {
  const top = h[0]!;
  const last = h.pop()!;
  if (h.length === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= h.length) break;
    const r = l + 1;
    const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
    if (!before(h[c]!, last)) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = last;
  return top;
}

/** Runs `events` events and returns events per wall-clock second. */
export function bareLoopEventsPerSec(events: number): number {
  const heap: Ev[] = [];
  const counts = new Array<number>(6).fill(0);
  let seq = 0;
  for (let p = 0; p < counts.length; p++) push(heap, { t: p, seq: seq++, p });
  const t0 = performance.now();
  for (let n = 0; n < events; n++) {
    const e = pop(heap);
    counts[e.p]!++;
    push(heap, { t: e.t + 100 + ((e.p * 7919 + counts[e.p]!) % 997), seq: seq++, p: e.p });
  }
  const wallMs = performance.now() - t0;
  if (counts.reduce((a, b) => a + b, 0) !== events) throw new Error('bare loop lost events');
  return events / (wallMs / 1000);
}
