import { array, error, status, type Resp } from '../../net/resp.js';
import type { RedisNodeConfig } from '../../config/types.js';
import { freeClient } from '../clients.js';
import type { Node } from '../node.js';
import { nowSec } from '../node.js';
import { goodReplicasOk } from '../replication/master.js';
import { sendAck } from '../replication/replica.js';
import type { ClientRec } from '../state.js';
import { propagate } from '../stream.js';
import { waitCmd } from '../wait.js';
import { clientGetnameCmd, clientIdCmd, clientInfoCmd, clientKillCmd, clientListCmd, clientSetnameCmd } from './client.js';
import { dbsizeCmd, delCmd, existsCmd, flushallCmd, getCmd, incrCmd, setCmd } from './keyspace.js';
import { publishCmd, subscribeCmd, unsubscribeCmd } from './pubsub.js';
import {
  authCmd,
  bgsaveCmd,
  configGetCmd,
  configResetstatCmd,
  configRewriteCmd,
  configSetCmd,
  debugCmd,
  echoCmd,
  infoCmd,
  lastsaveCmd,
  pingCmd,
  psyncCmd,
  quitCmd,
  replconfCmd,
  replicaofCmd,
  roleCmd,
  saveCmd,
  selectCmd,
  shutdownCmd,
} from './server.js';
import { Collected, type Call, type CmdFlags, type CmdSpec } from './types.js';

/**
 * The command table (arity and flags as src/commands/*.json) and server.c: processCommand() with
 * its checks in 7.0.15's order, then call() and propagation.
 */

/**
 * Every flag present (false when not set), in one order: one object shape for the whole table, so
 * that processCall()'s seven flag reads per command are monomorphic loads rather than lookups over
 * as many shapes as there are flag combinations.
 */
const F = (s: string): CmdFlags => {
  const f = { write: false, readonly: false, stale: false, loading: false, noauth: false, nomulti: false, mayReplicate: false };
  for (const w of s.split(' ').filter(Boolean)) {
    if (!Object.prototype.hasOwnProperty.call(f, w)) throw new Error(`unknown command flag ${w}`);
    (f as Record<string, boolean>)[w] = true;
  }
  return f;
};

const spec = (fullname: string, arity: number, flags: string, run?: (x: Call) => void, subs?: Record<string, CmdSpec>): CmdSpec => ({
  fullname,
  arity,
  flags: F(flags),
  run,
  subs,
});

export const COMMANDS: Readonly<Record<string, CmdSpec>> = {
  ping: spec('ping', -1, '', pingCmd),
  echo: spec('echo', 2, 'loading stale', echoCmd),
  auth: spec('auth', -2, 'loading stale noauth', authCmd),
  select: spec('select', 2, 'loading stale', selectCmd),
  set: spec('set', -3, 'write', setCmd),
  get: spec('get', 2, 'readonly', getCmd),
  incr: spec('incr', 2, 'write', incrCmd),
  del: spec('del', -2, 'write', delCmd),
  exists: spec('exists', -2, 'readonly', existsCmd),
  dbsize: spec('dbsize', 1, 'readonly', dbsizeCmd),
  flushall: spec('flushall', -1, 'write', flushallCmd),
  info: spec('info', -1, 'loading stale', infoCmd),
  role: spec('role', 1, 'loading stale', roleCmd),
  publish: spec('publish', 3, 'loading stale mayReplicate', publishCmd),
  subscribe: spec('subscribe', -2, 'loading stale', subscribeCmd),
  unsubscribe: spec('unsubscribe', -1, 'loading stale', unsubscribeCmd),
  multi: spec('multi', 1, 'loading stale'),
  exec: spec('exec', 1, 'loading stale'),
  discard: spec('discard', 1, 'loading stale'),
  replicaof: spec('replicaof', 3, 'stale', replicaofCmd),
  slaveof: spec('slaveof', 3, 'stale', replicaofCmd),
  config: spec('config', -2, '', undefined, {
    get: spec('config|get', -3, 'loading stale', configGetCmd),
    set: spec('config|set', -4, 'loading stale', configSetCmd),
    rewrite: spec('config|rewrite', 2, 'loading stale', configRewriteCmd),
    resetstat: spec('config|resetstat', 2, 'loading stale', configResetstatCmd),
  }),
  client: spec('client', -2, '', undefined, {
    setname: spec('client|setname', 3, 'loading stale', clientSetnameCmd),
    getname: spec('client|getname', 2, 'loading stale', clientGetnameCmd),
    kill: spec('client|kill', -3, 'loading stale', clientKillCmd),
    id: spec('client|id', 2, 'loading stale', clientIdCmd),
    list: spec('client|list', -2, 'loading stale', clientListCmd),
    info: spec('client|info', 2, 'loading stale', clientInfoCmd),
  }),
  shutdown: spec('shutdown', -1, 'loading stale nomulti', shutdownCmd),
  debug: spec('debug', -2, 'loading stale', debugCmd),
  save: spec('save', 1, 'nomulti', saveCmd),
  bgsave: spec('bgsave', -1, '', bgsaveCmd),
  lastsave: spec('lastsave', 1, 'loading stale', lastsaveCmd),
  quit: spec('quit', -1, 'loading stale noauth', quitCmd),
  psync: spec('psync', -3, 'nomulti', psyncCmd),
  sync: spec('sync', 1, 'nomulti', psyncCmd),
  replconf: spec('replconf', -1, 'loading stale', replconfCmd),
  wait: spec('wait', 3, '', waitCmd),
};

