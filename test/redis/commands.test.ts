import { describe, expect, it } from 'vitest';
import { respCommandBytes } from '../../src/net/resp.js';
import { crash } from '../../src/faults/index.js';
import { redisView } from '../../src/redis/index.js';
import { exchanges } from './helpers/client.js';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, logs, redisWorld, S, state } from './helpers/world.js';

const M = { ip: '10.0.0.1', port: 6379 };
const R2 = { ip: '10.0.0.2', port: 6379 };

function pair(m: Parameters<typeof redisConfig>[0] = {}, r: Parameters<typeof redisConfig>[0] = {}) {
  return redisWorld([
    { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig(m) },
    { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ ...r, replicaofAddr: [M.ip, 6379] }) },
  ]);
}

const reply = (w: ReturnType<typeof pair>['world'], pid: string, conn: string, ...cmd: string[]): unknown => exchanges(clientState(w, pid), conn, ...cmd)[0]?.reply;

describe('INFO and ROLE', () => {
  it('INFO replication of a master and a replica has the real fields, in order, with \\r\\n line ends', () => {
    const { world } = pair();
    world.addHost('h3', '10.0.0.3');
    addClient(world, 'c', 'h3', { m: M, r: R2 }, [
      { atMs: 8000, conn: 'm', argv: ['INFO', 'replication'] },
      { atMs: 8000, conn: 'r', argv: ['INFO', 'replication'] },
      { atMs: 8000, conn: 'm', argv: ['INFO'] },
      { atMs: 8000, conn: 'm', argv: ['INFO', 'server', 'replication'] },
    ]);
    world.runUntil(9 * S);
    const m = reply(world, 'c', 'm', 'INFO', 'replication') as string;
    const keys = (t: string) => t.split('\r\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.indexOf(':')));
    expect(m.startsWith('# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=')).toBe(true);
    expect(m.endsWith('\r\n')).toBe(true);
    expect(keys(m)).toEqual([
      'role', 'connected_slaves', 'slave0', 'master_failover_state', 'master_replid', 'master_replid2', 'master_repl_offset',
      'second_repl_offset', 'repl_backlog_active', 'repl_backlog_size', 'repl_backlog_first_byte_offset', 'repl_backlog_histlen',
    ]);
    expect(m).toMatch(/\r\nmaster_replid:[0-9a-f]{40}\r\nmaster_replid2:0{40}\r\n/);
    expect(m).toContain('\r\nrepl_backlog_active:1\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:1\r\n');
    const r = reply(world, 'c', 'r', 'INFO', 'replication') as string;
    expect(keys(r)).toEqual([
      'role', 'master_host', 'master_port', 'master_link_status', 'master_last_io_seconds_ago', 'master_sync_in_progress',
      'slave_read_repl_offset', 'slave_repl_offset', 'slave_priority', 'slave_read_only', 'replica_announced', 'connected_slaves',
      'master_failover_state', 'master_replid', 'master_replid2', 'master_repl_offset', 'second_repl_offset', 'repl_backlog_active',
      'repl_backlog_size', 'repl_backlog_first_byte_offset', 'repl_backlog_histlen',
    ]);
    expect(r).toContain('role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n');
    const all = clientState(world, 'c').log[2]!.reply as string;
    expect(all.startsWith('# Server\r\nredis_version:7.0.15\r\n')).toBe(true);
    expect(all).toMatch(new RegExp(`\r\nrun_id:${state(world, 'r1').runId}\r\n`));
    expect(all).toContain('\r\n\r\n# Replication\r\nrole:master\r\n');
    const two = clientState(world, 'c').log[3]!.reply as string;
    expect(two.split('\r\n').filter((l) => l.startsWith('#'))).toEqual(['# Server', '# Replication']);
  });

  it('a replica whose master is unreachable reports link down, -1 down-since before any connection, and ROLE state connect', () => {
    const { world } = redisWorld([{ pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ replicaofAddr: ['10.0.0.9', 6379] }) }]);
    world.addHost('h9', '10.0.0.9');
    addClient(world, 'c', 'h2', { r: R2 }, [
      { atMs: 3000, conn: 'r', argv: ['INFO', 'replication'] },
      { atMs: 3000, conn: 'r', argv: ['ROLE'] },
    ]);
    world.runUntil(4 * S);
    const r = reply(world, 'c', 'r', 'INFO', 'replication') as string;
    expect(r).toContain('master_link_status:down\r\nmaster_last_io_seconds_ago:-1\r\nmaster_sync_in_progress:0\r\nslave_read_repl_offset:1\r\nslave_repl_offset:1\r\nmaster_link_down_since_seconds:-1\r\nslave_priority:100\r\n');
    expect(reply(world, 'c', 'r', 'ROLE')).toEqual(['slave', '10.0.0.9', 6379, 'connect', -1]);
  });

  it('ROLE on a master lists online replicas as bulk strings; on a connected replica it is "connected" with the offset', () => {
    const { world } = pair();
    addClient(world, 'c', 'h1', { m: M, r: R2 }, [
      { atMs: 8000, conn: 'm', argv: ['ROLE'] },
      { atMs: 8000, conn: 'r', argv: ['ROLE'] },
    ]);
    world.runUntil(9 * S);
    const off = state(world, 'r1').masterReplOffset;
    expect(reply(world, 'c', 'm', 'ROLE')).toEqual(['master', off, [['10.0.0.2', '6379', String(off)]]]);
    expect(reply(world, 'c', 'r', 'ROLE')).toEqual(['slave', '10.0.0.1', 6379, 'connected', off]);
  });
});

