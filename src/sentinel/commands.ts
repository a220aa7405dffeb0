import { array, bulk, error, int, NULL_BULK, OK, PONG, status, type Resp } from '../net/resp.js';
import type { ConnId, Ctx } from '../net/process.js';
import { shutdownSentinel } from './shutdown.js';
import { DEBUG_KEYS, REDIS_VERSION, SENTINEL_HELLO_CHANNEL } from './constants.js';
import { isMasterDownByAddr } from './down.js';
import { startFailover } from './election.js';
import { stringmatch } from '../net/stringmatch.js';
import { sentinelEvent } from './events.js';
import { selectSlave } from './failover/select.js';
import { processHelloMessage } from './hello.js';
import { SIMFAILURE_CRASH_AFTER_ELECTION, SIMFAILURE_CRASH_AFTER_PROMOTION } from './info.js';
import { closeLinkConnection, createAddr, createInstance, currentMasterAddr, linkOf, releaseInstance, resetMaster } from './instances.js';
import type { Out } from './out.js';
import { F, FAILOVER_STATE_NAMES, type ClientConn, type Instance, type SentinelState } from './state.js';

/** What other Sentinels send all the time (PING every second, hellos every 2 s), lower-cased once: toLowerCase() makes a new string per call. */
const LOWER_NAMES: ReadonlyMap<string, string> = new Map(['PING', 'PUBLISH', 'SENTINEL', 'ping', 'publish', 'sentinel'].map((c) => [c, c.toLowerCase()]));

/**
 * The commands a Sentinel answers: sentinelCommand(), sentinelInfoCommand(),
 * sentinelPublishCommand(), sentinelRoleCommand(), plus AUTH/CLIENT/PING/SUBSCRIBE.
 */
