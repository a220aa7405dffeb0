import { argvOf, command, respCommandBytes, type Resp } from '../../net/resp.js';
import type { NetEvent } from '../../net/process.js';
import { clientInfoString, freeClient, newClient } from '../clients.js';
import { executeFromMaster } from '../commands/dispatch.js';
import { type Node, nowSec, notice, warning } from '../node.js';
import { installDb } from '../dataset.js';
import { parseRdb, persistDisk, rdbBytes } from '../persistence.js';
import { RDB_LOAD_BYTES_PER_MS, type ClientRec, type ReplLinkState } from '../state.js';
import { feedReplicationBuffer, proxyMasterStream } from '../stream.js';
import {
  clearReplicationId2,
  createReplicationBacklog,
  disconnectSlaves,
  freeReplicationBacklog,
  isNewline,
  shiftReplicationId,
} from './master.js';

/** The replica side of replication (replication.c: connectWithMaster(), syncWithMaster(), ...). */

const HANDSHAKE: readonly ReplLinkState[] = ['receive_pong', 'receive_auth', 'receive_port', 'receive_ip', 'receive_capa', 'receive_psync'];

export function inHandshake(s: ReplLinkState): boolean {
  return HANDSHAKE.includes(s);
}

/** replication.c: connectWithMaster(). */
export function connectWithMaster(n: Node): void {
  const r = n.d.repl!;
  const ip = n.ctx.resolve(r.masterHost);
  if (ip === undefined) {
    warning(n, `Unable to connect to MASTER: Name or service not known`);
    return;
  }
  r.conn = n.ctx.connect({ ip, port: r.masterPort });
  r.transferLastIoSec = nowSec(n);
  r.state = 'connecting';
  notice(n, 'MASTER <-> REPLICA sync started');
}

/** The error path of syncWithMaster(): drop the attempt, replicationCron retries. */
function handshakeError(n: Node): void {
  const r = n.d.repl!;
  if (r.conn !== null) n.ctx.close(r.conn);
  r.conn = null;
  r.state = 'connect';
  r.fullSync = null;
}

/** replication.c: cancelReplicationHandshake(). */
export function cancelReplicationHandshake(n: Node, reconnect: boolean): boolean {
  const r = n.d.repl;
  if (!r) return false;
  if (r.state === 'transfer' || r.state === 'connecting' || inHandshake(r.state)) {
    if (r.conn !== null) n.ctx.close(r.conn);
    r.conn = null;
    r.state = 'connect';
    r.fullSync = null;
  } else return false;
  if (reconnect) {
    notice(n, `Reconnecting to MASTER ${r.masterHost}:${r.masterPort} after failure`);
    connectWithMaster(n);
  }
  return true;
}

