import type { ProcCtx } from './ctx.js';
import { SimulationError } from './errors.js';
import type { Host } from './hosts.js';
import type { Behavior, NetEvent } from './process.js';
import type { TimerSlot } from './timers.js';

export type ProcessStatus = 'running' | 'paused' | 'down';

/** One process of the world, across all its incarnations (records are never removed). */
export interface ProcRec {
  readonly pid: string;
  readonly host: Host;
  readonly behavior: Behavior<any, any>;
  status: ProcessStatus;
  /** Bumped on every (re)start: events addressed to an older incarnation are dropped. */
  inc: number;
  state: any;
  disk: unknown;
  ctx: ProcCtx<ProcRec> | undefined;
  ports: readonly number[];
  /** The slot of every timer key this incarnation armed (timers.ts). */
  timers: Map<string, TimerSlot>;
  /** Keys of `timers` kept after their timer fired or was cancelled (timers.ts: SPENT). */
  spentTimers: number;
  /** Fire times (global µs) of timers armed with freezeWhilePaused, and their time left while paused. */
  freezable: Map<string, number>;
  frozen: Map<string, number>;
  /** What arrived while SIGSTOPped: socket data in arrival order, then due timers. */
  pendingNet: NetEvent[];
  pendingTimers: { slot: TimerSlot; seq: number }[];
  /** Signals sent while SIGSTOPped: the kernel delivers them on SIGCONT, before anything else. */
  pendingSignals: string[];
}

/** Forget everything an incarnation held in memory (at boot and at death); the disk stays. */
export function clearIncarnation(p: ProcRec): void {
  p.timers = new Map();
  p.spentTimers = 0;
  p.freezable = new Map();
  p.frozen = new Map();
  p.pendingNet = [];
  p.pendingTimers = [];
  p.pendingSignals = [];
}

export class ProcessTable {
  private readonly procs = new Map<string, ProcRec>();

  add(pid: string, host: Host, behavior: Behavior<any, any>, disk: unknown): ProcRec {
    if (this.procs.has(pid)) throw new SimulationError(`process ${pid} defined twice`);
    const p: ProcRec = {
      pid, host, behavior, status: 'down', inc: 0, state: undefined, disk, ctx: undefined,
      ports: [], timers: new Map(), spentTimers: 0, freezable: new Map(), frozen: new Map(), pendingNet: [], pendingTimers: [], pendingSignals: [],
    };
    this.procs.set(pid, p);
    return p;
  }

  get(pid: string): ProcRec {
    const p = this.procs.get(pid);
    if (!p) throw new SimulationError(`unknown process ${pid}`);
    return p;
  }

  ids(): string[] {
    return [...this.procs.keys()];
  }

  /** In the order processes were added: the order a host's processes die and boot in. */
  all(): IterableIterator<ProcRec> {
    return this.procs.values();
  }
}
