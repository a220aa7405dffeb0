import { SimulationError } from '../sim/errors.js';
import type { Host } from '../sim/hosts.js';
import type { NetQueued, Network } from '../sim/network.js';
import type { CloseReason, ConnId, Endpoint, NetEvent } from '../sim/process.js';
import type { ProcRec } from '../sim/processTable.js';
import { rngStream } from '../sim/rng.js';
import type { World } from '../sim/world.js';
import { Links, type LinkParams, type Route } from './links.js';
import { RETRANSMIT_GIVE_UP_US, SYN_GIVE_UP_US } from './tcp.js';

/**
 * TCP-like connections over the hosts of a World: connect/accept, in-order delivery per
 * direction, RST from a dead socket, FIN on close, segments held while a path is cut and the
 * kernel's give-up times (tcp.ts), plus the resolver. Payloads are carried as they are.
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

type Wire = { readonly k: 'syn' } | NetEvent;

interface Conn {
  readonly id: ConnId;
  readonly a: ConnEnd;
  /** The accepting end, once the SYN reached a listener. */
  b: ConnEnd | undefined;
  readonly target: Endpoint;
  readonly targetHost: Host | undefined;
  /** Latest scheduled arrival per direction (0: a→b, 1: b→a), to keep each direction in order. */
  readonly lastArrivalUs: [number, number];
  /** Segments waiting for a partition to heal, per direction. */
  readonly stalled: [Wire[], Wire[]];
  readonly stalledSinceUs: [number, number];
  /** The link route per direction, looked up once per connection instead of once per segment. */
  routes: [Route, Route] | undefined;
}

type TcpEv =
  | { readonly k: 'net'; readonly what: 'arrive'; readonly conn: Conn; readonly dir: 0 | 1; readonly wire: Wire }
  | { readonly k: 'net'; readonly what: 'giveUp'; readonly conn: Conn; readonly dir: 0 | 1; readonly sinceUs: number };

const FIRST_EPHEMERAL_PORT = 40000;
const LAST_EPHEMERAL_PORT = 60999;

export class TcpNetwork implements Network {
  readonly links: Links;
  private readonly dns = new Map<string, string>();
  private readonly nextEphemeralPort = new Map<Host, number>();
  private readonly listeners = new Map<string, ProcRec>();
  private readonly conns = new Map<ConnId, Conn>();
  private readonly stalledConns = new Set<Conn>();

  constructor(private readonly world: World<TcpNetwork>) {
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
      if (c.a.pid === p.pid && c.a.inc === inc && c.a.open) {
        c.a.open = false;
        if (closeWith && c.b?.open) this.transmit(c, 0, { k: 'closed', conn: c.id, reason: closeWith });
      }
      if (c.b && c.b.pid === p.pid && c.b.inc === inc && c.b.open) {
        c.b.open = false;
        if (closeWith && c.a.open) this.transmit(c, 1, { k: 'closed', conn: c.id, reason: closeWith });
      }
      this.forgetIfDead(c);
    }
  }

  connect(p: ProcRec, id: ConnId, to: Endpoint): void {
    const targetHost = this.lookupHost(to.ip, p.host);
    const port = this.nextEphemeralPort.get(p.host)!;
    this.nextEphemeralPort.set(p.host, port + 1 > LAST_EPHEMERAL_PORT ? FIRST_EPHEMERAL_PORT : port + 1);
    const local: Endpoint = { ip: targetHost === p.host && to.ip === '127.0.0.1' ? '127.0.0.1' : p.host.ip, port };
    const c: Conn = {
      id, a: { pid: p.pid, proc: p, inc: p.inc, host: p.host, ep: local, open: true }, b: undefined, target: to, targetHost,
      lastArrivalUs: [0, 0], stalled: [[], []], stalledSinceUs: [0, 0], routes: undefined,
    };
    this.conns.set(id, c);
    if (!targetHost) {
      // No such host on the simulated network: the SYN goes nowhere and connect() times out.
      this.world.schedule(this.world.nowUs + SYN_GIVE_UP_US, { k: 'net', what: 'giveUp', conn: c, dir: 0, sinceUs: -1 } as TcpEv);
      return;
    }
    this.transmit(c, 0, { k: 'syn' });
  }

  send(p: ProcRec, id: ConnId, msg: unknown): void {
    const c = this.conns.get(id);
    if (!c) return;
    const dir = this.dirOf(p, c);
    if (dir === -1) return;
    this.transmit(c, dir, { k: 'data', conn: id, msg });
  }

  close(p: ProcRec, id: ConnId): void {
    const c = this.conns.get(id);
    if (!c) return;
    const dir = this.dirOf(p, c);
    if (dir === -1) return;
    if (dir === 0) c.a.open = false;
    else c.b!.open = false;
    const peer = dir === 0 ? c.b : c.a;
    if (peer?.open) this.transmit(c, dir, { k: 'closed', conn: id, reason: 'closed' });
    this.forgetIfDead(c);
  }

  fire(queued: NetQueued): void {
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

  /** Put a segment on the wire in one direction, or hold it while the path is cut. */
  private transmit(c: Conn, dir: 0 | 1, wire: Wire): void {
    // hostsOf() without its tuple: this runs for every segment.
    const from = dir === 0 ? c.a.host : c.targetHost!;
    const to = dir === 0 ? c.targetHost : c.a.host;
    if (!to) return;
    const held = c.stalled[dir];
    const nowUs = this.world.nowUs;
    if (held.length > 0 || !to.up || !from.up || this.links.isBlocked(from.name, to.name)) {
      if (held.length === 0) {
        c.stalledSinceUs[dir] = nowUs;
        const limit = wire.k === 'syn' ? SYN_GIVE_UP_US : RETRANSMIT_GIVE_UP_US;
        this.world.schedule(nowUs + limit, { k: 'net', what: 'giveUp', conn: c, dir, sinceUs: nowUs } as TcpEv);
      }
      held.push(wire);
      this.stalledConns.add(c);
      return;
    }
    if (!c.routes) c.routes = [this.links.route(c.a.host.name, c.targetHost!.name), this.links.route(c.targetHost!.name, c.a.host.name)];
    const atUs = Math.max(nowUs + this.links.delayOn(c.routes[dir]), c.lastArrivalUs[dir]);
    c.lastArrivalUs[dir] = atUs;
    this.world.schedule(atUs, { k: 'net', what: 'arrive', conn: c, dir, wire } as TcpEv);
  }

  private flushStalled(): void {
    const conns = [...this.stalledConns].sort((x, y) => x.id - y.id);
    for (const c of conns) {
      for (const dir of [0, 1] as const) {
        const held = c.stalled[dir];
        if (held.length === 0) continue;
        const [from, to] = this.hostsOf(c, dir);
        if (!to || !to.up || !from.up || this.links.isBlocked(from.name, to.name)) continue;
        c.stalled[dir] = [];
        for (const w of held) this.transmit(c, dir, w);
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
    const first = c.stalled[dir][0]!;
    c.stalled[dir] = [];
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

  private deliverLocal(end: ConnEnd, ev: NetEvent): void {
    this.world.deliver(end.proc, end.inc, ev);
  }
}
