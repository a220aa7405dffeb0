import { current, isDraft } from 'immer';
import { bulk, commandOf, error, status, type Resp } from '../../net/resp.js';
import { backlogFrom, newBacklog } from '../backlog.js';
import { freeClient, replicaName } from '../clients.js';
import { type Node, nowSec, notice, warning } from '../node.js';
import { dbImage, snapshotDb } from '../dataset.js';
import { persistDisk, rdbBytes, serializeRdb } from '../persistence.js';
import { NULL_REPLID, RDB_BYTES_PER_MS, RDB_FIXED_MS, type ClientRec } from '../state.js';
import { processClientsWaitingReplicas } from '../wait.js';
import { replicationFeedSlaves } from '../stream.js';

/** The master side of replication (replication.c). */

/** replication.c: changeReplicationId(). */
export function changeReplicationId(n: Node): void {
  n.d.replid = n.ctx.rng.hex40();
}

/** replication.c: clearReplicationId2(). */
export function clearReplicationId2(n: Node): void {
  n.d.replid2 = NULL_REPLID;
  n.d.secondReplidOffset = -1;
}

/** replication.c: shiftReplicationId() — the current history becomes the secondary one. */
export function shiftReplicationId(n: Node): void {
  const d = n.d;
  d.replid2 = d.replid;
  d.secondReplidOffset = d.masterReplOffset + 1;
  changeReplicationId(n);
  notice(n, `Setting secondary replication ID to ${d.replid2}, valid up to offset: ${d.secondReplidOffset}. New replication ID is ${d.replid}`);
}

export function createReplicationBacklog(n: Node): void {
  n.d.backlog = newBacklog(n.d.masterReplOffset);
}

export function freeReplicationBacklog(n: Node): void {
  n.d.backlog = null;
}

/** replication.c: disconnectSlaves(). */
export function disconnectSlaves(n: Node): void {
  for (const id of [...n.d.replicas]) freeClient(n, id, true);
}

/** replication.c: refreshGoodSlavesCount(). */
export function refreshGoodReplicas(n: Node): void {
  const d = n.d;
  if (!d.conf.minReplicasToWrite || !d.conf.minReplicasMaxLagSec) return;
  const now = nowSec(n);
  let good = 0;
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (c && c.replState === 'online' && now - c.ackTimeSec <= d.conf.minReplicasMaxLagSec) good++;
  }
  d.goodReplicas = good;
}

/** server.c: checkGoodReplicasStatus(). */
export function goodReplicasOk(n: Node): boolean {
  const d = n.d;
  return d.repl !== null || !d.conf.minReplicasMaxLagSec || !d.conf.minReplicasToWrite || d.goodReplicas >= d.conf.minReplicasToWrite;
}

/** replication.c: replconfCommand(). Returns the reply, or null (ACK answers nothing). */
export function replconfCommand(n: Node, c: ClientRec, argv: string[]): Resp | null {
  if (argv.length % 2 === 0) return error('ERR syntax error');
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j]!.toLowerCase();
    const val = argv[j + 1]!;
    if (opt === 'listening-port') {
      const port = Number(val);
      if (!Number.isInteger(port)) return error('ERR value is not an integer or out of range');
      c.listeningPort = port;
    } else if (opt === 'ip-address') {
      c.announcedIp = val;
    } else if (opt === 'capa') {
      if (val.toLowerCase() === 'eof') c.capaEof = true;
      else if (val.toLowerCase() === 'psync2') c.capaPsync2 = true;
    } else if (opt === 'ack') {
      if (!c.isReplica) return null;
      const off = Number(val);
      if (!Number.isFinite(off)) return null;
      if (off > c.ackOffset) c.ackOffset = off;
      c.ackTimeSec = nowSec(n);
      processClientsWaitingReplicas(n);
      return null;
    } else if (opt === 'getack') {
      return null;
    } else {
      return error(`ERR Unrecognized REPLCONF option: ${argv[j]}`);
    }
  }
  return status('OK');
}

/**
 * replication.c: syncCommand() for PSYNC/SYNC. Replies are sent directly (the +FULLRESYNC only
 * when the RDB child starts). Returns a reply to send, or null.
 */
