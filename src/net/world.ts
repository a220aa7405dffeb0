import { World, type WorldOptions } from '../sim/world.js';
import { TcpNetwork } from './network.js';
import { respToString, respWireBytes, type Resp } from './resp.js';

/** A world whose processes talk RESP over TCP-like connections: the simulator's worlds. */
export type NetWorld = World<TcpNetwork>;

export type NetWorldOptions = Omit<WorldOptions<TcpNetwork>, 'network' | 'formatPayload'>;

export function createWorld(opts: NetWorldOptions): NetWorld {
  return new World<TcpNetwork>({ ...opts, network: (w) => new TcpNetwork(w, (m) => respWireBytes(m as Resp)), formatPayload: (m) => respToString(m as Resp) });
}