describe('command errors and admin commands', () => {
  it('keys named like Object.prototype members are plain keys: on the master, on its replica, and from the RDB after a restart', () => {
    const { world } = pair();
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const gets = (conn: string, atMs: number) => names.map((k, i) => ({ atMs: atMs + i, conn, argv: ['GET', k] }));
    addClient(world, 'c', 'h1', { m: M, r: R2 }, [
      ...gets('m', 8000),
      ...names.map((k, i) => ({ atMs: 8010 + i, conn: 'm', argv: ['SET', k, `v${i}`] })),
      { atMs: 8020, conn: 'm', argv: ['DBSIZE'] },
      ...gets('m', 8021),
      { atMs: 8030, conn: 'm', argv: ['DEL', 'constructor'] },
      { atMs: 8031, conn: 'm', argv: ['EXISTS', 'constructor', '__proto__'] },
      { atMs: 8032, conn: 'm', argv: ['SAVE'] },
      ...gets('r', 9000),
      { atMs: 9010, conn: 'r', argv: ['DBSIZE'] },
    ]);
    world.runUntil(10 * S);
    expect(clientState(world, 'c').log.map((e) => e.reply)).toEqual([
      ...[null, null, null, null],
      ...['OK', 'OK', 'OK', 'OK'],
      4,
      ...['v0', 'v1', 'v2', 'v3'],
      1,
      1,
      'OK',
      ...['v0', null, 'v2', 'v3'],
      3,
    ]);
    crash(world, 'r1');
    world.runUntil(10.5 * S);
    world.start('r1');
    // A client's step times count from its own start.
    addClient(world, 'd', 'h1', { m: M }, [...gets('m', 500), { atMs: 510, conn: 'm', argv: ['DBSIZE'] }]);
    world.runUntil(12 * S);
    expect(clientState(world, 'd').log.map((e) => e.reply)).toEqual(['v0', null, 'v2', 'v3', 3]);
  });

  it('names of Object.prototype are unknown commands and subcommands; any spelling finds a command, with its arity checked each time', () => {
    const { world } = pair();
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 100, conn: 'm', argv: ['constructor'] },
      { atMs: 101, conn: 'm', argv: ['__proto__', 'x'] },
      { atMs: 102, conn: 'm', argv: ['CONFIG', 'constructor'] },
      { atMs: 103, conn: 'm', argv: ['PiNg'] },
      { atMs: 104, conn: 'm', argv: ['ping'] },
      { atMs: 105, conn: 'm', argv: ['PING', 'a', 'b'] },
      { atMs: 106, conn: 'm', argv: ['set', 'k'] },
      { atMs: 107, conn: 'm', argv: ['SET', 'k', 'v'] },
      { atMs: 108, conn: 'm', argv: ['SeT', 'k'] },
      { atMs: 109, conn: 'm', argv: ['GET', 'k'] },
    ]);
    world.runUntil(2 * S);
    expect(clientState(world, 'c').log.map((e) => e.reply)).toEqual([
      { error: "ERR unknown command 'constructor', with args beginning with: " },
      { error: "ERR unknown command '__proto__', with args beginning with: 'x' " },
      { error: "ERR unknown subcommand 'constructor'. Try CONFIG HELP." },
      'PONG',
      'PONG',
      { error: "ERR wrong number of arguments for 'ping' command" },
      { error: "ERR wrong number of arguments for 'set' command" },
      'OK',
      { error: "ERR wrong number of arguments for 'set' command" },
      'v',
    ]);
  });

  it('unknown commands, arity, REPLICAOF to the same master, AUTH, READONLY and rename-command', () => {
    const { world } = pair(
      { requirepass: 'secret', renamedCommands: { config: 'xconfig', flushall: '' } },
      { masterauth: 'secret' },
    );
    addClient(world, 'c', 'h1', { m: M, r: R2 }, [
      { atMs: 100, conn: 'm', argv: ['PING'] },
      { atMs: 101, conn: 'm', argv: ['AUTH', 'wrong'] },
      { atMs: 102, conn: 'm', argv: ['AUTH', 'secret'] },
      { atMs: 103, conn: 'm', argv: ['FOO', 'a', 'b'] },
      { atMs: 104, conn: 'm', argv: ['GET'] },
      { atMs: 105, conn: 'm', argv: ['CONFIG', 'GET', 'repl-timeout'] },
      { atMs: 106, conn: 'm', argv: ['xconfig', 'GET', 'repl-timeout'] },
      { atMs: 107, conn: 'm', argv: ['FLUSHALL'] },
      { atMs: 108, conn: 'm', argv: ['CLIENT', 'FOO'] },
      { atMs: 8000, conn: 'r', argv: ['SET', 'k', 'v'] },
      { atMs: 8001, conn: 'r', argv: ['REPLICAOF', M.ip, '6379'] },
      { atMs: 8002, conn: 'r', argv: ['SLAVEOF', M.ip, 'x'] },
      { atMs: 8003, conn: 'r', argv: ['CONFIG', 'GET', 'slave-*'] },
    ]);
    world.runUntil(9 * S);
    const c = clientState(world, 'c');
    const r = c.log.map((e) => e.reply);
    expect(r.slice(0, 9)).toEqual([
      { error: 'NOAUTH Authentication required.' },
      { error: 'WRONGPASS invalid username-password pair or user is disabled.' },
      'OK',
      { error: "ERR unknown command 'FOO', with args beginning with: 'a' 'b' " },
      { error: "ERR wrong number of arguments for 'get' command" },
      { error: "ERR unknown command 'CONFIG', with args beginning with: 'GET' 'repl-timeout' " },
      ['repl-timeout', '60'],
      { error: "ERR unknown command 'FLUSHALL', with args beginning with: " },
      { error: "ERR unknown subcommand 'FOO'. Try CLIENT HELP." },
    ]);
    // The replica authenticated to its master with masterauth and synced.
    expect(redisView(state(world, 'r2')).linkStatus).toBe('up');
    expect(r.slice(9)).toEqual([
      { error: "READONLY You can't write against a read only replica." },
      'OK Already connected to specified master',
      { error: 'ERR Invalid master port' },
      expect.any(Array),
    ]);
    const got = r[12] as string[];
    const pairs = Object.fromEntries(got.flatMap((v, i) => (i % 2 === 0 ? [[v, got[i + 1]]] : [])));
    expect(pairs).toEqual({ 'slave-priority': '100', 'slave-announce-ip': '', 'slave-announce-port': '0', 'slave-serve-stale-data': 'yes', 'slave-read-only': 'yes' });
  });

  it('replica-serve-stale-data no: -MASTERDOWN for reads and PING while the link is down, INFO still served', () => {
    const { world } = redisWorld([{ pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ replicaofAddr: ['10.0.0.9', 6379], replicaServeStaleData: false }) }]);
    addClient(world, 'c', 'h2', { r: R2 }, [
      { atMs: 100, conn: 'r', argv: ['PING'] },
      { atMs: 101, conn: 'r', argv: ['GET', 'k'] },
      { atMs: 102, conn: 'r', argv: ['ROLE'] },
    ]);
    world.runUntil(1 * S);
    const r = clientState(world, 'c').log.map((e) => e.reply);
    const md = { error: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." };
    expect(r[0]).toEqual(md);
    expect(r[1]).toEqual(md);
    expect((r[2] as unknown[])[0]).toBe('slave');
  });

  it('a replica whose own link is down answers PSYNC with -NOMASTERLINK', () => {
    const { world, trace } = redisWorld([
      { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ replicaofAddr: ['10.0.0.9', 6379] }) },
      { pid: 'r3', host: 'h3', ip: '10.0.0.3', cfg: redisConfig({ replicaofAddr: [R2.ip, 6379] }) },
    ]);
    world.runUntil(2 * S);
    expect(logs(trace!, 'r3')).toContain("Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master");
    expect(redisView(state(world, 'r3')).linkStatus).toBe('down');
  });

  it('DEBUG is refused unless enable-debug-command allows it; DEBUG SEGFAULT then ends the process', () => {
    const { world } = redisWorld([
      { pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig() },
      { pid: 'r2', host: 'h2', ip: R2.ip, cfg: redisConfig({ directives: [{ name: 'enable-debug-command', args: ['yes'], pos: { file: 'x', line: 1 } }] }) },
    ]);
    addClient(world, 'c', 'h1', { m: M, r: R2 }, [
      { atMs: 100, conn: 'm', argv: ['DEBUG', 'SEGFAULT'] },
      { atMs: 100, conn: 'r', argv: ['DEBUG', 'SEGFAULT'] },
    ]);
    world.runUntil(1 * S);
    expect(reply(world, 'c', 'm', 'DEBUG')).toEqual({ error: expect.stringMatching(/^ERR DEBUG command not allowed\./) });
    expect(world.status('r1')).toBe('running');
    expect(world.status('r2')).toBe('down');
    expect(reply(world, 'c', 'r', 'DEBUG')).toEqual({ closed: 'closed' });
  });
});