/**
 * rename-command: the table as this node's config file leaves it (old name gone, new name added);
 * null when the config renames nothing (remembered too, so no command pays for Object.keys()).
 */
const renameCache = new WeakMap<RedisNodeConfig, Map<string, string | null> | null>();

function resolveName(cfg: RedisNodeConfig, typed: string): string | undefined {
  const t = typed.toLowerCase();
  let m = renameCache.get(cfg);
  if (m === undefined) {
    const ren = cfg.renamedCommands;
    if (Object.keys(ren).length === 0) m = null;
    else {
      m = new Map();
      for (const [oldName, newName] of Object.entries(ren)) {
        if (newName.toLowerCase() !== oldName.toLowerCase()) m.set(oldName.toLowerCase(), null);
      }
      for (const [oldName, newName] of Object.entries(ren)) if (newName !== '') m.set(newName.toLowerCase(), oldName.toLowerCase());
    }
    renameCache.set(cfg, m);
  }
  if (m === null) return t;
  const r = m.get(t);
  if (r === undefined) return t;
  return r ?? undefined;
}

type Found = { readonly cmd: CmdSpec; readonly canonical: string };

/**
 * A command without subcommands, found once per spelling (`PING`, `ping`...) and config: what
 * lookup() gives for it depends on nothing else but the argument count. Bounded: only names of the
 * table, as typed, are remembered.
 */
const foundCache = new WeakMap<RedisNodeConfig, Map<string, Found | null>>();
const MAX_CACHED_SPELLINGS = 512;

function lookupTop(cfg: RedisNodeConfig, typed: string): Found | null {
  let m = foundCache.get(cfg);
  if (m === undefined) {
    m = new Map();
    foundCache.set(cfg, m);
  }
  let f = m.get(typed);
  if (f === undefined) {
    const name = resolveName(cfg, typed);
    // Own names only: `constructor` or `__proto__` typed by a client are unknown commands.
    const top = name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
    f = top ? { cmd: top, canonical: name! } : null;
    if (m.size < MAX_CACHED_SPELLINGS && top) m.set(typed, f);
  }
  return f;
}