export function syncCommand(n: Node, c: ClientRec, argv: string[]): Resp | null {
  const d = n.d;
  if (c.isReplica) return null;
  if (d.repl && d.repl.state !== 'connected') return error("NOMASTERLINK Can't SYNC while not connected with my master");
  notice(n, `Replica ${replicaName(c)} asks for synchronization`);
  const isPsync = argv[0]!.toLowerCase() === 'psync';
  if (isPsync) {
    const off = Number(argv[2]);
    if (!Number.isInteger(off)) {
      warning(n, `Replica ${replicaName(c)} asks for synchronization but with a wrong offset`);
      return error('ERR value is not an integer or out of range');
    }
    if (tryPartialResync(n, c, argv[1]!, off)) {
      d.stats.syncPartialOk++;
      return null;
    }
    if (argv[1] !== '?') d.stats.syncPartialErr++;
  }
  d.stats.syncFull++;
  c.replState = 'wait_bgsave_start';
  c.isReplica = true;
  c.lastInteractionSec = nowSec(n);
  d.replicas.push(c.id);
  if (d.replicas.length === 1 && !d.backlog) {
    changeReplicationId(n);
    clearReplicationId2(n);
    createReplicationBacklog(n);
    notice(n, `Replication backlog created, my new replication IDs are '${d.replid}' and '${d.replid2}'`);
  }
  n.ctx.state({ what: 'sync', kind: 'full', side: 'master', replica: replicaName(c) });
  if (d.child) {
    // CASE 2 (a socket-target child is running) — and, in this model, the disk case too: wait for the next one.
    notice(n, d.child.target === 'socket' ? 'Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC' : "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
  } else if (d.conf.replDisklessSync && c.capaEof && d.conf.replDisklessSyncDelaySec) {
    notice(n, 'Delay next BGSAVE for diskless SYNC');
  } else {
    startBgsaveForReplication(n);
  }
  return null;
}

/** replication.c: masterTryPartialResynchronization(). */
function tryPartialResync(n: Node, c: ClientRec, replid: string, psyncOffset: number): boolean {
  const d = n.d;
  const rid = replid.toLowerCase();
  if (rid !== d.replid && (rid !== d.replid2 || psyncOffset > d.secondReplidOffset)) {
    if (replid[0] !== '?') {
      if (rid !== d.replid && rid !== d.replid2) {
        notice(n, `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${d.replid}' and '${d.replid2}')`);
      } else {
        notice(n, `Partial resynchronization not accepted: Requested offset for second ID was ${psyncOffset}, but I can reply up to ${d.secondReplidOffset}`);
      }
    } else {
      notice(n, `Full resync requested by replica ${replicaName(c)}`);
    }
    return false;
  }
  const bl = d.backlog;
  if (!bl || psyncOffset < bl.firstByteOffset || psyncOffset > bl.firstByteOffset + bl.histlenBytes) {
    notice(n, `Unable to partial resync with replica ${replicaName(c)} for lack of backlog (Replica request was: ${psyncOffset}).`);
    if (psyncOffset > d.masterReplOffset) warning(n, `Warning: replica ${replicaName(c)} tried to PSYNC with an offset that is greater than the master replication offset.`);
    return false;
  }
  // Commands are kept whole; an offset inside one (histories that diverged mid-command) can't be served.
  const range = backlogFrom(isDraft(bl) ? current(bl) : bl, psyncOffset);
  if (!range) {
    notice(n, `Unable to partial resync with replica ${replicaName(c)} for lack of backlog (Replica request was: ${psyncOffset}).`);
    return false;
  }
  c.isReplica = true;
  c.replState = 'online';
  c.ackTimeSec = nowSec(n);
  d.replicas.push(c.id);
  n.ctx.send(c.id, status(c.capaPsync2 ? `CONTINUE ${d.replid}` : 'CONTINUE'));
  for (const cmd of range.cmds) n.ctx.send(c.id, commandOf(cmd));
  notice(n, `Partial resynchronization request from ${replicaName(c)} accepted. Sending ${range.bytes} bytes of backlog starting from offset ${psyncOffset}.`);
  n.ctx.state({ what: 'sync', kind: 'partial', side: 'master', replica: replicaName(c), offset: psyncOffset, bytes: range.bytes });
  refreshGoodReplicas(n);
  return true;
}

/**
 * replication.c: startBgsaveForReplication() + replicationSetupSlaveForFullResync(). The child is
 * a snapshot taken now; it "finishes" after a size-proportional delay (timer `rdb`).
 */
export function startBgsaveForReplication(n: Node): void {
  const d = n.d;
  const waiting = d.replicas.filter((id) => d.clients[id]?.replState === 'wait_bgsave_start');
  if (waiting.length === 0) return;
  const socket = d.conf.replDisklessSync && waiting.every((id) => d.clients[id]!.capaEof);
  notice(n, `Starting BGSAVE for SYNC with target: ${socket ? 'replicas sockets' : 'disk'}`);
  const snapshot = snapshotDb(d);
  const bytes = rdbBytes(d.db) + d.conf.datasetBytes; // the snapshot's content, read before anything is written
  d.child = { target: socket ? 'socket' : 'disk', replicas: waiting, snapshot, replid: d.replid, offset: d.masterReplOffset, startedMs: n.ctx.nowMs(), bytes };
  for (const id of waiting) {
    const c = d.clients[id]!;
    c.psyncInitialOffset = d.masterReplOffset;
    c.replState = 'wait_bgsave_end';
    c.pending = [];
    c.pendingBytes = 0;
    n.ctx.send(id, status(`FULLRESYNC ${d.replid} ${d.masterReplOffset}`));
  }
  // replicationSetupSlaveForFullResync(): force a SELECT before the next command.
  d.slaveSelDb = -1;
  if (!socket) {
    // A disk-target BGSAVE leaves dump.rdb (with repl-id/offset) behind, persistence configured or not.
    d.diskRdb = { db: snapshot, repl: { replid: d.replid, offset: d.masterReplOffset }, savedMs: n.ctx.nowMs() };
    persistDisk(n);
  }
  if (socket) notice(n, `Started BGSAVE for replication`);
  n.ctx.timer('rdb', RDB_FIXED_MS + Math.ceil(bytes / RDB_BYTES_PER_MS));
}

/** The RDB child finished: send the payload, then each replica's buffered stream; they go online. */
export function rdbChildDone(n: Node): void {
  const d = n.d;
  const child = d.child;
  if (!child) return;
  const payload = serializeRdb(dbImage(child.snapshot), { replid: child.replid, offset: child.offset }, child.target === 'socket');
  for (const id of child.replicas) {
    const c = d.clients[id];
    if (!c || c.replState !== 'wait_bgsave_end') continue;
    n.ctx.send(id, bulk(payload));
    if (child.target === 'socket') {
      notice(n, `Streamed RDB transfer with replica ${replicaName(c)} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`);
    }
    c.replState = 'online';
    c.ackTimeSec = nowSec(n);
    for (const cmd of c.pending ?? []) n.ctx.send(id, commandOf(cmd));
    c.pending = null;
    c.pendingBytes = 0;
    notice(n, `Synchronization with replica ${replicaName(c)} succeeded`);
  }
  d.child = null;
  notice(n, child.target === 'socket' ? 'Background RDB transfer terminated with success' : 'Background saving terminated with success');
  refreshGoodReplicas(n);
  // server.c: checkChildrenDone() → replicationStartPendingFork(): replicas that queued meanwhile.
  if (shouldStartChildReplication(n)) startBgsaveForReplication(n);
}

/** replication.c: shouldStartChildReplication(). */
function shouldStartChildReplication(n: Node): boolean {
  const d = n.d;
  if (d.child) return false;
  const now = nowSec(n);
  let waiting = 0;
  let maxIdle = 0;
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (c?.replState !== 'wait_bgsave_start') continue;
    waiting++;
    maxIdle = Math.max(maxIdle, now - c.lastInteractionSec);
  }
  return (
    waiting > 0 &&
    (!d.conf.replDisklessSync ||
      (d.conf.replDisklessSyncMaxReplicas > 0 && waiting >= d.conf.replDisklessSyncMaxReplicas) ||
      maxIdle >= d.conf.replDisklessSyncDelaySec)
  );
}

