import { array, bulk, error, int, OK, status, type Resp } from '../../net/resp.js';
import { stringmatch } from '../../net/stringmatch.js';
import { findParam, PARAMS } from '../config.js';
import { trimBacklog } from '../backlog.js';
import { notice, nowSec, warning, type Node } from '../node.js';
import { persistDisk, rdbSave } from '../persistence.js';
import { infoText, roleReply } from '../info.js';
import { refreshGoodReplicas, replconfCommand, syncCommand } from '../replication/master.js';
import { masterModeLog, replicationSetMaster, replicationUnsetMaster } from '../replication/replica.js';
import { clientInfoString, replicaName } from '../clients.js';
import { replicationFeedSlaves } from '../stream.js';
import type { Call } from './types.js';

/** server.c / replication.c / config.c commands a Sentinel and an operator use. */

export function pingCmd(x: Call): void {
  if (x.argv.length > 2) {
    x.out.push(error("ERR wrong number of arguments for 'ping' command"));
    return;
  }
  // RESP2 pub/sub context: PING answers ["pong", <arg or "">].
  if (x.c.channels.length > 0) {
    x.out.push(array([bulk('pong'), bulk(x.argv[1] ?? '')]));
    return;
  }
  x.out.push(x.argv.length === 1 ? status('PONG') : bulk(x.argv[1]!));
}

export function echoCmd(x: Call): void {
  x.out.push(bulk(x.argv[1]!));
}