/** server.c: lookupCommand() + commandCheckExistence() + commandCheckArity(). */
function lookup(n: Node, argv: string[]): Found | { err: string } {
  const found = lookupTop(n.cfg, argv[0]!);
  if (!found) {
    let args = '';
    for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i]!.slice(0, 128 - args.length)}' `;
    return { err: `ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${args}`.replace(/[\r\n]/g, ' ') };
  }
  const top = found.cmd;
  let cmd = top;
  if (top.subs && argv.length >= 2) {
    const subName = argv[1]!.toLowerCase();
    const sub = Object.prototype.hasOwnProperty.call(top.subs, subName) ? top.subs[subName] : undefined;
    if (!sub) return { err: `ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`.replace(/[\r\n]/g, ' ') };
    cmd = sub;
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    return { err: `ERR wrong number of arguments for '${cmd.fullname}' command` };
  }
  return cmd === top ? found : { cmd, canonical: found.canonical };
}

const QUEUED = status('QUEUED');

/** A Call whose fields are refilled for each command (see takeCall()). */
interface ReusedCall extends Call {
  n: Node;
  c: ClientRec;
  argv: string[];
  fromMaster: boolean;
}

let spareCall: ReusedCall | null = null;

/**
 * The Call and its two collectors for a command from a client or our master, reused from one command to the next
 * instead of three objects made per command: nothing keeps them past the command (the replies and
 * propagated commands they hold are sent or fed on before it ends). Taken while in use, so a call
 * nested in another (none today) would make its own.
 */
function takeCall(n: Node, c: ClientRec, argv: string[], fromMaster: boolean): ReusedCall {
  const x = spareCall;
  if (x === null) return { n, c, argv, out: new Collected(), prop: new Collected(), fromMaster };
  spareCall = null;
  x.n = n;
  x.c = c;
  x.argv = argv;
  x.fromMaster = fromMaster;
  return x;
}

/** Back for the next command, holding nothing of this one (no world stays reachable from it). */
function giveBack(x: ReusedCall): void {
  x.out.clear();
  x.prop.clear();
  x.n = undefined as unknown as Node;
  x.c = undefined as unknown as ClientRec;
  x.argv = NO_ARGV;
  spareCall = x;
}

const NO_ARGV: string[] = [];

/** server.c: processCommand() for a command from a normal/pubsub/replica client connection. */
export function processCommand(n: Node, c: ClientRec, argv: string[]): void {
  const x = takeCall(n, c, argv, false);
  processCall(x);
  giveBack(x);
}