export function executeCommand(s: SentinelState, ctx: Ctx, out: Out, conn: ConnId, client: ClientConn, argv: string[], now: number): void {
  const name = LOWER_NAMES.get(argv[0]!) ?? argv[0]!.toLowerCase();
  if (!client.authed && name !== 'auth' && name !== 'hello' && name !== 'quit') {
    out.send(conn, error('NOAUTH Authentication required.'));
    return;
  }
  switch (name) {
    case 'ping':
      if (client.subscriptions.length + client.patterns.length > 0) out.send(conn, array([bulk('pong'), bulk(argv[1] ?? '')]));
      else out.send(conn, argv.length > 1 ? bulk(argv[1]!) : PONG);
      return;
    case 'auth': {
      if (argv.length < 2 || argv.length > 3) return out.send(conn, arityError('auth'));
      if (s.requirepass === null) return out.send(conn, error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'));
      const pass = argv[argv.length - 1]!;
      const user = argv.length === 3 ? argv[1]! : 'default';
      if (user === 'default' && pass === s.requirepass) {
        client.authed = true;
        return out.send(conn, OK);
      }
      return out.send(conn, error('WRONGPASS invalid username-password pair or user is disabled.'));
    }
    case 'quit':
      out.send(conn, OK);
      out.close(conn);
      delete s.conns[conn];
      return;
    case 'client':
      return clientCommand(s, out, conn, client, argv);
    case 'info':
      return out.send(conn, bulk(infoText(s, argv.slice(1), now)));
    case 'role':
      return out.send(conn, array([bulk('sentinel'), array(s.masters.map((m) => bulk(m.name)))]));
    case 'publish':
      // sentinelPublishCommand(): only hellos, processed directly.
      if (argv.length !== 3) return out.send(conn, arityError('publish'));
      if (argv[1] !== SENTINEL_HELLO_CHANNEL) return out.send(conn, error('ERR Only HELLO messages are accepted by Sentinel instances.'));
      processHelloMessage(s, ctx, out, argv[2]!, now);
      return out.send(conn, int(1));
    case 'subscribe':
    case 'psubscribe': {
      if (argv.length < 2) return out.send(conn, arityError(name));
      const list = name === 'subscribe' ? client.subscriptions : client.patterns;
      for (const ch of argv.slice(1)) {
        if (!list.includes(ch)) list.push(ch);
        out.send(conn, array([bulk(name), bulk(ch), int(client.subscriptions.length + client.patterns.length)]));
      }
      return;
    }
    case 'unsubscribe':
    case 'punsubscribe': {
      const isPattern = name === 'punsubscribe';
      const list = isPattern ? client.patterns : client.subscriptions;
      const targets = argv.length > 1 ? argv.slice(1) : [...list];
      for (const ch of targets) {
        const i = list.indexOf(ch);
        if (i >= 0) list.splice(i, 1);
        out.send(conn, array([bulk(name), bulk(ch), int(client.subscriptions.length + client.patterns.length)]));
      }
      return;
    }
    case 'shutdown':
      shutdownSentinel(ctx);
      return;
    case 'sentinel':
      return out.send(conn, sentinelCommand(s, ctx, out, argv, now));
    default:
      return out.send(conn, unknownCommand(argv));
  }
}

function arityError(cmd: string): Resp {
  return error(`ERR wrong number of arguments for '${cmd}' command`);
}

/** networking.c / server.c: the 7.0 text for an unknown command. */
export function unknownCommand(argv: readonly string[]): Resp {
  const args = argv
    .slice(1)
    .map((a) => `'${a.length > 128 ? a.slice(0, 128) : a}' `)
    .join('');
  return error(`ERR unknown command '${argv[0]}', with args beginning with: ${args}`);
}

function clientCommand(s: SentinelState, out: Out, conn: ConnId, client: ClientConn, argv: string[]): void {
  const sub = (argv[1] ?? '').toLowerCase();
  if (sub === 'setname' && argv.length === 3) {
    client.name = argv[2]!;
    out.send(conn, OK);
  } else if (sub === 'getname' && argv.length === 2) {
    out.send(conn, client.name ? bulk(client.name) : NULL_BULK);
  } else if (sub === 'id' && argv.length === 2) {
    out.send(conn, int(conn));
  } else {
    out.send(conn, error(`ERR unknown subcommand '${argv[1] ?? ''}'. Try CLIENT HELP.`));
  }
}

const SENTINEL_ARITY: Record<string, number> = {
  ckquorum: 3, config: -3, debug: -2, failover: 3, flushconfig: 2, 'get-master-addr-by-name': 3, help: 2, 'info-cache': -3,
  'is-master-down-by-addr': 6, master: 3, masters: 2, monitor: 6, myid: 2, 'pending-scripts': 2, remove: 3, replicas: 3,
  reset: 3, sentinels: 3, set: -5, 'simulate-failure': -3, slaves: 3,
};

function masterOrErr(s: SentinelState, name: string): Instance | Resp {
  const m = s.masters.find((x) => x.name === name);
  return m ?? error('ERR No such master with that name');
}

/** sentinelCommand() */
function sentinelCommand(s: SentinelState, ctx: Ctx, out: Out, argv: string[], now: number): Resp {
  if (argv.length < 2) return arityError('sentinel');
  const sub = argv[1]!.toLowerCase();
  const arity = SENTINEL_ARITY[sub];
  if (arity === undefined) return error(`ERR unknown subcommand '${argv[1]}'. Try SENTINEL HELP.`);
  if ((arity > 0 && argv.length !== arity) || (arity < 0 && argv.length < -arity)) return error(`ERR wrong number of arguments for 'sentinel|${sub}' command`);
  switch (sub) {
    case 'masters':
      return array(s.masters.map((m) => describeInstance(s, m, now)));
    case 'master': {
      const m = masterOrErr(s, argv[2]!);
      return 'flags' in m ? describeInstance(s, m, now) : m;
    }
    case 'replicas':
    case 'slaves': {
      const m = masterOrErr(s, argv[2]!);
      if (!('flags' in m)) return m;
      return array(m.slaves.filter((x) => x.replicaAnnounced).map((x) => describeInstance(s, x, now)));
    }
    case 'sentinels': {
      const m = masterOrErr(s, argv[2]!);
      if (!('flags' in m)) return m;
      return array(m.sentinels.map((x) => describeInstance(s, x, now)));
    }
    case 'myid':
      return bulk(s.myid);
    case 'get-master-addr-by-name':
      return getMasterAddrByNameCommand(s, argv[2]!);
    case 'ckquorum': {
      const m = masterOrErr(s, argv[2]!);
      if (!('flags' in m)) return m;
      return ckquorum(m);
    }
    case 'is-master-down-by-addr':
      return isMasterDownByAddrCommand(s, ctx, out, argv.slice(2), now);
    case 'failover':
      return failoverCommand(s, ctx, argv[2]!, now);
    case 'reset':
      return resetCommand(s, ctx, out, argv[2]!, now);
    case 'flushconfig':
      out.flushConfigNow();
      return OK;
    case 'debug':
      return debugCommand(s, argv.slice(2));
    case 'config':
      return configCommand(s, out, argv.slice(2));
    case 'set':
      return setCommand(s, ctx, out, argv.slice(2));
    case 'monitor':
      return monitorCommand(s, ctx, out, argv.slice(2), now);
    case 'remove':
      return removeCommand(s, ctx, out, argv[2]!);
    case 'info-cache':
      return infoCacheCommand(s, argv.slice(2), now);
    case 'pending-scripts':
      return array([]);
    case 'simulate-failure':
      return simulateFailureCommand(s, argv.slice(2));
    case 'help':
      return array(Object.keys(SENTINEL_ARITY).map((k) => status(k.toUpperCase())));
    default:
      return error(`ERR unknown subcommand '${argv[1]}'. Try SENTINEL HELP.`);
  }
}

/** SENTINEL GET-MASTER-ADDR-BY-NAME: the address clients should use now (sentinelGetCurrentMasterAddress()). */
function getMasterAddrByNameCommand(s: SentinelState, name: string): Resp {
  const m = s.masters.find((x) => x.name === name);
  if (!m) return array(null);
  const a = currentMasterAddr(m);
  return array([bulk(s.announceHostnames ? a.hostname : a.ip), bulk(String(a.port))]);
}

/** SENTINEL IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>: another Sentinel's down-state query and vote request. */
function isMasterDownByAddrCommand(s: SentinelState, ctx: Ctx, out: Out, args: string[], now: number): Resp {
  const port = parseLong(args[1]!);
  const epoch = parseLong(args[2]!);
  if (port === null || epoch === null) return error('ERR value is not an integer or out of range');
  const r = isMasterDownByAddr(s, ctx, out, args[0]!, port, epoch, args[3]!, now);
  return array([int(r.isdown), bulk(r.leader ?? '*'), int(r.leaderEpoch)]);
}

/** SENTINEL FAILOVER <name>: a forced failover, no quorum or agreement asked. */
function failoverCommand(s: SentinelState, ctx: Ctx, name: string, now: number): Resp {
  const m = masterOrErr(s, name);
  if (!('flags' in m)) return m;
  if (m.flags & F.FAILOVER_IN_PROGRESS) return error('INPROG Failover already in progress');
  if (selectSlave(s, m, now) === null) return error('NOGOODSLAVE No suitable replica to promote');
  ctx.log('warning', `Executing user requested FAILOVER of '${m.name}'`);
  startFailover(s, ctx, m, now);
  m.flags |= F.FORCE_FAILOVER;
  return OK;
}

/** SENTINEL RESET <pattern>: sentinelResetMastersByPattern(). */
function resetCommand(s: SentinelState, ctx: Ctx, out: Out, pattern: string, now: number): Resp {
  let count = 0;
  for (const m of [...s.masters]) {
    if (!stringmatch(pattern, m.name, false)) continue;
    resetMaster(s, ctx, out, m, now, true, true);
    count++;
  }
  if (count) out.flushConfigNow();
  return int(count);
}

/** SENTINEL REMOVE <name>: stop monitoring a master. */
function removeCommand(s: SentinelState, ctx: Ctx, out: Out, name: string): Resp {
  const i = s.masters.findIndex((x) => x.name === name);
  if (i < 0) return error('ERR No such master with that name');
  const m = s.masters[i]!;
  sentinelEvent(s, ctx, 'warning', '-monitor', m, null, '%@');
  releaseInstance(s, out, m);
  s.masters = s.masters.filter((x) => x !== m);
  out.flushConfigNow();
  return OK;
}

/** SENTINEL INFO-CACHE [<name> ...]: the last INFO of each master and its replicas, with its age. */
function infoCacheCommand(s: SentinelState, names: string[], now: number): Resp {
  const masters = s.masters.filter((m) => names.length === 0 || names.includes(m.name));
  const age = (ri: Instance) => array([int(ri.infoRefresh ? now - ri.infoRefresh : 0), ri.info ? bulk(ri.info) : NULL_BULK]);
  return array(masters.flatMap((m) => [bulk(m.name), array([age(m), ...m.slaves.map(age)])]));
}

/** SENTINEL SIMULATE-FAILURE <flag> ...: the flags replace the previous ones; those before a refused one stay set. */
function simulateFailureCommand(s: SentinelState, flags: string[]): Resp {
  s.simfailureFlags = 0;
  for (const a of flags) {
    const x = a.toLowerCase();
    if (x === 'crash-after-election') s.simfailureFlags |= SIMFAILURE_CRASH_AFTER_ELECTION;
    else if (x === 'crash-after-promotion') s.simfailureFlags |= SIMFAILURE_CRASH_AFTER_PROMOTION;
    else if (x === 'help') return array([bulk('crash-after-election'), bulk('crash-after-promotion')]);
    else return error('ERR Unknown failure simulation specified');
  }
  return OK;
}

function parseLong(v: string): number | null {
  return /^-?\d+$/.test(v) ? Number(v) : null;
}

/** SENTINEL CKQUORUM: sentinelIsQuorumReachable(). */
export function ckquorum(m: Instance): Resp {
  const voters = m.sentinels.length + 1;
  let usable = 1;
  for (const x of m.sentinels) if (!(x.flags & (F.S_DOWN | F.O_DOWN))) usable++;
  const reasons: string[] = [];
  if (usable < m.quorum) reasons.push('Not enough available Sentinels to reach the specified quorum for this master');
  if (usable < Math.floor(voters / 2) + 1) reasons.push('Not enough available Sentinels to reach the majority and authorize a failover');
  if (reasons.length === 0) return status(`OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`);
  return error(`NOQUORUM ${usable} usable Sentinels. ${reasons.join('. ')}`);
}

const FLAG_NAMES: readonly [number, string][] = [
  [F.S_DOWN, 's_down'], [F.O_DOWN, 'o_down'], [F.MASTER, 'master'], [F.SLAVE, 'slave'], [F.SENTINEL, 'sentinel'],
  [-1, 'disconnected'], [F.MASTER_DOWN, 'master_down'], [F.FAILOVER_IN_PROGRESS, 'failover_in_progress'],
  [F.PROMOTED, 'promoted'], [F.RECONF_SENT, 'reconf_sent'], [F.RECONF_INPROG, 'reconf_inprog'], [F.RECONF_DONE, 'reconf_done'],
  [F.FORCE_FAILOVER, 'force_failover'], [F.SCRIPT_KILL_SENT, 'script_kill_sent'],
];

export function flagsString(s: SentinelState, ri: Instance): string {
  const link = linkOf(s, ri);
  return FLAG_NAMES.filter(([bit]) => (bit === -1 ? link.disconnected : (ri.flags & bit) !== 0))
    .map(([, n]) => n)
    .join(',');
}

/** addReplySentinelRedisInstance(): a flat array of name/value bulk strings. */
export function describeInstance(s: SentinelState, ri: Instance, now: number): Resp {
  const link = linkOf(s, ri);
  const f: [string, string | number][] = [
    ['name', ri.name],
    ['ip', s.announceHostnames ? ri.addr.hostname : ri.addr.ip],
    ['port', ri.addr.port],
    ['runid', ri.runid ?? ''],
    ['flags', flagsString(s, ri)],
    ['link-pending-commands', link.pendingCommands],
    ['link-refcount', link.refcount],
  ];
  if (ri.flags & F.FAILOVER_IN_PROGRESS) f.push(['failover-state', FAILOVER_STATE_NAMES[ri.failoverState]]);
  f.push(['last-ping-sent', link.actPingTime ? now - link.actPingTime : 0]);
  f.push(['last-ok-ping-reply', now - link.lastAvailTime]);
  f.push(['last-ping-reply', now - link.lastPongTime]);
  if (ri.flags & F.S_DOWN) f.push(['s-down-time', now - ri.sDownSinceTime]);
  if (ri.flags & F.O_DOWN) f.push(['o-down-time', now - ri.oDownSinceTime]);
  f.push(['down-after-milliseconds', ri.downAfterPeriod]);
  if (ri.flags & (F.MASTER | F.SLAVE)) {
    f.push(['info-refresh', ri.infoRefresh ? now - ri.infoRefresh : 0]);
    f.push(['role-reported', ri.roleReported === 'slave' ? 'slave' : 'master']);
    f.push(['role-reported-time', now - ri.roleReportedTime]);
  }
  if (ri.flags & F.MASTER) {
    f.push(['config-epoch', ri.configEpoch]);
    f.push(['num-slaves', ri.slaves.length]);
    f.push(['num-other-sentinels', ri.sentinels.length]);
    f.push(['quorum', ri.quorum]);
    f.push(['failover-timeout', ri.failoverTimeout]);
    f.push(['parallel-syncs', ri.parallelSyncs]);
    if (ri.notificationScript) f.push(['notification-script', ri.notificationScript]);
    if (ri.clientReconfigScript) f.push(['client-reconfig-script', ri.clientReconfigScript]);
  }
  if (ri.flags & F.SLAVE) {
    f.push(['master-link-down-time', ri.masterLinkDownTime]);
    f.push(['master-link-status', ri.slaveMasterLinkStatus === 'up' ? 'ok' : 'err']);
    f.push(['master-host', ri.slaveMasterHost ?? '?']);
    f.push(['master-port', ri.slaveMasterPort]);
    f.push(['slave-priority', ri.slavePriority]);
    f.push(['slave-repl-offset', ri.slaveReplOffset]);
    f.push(['replica-announced', ri.replicaAnnounced ? 1 : 0]);
  }
  if (ri.flags & F.SENTINEL) {
    f.push(['last-hello-message', now - ri.lastHelloTime]);
    f.push(['voted-leader', ri.leader ?? '?']);
    f.push(['voted-leader-epoch', ri.leaderEpoch]);
  }
  return array(f.flatMap(([k, v]) => [bulk(k), bulk(String(v))]));
}

function debugCommand(s: SentinelState, args: string[]): Resp {
  if (args.length === 0) return array(DEBUG_KEYS.flatMap(([k, field]) => [bulk(k), bulk(String(s.tun[field]))]));
  if (args.length % 2 !== 0) return error("ERR wrong number of arguments for 'sentinel|debug' command");
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]!.toLowerCase();
    const entry = DEBUG_KEYS.find(([k]) => k === key);
    const v = parseLong(args[i + 1]!);
    if (!entry || v === null || v <= 0) return error(`ERR Invalid argument '${args[i + 1]}' for SENTINEL DEBUG '${args[i]}'`);
    s.tun[entry[1]] = v;
  }
  return OK;
}

