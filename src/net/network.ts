import { SimulationError } from '../sim/errors.js';
import type { Host } from '../sim/hosts.js';
import type { NetQueued, Network } from '../sim/network.js';
import type { CloseReason, ConnId, Endpoint, NetEvent } from '../sim/process.js';
import type { ProcRec } from '../sim/processTable.js';
import { rngStream } from '../sim/rng.js';
import type { World } from '../sim/world.js';
import { Links, type LinkParams, type Route } from './links.js';
import { RCVBUF_BYTES, RETRANSMIT_GIVE_UP_US, SNDBUF_BYTES, SYN_GIVE_UP_US } from './tcp.js';

/**
 * TCP-like connections over the hosts of a World: connect/accept, in-order delivery per
 * direction, RST from a dead socket, FIN on close, segments held while a path is cut and the
 * kernel's give-up times (tcp.ts), plus the resolver. Payloads are carried as they are; their size
 * in bytes (an injected function) matters only when a reader stops reading: then its receive
 * buffer fills, then the sender's send buffer, and what is written after that waits in the
 * sending process's own output buffer (Ctx.unsentBytes). A segment is held whole or sent whole.
 */

interface ConnEnd {
  readonly pid: string;
  /** The process record (processes are never removed), to skip a lookup by pid per delivery. */
  readonly proc: ProcRec;
  readonly inc: number;
  readonly host: Host;
  readonly ep: Endpoint;
  open: boolean;
}

/**
 * A data segment: what the reader's handler gets and, while it is on the wire, the loop's queued
 * event too (one object per message instead of a payload event inside a queued one; the loop
 * hands anything that is not its own back to fire()). The connection and direction ride along.
 */
class Segment {
  readonly k = 'data' as const;
  constructor(
    readonly conn: ConnId,
    readonly msg: unknown,
    readonly tcp: Conn,
    readonly dir: 0 | 1,
  ) {}
}

type Wire = { readonly k: 'syn' } | Exclude<NetEvent, { readonly k: 'data' }> | Segment;

interface Conn {
  readonly id: ConnId;
  readonly a: ConnEnd;
  /** The accepting end, once the SYN reached a listener. */
  b: ConnEnd | undefined;
  readonly target: Endpoint;
  readonly targetHost: Host | undefined;
  /** Latest scheduled arrival per direction (0: a→b, 1: b→a), to keep each direction in order. */
  readonly lastArrivalUs: [number, number];
  /** Segments not yet on the wire, per direction: the path is cut, or the reader's receive buffer is full. */
  readonly stalled: [Wire[], Wire[]];
  /** Size of each held segment, and their sum per direction. */
  readonly stalledSizes: [number[], number[]];
  readonly heldBytes: [number, number];
  /** When the pending retransmission give-up timer of a direction was armed (NO_GIVE_UP: none). */
  readonly stalledSinceUs: [number, number];
  /** Bytes sent toward a reader that is stopped: its receive buffer, emptied when it runs again. */
  readonly rcvBytes: [number, number];
  /** The link route per direction, looked up once per connection instead of once per segment. */
  routes: [Route, Route] | undefined;
}

type TcpEv =
  | { readonly k: 'net'; readonly what: 'arrive'; readonly conn: Conn; readonly dir: 0 | 1; readonly wire: Wire }
  | { readonly k: 'net'; readonly what: 'giveUp'; readonly conn: Conn; readonly dir: 0 | 1; readonly sinceUs: number };

const NO_GIVE_UP = -2;
const FIRST_EPHEMERAL_PORT = 40000;
const LAST_EPHEMERAL_PORT = 60999;

export class TcpNetwork implements Network {
  readonly links: Links;
  private readonly dns = new Map<string, string>();
  private readonly nextEphemeralPort = new Map<Host, number>();
  private readonly listeners = new Map<string, ProcRec>();
  private readonly conns = new Map<ConnId, Conn>();
  private readonly stalledConns = new Set<Conn>();

