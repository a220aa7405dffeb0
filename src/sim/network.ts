import { SimulationError } from './errors.js';
import type { Host } from './hosts.js';
import type { CloseReason, ConnId, Endpoint } from './process.js';
import type { ProcRec } from './processTable.js';

/**
 * The seam between the loop and whatever carries messages between processes (net/ provides a
 * TCP-like one). The loop hands the network the effects a handler asked for (connect, send,
 * close) and the lifecycle changes that concern sockets; the network delivers back through
 * World.deliver() and schedules its own events on the loop's queue as NetQueued objects, which
 * the loop hands back to fire() unopened.
 */
export interface NetQueued {
  /**
   * Anything but the loop's own kinds ('timer', 'action'): a network may queue the very object it
   * will deliver (a data segment is its own queued event, see net/network.ts), so its kind is the
   * network's to choose.
   */
  readonly k: string;
}

export interface Network<M = unknown> {
  addHost(host: Host, aliases: readonly string[]): void;
  /** What the simulated resolver answers for a hostname or address (undefined: unresolvable). */
  resolve(name: string): string | undefined;
  /** A process booted and listens on these ports; throws if another process holds one. */
  listen(p: ProcRec, ports: readonly number[]): void;
  /** A process died: free its ports, and tell its peers `closeWith` (null: say nothing, the host vanished). */
  processGone(p: ProcRec, closeWith: CloseReason | null): void;
  /** A host came back: what waited for it can move again. */
  hostUp(host: Host): void;
  /** A stopped process runs again (SIGCONT): it reads its sockets, so their peers may send on. */
  resumed(p: ProcRec): void;
  /** Bytes `p` wrote on `id` that the kernels have not taken, less `excludeBytes` (see Ctx.unsentBytes). */
  unsentBytes(p: ProcRec, id: ConnId, excludeBytes: number): number;
  connect(p: ProcRec, id: ConnId, to: Endpoint): void;
  /** Returns the bytes of `msg` held back (path cut or reader's buffers full), 0 once on the wire. */
  send(p: ProcRec, id: ConnId, msg: M): number;
  close(p: ProcRec, id: ConnId): void;
  fire(ev: NetQueued): void;
}

/** A world without a network: processes may listen, but nobody can connect. */
export class NoNetwork implements Network {
  addHost(): void {}
  resolve(): string | undefined {
    return undefined;
  }
  listen(): void {}
  processGone(): void {}
  hostUp(): void {}
  resumed(): void {}
  unsentBytes(): number {
    return 0;
  }
  connect(p: ProcRec): void {
    throw new SimulationError(`${p.pid} cannot connect: this world has no network`);
  }
  send(): number {
    return 0;
  }
  close(): void {}
  fire(): void {}
}
