import { describe, expect, it } from 'vitest';
import { InputError, parseRedisConf, parseSentinelConf } from '../../src/config/index.js';

/** Each case: the text, the line Redis 7.0.15 reports and its reason (checked against the real server via the lint corpus). */
const REDIS_CASES: [string, string, number, string][] = [
  ['unknown directive', 'port 7000\n# c\nfoo bar\n', 3, 'Bad directive or wrong number of arguments'],
  ['unterminated double quote', 'requirepass "secret\n', 1, 'Unbalanced quotes in configuration line'],
  ['text glued after closing quote', 'port 1\nrequirepass "abc"def\n', 2, 'Unbalanced quotes in configuration line'],
  ['text glued after single quote', "masterauth 'abc'def\n", 1, 'Unbalanced quotes in configuration line'],
  ['port out of range', 'port 70000\n', 1, 'argument must be between 0 and 65535 inclusive'],
  ['port not a number', 'port abc\n', 1, "argument couldn't be parsed into an integer"],
  ['port with +', 'port +6379\n', 1, "argument couldn't be parsed into an integer"],
  ['leading zero', 'timeout 010\n', 1, "argument couldn't be parsed into an integer"],
  ['bad yes/no', '\n\nappendonly maybe\n', 3, "argument must be 'yes' or 'no'"],
  ['bad memory unit', 'maxmemory 10XB\n', 1, 'argument must be a memory value'],
  ['negative memory', 'maxmemory -1\n', 1, 'argument must be a memory value'],
  ['too many args', 'port 1 2\n', 1, 'wrong number of arguments'],
  ['inline comment', 'port 6379 # default\n', 1, 'wrong number of arguments'],
  ['odd save args', 'save 900\n', 1, 'Invalid save parameters'],
  ['save with unit', 'save 30s 1\n', 1, 'Invalid save parameters'],
  ['replicaof bad port', 'replicaof 10.0.0.1 port\n', 1, 'Invalid master port'],
  ['replicaof port range', 'replicaof 10.0.0.1 65536\n', 1, 'Invalid master port'],
  ['sentinel line in redis mode', 'sentinel monitor m 127.0.0.1 6379 2\n', 1, 'sentinel directive while not in sentinel mode'],
  ['bad enum', 'loglevel loud\n', 1, 'argument(s) must be one of the following: debug, verbose, notice, warning'],
  ['unknown command renamed', 'rename-command nosuchcmd x\n', 1, 'No such command in rename-command'],
  ['rename onto existing', 'rename-command get set\n', 1, 'Target command name already exists'],
  ['databases 0', 'databases 0\n', 1, 'argument must be between 1 and 2147483647 inclusive'],
  ['octal perm', 'unixsocketperm 800\n', 1, "argument couldn't be parsed as an octal number"],
  ['octal perm range', 'unixsocketperm 1000\n', 1, 'argument must be between 0 and 777 inclusive'],
  ['percent too big', 'maxmemory-clients 200%\n', 1, 'percentage argument must be less or equal to 100'],
  ['dbfilename path', 'dbfilename /tmp/x.rdb\n', 1, "dbfilename can't be a path, just a filename"],
  ['acl rule', 'user alice on >pw bogus\n', 1, "Error in user declaration 'on': Syntax error"],
  ['oom values', 'oom-score-adj-values 0 200 3000\n', 1, 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'],
  ['notify classes', 'notify-keyspace-events KEQ\n', 1, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."],
  ['first error wins', 'port 1\n\ntimeout 0\nhz abc\nfoo bar\n', 4, "argument couldn't be parsed into an integer"],
  ['CRLF kept line numbers', 'port 1\r\nappendonly perhaps\r\n', 2, "argument must be 'yes' or 'no'"],
  ['shutdown flags', 'shutdown-on-sigterm save nosave\n', 1, "shutdown options SAVE and NOSAVE can't be used simultaneously"],
  ['backlog 0', 'repl-backlog-size 0\n', 1, 'argument must be between 1 and 9223372036854775807 inclusive'],
];

const SENTINEL_CASES: [string, string, number, string][] = [
  ['hostname without resolve-hostnames', 'sentinel monitor m localhost 6379 2\n', 1, "Can't resolve instance hostname."],
  ['quorum 0', 'sentinel monitor m 127.0.0.1 6379 0\n', 1, 'Quorum must be 1 or greater.'],
  ['unknown master', 'sentinel monitor m 127.0.0.1 6379 2\nsentinel down-after-milliseconds x 5000\n', 2, 'No such master with specified name.'],
  ['master names are case-sensitive', 'sentinel monitor m 127.0.0.1 6379 2\nsentinel failover-timeout M 5000\n', 2, 'No such master with specified name.'],
  ['pre-monitor pass first', 'sentinel monitor m 127.0.0.1 6379 2\nsentinel down-after-milliseconds m 0\nsentinel myid short\n', 3, 'Malformed Sentinel id in myid option.'],
  ['monitor pass before the rest', 'sentinel failover-timeout nosuch 1\nsentinel monitor m 127.0.0.1 6379 0\n', 2, 'Quorum must be 1 or greater.'],
  ['zero down-after', 'sentinel monitor m 127.0.0.1 6379 2\nsentinel down-after-milliseconds m 0\n', 2, 'negative or zero time parameter.'],
  ['port range', 'sentinel monitor m 127.0.0.1 70000 2\n', 1, 'Invalid port number.'],
  ['duplicate master', 'sentinel monitor m 127.0.0.1 1 2\nsentinel monitor m 127.0.0.1 2 2\n', 2, 'Duplicate master name.'],
  ['duplicate replica in two spellings', 'sentinel monitor m 127.0.0.1 1 2\nsentinel known-replica m 127.0.0.1 2\nsentinel known-slave m 127.1 2\n', 3, 'Duplicate hostname and port for replica.'],
  ['duplicate sentinel runid', `sentinel monitor m 127.0.0.1 1 2\nsentinel known-sentinel m 127.0.0.1 2 ${'a'.repeat(40)}\nsentinel known-sentinel m 127.0.0.1 3 ${'a'.repeat(40)}\n`, 3, 'Duplicate runid for sentinel.'],
  ['deny-scripts-reconfig', 'sentinel deny-scripts-reconfig maybe\n', 1, 'Please specify yes or no for the deny-scripts-reconfig options.'],
  ['unrecognized', 'sentinel frobnicate m\n', 1, 'Unrecognized sentinel configuration statement.'],
  ['extra argument (seed 002)', 'sentinel monitor master01 127.0.0.1 6379 1\nsentinel parallel-syncs master01 6379 1\n', 2, 'Unrecognized sentinel configuration statement.'],
  ['negative reboot period', 'sentinel monitor m 127.0.0.1 1 2\nsentinel master-reboot-down-after-period m -1\n', 2, 'negative time parameter.'],
  ['renamed twice, any case', 'sentinel monitor m 127.0.0.1 1 2\nsentinel rename-command m CONFIG a\nsentinel rename-command m config b\n', 3, 'Same command renamed multiple times with rename-command.'],
  ['generic directive error', 'port abc\nsentinel monitor m 127.0.0.1 1 2\n', 1, "argument couldn't be parsed into an integer"],
  ['rename-command of a non-Sentinel command', 'rename-command flushall ""\n', 1, 'No such command in rename-command'],
];

function expectError(fn: () => unknown, file: string, line: number, reason: string, text: string) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  const e = err as InputError;
  expect(e.file).toBe(file);
  expect(e.line).toBe(line);
  const lines = e.message.split('\n');
  expect(lines[0]).toBe(`${file}:${line}: ${reason}`);
  expect(lines.slice(2)).toEqual([
    '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***',
    `Reading the configuration file, at line ${line}`,
    `>>> '${text.split('\n')[line - 1]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')}'`,
    reason,
  ]);
}

describe('malformed redis.conf: file:line and Redis reason', () => {
  for (const [name, text, line, reason] of REDIS_CASES) {
    it(name, () => expectError(() => parseRedisConf(text, 'bad.conf'), 'bad.conf', line, reason, text));
  }
});

describe('malformed sentinel.conf: file:line and Redis reason (three-pass order)', () => {
  for (const [name, text, line, reason] of SENTINEL_CASES) {
    it(name, () => expectError(() => parseSentinelConf(text, 'sentinel.conf'), 'sentinel.conf', line, reason, text));
  }
});

describe('accepted oddities, as Redis accepts them', () => {
  it('atoi: "30s" is 30 ms, "2x" is quorum 2, a word port is 0', () => {
    const s = parseSentinelConf('sentinel monitor m 127.0.0.1 redis 2x\nsentinel down-after-milliseconds m 30s\n', 's.conf');
    expect(s.masters[0]).toMatchObject({ port: 0, quorum: 2, downAfterMs: 30 });
  });
  it('settings before their monitor line apply (three passes)', () => {
    const s = parseSentinelConf('sentinel down-after-milliseconds m 5000\nsentinel monitor m 127.0.0.1 6379 2\n', 's.conf');
    expect(s.masters[0]!.downAfterMs).toBe(5000);
  });
  it('memory units: k=1000, kb=1024, case-insensitive', () => {
    expect(parseRedisConf('repl-backlog-size 1k\n', 'a').replBacklogSizeBytes).toBe(1000);
    expect(parseRedisConf('repl-backlog-size 1KB\n', 'a').replBacklogSizeBytes).toBe(1024);
    expect(parseRedisConf('repl-backlog-size 2mb\n', 'a').replBacklogSizeBytes).toBe(2 * 1024 * 1024);
  });
  it('save: no line keeps the built-in points, save "" clears, two lines accumulate', () => {
    expect(parseRedisConf('', 'a').savePoints).toHaveLength(3);
    expect(parseRedisConf('save ""\n', 'a').savePoints).toEqual([]);
    expect(parseRedisConf('save 900 1\nsave 60 100\n', 'a').savePoints).toEqual([
      { seconds: 900, changes: 1 },
      { seconds: 60, changes: 100 },
    ]);
  });
  it('quotes and escapes like sdssplitargs', () => {
    const c = parseRedisConf('requirepass "a\\x41\\n"\nmasteruser \'it\\\'s\'\n', 'a');
    expect(c.requirepass).toBe('aA\n');
    expect(c.masteruser).toBe("it's");
  });
  it('directive names are case-insensitive, aliases map to the model', () => {
    const c = parseRedisConf('PORT 7000\nSlaveOf 10.0.0.1 6379\nslave-priority 0\nmin-slaves-to-write 2\n', 'a');
    expect(c).toMatchObject({ port: 7000, replicaPriority: 0, minReplicasToWrite: 2 });
    expect(c.replicaof).toMatchObject({ host: '10.0.0.1', port: 6379 });
  });
  it('sentinel defaults: port 26379, protected-mode off', () => {
    const s = parseSentinelConf('sentinel monitor m 10.0.0.1 6379 2\n', 's');
    expect(s.port).toBe(26379);
    expect(s.masters[0]).toMatchObject({ downAfterMs: 30000, failoverTimeoutMs: 180000, parallelSyncs: 1 });
  });
});