function configCommand(s: SentinelState, out: Out, args: string[]): Resp {
  const verb = args[0]!.toLowerCase();
  const param = (args[1] ?? '').toLowerCase();
  const get: Record<string, () => string> = {
    'resolve-hostnames': () => (s.resolveHostnames ? 'yes' : 'no'),
    'announce-hostnames': () => (s.announceHostnames ? 'yes' : 'no'),
    'announce-ip': () => s.announceIp ?? '',
    'announce-port': () => String(s.announcePort),
    'sentinel-user': () => s.sentinelUser ?? '',
    'sentinel-pass': () => s.sentinelPass ?? '',
  };
  if (verb === 'get' && args.length === 2) {
    const keys = Object.keys(get).filter((k) => stringmatch(param, k, true));
    return array(keys.flatMap((k) => [bulk(k), bulk(get[k]!())]));
  }
  if (verb === 'set' && args.length === 3) {
    const v = args[2]!;
    const yesno = (x: string) => (x.toLowerCase() === 'yes' ? true : x.toLowerCase() === 'no' ? false : null);
    switch (param) {
      case 'resolve-hostnames':
      case 'announce-hostnames': {
        const b = yesno(v);
        if (b === null) return error(`ERR Invalid value '${v}' to SENTINEL CONFIG SET '${param}'`);
        if (param === 'resolve-hostnames') s.resolveHostnames = b;
        else s.announceHostnames = b;
        break;
      }
      case 'announce-ip':
        s.announceIp = v === '' ? null : v;
        break;
      case 'announce-port': {
        const p = parseLong(v);
        if (p === null || p < 0 || p > 65535) return error(`ERR Invalid value '${v}' to SENTINEL CONFIG SET '${param}'`);
        s.announcePort = p;
        break;
      }
      case 'sentinel-user':
      case 'sentinel-pass':
        if (param === 'sentinel-user') s.sentinelUser = v === '' ? null : v;
        else s.sentinelPass = v === '' ? null : v;
        // New credentials: drop every link to other Sentinels so they reconnect with them.
        for (const m of s.masters) for (const x of m.sentinels) { closeLinkConnection(s, out, linkOf(s, x), 'cc'); }
        break;
      default:
        return error(`ERR Invalid argument '${args[1]}' to SENTINEL CONFIG SET`);
    }
    out.flushConfigNow();
    return OK;
  }
  return error("ERR wrong number of arguments for 'sentinel|config' command");
}