describe('CLIENT KILL and the Sentinel reconfiguration transaction', () => {
  it('MULTI/SLAVEOF/CONFIG REWRITE/CLIENT KILL TYPE normal/pubsub/EXEC kills every other normal and pubsub client, not the caller nor replicas', () => {
    const { world } = pair();
    world.addHost('h3', '10.0.0.3');
    addClient(world, 'app', 'h3', { m: M }, [{ atMs: 7000, conn: 'm', argv: ['GET', 'x'] }]);
    addClient(world, 'sub', 'h3', { m: M }, [{ atMs: 7000, conn: 'm', argv: ['SUBSCRIBE', '__sentinel__:hello'] }]);
    addClient(world, 's', 'h3', { m: M }, [
      { atMs: 8000, conn: 'm', argv: ['MULTI'] },
      { atMs: 8000, conn: 'm', argv: ['SLAVEOF', 'NO', 'ONE'] },
      { atMs: 8000, conn: 'm', argv: ['CONFIG', 'REWRITE'] },
      { atMs: 8000, conn: 'm', argv: ['CLIENT', 'KILL', 'TYPE', 'normal'] },
      { atMs: 8000, conn: 'm', argv: ['CLIENT', 'KILL', 'TYPE', 'pubsub'] },
      { atMs: 8000, conn: 'm', argv: ['EXEC'] },
      { atMs: 8100, conn: 'm', argv: ['PING'] },
      { atMs: 8200, conn: 'm', argv: ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no'] },
    ]);
    world.runUntil(9 * S);
    const s = clientState(world, 's').log.map((e) => e.reply);
    expect(s.slice(0, 7)).toEqual(['OK', 'QUEUED', 'QUEUED', 'QUEUED', 'QUEUED', ['OK', 'OK', 1, 1], 'PONG']);
    expect(clientState(world, 'app').conns.m!.state).toBe('closed');
    expect(clientState(world, 'sub').conns.m!.state).toBe('closed');
    // The replication link survives.
    expect(redisView(state(world, 'r2')).linkStatus).toBe('up');
    expect(redisView(state(world, 'r1')).connectedReplicas).toBe(1);
    // SKIPME no: the caller is killed too, after its reply.
    expect(s[7]).toBe(1);
    expect(clientState(world, 's').conns.m!.state).toBe('closed');
  });

  it('CLIENT KILL TYPE master on a replica drops its link; it reconnects and continues with PSYNC', () => {
    const { world, trace } = pair();
    addClient(world, 'c', 'h2', { r: R2 }, [{ atMs: 8000, conn: 'r', argv: ['CLIENT', 'KILL', 'TYPE', 'master'] }]);
    world.runUntil(10 * S);
    expect(reply(world, 'c', 'r', 'CLIENT', 'KILL')).toBe(1);
    expect(logs(trace!, 'r2')).toContain('Connection with master lost.');
    expect(trace!.records.filter((r) => r.k === 'state' && r.p === 'r2' && r.what === 'sync').map((r) => r.kind)).toEqual(['full', 'partial']);
  });
});

describe('pub/sub', () => {
  it('PUBLISH on a master reaches its subscribers and, through the replication stream, the replicas’ subscribers', () => {
    const { world } = pair();
    addClient(world, 'subm', 'h1', { m: M }, [{ atMs: 100, conn: 'm', argv: ['SUBSCRIBE', '__sentinel__:hello'] }]);
    addClient(world, 'subr', 'h2', { r: R2 }, [{ atMs: 100, conn: 'r', argv: ['SUBSCRIBE', '__sentinel__:hello'] }]);
    addClient(world, 'pub', 'h1', { m: M, r: R2 }, [
      { atMs: 8000, conn: 'm', argv: ['PUBLISH', '__sentinel__:hello', 'hi'] },
      { atMs: 8500, conn: 'r', argv: ['PUBLISH', '__sentinel__:hello', 'local'] },
    ]);
    world.runUntil(7900 * 1000);
    const before = state(world, 'r1').masterReplOffset;
    world.runUntil(9 * S);
    expect(clientState(world, 'pub').log.map((e) => e.reply)).toEqual([1, 1]);
    expect(clientState(world, 'subm').pushes.map((p) => p.msg)).toEqual([['message', '__sentinel__:hello', 'hi']]);
    expect(clientState(world, 'subr').pushes.map((p) => p.msg)).toEqual([
      ['message', '__sentinel__:hello', 'hi'],
      ['message', '__sentinel__:hello', 'local'],
    ]);
    // The first propagated command after the full sync is preceded by SELECT 0.
    const bytes = respCommandBytes(['SELECT', '0']) + respCommandBytes(['PUBLISH', '__sentinel__:hello', 'hi']);
    expect(state(world, 'r1').masterReplOffset - before).toBe(bytes);
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
    expect(clientState(world, 'subm').log[0]!.reply).toEqual(['subscribe', '__sentinel__:hello', 1]);
  });

  it('writes inside MULTI/EXEC reach the replica as one MULTI ... EXEC unit', () => {
    const { world } = pair();
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 8000, conn: 'm', argv: ['MULTI'] },
      { atMs: 8000, conn: 'm', argv: ['SET', 'a', '1'] },
      { atMs: 8000, conn: 'm', argv: ['INCR', 'a'] },
      { atMs: 8000, conn: 'm', argv: ['EXEC'] },
      { atMs: 8001, conn: 'm', argv: ['MULTI'] },
      { atMs: 8001, conn: 'm', argv: ['NOPE'] },
      { atMs: 8001, conn: 'm', argv: ['EXEC'] },
    ]);
    world.runUntil(9 * S);
    const r = clientState(world, 'c').log.map((e) => e.reply);
    expect(r).toEqual([
      'OK', 'QUEUED', 'QUEUED', ['OK', 2],
      'OK', { error: "ERR unknown command 'NOPE', with args beginning with: " }, { error: 'EXECABORT Transaction discarded because of previous errors.' },
    ]);
    expect(state(world, 'r2').db).toEqual({ a: '2' });
    expect(state(world, 'r2').masterReplOffset).toBe(state(world, 'r1').masterReplOffset);
  });
});
