import type { TimeUs } from './time.js';

/**
 * The event queue: a binary min-heap ordered by (time, insertion sequence) and by nothing else,
 * so two events at the same microsecond always run in the order they were scheduled.
 *
 * The keys live in two parallel Float64Arrays and the events in a plain array moved alongside:
 * a long run keeps thousands of far-future events queued (a scripted client's whole timeline),
 * so every pop and push walks a dozen levels, and comparing keys read from flat arrays is several
 * times cheaper than chasing one heap object per comparison. No object is allocated per event.
 */
export interface Queued<E> {
  readonly atUs: TimeUs;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private times = new Float64Array(256);
  private seqs = new Float64Array(256);
  private events: (E | undefined)[] = [];
  private n = 0;
  private nextSeq = 0;
  /** The sequence number of the event popEvent() returned last (what push() returned for it). */
  poppedSeq = -1;

  get size(): number {
    return this.n;
  }

  /** Queue `event`; returns its sequence number, unique over the queue's life. */
  push(atUs: TimeUs, event: E): number {
    if (this.n === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const events = this.events;
    const seq = this.nextSeq++;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      // (atUs, seq) < (parent's): seq is always the largest so far, so equal times never move up.
      if (!(atUs < pt)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      events[i] = events[parent];
      i = parent;
    }
    times[i] = atUs;
    seqs[i] = seq;
    events[i] = event;
    return seq;
  }

  peekTime(): TimeUs | undefined {
    return this.n > 0 ? this.times[0] : undefined;
  }

  /**
   * The earliest event's time, Infinity when the queue is empty. The loop asks this twice per
   * event: a number-only result stays an unboxed double, where `number | undefined` makes V8 box
   * every time past 2^30 µs (18 simulated minutes) into a fresh heap number.
   */
  nextAtUs(): TimeUs {
    return this.n > 0 ? this.times[0]! : Infinity;
  }

  pop(): Queued<E> | undefined {
    if (this.n === 0) return undefined;
    const atUs = this.times[0]!;
    const seq = this.seqs[0]!;
    return { atUs, seq, event: this.popEvent() };
  }

  /** Remove the earliest event and return it (its time is what peekTime() said); the queue must not be empty. */
  popEvent(): E {
    const times = this.times;
    const seqs = this.seqs;
    const events = this.events;
    const top = events[0] as E;
    this.poppedSeq = seqs[0]!;
    const n = --this.n;
    const lastT = times[n]!;
    const lastS = seqs[n]!;
    const lastE = events[n];
    events[n] = undefined;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n) {
          const tr = times[r]!;
          const tl = times[l]!;
          if (tr < tl || (tr === tl && seqs[r]! < seqs[l]!)) c = r;
        }
        const tc = times[c]!;
        if (!(tc < lastT || (tc === lastT && seqs[c]! < lastS))) break;
        times[i] = tc;
        seqs[i] = seqs[c]!;
        events[i] = events[c];
        i = c;
      }
      times[i] = lastT;
      seqs[i] = lastS;
      events[i] = lastE;
    }
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}