/** SENTINEL SET: sentinelSetCommand(). Options before an error stay applied. */
function setCommand(s: SentinelState, ctx: Ctx, out: Out, args: string[]): Resp {
  const m = masterOrErr(s, args[0]!);
  if (!('flags' in m)) return m;
  let changed = false;
  let reply: Resp = OK;
  for (let i = 1; i < args.length; i += 2) {
    const opt = args[i]!;
    const o = opt.toLowerCase();
    const val = args[i + 1];
    if (val === undefined) {
      reply = unknownSetOption(opt);
      break;
    }
    if (o === 'rename-command') {
      // The one option taking two values: rename-command <command> <new name>.
      const to = args[i + 2];
      if (to === undefined) {
        reply = unknownSetOption(opt);
        break;
      }
      m.renamedCommands[val.toLowerCase()] = to;
      changed = true;
      sentinelEvent(s, ctx, 'warning', '+set', m, null, `%@ rename-command ${val} ${to}`);
      i++;
      continue;
    }
    const err = setMasterOption(s, out, m, opt, val);
    if (err !== null) {
      reply = err;
      break;
    }
    changed = true;
    sentinelEvent(s, ctx, 'warning', '+set', m, null, `%@ ${opt} ${o === 'auth-pass' ? '******' : val}`);
  }
  if (changed) out.flushConfigNow();
  return reply;
}

