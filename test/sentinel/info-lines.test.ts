/**
 * How sentinelRefreshInstanceInfo() (src/sentinel/info.ts, infolines.ts) finds its lines in an INFO reply: the
 * lines of info.split('\r\n'), and for each the one field prefix it starts with. The fast paths
 * (a search for \n, a decision on the first characters) must give exactly what the plain reading
 * gives, on any text: lone \r and \n, short lines, prefixes cut short or run together.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crlfFrom, infoLineKind, L, type LineKind } from '../../src/sentinel/infolines.js';

/** The plain reading: every prefix tried in turn, as the parse did before the fast paths. */
function plainKind(info: string, at: number, len: number): LineKind {
  const c0 = info.charCodeAt(at);
  if (c0 !== 114 && c0 !== 115 && c0 !== 109) return L.NONE;
  if (len >= 47 && info.startsWith('run_id:', at)) return L.RUN_ID;
  if (len >= 7 && info.startsWith('slave', at) && /[0-9]/.test(info.charAt(at + 5))) return L.SLAVE_N;
  if (len >= 32 && info.startsWith('master_link_down_since_seconds', at)) return L.LINK_DOWN_SINCE;
  if (len >= 11 && info.startsWith('role:master', at)) return L.ROLE_MASTER;
  if (len >= 10 && info.startsWith('role:slave', at)) return L.ROLE_SLAVE;
  if (len >= 12 && info.startsWith('master_host:', at)) return L.MASTER_HOST;
  if (len >= 12 && info.startsWith('master_port:', at)) return L.MASTER_PORT;
  if (len >= 19 && info.startsWith('master_link_status:', at)) return L.LINK_STATUS;
  if (len >= 15 && info.startsWith('slave_priority:', at)) return L.PRIORITY;
  if (len >= 18 && info.startsWith('slave_repl_offset:', at)) return L.REPL_OFFSET;
  if (len >= 18 && info.startsWith('replica_announced:', at)) return L.ANNOUNCED;
  return L.NONE;
}

const PIECES = [
  'run_id:', 'slave', 'slave0:ip=10.0.0.2,port=6379', 'master_', 'master_link_down_since_seconds', 'master_link_status:', 'master_host:', 'master_port:',
  'master_last_io_seconds_ago:', 'role:', 'role:master', 'role:slave', 'slave_priority:', 'slave_repl_offset:', 'slave_read_repl_offset:', 'replica_announced:',
  'repl_backlog_size:', 'redis_version:', 'rdb_', 'sync_full:', 'maxclients:', 'cf9a2b1e8ebd3b985a6736ff7d3ca43ee675fa42', 'up', '100', '7', ':', ',', ' ',
  'r', 's', 'm', '\r\n', '\r\n', '\r', '\n', '\n\r', '\u2028', '# Replication',
];
// A line is a piece (often a field's prefix) and a run of filler of any length, so that every length
// check meets lines just long enough and one short; lines are joined by \r\n, or by a lone \r or \n.
const line = fc.tuple(fc.constantFrom(...PIECES), fc.nat({ max: 48 }), fc.constantFrom('x', '0', ':')).map(([p, n, c]) => p + c.repeat(n));
const sep = fc.constantFrom('\r\n', '\r\n', '\r\n', '\r', '\n', '');
const infoText = fc.array(fc.tuple(line, sep), { maxLength: 30 }).map((xs) => xs.map(([l, s]) => l + s).join(''));

/** Every line of info.split('\r\n') as [start, end), read with crlfFrom() the way the parse does. */
function linesByCrlfFrom(info: string): [number, number][] {
  const lines: [number, number][] = [];
  for (let at = 0, end = 0; at <= info.length; at = end + 2) {
    end = crlfFrom(info, at);
    lines.push([at, end]);
  }
  return lines;
}

function linesBySplit(info: string): [number, number][] {
  let at = 0;
  return info.split('\r\n').map((l) => {
    const line: [number, number] = [at, at + l.length];
    at += l.length + 2;
    return line;
  });
}

describe("sentinelRefreshInstanceInfo()'s reading of INFO lines", () => {
  it("crlfFrom() splits a text into exactly the lines of split('\\r\\n')", () => {
    fc.assert(fc.property(infoText, (info) => {
      expect(linesByCrlfFrom(info)).toEqual(linesBySplit(info));
    }), { numRuns: 2000 });
  });

  it('infoLineKind() names the same field as trying every prefix in turn, on every line', () => {
    fc.assert(
      fc.property(infoText, (info) => {
        for (const [at, end] of linesBySplit(info)) expect(infoLineKind(info, at, end - at)).toBe(plainKind(info, at, end - at));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds each field of a real replica INFO, and nothing in the other lines', () => {
    const info = ['# Server', 'redis_version:7.0.15', `run_id:${'a'.repeat(40)}`, 'run_id:short', '', '# Replication', 'role:slave', 'master_host:redis1', 'master_port:16300',
      'master_link_status:up', 'master_last_io_seconds_ago:0', 'master_link_down_since_seconds:3', 'slave_read_repl_offset:12046', 'slave_repl_offset:12046',
      'slave_priority:100', 'slave_read_only:1', 'replica_announced:1', 'slave0:ip=10.0.0.3,port=6379,state=online', 'master_repl_offset:12046'].join('\r\n');
    const kinds = linesBySplit(info).map(([at, end]) => infoLineKind(info, at, end - at));
    expect(kinds).toEqual([L.NONE, L.NONE, L.RUN_ID, L.NONE, L.NONE, L.NONE, L.ROLE_SLAVE, L.MASTER_HOST, L.MASTER_PORT, L.LINK_STATUS, L.NONE, L.LINK_DOWN_SINCE,
      L.NONE, L.REPL_OFFSET, L.PRIORITY, L.NONE, L.ANNOUNCED, L.SLAVE_N, L.NONE]);
  });
});