/** acl.c: authCommand() with only the default user. */
export function authCmd(x: Call): void {
  const d = x.n.d;
  if (x.argv.length > 3) {
    x.out.push(error('ERR syntax error'));
    return;
  }
  const user = x.argv.length === 3 ? x.argv[1]! : 'default';
  const pass = x.argv[x.argv.length - 1]!;
  if (x.argv.length === 2 && d.conf.requirepass === null) {
    x.out.push(error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'));
    return;
  }
  if (user === 'default' && (d.conf.requirepass === null || d.conf.requirepass === pass)) {
    x.c.authenticated = true;
    x.out.push(OK);
    return;
  }
  x.out.push(error('WRONGPASS invalid username-password pair or user is disabled.'));
}

/** Only db 0 is modelled. */
export function selectCmd(x: Call): void {
  const v = x.argv[1]!;
  if (!/^-?\d+$/.test(v)) {
    x.out.push(error('ERR value is not an integer or out of range'));
    return;
  }
  x.out.push(Number(v) === 0 ? OK : error('ERR DB index is out of range'));
}

export function infoCmd(x: Call): void {
  x.out.push(bulk(infoText(x.n, x.argv.slice(1))));
}

export function roleCmd(x: Call): void {
  x.out.push(roleReply(x.n));
}

/** replication.c: replicaofCommand(). */
export function replicaofCmd(x: Call): void {
  const d = x.n.d;
  const [, host, portStr] = x.argv as [string, string, string];
  if (host.toLowerCase() === 'no' && portStr.toLowerCase() === 'one') {
    if (d.repl) {
      replicationUnsetMaster(x.n);
      masterModeLog(x.n, x.c);
    }
    x.out.push(OK);
    return;
  }
  if (x.c.isReplica) {
    x.out.push(error('ERR Command is not valid when client is a replica.'));
    return;
  }
  const port = Number(portStr);
  if (!/^\d+$/.test(portStr) || port > 65535) {
    x.out.push(error('ERR Invalid master port'));
    return;
  }
  if (d.repl && d.repl.masterHost.toLowerCase() === host.toLowerCase() && d.repl.masterPort === port) {
    notice(x.n, 'REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    x.out.push(status('OK Already connected to specified master'));
    return;
  }
  replicationSetMaster(x.n, host, port);
  notice(x.n, `REPLICAOF ${host}:${port} enabled (user request from '${clientInfoString(x.n, x.c)}')`);
  x.out.push(OK);
}

export function configGetCmd(x: Call): void {
  const out: Resp[] = [];
  const seen = new Set<string>();
  for (const pat of x.argv.slice(2)) {
    for (const p of PARAMS) {
      for (const name of p.alias ? [p.name, p.alias] : [p.name]) {
        if (!seen.has(name) && stringmatch(pat, name, true)) {
          seen.add(name);
          out.push(bulk(name), bulk(p.get(x.n.d.conf)));
        }
      }
    }
  }
  x.out.push(array(out));
}

/** config.c: configSetCommand() — several pairs at once, all or nothing. */
export function configSetCmd(x: Call): void {
  const d = x.n.d;
  if (x.argv.length % 2 !== 0) {
    x.out.push(error(`ERR Unknown option or number of arguments for CONFIG SET - '${x.argv[2]}'`));
    return;
  }
  const before = { ...d.conf, savePoints: [...d.conf.savePoints] };
  for (let i = 2; i < x.argv.length; i += 2) {
    const p = findParam(x.argv[i]!);
    if (!p) {
      Object.assign(d.conf, before);
      x.out.push(error(`ERR Unknown option or number of arguments for CONFIG SET - '${x.argv[i]}'`));
      return;
    }
    const err = p.set(d.conf, x.argv[i + 1]!);
    if (err) {
      Object.assign(d.conf, before);
      x.out.push(error(`ERR CONFIG SET failed (possibly related to argument '${x.argv[i]}') - ${err}`));
      return;
    }
    d.configSet[p.name] = x.argv[i + 1]!;
  }
  if (d.backlog) trimBacklog(d.backlog, d.conf.replBacklogSizeBytes);
  refreshGoodReplicas(x.n);
  x.out.push(OK);
}

/** config.c: rewriteConfig() — what matters here: replicaof and the CONFIG SET values survive a restart. */
export function configRewriteCmd(x: Call): void {
  const d = x.n.d;
  const params = { ...(d.rewrittenConf?.params ?? {}), ...d.configSet };
  d.rewrittenConf = { replicaof: d.repl ? { host: d.repl.masterHost, port: d.repl.masterPort } : null, params };
  persistDisk(x.n);
  notice(x.n, 'CONFIG REWRITE executed with success.');
  x.out.push(OK);
}

export function configResetstatCmd(x: Call): void {
  x.n.d.stats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0, commands: 0, connections: 0 };
  x.out.push(OK);
}

/**
 * server.c: shutdownCommand() / prepareForShutdown(). No reply: the process exits, at once or, on a
 * master whose replicas have not acknowledged everything, once they have (or shutdown-timeout
 * seconds later): meanwhile writes are paused and the replicas are asked for an ACK.
 */
export function shutdownCmd(x: Call): void {
  const d = x.n.d;
  let nosave = false;
  let save = false;
  let now = false;
  for (const a of x.argv.slice(1)) {
    const l = a.toLowerCase();
    if (l === 'nosave') nosave = true;
    else if (l === 'save') save = true;
    else if (l === 'now') now = true;
    else if (l === 'force') continue;
    else {
      x.out.push(error('ERR syntax error'));
      return;
    }
  }
  if (nosave && save) {
    x.out.push(error('ERR syntax error'));
    return;
  }
  // Already waiting: this client waits too (blockClientShutdown()).
  if (d.shutdown) return;
  warning(x.n, 'User requested shutdown...');
  if (!now && d.conf.shutdownTimeoutSec !== 0 && !isReadyToShutdown(x.n)) {
    d.shutdown = { deadlineMs: x.n.ctx.nowMs() + d.conf.shutdownTimeoutSec * 1000, save, nosave };
    // sendGetackToReplicas(): the replica answers with its offset before this command's own bytes,
    // so in practice the wait ends at the replicas' next once-a-second REPLCONF ACK.
    replicationFeedSlaves(x.n, ['REPLCONF', 'GETACK', '*'], null);
    notice(x.n, 'Waiting for replicas before shutting down.');
    x.n.ctx.timer('shutdown', SERVER_CRON_MS);
    return;
  }
  finishShutdown(x.n, save, nosave);
}

/** serverCron() runs every 100 ms (hz 10); a pending shutdown is checked there. */
const SERVER_CRON_MS = 100;

/** serverCron(): finish a pending shutdown once the replicas caught up or the timeout passed. */
export function shutdownCron(n: Node): void {
  const sd = n.d.shutdown;
  if (!sd) return;
  if (n.ctx.nowMs() >= sd.deadlineMs || isReadyToShutdown(n)) finishShutdown(n, sd.save, sd.nosave);
  else n.ctx.timer('shutdown', SERVER_CRON_MS);
}

/** server.c: isReadyToShutdown(): every replica has acknowledged the whole stream. */
function isReadyToShutdown(n: Node): boolean {
  const d = n.d;
  return d.replicas.every((id) => d.clients[id]?.ackOffset === d.masterReplOffset);
}

/** server.c: finishShutdown(). */
function finishShutdown(n: Node, save: boolean, nosave: boolean): void {
  const d = n.d;
  for (const id of d.replicas) {
    const c = d.clients[id];
    if (!c || c.ackOffset === d.masterReplOffset) continue;
    const lag = c.replState === 'online' ? nowSec(n) - c.ackTimeSec : 0;
    warning(n, `Lagging replica ${replicaName(c)} reported offset ${d.masterReplOffset - c.ackOffset} behind master, lag=${lag}, state=${c.replState}.`);
  }
  if ((d.conf.savePoints.length > 0 && !nosave) || save) {
    notice(n, 'Saving the final RDB snapshot before exiting.');
    rdbSave(n);
  }
  if (d.conf.appendonly) persistDisk(n);
  warning(n, 'Redis is now ready to exit, bye bye...');
  d.shuttingDown = true;
  n.ctx.exit(0);
}

/** debug.c: DEBUG SEGFAULT (protected by enable-debug-command, "no" by default in 7.0). */
export function debugCmd(x: Call): void {
  const d = x.n.d;
  const mode = d.conf.enableDebugCommand;
  const local = x.c.remoteIp === '127.0.0.1' || x.c.remoteIp === '::1';
  if (!(mode === 'yes' || (mode === 'local' && local))) {
    x.out.push(
      error(
        'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
      ),
    );
    return;
  }
  const sub = x.argv[1]!.toLowerCase();
  if (sub === 'segfault') {
    warning(x.n, `Redis 7.0.15 crashed by signal: 11, si_code: 0`);
    d.shuttingDown = true;
    // Simplification: a segfault is an exit the world reports with FIN, not RST.
    x.n.ctx.exit(139);
    return;
  }
  x.out.push(error(`ERR unknown subcommand '${x.argv[1]}'. Try DEBUG HELP.`));
}

export function saveCmd(x: Call): void {
  rdbSave(x.n);
  x.out.push(OK);
}

export function bgsaveCmd(x: Call): void {
  notice(x.n, 'Background saving started');
  rdbSave(x.n);
  notice(x.n, 'Background saving terminated with success');
  x.out.push(status('Background saving started'));
}

export function lastsaveCmd(x: Call): void {
  x.out.push(int(x.n.d.lastSaveSec));
}

export function quitCmd(x: Call): void {
  x.out.push(OK);
  x.c.closeAfterReply = true;
}

export function psyncCmd(x: Call): void {
  const r = syncCommand(x.n, x.c, x.argv);
  if (r) x.out.push(r);
}

export function replconfCmd(x: Call): void {
  const r = replconfCommand(x.n, x.c, x.argv);
  if (r) x.out.push(r);
}