function unknownSetOption(opt: string): Resp {
  return error(`ERR Unknown option or number of arguments for SENTINEL SET '${opt}'`);
}

/** One `<option> <value>` pair of SENTINEL SET (sentinelSetCommand()'s option branches): the error, or null once applied. */
function setMasterOption(s: SentinelState, out: Out, m: Instance, opt: string, val: string): Resp | null {
  const o = opt.toLowerCase();
  const bad = () => error(`ERR Invalid argument '${val}' for SENTINEL SET '${opt}'`);
  const n = parseLong(val);
  switch (o) {
    case 'down-after-milliseconds':
      if (n === null || n <= 0) return bad();
      m.downAfterPeriod = n;
      for (const x of [...m.slaves, ...m.sentinels]) x.downAfterPeriod = n;
      return null;
    case 'failover-timeout':
      if (n === null || n <= 0) return bad();
      m.failoverTimeout = n;
      return null;
    case 'parallel-syncs':
      if (n === null || n <= 0) return bad();
      m.parallelSyncs = n;
      return null;
    case 'quorum':
      if (n === null || n <= 0) return bad();
      m.quorum = n;
      return null;
    case 'master-reboot-down-after-period':
      if (n === null || n < 0) return bad();
      m.masterRebootDownAfterPeriod = n;
      return null;
    case 'auth-pass':
    case 'auth-user':
      if (o === 'auth-pass') m.authPass = val === '' ? null : val;
      else m.authUser = val === '' ? null : val;
      // Reconnect to the master and its replicas with the new credentials.
      for (const x of [m, ...m.slaves]) {
        closeLinkConnection(s, out, linkOf(s, x), 'cc');
        closeLinkConnection(s, out, linkOf(s, x), 'pc');
      }
      return null;
    case 'notification-script':
    case 'client-reconfig-script':
      if (s.denyScriptsReconfig)
        return error('ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration');
      if (o === 'notification-script') m.notificationScript = val === '' ? null : val;
      else m.clientReconfigScript = val === '' ? null : val;
      return null;
    default:
      return unknownSetOption(opt);
  }
}

