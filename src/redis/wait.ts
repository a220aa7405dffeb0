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
/** serverCron runs at hz 10: ten ae loops per once-a-second tick. */
const LOOPS_PER_SECOND = 10;

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
  // blockForReplication(): the deadline in whole ms, as mstime() gives it.
  const deadlineMonoMs = timeoutMs > 0 ? Math.floor(x.n.ctx.monoMs()) + timeoutMs : 0;
  x.c.waitAcks = { numreplicas, offset: x.c.woff, deadlineMonoMs };
  if (timeoutMs > 0) {
    x.n.d.waitTimeouts.push(x.c.id);
    x.n.ctx.timer(`${TIMER_PREFIX}${x.c.id}`, firstLoopAfter(x.n, deadlineMonoMs) - x.n.ctx.monoMs(), { freezeWhilePaused: true });
  }
  // replicationRequestAckFromSlaves(): beforeSleep() sends REPLCONF GETACK * once for this loop.
  // The replica's ACK carries its offset before the GETACK itself, which covers this client's write.
  replicationFeedSlaves(x.n, ['REPLCONF', 'GETACK', '*'], null);
}

/** processClientsWaitingReplicas() (beforeSleep(), after ACKs were read): unblock whoever has enough. */
export function processClientsWaitingReplicas(n: Node): void {
  // Values, not for-in: this runs for every REPLCONF ACK (each replica, every second), and for-in
  // turned each integer client id into a string to look it up again (~2.4x slower, measured).
  // Nothing in the loop adds or frees a client, so the list taken at the start is the live one.
  const clients = Object.values(n.d.clients);
  for (let i = 0; i < clients.length; i++) {
    const c = clients[i]!;
    const w = c.waitAcks;
    if (!w) continue;
    const acked = countAcksByOffset(n, w.offset);
    if (acked < w.numreplicas) continue;
    c.waitAcks = null;
    n.ctx.cancelTimer(`${TIMER_PREFIX}${c.id}`);
    n.ctx.send(c.id, int(acked));
  }
}

/** A timer armed for a blocked WAIT's timeout (it only wakes the loop). */
export function isWaitTimer(key: string): boolean {
  return key.startsWith(TIMER_PREFIX);
}

/**
 * The monotonic ms of the first serverCron loop (hz 10) strictly after `deadlineMonoMs`: with no
 * other event, that loop's beforeSleep() is what notices the timeout. The ten loops of a
 * once-a-second tick are spread evenly over its (drifting) period.
 */
function firstLoopAfter(n: Node, deadlineMonoMs: number): number {
  const loopMs = n.d.cronPeriodMs / LOOPS_PER_SECOND;
  const k = Math.floor((deadlineMonoMs - n.d.nextCronMonoMs) / loopMs) + 1;
  return n.d.nextCronMonoMs + k * loopMs;
}

/**
 * timeout.c: handleBlockedClientsTimeout() from beforeSleep(): every WAIT whose deadline is past
 * (checkBlockedClientTimeout(): `timeout < now`, in ms) gets replyToBlockedClientTimedOut(), the
 * count so far.
 */
export function handleBlockedClientsTimeout(n: Node): void {
  const d = n.d;
  const nowMs = Math.floor(n.ctx.monoMs());
  d.waitTimeouts = d.waitTimeouts.filter((conn) => {
    const c = d.clients[conn];
    if (!c?.waitAcks) return false;
    if (!(c.waitAcks.deadlineMonoMs < nowMs)) return true;
    const acked = countAcksByOffset(n, c.waitAcks.offset);
    c.waitAcks = null;
    n.ctx.cancelTimer(`${TIMER_PREFIX}${conn}`);
    n.ctx.send(conn, int(acked));
    return false;
  });
}
