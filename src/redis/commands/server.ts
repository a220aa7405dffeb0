import { array, bulk, error, int, OK, PONG, status, type Resp } from '../../net/resp.js';
import { stringmatch } from '../../net/stringmatch.js';
import { findParam, PARAMS } from '../config.js';
import { trimBacklog } from '../backlog.js';
import { notice, warning } from '../node.js';
import { persistDisk, rdbSave } from '../persistence.js';
import { sigsegvHandler } from '../crash.js';
import { prepareForShutdown, SHUTDOWN_FORCE, SHUTDOWN_NOSAVE, SHUTDOWN_NOW, SHUTDOWN_SAVE } from '../shutdown.js';
import { infoText, roleReply } from '../info.js';
import { refreshGoodReplicas, replconfCommand, syncCommand } from '../replication/master.js';
import { masterModeLog, replicationSetMaster, replicationUnsetMaster } from '../replication/replica.js';
import { clientInfoString } from '../clients.js';
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
  x.out.push(x.argv.length === 1 ? PONG : bulk(x.argv[1]!));
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
 * server.c: shutdownCommand(). No reply: the process exits, at once or, on a master whose replicas
 * have not acknowledged everything, once they have (prepareForShutdown(), in ../shutdown.ts).
 */
export function shutdownCmd(x: Call): void {
  let flags = 0;
  for (const a of x.argv.slice(1)) {
    const l = a.toLowerCase();
    if (l === 'nosave') flags |= SHUTDOWN_NOSAVE;
    else if (l === 'save') flags |= SHUTDOWN_SAVE;
    else if (l === 'now') flags |= SHUTDOWN_NOW;
    else if (l === 'force') flags |= SHUTDOWN_FORCE;
    else {
      x.out.push(error('ERR syntax error'));
      return;
    }
  }
  if (flags & SHUTDOWN_NOSAVE && flags & SHUTDOWN_SAVE) {
    x.out.push(error('ERR syntax error'));
    return;
  }
  // Already waiting: this client waits too (blockClientShutdown()).
  if (x.n.d.shutdown) return;
  prepareForShutdown(x.n, flags);
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
    sigsegvHandler(x.n);
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