/** The master half of replication.c: replicationCron(). */
export function masterCron(n: Node, loops: number): void {
  const d = n.d;
  const now = nowSec(n);
  // PING the replicas every repl-ping-replica-period cron loops (counted since start).
  if (loops % Math.max(1, d.conf.replPingReplicaPeriodSec) === 0 && d.replicas.length > 0) {
    replicationFeedSlaves(n, ['PING'], null);
  }
  // A newline to replicas waiting for the RDB to start keeps their handshake timeout at bay.
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (!c) continue;
    if (c.replState === 'wait_bgsave_start' || (c.replState === 'wait_bgsave_end' && d.child?.target !== 'socket')) {
      n.ctx.send(id, NEWLINE);
    }
  }
  for (const id of [...d.replicas]) {
    const c = d.clients[id];
    if (!c) continue;
    if (c.replState === 'online' && now - c.ackTimeSec > d.conf.replTimeoutSec) {
      warning(n, `Disconnecting timedout replica (streaming sync): ${replicaName(c)}`);
      freeClient(n, id, true);
    }
  }
  if (d.replicas.length === 0 && d.conf.replBacklogTtlSec && d.backlog && !d.repl) {
    if (now - d.noReplicasSinceSec > d.conf.replBacklogTtlSec) {
      changeReplicationId(n);
      clearReplicationId2(n);
      freeReplicationBacklog(n);
      notice(n, `Replication backlog freed after ${d.conf.replBacklogTtlSec} seconds without connected replicas.`);
    }
  }
  if (shouldStartChildReplication(n)) startBgsaveForReplication(n);
  refreshGoodReplicas(n);
}

/** The "\n" a master writes to a replica waiting for its RDB (a RESP-less keepalive). */
export const NEWLINE: Resp = { t: 'status', s: '' };

export function isNewline(m: Resp): boolean {
  return m.t === 'status' && m.s === '';
}
