import { commandOf, respCommandBytes, type Resp } from '../net/resp.js';
import { backlogAppend } from './backlog.js';
import type { Node } from './node.js';
import { closeClientOnOutputBufferLimitReached } from './obuf.js';

/**
 * The replication stream on the sending side: every byte goes to the backlog (advancing
 * master_repl_offset) and to each attached replica, or to its output buffer while its RDB is being
 * produced (replication.c: feedReplicationBuffer()). `knownBytes`: respCommandBytes(argv), if the
 * caller has it.
 */
export function feedReplicationBuffer(n: Node, argv: string[], knownBytes?: number): void {
  const d = n.d;
  // 7.0: "if (server.repl_backlog == NULL) return;" — no backlog, no offset movement.
  if (!d.backlog) return;
  // A replica proxying its master's stream has measured the command already (onMasterStream()).
  const bytes = knownBytes ?? respCommandBytes(argv);
  d.masterReplOffset += bytes;
  const newBlock = backlogAppend(d.backlog, argv, bytes, d.conf.replBacklogSizeBytes);
  // One message for every replica: values are immutable, so they can share it.
  let msg: Resp | undefined;
  // A copy only when a client may be freed on the way (the output buffer check, at a new block).
  const replicas = newBlock ? [...d.replicas] : d.replicas;
  for (let i = 0; i < replicas.length; i++) {
    const id = replicas[i]!;
    const c = d.clients[id];
    if (!c) continue;
    if (c.replState === 'online') n.ctx.send(id, (msg ??= commandOf(argv)));
    else if (c.replState === 'wait_bgsave_end' || c.replState === 'send_bulk') {
      c.pending!.push(argv);
      c.pendingBytes += bytes;
    } else continue; // wait_bgsave_start: nothing yet; the RDB will include it (replicationFeedSlaves skips them).
    // "Check output buffer limit only when add new block."
    if (newBlock) closeClientOnOutputBufferLimitReached(n, c, true);
  }
}

/**
 * replication.c: replicationFeedSlaves() — only a top-level master feeds; replicas proxy their
 * master's stream instead. `dictid` null is the "don't touch keys" case (PING) that passes
 * server.slaveseldb and so never emits a SELECT.
 */
export function replicationFeedSlaves(n: Node, argv: string[], dictid: number | null): void {
  const d = n.d;
  if (d.repl) return;
  if (!d.backlog && d.replicas.length === 0) return;
  if (dictid !== null && d.slaveSelDb !== dictid) {
    feedReplicationBuffer(n, ['SELECT', String(dictid)]);
    d.slaveSelDb = dictid;
  }
  feedReplicationBuffer(n, argv);
}

/**
 * server.c: propagatePendingCommands() — what one command (or one EXEC) wrote, wrapped in
 * MULTI/EXEC when it is more than one command.
 */
export function propagate(n: Node, cmds: { readonly length: number; at(i: number): string[] }): void {
  if (cmds.length === 0 || n.d.repl) return;
  if (cmds.length === 1) {
    replicationFeedSlaves(n, cmds.at(0), 0);
    return;
  }
  replicationFeedSlaves(n, ['MULTI'], 0);
  for (let i = 0; i < cmds.length; i++) replicationFeedSlaves(n, cmds.at(i), 0);
  replicationFeedSlaves(n, ['EXEC'], 0);
}

/** replication.c: replicationFeedStreamFromMasterStream() — a replica proxies what it applied. */
export function proxyMasterStream(n: Node, cmds: string[][]): void {
  for (const c of cmds) feedReplicationBuffer(n, c);
}