function processCall(x: ReusedCall): void {
  const { n, c, argv, out } = x;
  const d = n.d;
  d.stats.commands++;
  c.lastInteractionSec = nowSec(n);
  const found = lookup(n, argv);
  if ('err' in found) {
    rejectCommand(c, out, found.err, false);
    flush(n, c, out);
    return;
  }
  const { cmd, canonical } = found;
  const isExec = canonical === 'exec';
  const mflags = isExec && c.multi ? c.multi : null;
  const isWrite = !!cmd.flags.write || !!mflags?.writes;
  const denyStale = !cmd.flags.stale || !!mflags?.denyStale;
  const denyLoading = !cmd.flags.loading || !!mflags?.denyLoading;
  // A shutdown waiting for the replicas pauses writes (pauseClients(PAUSE_DURING_SHUTDOWN,
  // CLIENT_PAUSE_WRITE)): the command waits, unanswered, and the server exits before it runs.
  if (d.shutdown && !c.isReplica && (isWrite || cmd.flags.mayReplicate)) return;

  if (!c.authenticated && !cmd.flags.noauth) rejectCommand(c, out, 'NOAUTH Authentication required.', isExec);
  else if (c.multi && cmd.flags.nomulti) rejectCommand(c, out, 'ERR Command not allowed inside a transaction', isExec);
  else if (isWrite && !goodReplicasOk(n)) rejectCommand(c, out, 'NOREPLICAS Not enough good replicas to write.', isExec);
  else if (d.repl && d.conf.replicaReadOnly && isWrite) rejectCommand(c, out, "READONLY You can't write against a read only replica.", isExec);
  else if (c.channels.length > 0 && !['ping', 'subscribe', 'unsubscribe', 'quit'].includes(canonical)) {
    rejectCommand(c, out, `ERR Can't execute '${cmd.fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`, isExec);
  } else if (d.repl && d.repl.state !== 'connected' && !d.conf.replicaServeStaleData && denyStale) {
    rejectCommand(c, out, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", isExec);
  } else if (d.loading && denyLoading) {
    rejectCommand(c, out, 'LOADING Redis is loading the dataset in memory', isExec);
  } else if (c.isReplica && (cmd.flags.write || cmd.flags.readonly || cmd.flags.mayReplicate)) {
    rejectCommand(c, out, "ERR Replica can't interact with the keyspace", isExec);
  } else if (c.multi && !['exec', 'discard', 'multi', 'quit'].includes(canonical)) {
    c.multi.queued.push([canonical, ...argv.slice(1)]);
    if (cmd.flags.write) c.multi.writes = true;
    if (!cmd.flags.stale) c.multi.denyStale = true;
    if (!cmd.flags.loading) c.multi.denyLoading = true;
    out.push(QUEUED);
  } else {
    call(x, canonical, cmd);
    propagate(n, x.prop);
    if (x.prop.length > 0) c.woff = d.masterReplOffset;
  }
  flush(n, c, out);
}

/** A refused command (an EXEC refused aborts its transaction: multi.c's execCommandAbort()); not a closure: this module runs for every command. */
function rejectCommand(c: ClientRec, out: Collected<Resp>, msg: string, isExec: boolean): void {
  if (c.multi) c.multi.dirty = true;
  if (isExec && c.multi) {
    c.multi = null;
    out.push(error(`EXECABORT Transaction discarded because of: ${msg}`));
  } else out.push(error(msg));
}

/** Write the replies and honour CLIENT_CLOSE_AFTER_REPLY (the client may be gone already). */
function flush(n: Node, c: ClientRec, out: Collected<Resp>): void {
  const live = n.d.clients[c.id];
  if (!live || live.isMaster) return;
  for (let i = 0; i < out.length; i++) n.ctx.send(c.id, out.at(i));
  if (live.closeAfterReply) freeClient(n, c.id, true);
}

function call(x: Call, canonical: string, cmd: CmdSpec): void {
  switch (canonical) {
    case 'multi':
      if (x.c.multi) x.out.push(error('ERR MULTI calls can not be nested'));
      else {
        x.c.multi = { queued: [], dirty: false, writes: false, denyStale: false };
        x.out.push(status('OK'));
      }
      return;
    case 'discard':
      if (!x.c.multi) x.out.push(error('ERR DISCARD without MULTI'));
      else {
        x.c.multi = null;
        x.out.push(status('OK'));
      }
      return;
    case 'exec':
      execCmd(x);
      return;
    default:
      cmd.run!(x);
  }
}

/** multi.c: execCommand(). Writes propagate together (wrapped in MULTI/EXEC if more than one). */
function execCmd(x: Call): void {
  const m = x.c.multi;
  if (!m) {
    x.out.push(error('ERR EXEC without MULTI'));
    return;
  }
  x.c.multi = null;
  if (m.dirty) {
    x.out.push(error('EXECABORT Transaction discarded because of previous errors.'));
    return;
  }
  const replies: Resp[] = [];
  for (const argv of m.queued) {
    const found = lookup(x.n, argv);
    if ('err' in found) {
      replies.push(error(found.err));
      continue;
    }
    const sub: Call = { n: x.n, c: x.c, argv, out: new Collected(), prop: x.prop, fromMaster: x.fromMaster };
    call(sub, found.canonical, found.cmd);
    for (let i = 0; i < sub.out.length; i++) replies.push(sub.out.at(i));
  }
  x.out.push(array(replies));
}

/** A command from our master's replication stream: obeyed without checks, replies discarded. */
export function executeFromMaster(n: Node, c: ClientRec, argv: string[]): void {
  const found = lookup(n, argv);
  if ('err' in found) {
    n.ctx.log('warning', `== CRITICAL == This replica is sending an error to its master: '${found.err}' after processing the command '${argv[0]}'`);
    return;
  }
  if (found.canonical === 'replconf' && argv[1]?.toLowerCase() === 'getack') {
    sendAck(n);
    return;
  }
  const x = takeCall(n, c, argv, true);
  call(x, found.canonical, found.cmd);
  giveBack(x);
}
