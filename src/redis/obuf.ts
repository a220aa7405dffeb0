import { clientInfoString, clientType, freeClient } from './clients.js';
import { type Node, nowSec, warning } from './node.js';
import type { ClientRec, ObufLimit } from './state.js';

/**
 * Client output buffers and their limits (networking.c). What a client's socket would not take
 * stays with the network model (Ctx.unsentBytes: the peer stopped reading and both kernel buffers
 * are full); a replica still waiting for its RDB also holds the stream accumulated meanwhile.
 */

/** networking.c: getClientOutputBufferMemoryUsage(). */
export function outputBufferBytes(n: Node, c: ClientRec): number {
  return n.ctx.unsentBytes(c.id) + c.pendingBytes;
}

function limitOf(n: Node, c: ClientRec): ObufLimit {
  const t = clientType(c);
  // "For the purpose of output buffer limiting, masters are handled like normal clients."
  return t === 'master' ? n.d.conf.obufLimits.normal : n.d.conf.obufLimits[t];
}

/** networking.c: checkClientOutputBufferLimits() — hard at once, soft when held for longer than its seconds. */
export function checkClientOutputBufferLimits(n: Node, c: ClientRec, usedBytes: number): boolean {
  const lim = limitOf(n, c);
  let hardBytes = lim.hardBytes;
  // A replica's hard limit below repl-backlog-size is raised to it (partial syncs would fail).
  if (c.isReplica && hardBytes && hardBytes < n.d.conf.replBacklogSizeBytes) hardBytes = n.d.conf.replBacklogSizeBytes;
  const hard = lim.hardBytes !== 0 && usedBytes >= hardBytes;
  let soft = lim.softBytes !== 0 && usedBytes >= lim.softBytes;
  if (soft) {
    const now = nowSec(n);
    if (c.obufSoftLimitReachedSec === 0) {
      c.obufSoftLimitReachedSec = now;
      soft = false;
    } else if (now - c.obufSoftLimitReachedSec <= lim.softSeconds) soft = false;
  } else c.obufSoftLimitReachedSec = 0;
  return soft || hard;
}

/**
 * networking.c: closeClientOnOutputBufferLimitReached(). `async` (a write to a replica's stream)
 * is freeClientAsync(): the client goes before the event loop sleeps again, i.e. with this event.
 */
export function closeClientOnOutputBufferLimitReached(n: Node, c: ClientRec, async: boolean): boolean {
  const used = outputBufferBytes(n, c);
  if (used === 0 && !c.isReplica) return false;
  if (!checkClientOutputBufferLimits(n, c, used)) return false;
  const info = clientInfoString(n, c);
  if (async) warning(n, `Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`);
  else warning(n, `Client ${info} closed for overcoming of output buffer limits.`);
  freeClient(n, c.id, true);
  return true;
}

/** server.c: clientsCron()'s output buffer check, for every client. */
export function clientsCronOutputBuffers(n: Node): void {
  // The clients as they were at the start (one may be freed on the way), without turning each
  // integer key into a string and back as Object.keys() did.
  const clients = n.d.clients;
  for (const c of Object.values(clients)) {
    if (clients[c.id] !== undefined) closeClientOnOutputBufferLimitReached(n, c, false);
  }
}