/** Network events on the connection to our master while it is not yet the master client. */
export function onHandshakeEvent(n: Node, ev: NetEvent): void {
  const d = n.d;
  const r = d.repl!;
  switch (ev.k) {
    case 'connected':
      notice(n, 'Non blocking connect for SYNC fired the event.');
      r.state = 'receive_pong';
      r.transferLastIoSec = nowSec(n);
      n.ctx.send(ev.conn, command('PING'));
      return;
    case 'connectFailed':
      warning(n, `Error condition on socket for SYNC: ${ev.reason === 'refused' ? 'Connection refused' : 'Connection timed out'}`);
      r.conn = null;
      r.state = 'connect';
      return;
    case 'closed':
      r.conn = null;
      if (r.state === 'transfer') warning(n, 'I/O error trying to sync with MASTER: connection lost');
      else warning(n, 'Master did not respond to command during SYNC handshake');
      r.state = 'connect';
      r.fullSync = null;
      return;
    case 'accepted':
      return;
    case 'data':
      break;
  }
  const m = ev.msg;
  r.transferLastIoSec = nowSec(n);
  const line = replyLine(m);
  switch (r.state) {
    case 'receive_pong': {
      if (line[0] !== '+' && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
        warning(n, `Error reply to PING from master: '${line}'`);
        handshakeError(n);
        return;
      }
      notice(n, 'Master replied to PING, replication can continue...');
      // REPL_STATE_SEND_HANDSHAKE: AUTH, REPLCONF listening-port, [ip-address], capa — pipelined.
      if (d.conf.masterauth !== null) {
        n.ctx.send(ev.conn, d.conf.masteruser !== null ? command('AUTH', d.conf.masteruser, d.conf.masterauth) : command('AUTH', d.conf.masterauth));
      }
      const port = d.conf.replicaAnnouncePort || d.conf.port;
      n.ctx.send(ev.conn, command('REPLCONF', 'listening-port', String(port)));
      if (d.conf.replicaAnnounceIp !== null) n.ctx.send(ev.conn, command('REPLCONF', 'ip-address', d.conf.replicaAnnounceIp));
      n.ctx.send(ev.conn, command('REPLCONF', 'capa', 'eof', 'capa', 'psync2'));
      r.state = d.conf.masterauth !== null ? 'receive_auth' : 'receive_port';
      return;
    }
    case 'receive_auth':
      if (line[0] === '-') {
        warning(n, `Unable to AUTH to MASTER: ${line}`);
        handshakeError(n);
        return;
      }
      r.state = 'receive_port';
      return;
    case 'receive_port':
      if (line[0] === '-') notice(n, `(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
      r.state = d.conf.replicaAnnounceIp !== null ? 'receive_ip' : 'receive_capa';
      return;
    case 'receive_ip':
      if (line[0] === '-') notice(n, `(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
      r.state = 'receive_capa';
      return;
    case 'receive_capa': {
      if (line[0] === '-') notice(n, `(Non critical) Master does not understand REPLCONF capa: ${line}`);
      // slaveTryPartialResynchronization(read_reply=0)
      if (r.cached) {
        const off = String(r.cached.reploff + 1);
        notice(n, `Trying a partial resynchronization (request ${r.cached.replid}:${off}).`);
        n.ctx.send(ev.conn, command('PSYNC', r.cached.replid, off));
      } else {
        notice(n, 'Partial resynchronization not possible (no cached master)');
        n.ctx.send(ev.conn, command('PSYNC', '?', '-1'));
      }
      r.state = 'receive_psync';
      return;
    }
    case 'receive_psync':
      receivePsyncReply(n, ev.conn, m, line);
      return;
    case 'transfer':
      if (isNewline(m)) return;
      if (m.t === 'bulk' && m.s !== null) {
        readSyncBulkPayload(n, ev.conn, m.s);
        return;
      }
      warning(n, `Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`);
      cancelReplicationHandshake(n, true);
      return;
    default:
      return;
  }
}

function replyLine(m: Resp): string {
  switch (m.t) {
    case 'status':
      return `+${m.s}`;
    case 'error':
      return `-${m.s}`;
    case 'int':
      return `:${m.n}`;
    case 'bulk':
      return `$${m.s === null ? -1 : m.s.length}`;
    case 'array':
      return `*${m.items === null ? -1 : m.items.length}`;
  }
}

/** replication.c: slaveTryPartialResynchronization(read_reply=1) and what syncWithMaster() does next. */
function receivePsyncReply(n: Node, conn: number, m: Resp, line: string): void {
  const d = n.d;
  const r = d.repl!;
  if (isNewline(m)) return; // PSYNC_WAIT_REPLY: the master's keepalive while the RDB child isn't started
  if (line.startsWith('+FULLRESYNC')) {
    const parts = line.split(' ');
    const replid = parts[1] ?? '';
    const offset = Number(parts[2]);
    if (replid.length !== 40 || !Number.isFinite(offset)) {
      warning(n, 'Master replied with wrong +FULLRESYNC syntax.');
      r.fullSync = { replid: '', offset: -1 };
    } else {
      r.fullSync = { replid, offset };
      notice(n, `Full resync from master: ${replid}:${offset}`);
    }
    // The cached master is useless now (replicationDiscardCachedMaster() runs when the RDB arrives).
    r.state = 'transfer';
    return;
  }
  if (line.startsWith('+CONTINUE')) {
    notice(n, 'Successful partial resynchronization with master.');
    const cached = r.cached!;
    const newId = line.length >= 10 ? line.slice(10).trim() : '';
    if (newId.length === 40 && newId !== cached.replid) {
      warning(n, `Master replication ID changed to ${newId}`);
      d.replid2 = cached.replid;
      d.secondReplidOffset = d.masterReplOffset + 1;
      d.replid = newId;
      cached.replid = newId;
      disconnectSlaves(n);
    }
    resurrectCachedMaster(n, conn);
    if (!d.backlog) createReplicationBacklog(n);
    notice(n, 'MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    n.ctx.state({ what: 'sync', kind: 'partial', side: 'replica', master: `${r.masterHost}:${r.masterPort}`, offset: d.masterReplOffset });
    n.ctx.state({ what: 'link', status: 'up' });
    return;
  }
  if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
    notice(n, `Master is currently unable to PSYNC but should be in the future: ${line}`);
  } else if (!line.startsWith('-ERR')) {
    warning(n, `Unexpected reply to PSYNC from master: ${line}`);
  } else {
    notice(n, `Master does not support PSYNC or is in error state (reply: ${line})`);
  }
  // Redis would retry with SYNC on PSYNC_NOT_SUPPORTED; every master here speaks PSYNC, so a
  // refusal is transient (-MASTERDOWN, -NOAUTH ...): go back to CONNECT and retry from cron.
  handshakeError(n);
}

/** replication.c: replicationCreateMasterClient() / replicationResurrectCachedMaster(). */
function attachMasterClient(n: Node, conn: number, replid: string, reploff: number): void {
  const d = n.d;
  const r = d.repl!;
  const c: ClientRec = newClient(n, conn, { ip: '', port: 0 }, { ip: n.ctx.resolve(r.masterHost) ?? r.masterHost, port: r.masterPort });
  c.isMaster = true;
  c.authenticated = true;
  d.clients[conn] = c;
  r.link = { replid, reploff, readReploff: reploff, lastInteractionSec: nowSec(n), multiCmds: [] };
  r.conn = conn;
  r.state = 'connected';
  r.downSinceSec = 0;
}

function resurrectCachedMaster(n: Node, conn: number): void {
  const r = n.d.repl!;
  const cached = r.cached!;
  r.cached = null;
  attachMasterClient(n, conn, cached.replid, cached.reploff);
}

/** replication.c: readSyncBulkPayload() for a whole RDB. */
function readSyncBulkPayload(n: Node, conn: number, payload: string): void {
  const d = n.d;
  const r = d.repl!;
  const rdb = parseRdb(payload);
  if (!rdb || !r.fullSync) {
    warning(n, 'Short read or OOM loading DB. Unrecoverable error, aborting now.');
    cancelReplicationHandshake(n, true);
    return;
  }
  if (rdb.eof) notice(n, 'MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk');
  else notice(n, `MASTER <-> REPLICA sync: receiving ${payload.length} bytes from master to disk`);
  // replicationAttachToNewMaster()
  if (r.cached) {
    notice(n, 'Discarding previously cached master state.');
    r.cached = null;
  }
  disconnectSlaves(n);
  freeReplicationBacklog(n);
  notice(n, 'MASTER <-> REPLICA sync: Flushing old data');
  const flushedKeys = d.keyCount;
  notice(n, 'MASTER <-> REPLICA sync: Loading DB in memory');
  // The received file is renamed to dump.rdb (rdb-del-sync-files no) before rdbLoad(), so it
  // survives a restart, even one during the load.
  d.diskRdb = { db: rdb.db, repl: rdb.repl, savedMs: n.ctx.nowMs() };
  persistDisk(n);
  const loadMs = rdbLoadMs(n, rdb.db);
  if (loadMs === 0) {
    finishSyncLoad(n, conn, rdb.db, rdb.eof, flushedKeys);
    return;
  }
  d.loading = { conn, db: rdb.db, eof: rdb.eof, flushedKeys, deferred: [] };
  n.ctx.timer('rdb-load', loadMs, { freezeWhilePaused: true });
}

/**
 * How long rdbLoad() takes. Only the model's datasetBytes makes it last: the few KB of keys a run
 * writes load in microseconds on a real server, and an instant load keeps such runs as they were.
 */
function rdbLoadMs(n: Node, db: Record<string, string>): number {
  const extra = n.d.conf.datasetBytes;
  return extra === 0 ? 0 : (rdbBytes(db) + extra) / RDB_LOAD_BYTES_PER_MS;
}

/** The load is done: the rest of readSyncBulkPayload(). Returns what the master link brought meanwhile. */
export function rdbLoadDone(n: Node): NetEvent[] {
  const l = n.d.loading;
  if (!l) return [];
  const deferred = [...l.deferred];
  n.d.loading = null;
  finishSyncLoad(n, l.conn, l.db, l.eof, l.flushedKeys);
  return deferred;
}

function finishSyncLoad(n: Node, conn: number, db: Record<string, string>, eof: boolean, flushedKeys: number): void {
  const d = n.d;
  const r = d.repl!;
  installDb(d, db);
  d.changesTotal++;
  const { replid, offset } = r.fullSync!;
  r.fullSync = null;
  attachMasterClient(n, conn, replid, offset);
  d.replid = replid;
  d.masterReplOffset = offset;
  clearReplicationId2(n);
  createReplicationBacklog(n);
  notice(n, 'MASTER <-> REPLICA sync: Finished with success');
  n.ctx.state({ what: 'sync', kind: 'full', side: 'replica', master: `${r.masterHost}:${r.masterPort}`, offset, flushedKeys, loadedKeys: d.keyCount });
  n.ctx.state({ what: 'link', status: 'up' });
  // The diskless (EOF-marked) load answers with an ACK at once so the master starts streaming.
  if (eof) sendAck(n);
}

/** replication.c: replicationSendAck(). */
export function sendAck(n: Node): void {
  const r = n.d.repl;
  if (!r || !r.link || r.conn === null) return;
  n.ctx.send(r.conn, command('REPLCONF', 'ACK', String(r.link.reploff)));
}

/** The replication stream arriving on the master client. */
export function onMasterStream(n: Node, c: ClientRec, m: Resp): void {
  const d = n.d;
  const r = d.repl!;
  const link = r.link!;
  const argv = argvOf(m);
  link.lastInteractionSec = nowSec(n);
  c.lastInteractionSec = link.lastInteractionSec;
  if (!argv || argv.length === 0) return;
  const bytes = respCommandBytes(argv);
  link.readReploff += bytes;
  // A MULTI from the master is applied and proxied as one unit at its EXEC (commandProcessed()
  // does not move reploff while CLIENT_MULTI is set).
  if (link.multiCmds.length > 0 || isWord(argv[0]!, 'multi')) {
    link.multiCmds.push(argv);
    if (!isWord(argv[0]!, 'exec')) return;
    const cmds = link.multiCmds;
    link.multiCmds = [];
    let total = 0;
    for (const cmd of cmds) {
      total += respCommandBytes(cmd);
      const nm = cmd[0]!.toLowerCase();
      if (nm !== 'multi' && nm !== 'exec') executeFromMaster(n, c, cmd);
    }
    link.reploff += total;
    proxyMasterStream(n, cmds);
    return;
  }
  executeFromMaster(n, c, argv);
  link.reploff += bytes;
  // proxyMasterStream() for one command, without an array around it (nor measuring it again:
  // respCommandBytes() scans every word, and every replicated command passes here).
  feedReplicationBuffer(n, argv, bytes);
}

/**
 * Whether a command name is `lower` in any case, without lowering it: every command of the stream
 * is asked whether it is MULTI, and lowering `SET` made a string each time.
 */
function isWord(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

/**
 * networking.c: freeClient() on our master → replicationCacheMaster() +
 * replicationHandleMasterDisconnection(). `reconnect` is false when REPLICAOF is switching masters.
 */
export function masterLinkLost(n: Node, reconnect: boolean): void {
  const d = n.d;
  const r = d.repl!;
  const link = r.link;
  warning(n, 'Connection with master lost.');
  notice(n, 'Caching the disconnected master state.');
  if (r.conn !== null) delete d.clients[r.conn];
  if (link) r.cached = { replid: link.replid, reploff: link.reploff };
  r.link = null;
  r.conn = null;
  r.state = 'connect';
  r.downSinceSec = nowSec(n);
  n.ctx.state({ what: 'link', status: 'down' });
  if (reconnect) {
    notice(n, `Reconnecting to MASTER ${r.masterHost}:${r.masterPort}`);
    connectWithMaster(n);
  }
}

/** The replica half of replication.c: replicationCron(). */
export function replicaCron(n: Node): void {
  const d = n.d;
  const r = d.repl;
  if (!r) return;
  const now = nowSec(n);
  if ((r.state === 'connecting' || inHandshake(r.state)) && now - r.transferLastIoSec > d.conf.replTimeoutSec) {
    warning(n, 'Timeout connecting to the MASTER...');
    cancelReplicationHandshake(n, true);
  }
  if (r.state === 'transfer' && now - r.transferLastIoSec > d.conf.replTimeoutSec) {
    warning(n, "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
    cancelReplicationHandshake(n, true);
  }
  if (r.state === 'connected' && r.link && now - r.link.lastInteractionSec > d.conf.replTimeoutSec) {
    warning(n, 'MASTER timeout: no data nor PING received...');
    freeClient(n, r.conn!, true);
  }
  if (r.state === 'connect') {
    notice(n, `Connecting to MASTER ${r.masterHost}:${r.masterPort}`);
    connectWithMaster(n);
  }
  if (r.link) sendAck(n);
}

/** replication.c: replicationCacheMasterUsingMyself(). */
export function cacheMasterUsingMyself(n: Node): void {
  notice(n, 'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.');
  n.d.repl!.cached = { replid: n.d.replid, reploff: n.d.masterReplOffset };
}

/** replication.c: replicationSetMaster(). */
export function replicationSetMaster(n: Node, host: string, port: number): void {
  const d = n.d;
  const wasMaster = d.repl === null;
  if (d.repl?.link) {
    // freeClient(server.master) with masterhost cleared: cached, no reconnect.
    n.ctx.close(d.repl.conn!);
    masterLinkLost(n, false);
  }
  cancelReplicationHandshake(n, false);
  const prev = d.repl;
  d.repl = {
    masterHost: host,
    masterPort: port,
    state: 'connect',
    conn: null,
    transferLastIoSec: 0,
    link: null,
    cached: prev?.cached ?? null,
    downSinceSec: prev?.downSinceSec ?? 0,
    fullSync: null,
  };
  if (wasMaster) {
    d.repl.cached = null;
    cacheMasterUsingMyself(n);
  }
  // A replica of anyone no longer waits for min-replicas; and its own replicas stay attached.
  n.ctx.state({ what: 'role', role: 'slave', masterHost: host, masterPort: port });
  notice(n, `Connecting to MASTER ${host}:${port}`);
  connectWithMaster(n);
}

/** replication.c: replicationUnsetMaster() (REPLICAOF NO ONE). */
export function replicationUnsetMaster(n: Node): void {
  const d = n.d;
  const r = d.repl;
  if (!r) return;
  if (r.link) {
    // freeClient(server.master) with masterhost already cleared: cached, then discarded below.
    n.ctx.close(r.conn!);
    masterLinkLost(n, false);
  }
  if (r.cached) notice(n, 'Discarding previously cached master state.');
  cancelReplicationHandshake(n, false);
  d.repl = null;
  shiftReplicationId(n);
  disconnectSlaves(n);
  d.slaveSelDb = -1;
  d.noReplicasSinceSec = nowSec(n);
  n.ctx.state({ what: 'role', role: 'master' });
}

export function masterModeLog(n: Node, c: ClientRec): void {
  notice(n, `MASTER MODE enabled (user request from '${clientInfoString(n, c)}')`);
}
