import type { Rng } from '../sim/rng.js';

/**
 * Reachability and delay between hosts. Partitions are sets of blocked *directed* host pairs, so a
 * one-way partition blocks a→b and leaves b→a open. A message is judged at the moment it leaves.
 */
export interface LinkParams {
  /** One-way base latency. */
  readonly latencyUs: number;
  /** Extra latency drawn uniformly from [0, jitterUs) per message. */
  readonly jitterUs: number;
  /** Probability that a segment is lost; TCP hides loss as a retransmission delay (see tcp.ts). */
  readonly loss: number;
}

/** Loopback (same host) and LAN defaults: what 127.0.0.1 and a quiet datacenter switch look like. */
export const SAME_HOST_LINK: LinkParams = { latencyUs: 30, jitterUs: 20, loss: 0 };
export const DEFAULT_LINK: LinkParams = { latencyUs: 200, jitterUs: 100, loss: 0 };

/** Linux's minimum retransmission timeout (TCP_RTO_MIN = 200 ms): the delay a lost segment costs. */
export const TCP_RTO_MIN_US = 200_000;

/** What delayUs() needs for one directed host pair; the same object for the life of the Links. */
export interface Route {
  readonly key: string;
  /** Updated in place by setParams(), so a holder of the route always sees the current params. */
  p: LinkParams;
  rng: Rng | undefined;
}

export class Links {
  private blocked = new Set<string>();
  /**
   * The same pairs by sender, then receiver: isBlocked() runs for every message while a partition
   * is in place, and building the pair's string key there cost ~5 % of a partitioned run.
   */
  private blockedTo = new Map<string, Set<string>>();
  private params = new Map<string, LinkParams>();
  private rngs = new Map<string, Rng>();
  /** Per directed pair, what delayUs() needs, keyed by the pair string once and then cached. */
  private cache = new Map<string, Route>();

  constructor(private readonly makeRng: (name: string) => Rng) {}

  private static key(from: string, to: string): string {
    return `${from}>${to}`;
  }

  isBlocked(fromHost: string, toHost: string): boolean {
    if (fromHost === toHost || this.blocked.size === 0) return false;
    const to = this.blockedTo.get(fromHost);
    return to !== undefined && to.has(toHost);
  }

  block(fromHost: string, toHost: string): void {
    if (fromHost === toHost) return;
    this.blocked.add(Links.key(fromHost, toHost));
    let to = this.blockedTo.get(fromHost);
    if (!to) this.blockedTo.set(fromHost, (to = new Set()));
    to.add(toHost);
  }

  /** Remove every partition. */
  healAll(): void {
    this.blocked.clear();
    this.blockedTo.clear();
  }

  unblock(fromHost: string, toHost: string): void {
    this.blocked.delete(Links.key(fromHost, toHost));
    this.blockedTo.get(fromHost)?.delete(toHost);
  }

  blockedPairs(): string[] {
    return [...this.blocked].sort();
  }

  setParams(fromHost: string, toHost: string, p: LinkParams): void {
    const k = Links.key(fromHost, toHost);
    this.params.set(k, p);
    const c = this.cache.get(k);
    if (c) c.p = p;
  }

  paramsFor(fromHost: string, toHost: string): LinkParams {
    return this.params.get(Links.key(fromHost, toHost)) ?? (fromHost === toHost ? SAME_HOST_LINK : DEFAULT_LINK);
  }

  /** The route of one directed pair, for callers that send on it many times (a connection). */
  route(fromHost: string, toHost: string): Route {
    const k = Links.key(fromHost, toHost);
    let c = this.cache.get(k);
    if (!c) {
      c = { key: k, p: this.paramsFor(fromHost, toHost), rng: undefined };
      this.cache.set(k, c);
    }
    return c;
  }

  /** One-way delay of the next segment from one host to another, loss included as retransmissions. */
  delayUs(fromHost: string, toHost: string): number {
    return this.delayOn(this.route(fromHost, toHost));
  }

  /** delayUs() on a route already looked up. */
  delayOn(c: Route): number {
    const p = c.p;
    if (p.jitterUs === 0 && p.loss === 0) return p.latencyUs;
    let rng = c.rng;
    if (!rng) {
      const k = c.key;
      rng = this.rngs.get(k) ?? this.makeRng(`net/${k}`);
      this.rngs.set(k, rng);
      c.rng = rng;
    }
    let d = p.latencyUs + Math.floor(rng.next() * p.jitterUs);
    // Each loss costs one RTO, doubling as TCP backs off; capped so a 100% loss can't loop forever.
    let rto = TCP_RTO_MIN_US;
    for (let i = 0; i < 15 && p.loss > 0 && rng.next() < p.loss; i++) {
      d += rto;
      rto = Math.min(rto * 2, 120_000_000);
    }
    return d;
  }
}