  constructor(
    private readonly world: World<TcpNetwork>,
    /** Bytes a payload takes on the wire. */
    private readonly sizeOf: (msg: unknown) => number = () => 0,
  ) {
    this.links = new Links((name) => rngStream(world.seed, name));
  }

  // ---------------------------------------------------------------- topology and paths

  addHost(h: Host, aliases: readonly string[]): void {
    this.nextEphemeralPort.set(h, FIRST_EPHEMERAL_PORT);
    this.dns.set(h.name, h.ip);
    this.dns.set(h.ip, h.ip);
    for (const a of aliases) this.dns.set(a, h.ip);
  }

  resolve(name: string): string | undefined {
    return this.dns.get(name) ?? this.dns.get(name.toLowerCase());
  }

  /** Block traffic between two groups of hosts; `oneWay` blocks only from → to. */
  block(from: readonly string[], to: readonly string[], oneWay: boolean): void {
    for (const a of from)
      for (const b of to) {
        this.links.block(a, b);
        if (!oneWay) this.links.block(b, a);
      }
  }

  /** Remove every partition; what was held moves on. */
  heal(): void {
    this.links.healAll();
    this.flushStalled();
  }

  setLink(fromHost: string, toHost: string, params: LinkParams, bothWays: boolean): void {
    this.links.setParams(fromHost, toHost, params);
    if (bothWays) this.links.setParams(toHost, fromHost, params);
  }

  hostUp(): void {
    this.flushStalled();
  }

  // ---------------------------------------------------------------- sockets

  listen(p: ProcRec, ports: readonly number[]): void {
    for (const port of ports) {
      const key = `${p.host.name}:${port}`;
      const holder = this.listeners.get(key);
      if (holder && holder.pid !== p.pid) throw new SimulationError(`${p.pid} cannot listen on ${p.host.ip}:${port}: ${holder.pid} already does`);
      this.listeners.set(key, p);
    }
  }

  processGone(p: ProcRec, closeWith: CloseReason | null): void {
    for (const port of p.ports) {
      const key = `${p.host.name}:${port}`;
      if (this.listeners.get(key) === p) this.listeners.delete(key);
    }
    const inc = p.inc;
    for (const c of [...this.conns.values()]) {
      if (c.a.pid === p.pid && c.a.inc === inc && c.a.open) this.endGone(c, 0, closeWith);
      if (c.b && c.b.pid === p.pid && c.b.inc === inc && c.b.open) this.endGone(c, 1, closeWith);
      this.forgetIfDead(c);
    }
  }

  /**
   * The end sending in direction `dir` died. Its output buffer dies with it; a kill leaves its send
   * buffer to the kernel, which goes on delivering it to a stopped reader once that reader runs
   * again (an orphaned socket, measured: the replica of a kill -9ed master still applies it), then
   * the FIN/RST. A host that vanished takes its send buffer along. What waited for the dead reader
   * moves on and meets the RST.
   */
  private endGone(c: Conn, dir: 0 | 1, closeWith: CloseReason | null): void {
    (dir === 0 ? c.a : c.b!).open = false;
    if (closeWith) this.dropOutputBuffer(c, dir);
    else this.takeHeld(c, dir);
    const peer = dir === 0 ? c.b : c.a;
    if (closeWith && peer?.open) this.transmit(c, dir, { k: 'closed', conn: c.id, reason: closeWith });
    this.release(c, (1 - dir) as 0 | 1);
  }

  resumed(p: ProcRec): void {
    const inc = p.inc;
    for (const c of [...this.conns.values()]) {
      if (c.b && c.b.pid === p.pid && c.b.inc === inc) this.readerRuns(c, 0);
      if (c.a.pid === p.pid && c.a.inc === inc) this.readerRuns(c, 1);
    }
  }

  unsentBytes(p: ProcRec, id: ConnId, excludeBytes: number): number {
    const c = this.conns.get(id);
    if (!c) return 0;
    const dir = this.dirOf(p, c);
    return dir === -1 ? 0 : Math.max(0, c.heldBytes[dir] - excludeBytes - SNDBUF_BYTES);
  }

