import { respCommandBytes } from '../net/resp.js';
import { REPL_BACKLOG_MIN_BYTES, REPL_BLOCK_BYTES, type Backlog } from './state.js';

/**
 * The replication backlog as a window of offsets over whole commands, kept in ~16 KiB blocks like
 * Redis 7.0's shared replication buffer (replication.c: feedReplicationBuffer(),
 * incrementalTrimReplicationBacklog()). The window is trimmed by whole blocks, so it may hold up to
 * one block more than repl-backlog-size; commands are kept so a partial resync can replay them.
 * Simplification: a connected replica's references to old blocks do not delay trimming.
 */

/** replication.c: createReplicationBacklog() — empty, starting right after the current offset. */
export function newBacklog(masterReplOffset: number): Backlog {
  return { firstByteOffset: masterReplOffset + 1, histlenBytes: 0, blocks: [] };
}

export function effectiveBacklogSize(configured: number): number {
  return Math.max(configured, REPL_BACKLOG_MIN_BYTES);
}

/** Returns whether a new block was started (feedReplicationBuffer()'s add_new_block). */
export function backlogAppend(bl: Backlog, argv: string[], bytes: number, sizeBytes: number): boolean {
  let added = false;
  let last = bl.blocks.length > 0 ? bl.blocks[bl.blocks.length - 1]! : undefined;
  if (!last || last.bytes >= REPL_BLOCK_BYTES) {
    bl.blocks.push({ startOffset: bl.firstByteOffset + bl.histlenBytes, bytes: 0, cmds: [] });
    last = bl.blocks[bl.blocks.length - 1]!;
    added = true;
  }
  last.cmds.push(argv);
  last.bytes += bytes;
  bl.histlenBytes += bytes;
  trimBacklog(bl, sizeBytes);
  return added;
}

/** incrementalTrimReplicationBacklog(): drop whole leading blocks while over size, never the last one. */
export function trimBacklog(bl: Backlog, sizeBytes: number): void {
  const limit = effectiveBacklogSize(sizeBytes);
  let drop = 0;
  let hist = bl.histlenBytes;
  while (hist > limit && bl.blocks.length - drop > 1) {
    hist -= bl.blocks[drop]!.bytes;
    drop++;
  }
  if (drop === 0) return;
  bl.firstByteOffset += bl.histlenBytes - hist;
  bl.histlenBytes = hist;
  bl.blocks.splice(0, drop);
}

/**
 * The commands from replication offset `from` (the first byte wanted) to the end, or undefined when
 * `from` does not fall on a command boundary inside the window (the caller then does a full sync).
 */
export function backlogFrom(bl: Backlog, from: number): { cmds: string[][]; bytes: number } | undefined {
  const end = bl.firstByteOffset + bl.histlenBytes;
  if (from < bl.firstByteOffset || from > end) return undefined;
  if (from === end) return { cmds: [], bytes: 0 };
  const out: string[][] = [];
  let found = false;
  for (const b of bl.blocks) {
    if (!found && b.startOffset + b.bytes <= from) continue;
    let off = b.startOffset;
    for (const cmd of b.cmds) {
      if (!found) {
        if (off === from) found = true;
        else if (off > from) return undefined;
      }
      if (found) out.push(cmd);
      off += respCommandBytes(cmd);
    }
  }
  return found ? { cmds: out, bytes: end - from } : undefined;
}
