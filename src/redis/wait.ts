import type { ConnId } from '../net/process.js';
import { error, int } from '../net/resp.js';
import type { Call } from './commands/types.js';
import type { Node } from './node.js';
import { replicationFeedSlaves } from './stream.js';

/**
 * WAIT numreplicas timeout (replication.c waitCommand(), replicationCountAcksByOffset(),
 * processClientsWaitingReplicas()). The client blocks until that many replicas acknowledged the
 * offset of its last write, or the timeout passes; either way the reply is how many did.
 */

const TIMER_PREFIX = 'wait:';

/** replicationCountAcksByOffset(): online replicas whose last ACK covers `offset`. */
function countAcksByOffset(n: Node, offset: number): number {
  let count = 0;
  for (const id of n.d.replicas) {
    const r = n.d.clients[id];
    if (r && r.replState === 'online' && r.ackOffset >= offset) count++;
  }
  return count;
}

/** replication.c: waitCommand(). */
export function waitCmd(x: Call): void {
  const d = x.n.d;
  if (d.repl) {
    x.out.push(error('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.'));
    return;
  }
  const [, numStr, timeoutStr] = x.argv as [string, string, string];
  if (!/^-?\d+$/.test(numStr)) {
    x.out.push(error('ERR value is not an integer or out of range'));
    return;
  }
  if (!/^-?\d+$/.test(timeoutStr)) {
    x.out.push(error('ERR timeout is not an integer or out of range'));
    return;
  }
  const timeoutMs = Number(timeoutStr);
  if (timeoutMs < 0) {
    x.out.push(error('ERR timeout is negative'));
    return;
  }
  const numreplicas = Number(numStr);
  const acked = countAcksByOffset(x.n, x.c.woff);
  if (acked >= numreplicas || x.c.multi) {
    x.out.push(int(acked));
    return;
  }
  x.c.waitAcks = { numreplicas, offset: x.c.woff };
  if (timeoutMs > 0) x.n.ctx.timer(`${TIMER_PREFIX}${x.c.id}`, timeoutMs);
  // replicationRequestAckFromSlaves(): beforeSleep() sends REPLCONF GETACK * once for this loop.
  // The replica's ACK carries its offset before the GETACK itself, which covers this client's write.
  replicationFeedSlaves(x.n, ['REPLCONF', 'GETACK', '*'], null);
}

/** processClientsWaitingReplicas() (beforeSleep(), after ACKs were read): unblock whoever has enough. */
export function processClientsWaitingReplicas(n: Node): void {
  for (const key in n.d.clients) {
    const c = n.d.clients[key]!;
    const w = c.waitAcks;
    if (!w) continue;
    const acked = countAcksByOffset(n, w.offset);
    if (acked < w.numreplicas) continue;
    c.waitAcks = null;
    n.ctx.cancelTimer(`${TIMER_PREFIX}${c.id}`);
    n.ctx.send(c.id, int(acked));
  }
}

/** The timer of a blocked WAIT: `wait:<conn>`, or undefined for another timer. */
export function waitTimerConn(key: string): ConnId | undefined {
  return key.startsWith(TIMER_PREFIX) ? Number(key.slice(TIMER_PREFIX.length)) : undefined;
}

/**
 * replyToBlockedClientTimedOut(): the count so far. Real Redis notices the timeout in the event
 * loop after the deadline (blocked clients' timeouts are checked in beforeSleep), i.e. at most one
 * wake-up later; the model answers at the deadline.
 */
export function waitTimedOut(n: Node, conn: ConnId): void {
  const c = n.d.clients[conn];
  if (!c?.waitAcks) return;
  const acked = countAcksByOffset(n, c.waitAcks.offset);
  c.waitAcks = null;
  n.ctx.send(conn, int(acked));
}