  connect(p: ProcRec, id: ConnId, to: Endpoint): void {
    const targetHost = this.lookupHost(to.ip, p.host);
    const port = this.nextEphemeralPort.get(p.host)!;
    this.nextEphemeralPort.set(p.host, port + 1 > LAST_EPHEMERAL_PORT ? FIRST_EPHEMERAL_PORT : port + 1);
    const local: Endpoint = { ip: targetHost === p.host && to.ip === '127.0.0.1' ? '127.0.0.1' : p.host.ip, port };
    const c: Conn = {
      id, a: { pid: p.pid, proc: p, inc: p.inc, host: p.host, ep: local, open: true }, b: undefined, target: to, targetHost,
      lastArrivalUs: [0, 0], stalled: [[], []], stalledSizes: [[], []], heldBytes: [0, 0], stalledSinceUs: [NO_GIVE_UP, NO_GIVE_UP],
      rcvBytes: [0, 0], routes: undefined,
    };
    this.conns.set(id, c);
    if (!targetHost) {
      // No such host on the simulated network: the SYN goes nowhere and connect() times out.
      this.world.schedule(this.world.nowUs + SYN_GIVE_UP_US, { k: 'net', what: 'giveUp', conn: c, dir: 0, sinceUs: -1 } as TcpEv);
      return;
    }
    this.transmit(c, 0, { k: 'syn' });
  }

  send(p: ProcRec, id: ConnId, msg: unknown): number {
    const c = this.conns.get(id);
    if (!c) return 0;
    const dir = this.dirOf(p, c);
    if (dir === -1) return 0;
    return this.transmit(c, dir, new Segment(id, msg, c, dir));
  }

  close(p: ProcRec, id: ConnId): void {
    const c = this.conns.get(id);
    if (!c) return;
    const dir = this.dirOf(p, c);
    if (dir === -1) return;
    if (dir === 0) c.a.open = false;
    else c.b!.open = false;
    // close(): the kernel still sends what it holds, then the FIN; the output buffer is freed.
    this.dropOutputBuffer(c, dir);
    const peer = dir === 0 ? c.b : c.a;
    if (peer?.open) this.transmit(c, dir, { k: 'closed', conn: id, reason: 'closed' });
    this.forgetIfDead(c);
  }

  fire(queued: NetQueued): void {
    if (queued.k === 'data') {
      const seg = queued as Segment;
      this.arrive(seg.tcp, seg.dir, seg);
      return;
    }
    const ev = queued as TcpEv;
    if (ev.what === 'arrive') this.arrive(ev.conn, ev.dir, ev.wire);
    else this.giveUp(ev.conn, ev.dir, ev.sinceUs);
  }

  // ---------------------------------------------------------------- internals

  /** Which open end of `c` is this process's (0: a, 1: b), or -1 (a number, not a pair: this runs for every send). */
  private dirOf(p: ProcRec, c: Conn): 0 | 1 | -1 {
    if (c.a.pid === p.pid && c.a.inc === p.inc) return c.a.open ? 0 : -1;
    if (c.b && c.b.pid === p.pid && c.b.inc === p.inc) return c.b.open ? 1 : -1;
    return -1;
  }

  private lookupHost(ip: string, from: Host): Host | undefined {
    const h = this.world.hostByAddress(ip);
    if (h) return h;
    if (ip === '127.0.0.1' || ip === '::1' || ip === 'localhost') return from;
    return undefined;
  }

  private forgetIfDead(c: Conn): void {
    if (!c.a.open && (!c.b || !c.b.open) && c.stalled[0].length === 0 && c.stalled[1].length === 0) {
      this.conns.delete(c.id);
      this.stalledConns.delete(c);
    }
  }

  private hostsOf(c: Conn, dir: 0 | 1): [Host, Host | undefined] {
    return dir === 0 ? [c.a.host, c.targetHost] : [c.targetHost!, c.a.host];
  }

