import { replicaName } from './clients.js';
import { notice, nowSec, warning, type Node } from './node.js';
import { persistDisk, rdbBytes, rdbSave } from './persistence.js';
import { RDB_BYTES_PER_MS } from './state.js';
import { replicationFeedSlaves } from './stream.js';

/**
 * The graceful shutdown of a Redis node, whether SHUTDOWN asked for it or a signal did (server.c
 * prepareForShutdown(), isReadyToShutdown(), finishShutdown(), sigShutdownHandler() and the
 * shutdown_asap branch of serverCron()).
 */

/** server.h SHUTDOWN_* flags, as SHUTDOWN's arguments and shutdown-on-sigterm/sigint set them. */
export const SHUTDOWN_SAVE = 1;
export const SHUTDOWN_NOSAVE = 2;
export const SHUTDOWN_NOW = 4;
export const SHUTDOWN_FORCE = 8;

/** serverCron() runs every 100 ms (hz 10): a pending shutdown, or a signal's request, is acted on there. */
export const SERVER_CRON_MS = 100;

/** config.c: the shutdown-on-sigterm / shutdown-on-sigint flags from the config file (default 0). */
export function shutdownOnSignalFlags(n: Node, sig: string): number {
  const name = sig === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm';
  const dir = [...n.cfg.directives].reverse().find((d) => d.name === name);
  const bits: Record<string, number> = { default: 0, save: SHUTDOWN_SAVE, nosave: SHUTDOWN_NOSAVE, now: SHUTDOWN_NOW, force: SHUTDOWN_FORCE };
  let flags = 0;
  for (const a of dir?.args ?? []) flags |= bits[a.toLowerCase()] ?? 0;
  return flags;
}

/**
 * server.c: sigShutdownHandler(). The handler only logs and sets shutdown_asap; the next serverCron
 * loop starts the shutdown. Where that loop falls within its 100 ms is not tracked, so the wait is
 * drawn from the node's own `signal` stream: 1–100 ms (measured on 7.0.15: the "User requested
 * shutdown..." line follows the signal within one loop).
 */
export function sigShutdownHandler(n: Node, sig: string): void {
  const d = n.d;
  if (d.shutdownAsap && sig === 'SIGINT') {
    warning(n, 'You insist... exiting now.');
    d.shuttingDown = true;
    n.ctx.exit(1);
    return;
  }
  // serverLogFromHandler(): the real line reads `<pid>:signal-handler (<unixtime>) Received ...`.
  warning(n, sig === 'SIGINT' ? 'Received SIGINT scheduling shutdown...' : sig === 'SIGTERM' ? 'Received SIGTERM scheduling shutdown...' : 'Received shutdown signal, scheduling shutdown...');
  const armed = d.shutdownAsap !== null || d.shutdown !== null;
  d.shutdownAsap = sig;
  if (!armed) n.ctx.timer('shutdown', 1 + n.ctx.stream('signal').int(SERVER_CRON_MS));
}

/**
 * server.c: prepareForShutdown(). On a master whose replicas have not acknowledged everything (and
 * unless NOW or shutdown-timeout 0), writes pause, the replicas are asked for an ACK and serverCron
 * finishes the shutdown once they have, or shutdown-timeout seconds later.
 */
export function prepareForShutdown(n: Node, flags: number): void {
  const d = n.d;
  if (d.shutdown) return;
  warning(n, 'User requested shutdown...');
  if (!(flags & SHUTDOWN_NOW) && d.conf.shutdownTimeoutSec !== 0 && !isReadyToShutdown(n)) {
    d.shutdown = { deadlineMs: n.ctx.nowMs() + d.conf.shutdownTimeoutSec * 1000, save: (flags & SHUTDOWN_SAVE) !== 0, nosave: (flags & SHUTDOWN_NOSAVE) !== 0 };
    // sendGetackToReplicas(): the replica answers with its offset before this command's own bytes,
    // so in practice the wait ends at the replicas' next once-a-second REPLCONF ACK.
    replicationFeedSlaves(n, ['REPLCONF', 'GETACK', '*'], null);
    notice(n, 'Waiting for replicas before shutting down.');
    n.ctx.timer('shutdown', SERVER_CRON_MS);
    return;
  }
  finishShutdown(n, (flags & SHUTDOWN_SAVE) !== 0, (flags & SHUTDOWN_NOSAVE) !== 0);
}

/** serverCron(): start the shutdown a signal asked for, or finish a pending one once the replicas caught up or the timeout passed. */
export function shutdownCron(n: Node): void {
  const d = n.d;
  const sd = d.shutdown;
  if (!sd) {
    if (d.shutdownAsap !== null) prepareForShutdown(n, shutdownOnSignalFlags(n, d.shutdownAsap));
    return;
  }
  if (n.ctx.nowMs() >= sd.deadlineMs || isReadyToShutdown(n)) finishShutdown(n, sd.save, sd.nosave);
  else n.ctx.timer('shutdown', SERVER_CRON_MS);
}

/** server.c: isReadyToShutdown(): every replica has acknowledged the whole stream. */
export function isReadyToShutdown(n: Node): boolean {
  const d = n.d;
  return d.replicas.every((id) => d.clients[id]?.ackOffset === d.masterReplOffset);
}

/** server.c: finishShutdown(): report lagging replicas, save if configured, then exit (FIN to every peer). */
function finishShutdown(n: Node, save: boolean, nosave: boolean): void {
  const d = n.d;
  let lagging = 0;
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (!c || c.ackOffset === d.masterReplOffset) continue;
    lagging++;
    const lag = c.replState === 'online' ? nowSec(n) - c.ackTimeSec : 0;
    warning(n, `Lagging replica ${replicaName(c)} reported offset ${d.masterReplOffset - c.ackOffset} behind master, lag=${lag}, state=${c.replState}.`);
  }
  if (d.replicas.length > 0) notice(n, `${d.replicas.length - lagging} of ${d.replicas.length} replicas are in sync when shutting down.`);
  if (d.conf.appendonly) notice(n, 'Calling fsync() on the AOF file.');
  d.shuttingDown = true;
  if ((d.conf.savePoints.length > 0 && !nosave) || save) {
    notice(n, 'Saving the final RDB snapshot before exiting.');
    // rdbSave() blocks the process: it answers nothing until the file is written and it exits.
    const saveMs = Math.floor((rdbBytes(d.db) + d.conf.datasetBytes) / RDB_BYTES_PER_MS);
    if (saveMs >= 1) {
      n.ctx.timer('final-save', saveMs);
      return;
    }
    rdbSave(n);
  }
  exitAfterSave(n);
}

/** The end of finishShutdown(), once the final RDB (timer `final-save`, if it took time) is written. */
export function finalSaveDone(n: Node): void {
  rdbSave(n);
  exitAfterSave(n);
}

function exitAfterSave(n: Node): void {
  if (n.d.conf.appendonly) persistDisk(n);
  warning(n, 'Redis is now ready to exit, bye bye...');
  n.ctx.exit(0);
}