/** SENTINEL MONITOR <name> <ip> <port> <quorum> (sentinelCommand()'s monitor branch). */
function monitorCommand(s: SentinelState, ctx: Ctx, out: Out, args: string[], now: number): Resp {
  const [name, host, portStr, quorumStr] = args as [string, string, string, string];
  const quorum = parseLong(quorumStr);
  if (quorum === null) return error('ERR Invalid quorum');
  if (quorum <= 0) return error('ERR Quorum must be 1 or greater.');
  const port = parseLong(portStr);
  if (port === null) return error('ERR Invalid port');
  if (s.masters.some((m) => m.name === name)) return error('ERR Duplicate master name.');
  const addr = createAddr(s, ctx, host, port, false);
  if (typeof addr === 'string') return error(addr === 'Invalid port number.' ? 'ERR Invalid port number.' : 'ERR Invalid IP address or hostname specified');
  const m = createInstance(s, 'master', name, addr, null, now, { quorum });
  out.flushConfigNow();
  sentinelEvent(s, ctx, 'warning', '+monitor', m, null, `%@ quorum ${quorum}`);
  return OK;
}

/** sentinelInfoCommand(). */
function infoText(s: SentinelState, args: string[], now: number): string {
  const wanted = args.length === 0 ? ['default'] : args.map((a) => a.toLowerCase());
  const all = wanted.some((w) => w === 'default' || w === 'all' || w === 'everything');
  const want = (sec: string) => all || wanted.includes(sec);
  const sections: string[] = [];
  if (want('server')) {
    sections.push(
      [
        '# Server',
        `redis_version:${REDIS_VERSION}`,
        'redis_mode:sentinel',
        'os:Linux (simulated)',
        'arch_bits:64',
        `run_id:${s.myid}`,
        `tcp_port:${s.port}`,
        `config_file:${s.configFile}`,
      ].join('\r\n'),
    );
  }
  if (want('clients')) {
    const clients = Object.values(s.conns).filter((c) => c.k === 'client').length;
    sections.push(['# Clients', `connected_clients:${clients}`].join('\r\n'));
  }
  if (want('stats')) sections.push('# Stats');
  if (want('sentinel')) {
    const lines = [
      '# Sentinel',
      `sentinel_masters:${s.masters.length}`,
      `sentinel_tilt:${s.tilt ? 1 : 0}`,
      `sentinel_tilt_since_seconds:${s.tilt ? Math.floor((now - s.tiltStartTime) / 1000) : -1}`,
      'sentinel_running_scripts:0',
      'sentinel_scripts_queue_length:0',
      `sentinel_simulate_failure_flags:${s.simfailureFlags}`,
    ];
    s.masters.forEach((m, i) => {
      const st = m.flags & F.O_DOWN ? 'odown' : m.flags & F.S_DOWN ? 'sdown' : 'ok';
      lines.push(`master${i}:name=${m.name},status=${st},address=${m.addr.ip}:${m.addr.port},slaves=${m.slaves.length},sentinels=${m.sentinels.length + 1}`);
    });
    sections.push(lines.join('\r\n'));
  }
  return sections.join('\r\n\r\n') + '\r\n';
}