  /** Put a segment on the wire in one direction, or hold it while the path is cut; returns the bytes held. */
  private transmit(c: Conn, dir: 0 | 1, wire: Wire): number {
    // hostsOf() without its tuple: this runs for every segment.
    const from = dir === 0 ? c.a.host : c.targetHost!;
    const to = dir === 0 ? c.targetHost : c.a.host;
    if (!to) return 0;
    const nowUs = this.world.nowUs;
    const cut = !to.up || !from.up || this.links.isBlocked(from.name, to.name);
    const reader = dir === 0 ? c.b : c.a;
    // Only a stopped reader's buffer fills: a running one consumes at once (no slow readers yet).
    const stopped = wire.k === 'data' && reader !== undefined && reader.proc.status === 'paused' && reader.proc.inc === reader.inc;
    if (c.stalled[dir].length > 0 || cut || (stopped && c.rcvBytes[dir] >= RCVBUF_BYTES)) {
      if (cut && c.stalledSinceUs[dir] === NO_GIVE_UP) {
        c.stalledSinceUs[dir] = nowUs;
        const limit = wire.k === 'syn' ? SYN_GIVE_UP_US : RETRANSMIT_GIVE_UP_US;
        this.world.schedule(nowUs + limit, { k: 'net', what: 'giveUp', conn: c, dir, sinceUs: nowUs } as TcpEv);
      }
      return this.hold(c, dir, wire);
    }
    if (stopped) c.rcvBytes[dir] += this.sizeOf((wire as { msg: unknown }).msg);
    if (!c.routes) c.routes = [this.links.route(c.a.host.name, c.targetHost!.name), this.links.route(c.targetHost!.name, c.a.host.name)];
    const atUs = Math.max(nowUs + this.links.delayOn(c.routes[dir]), c.lastArrivalUs[dir]);
    c.lastArrivalUs[dir] = atUs;
    this.world.schedule(atUs, wire.k === 'data' ? wire : ({ k: 'net', what: 'arrive', conn: c, dir, wire } as TcpEv));
    return 0;
  }

  private flushStalled(): void {
    const conns = [...this.stalledConns].sort((x, y) => x.id - y.id);
    for (const c of conns) {
      for (const dir of [0, 1] as const) {
        const held = c.stalled[dir];
        if (held.length === 0) continue;
        const [from, to] = this.hostsOf(c, dir);
        if (!to || !to.up || !from.up || this.links.isBlocked(from.name, to.name)) continue;
        this.release(c, dir);
      }
      if (c.stalled[0].length === 0 && c.stalled[1].length === 0) this.stalledConns.delete(c);
      this.forgetIfDead(c);
    }
  }

  /** Retransmissions (or SYN retries) ran out while the path stayed cut. */
  private giveUp(c: Conn, dir: 0 | 1, sinceUs: number): void {
    if (sinceUs === -1) {
      if (c.a.open) this.failConnect(c, 'timeout');
      return;
    }
    if (c.stalled[dir].length === 0 || c.stalledSinceUs[dir] !== sinceUs) return;
    const first = this.takeHeld(c, dir)[0]!;
    if (dir === 0 && first.k === 'syn') {
      if (c.a.open) this.failConnect(c, 'timeout');
      this.stalledConns.delete(c);
      return;
    }
    const sender = dir === 0 ? c.a : c.b;
    if (sender?.open) {
      sender.open = false;
      this.deliverLocal(sender, { k: 'closed', conn: c.id, reason: 'timeout' });
    }
    if (c.stalled[1 - dir]!.length === 0) this.stalledConns.delete(c);
    this.forgetIfDead(c);
  }

  private failConnect(c: Conn, reason: 'refused' | 'timeout'): void {
    c.a.open = false;
    this.deliverLocal(c.a, { k: 'connectFailed', conn: c.id, reason });
    this.forgetIfDead(c);
  }

