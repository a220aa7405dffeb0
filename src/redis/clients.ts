import type { ConnId, Endpoint } from '../net/process.js';
import { type Node, nowSec, warning } from './node.js';
import type { ClientRec } from './state.js';
import { refreshGoodReplicas } from './replication/master.js';
import { masterLinkLost } from './replication/replica.js';

/** networking.c: createClient() for an accepted connection. */
export function newClient(n: Node, conn: ConnId, local: Endpoint, remote: Endpoint): ClientRec {
  const s = nowSec(n);
  return {
    id: conn,
    addr: `${remote.ip}:${remote.port}`,
    laddr: `${local.ip}:${local.port}`,
    remoteIp: remote.ip,
    name: '',
    // With no requirepass the default user is "nopass": every connection starts authenticated.
    authenticated: n.d.conf.requirepass === null,
    createdSec: s,
    lastInteractionSec: s,
    channels: [],
    multi: null,
    isMaster: false,
    isReplica: false,
    replState: null,
    listeningPort: 0,
    announcedIp: null,
    capaEof: false,
    capaPsync2: false,
    ackOffset: 0,
    ackTimeSec: 0,
    psyncInitialOffset: 0,
    pending: null,
    pendingBytes: 0,
    obufSoftLimitReachedSec: 0,
    closeAfterReply: false,
    woff: 0,
    waitAcks: null,
  };
}

export type ClientType = 'normal' | 'pubsub' | 'master' | 'replica';

/** networking.c: getClientType(). */
export function clientType(c: ClientRec): ClientType {
  if (c.isMaster) return 'master';
  if (c.isReplica) return 'replica';
  if (c.channels.length > 0) return 'pubsub';
  return 'normal';
}

/** replication.c: replicationGetSlaveName(). */
export function replicaName(c: ClientRec): string {
  const ip = c.announcedIp ?? c.remoteIp;
  return c.listeningPort ? `${ip}:${c.listeningPort}` : `${ip}:<unknown-replica-port>`;
}

/** networking.c: catClientInfoString(), the fields a log line needs. */
export function clientInfoString(n: Node, c: ClientRec): string {
  const s = nowSec(n);
  // networking.c: getClientOutputBufferMemoryUsage(), as obuf.ts counts it.
  const omem = n.ctx.unsentBytes(c.id) + c.pendingBytes;
  const flags = c.isMaster ? 'M' : c.isReplica ? 'S' : c.channels.length > 0 ? 'P' : c.multi ? 'x' : 'N';
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.id + 7} name=${c.name} age=${s - c.createdSec} ` +
    `idle=${s - c.lastInteractionSec} flags=${flags} db=0 sub=${c.channels.length} psub=0 ssub=0 ` +
    `multi=${c.multi ? c.multi.queued.length : -1} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 ` +
    `obl=0 oll=0 omem=${omem} tot-mem=${1024 + omem} events=r cmd=${c.multi ? 'multi' : 'client|list'} user=default redir=-1 resp=2`
  );
}

/**
 * networking.c: freeClient(). `closeConn` is false when the peer already closed the connection.
 * Freeing our master's client caches it and reconnects (replicationCacheMaster()).
 */
export function freeClient(n: Node, id: ConnId, closeConn: boolean): void {
  const d = n.d;
  const c = d.clients[id];
  if (!c) return;
  if (closeConn) n.ctx.close(id);
  if (c.isMaster) {
    masterLinkLost(n, true);
    return;
  }
  if (c.isReplica) {
    warning(n, `Connection with replica ${replicaName(c)} lost.`);
    const i = d.replicas.indexOf(id);
    if (i >= 0) d.replicas.splice(i, 1);
    if (d.replicas.length === 0) d.noReplicasSinceSec = nowSec(n);
    if (d.child) {
      const j = d.child.replicas.indexOf(id);
      if (j >= 0) d.child.replicas.splice(j, 1);
    }
  }
  for (const ch of c.channels) unsubscribeConn(n, ch, id);
  delete d.clients[id];
  if (c.isReplica) refreshGoodReplicas(n);
}

export function unsubscribeConn(n: Node, channel: string, id: ConnId): void {
  const subs = n.d.pubsub[channel];
  if (!subs) return;
  const i = subs.indexOf(id);
  if (i >= 0) subs.splice(i, 1);
  if (subs.length === 0) delete n.d.pubsub[channel];
}

/** The clients in creation order (connection ids only grow), as Redis's server.clients list. */
export function clientIds(n: Node): ConnId[] {
  return Object.keys(n.d.clients).map(Number);
}

