import { newClock, type HostClock } from './clock.js';
import { SimulationError } from './errors.js';

/**
 * The machines of a world. A host has a name, one address, a power switch and its own clock; what
 * runs on it is in the process table and how it is reached is the network's business.
 */
export interface Host {
  readonly name: string;
  readonly ip: string;
  up: boolean;
  clock: HostClock;
}

export class HostTable {
  private readonly byName = new Map<string, Host>();
  private readonly byIp = new Map<string, Host>();

  constructor(private readonly wallEpochUs: number | undefined) {}

  add(name: string, ip: string): Host {
    if (this.byName.has(name)) throw new SimulationError(`host ${name} defined twice`);
    const other = this.byIp.get(ip);
    if (other) throw new SimulationError(`hosts ${other.name} and ${name} share the address ${ip}`);
    const h: Host = { name, ip, up: true, clock: newClock(this.wallEpochUs) };
    this.byName.set(name, h);
    this.byIp.set(ip, h);
    return h;
  }

  get(name: string): Host {
    const h = this.byName.get(name);
    if (!h) throw new SimulationError(`unknown host ${name}`);
    return h;
  }

  byAddress(ip: string): Host | undefined {
    return this.byIp.get(ip);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