  private arrive(c: Conn, dir: 0 | 1, wire: Wire): void {
    if (wire.k === 'syn') {
      this.synArrives(c);
      return;
    }
    const dest = dir === 0 ? c.b : c.a;
    const src = dir === 0 ? c.a : c.b;
    if (!dest) return; // data queued behind a SYN that was refused
    if (!dest.open) {
      // The receiving socket is gone: its kernel answers data with an RST (if the host is up).
      if (wire.k === 'data' && src?.open && dest.host.up) this.transmit(c, (1 - dir) as 0 | 1, { k: 'closed', conn: c.id, reason: 'reset' });
      this.forgetIfDead(c);
      return;
    }
    if (wire.k === 'closed' || wire.k === 'connectFailed') dest.open = false;
    this.deliverLocal(dest, wire);
    this.forgetIfDead(c);
  }

  private synArrives(c: Conn): void {
    if (!c.a.open) return;
    const host = c.targetHost!;
    const p = this.listeners.get(`${host.name}:${c.target.port}`);
    if (!p || p.status === 'down') {
      this.transmit(c, 1, { k: 'connectFailed', conn: c.id, reason: 'refused' });
      return;
    }
    // The kernel completes the handshake even for a SIGSTOPped process; accept() waits for it.
    c.b = { pid: p.pid, proc: p, inc: p.inc, host, ep: c.target, open: true };
    this.transmit(c, 1, { k: 'connected', conn: c.id, local: c.a.ep });
    this.deliverLocal(c.b, { k: 'accepted', conn: c.id, local: c.target, remote: c.a.ep });
  }

  private hold(c: Conn, dir: 0 | 1, wire: Wire): number {
    const bytes = wire.k === 'data' ? this.sizeOf(wire.msg) : 0;
    c.stalled[dir].push(wire);
    c.stalledSizes[dir].push(bytes);
    c.heldBytes[dir] += bytes;
    this.stalledConns.add(c);
    return bytes;
  }

  /** Empty a direction's held segments and return them; its give-up timer no longer applies. */
  private takeHeld(c: Conn, dir: 0 | 1): Wire[] {
    const held = c.stalled[dir];
    c.stalled[dir] = [];
    c.stalledSizes[dir] = [];
    c.heldBytes[dir] = 0;
    c.stalledSinceUs[dir] = NO_GIVE_UP;
    return held;
  }

  /** Send a direction's held segments again, in order; what still cannot go is held again. */
  private release(c: Conn, dir: 0 | 1): void {
    if (c.stalled[dir].length === 0) return;
    const sinceUs = c.stalledSinceUs[dir];
    const held = this.takeHeld(c, dir);
    const [from, to] = this.hostsOf(c, dir);
    // A path still cut keeps its running give-up timer (retransmissions go on from the first loss).
    if (!to || !to.up || !from.up || this.links.isBlocked(from.name, to.name)) c.stalledSinceUs[dir] = sinceUs;
    for (const w of held) this.transmit(c, dir, w);
    if (c.stalled[dir].length === 0) c.stalledSinceUs[dir] = NO_GIVE_UP;
  }

  /** The reader of direction `dir` runs again: its receive buffer empties and the sender may go on. */
  private readerRuns(c: Conn, dir: 0 | 1): void {
    c.rcvBytes[dir] = 0;
    this.release(c, dir);
    if (c.stalled[0].length === 0 && c.stalled[1].length === 0) this.stalledConns.delete(c);
  }

  /**
   * The sender's output buffer (what the kernel had not taken: beyond the send buffer) is freed.
   * Segments are whole, so the one straddling the send buffer's edge stays.
   */
  private dropOutputBuffer(c: Conn, dir: 0 | 1): void {
    if (c.heldBytes[dir] <= SNDBUF_BYTES) return;
    const sizes = c.stalledSizes[dir];
    let kept = 0;
    let bytes = 0;
    while (kept < sizes.length && bytes < SNDBUF_BYTES) bytes += sizes[kept++]!;
    c.stalled[dir].length = kept;
    sizes.length = kept;
    c.heldBytes[dir] = bytes;
  }

  private deliverLocal(end: ConnEnd, ev: NetEvent): void {
    this.world.deliver(end.proc, end.inc, ev);
  }
}
