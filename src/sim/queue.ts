import type { TimeUs } from './time.js';

/**
 * The event queue: a binary min-heap ordered by (time, insertion sequence) and by nothing else,
 * so two events at the same microsecond always run in the order they were scheduled.
 */
export interface Queued<E> {
  readonly atUs: TimeUs;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private heap: Queued<E>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(atUs: TimeUs, event: E): void {
    const item: Queued<E> = { atUs, seq: this.nextSeq++, event };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = item;
  }

  peekTime(): TimeUs | undefined {
    return this.heap[0]?.atUs;
  }

  pop(): Queued<E> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before<E>(a: Queued<E>, b: Queued<E>): boolean {
  return a.atUs < b.atUs || (a.atUs === b.atUs && a.seq < b.seq);
}
