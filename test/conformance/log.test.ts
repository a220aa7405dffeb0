import { describe, expect, it } from 'vitest';
import { eventStrings, firstUnmatched, mergeEvents, Normalizer, parseLogLine, sentinelEvents, splitEvent } from '../../src/conformance/log.js';
import { finalConfig } from '../../src/conformance/real.js';

const T0 = Date.UTC(2026, 10, 22, 4, 19, 40, 0);
const LOG = [
  '6169:X 22 Nov 2026 04:19:40.712 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
  '                _._                                                  ',
  '6169:X 22 Nov 2026 04:19:40.716 # Sentinel ID is 7ca0190dfb982f0128bd069b42b52c63322efad5',
  '6169:X 22 Nov 2026 04:19:40.716 # +monitor master mymaster 127.0.0.1 21000 quorum 2',
  '6169:X 22 Nov 2026 04:19:40.716 * +slave slave 127.0.0.1:21001 127.0.0.1 21001 @ mymaster 127.0.0.1 21000',
  '6169:X 22 Nov 2026 04:19:42.828 * +sentinel sentinel 0b2e148787e4e59dea073eda38dff479b3f76b8c 127.0.0.1 21051 @ mymaster 127.0.0.1 21000',
  '6169:X 22 Nov 2026 04:19:45.268 # +odown master mymaster 127.0.0.1 21000 #quorum 2/2',
  '6169:X 22 Nov 2026 04:19:45.270 # +vote-for-leader 7ca0190dfb982f0128bd069b42b52c63322efad5 1',
  '6169:X 22 Nov 2026 04:19:45.273 # f6e4482ad469a272162493f500b6db879b2dd64a voted for 7ca0190dfb982f0128bd069b42b52c63322efad5 1',
  '6169:X 22 Nov 2026 04:19:47.443 # +switch-master mymaster 127.0.0.1 21000 127.0.0.1 21002',
  '6169:X 22 Nov 2026 04:20:00.722 * +convert-to-slave slave 127.0.0.1:21000 127.0.0.1 21000 @ mymaster 127.0.0.1 21002',
  '6169:X 22 Nov 2026 04:20:01.000 # +tilt #tilt mode entered',
  '6229:M 22 Nov 2026 04:19:50.551 * Ready to accept connections',
].join('\n');

const norm = new Normalizer(
  [
    { ip: '127.0.0.1', port: 21000, name: 'node1' },
    { ip: '127.0.0.1', port: 21001, name: 'node2' },
    { ip: '127.0.0.1', port: 21002, name: 'node3' },
    { ip: '127.0.0.1', port: 21050, name: 'sentinel1' },
    { ip: '127.0.0.1', port: 21051, name: 'sentinel2' },
  ],
  { '7ca0190dfb982f0128bd069b42b52c63322efad5': 'sentinel1', '0b2e148787e4e59dea073eda38dff479b3f76b8c': 'sentinel2' },
);

describe('log parser', () => {
  it('parses the line format with pid, role, UTC time and level', () => {
    const l = parseLogLine('6169:X 22 Nov 2026 04:19:45.268 # +odown master mymaster 127.0.0.1 21000 #quorum 2/2');
    expect(l).toEqual({ wallMs: T0 + 5268, pid: 6169, role: 'X', level: 'warning', message: '+odown master mymaster 127.0.0.1 21000 #quorum 2/2' });
    expect(parseLogLine('                _._    ')).toBeUndefined();
    expect(parseLogLine('6169:X 22 Nov 2026 04:19:45.268 * Sentinel new configuration saved on disk')?.level).toBe('notice');
  });

  it('splits event type and text; plain lines are not events', () => {
    expect(splitEvent('+switch-master mymaster 127.0.0.1 21000 127.0.0.1 21002')).toEqual({ event: '+switch-master', text: 'mymaster 127.0.0.1 21000 127.0.0.1 21002' });
    expect(splitEvent('-tilt #tilt mode exited')).toEqual({ event: '-tilt', text: '#tilt mode exited' });
    expect(splitEvent('Sentinel ID is abc')).toBeUndefined();
    expect(splitEvent('f6e4482ad469a272162493f500b6db879b2dd64a voted for 7ca0 1')).toBeUndefined();
  });

  it('keeps only Sentinel events, with times relative to t0', () => {
    const es = sentinelEvents(LOG, 'sentinel1', T0);
    expect(es.map((e) => e.event)).toEqual(['+monitor', '+slave', '+sentinel', '+odown', '+vote-for-leader', '+switch-master', '+convert-to-slave', '+tilt']);
    expect(es[3]).toEqual({ timeMs: 5268, process: 'sentinel1', level: 'warning', event: '+odown', text: 'master mymaster 127.0.0.1 21000 #quorum 2/2' });
    expect(sentinelEvents(LOG, 's', T0, T0 + 5000).length).toBe(5);
  });

  it('normalizes addresses and run ids to model names', () => {
    const es = norm.events(sentinelEvents(LOG, 'sentinel1', T0));
    expect(eventStrings(es)).toEqual([
      '+monitor master mymaster node1 quorum 2',
      '+slave slave node2 node2 @ mymaster node1',
      '+sentinel sentinel sentinel2 sentinel2 @ mymaster node1',
      '+odown master mymaster node1 #quorum 2/2',
      '+vote-for-leader sentinel1 1',
      '+switch-master mymaster node1 node3',
      '+convert-to-slave slave node1 node1 @ mymaster node3',
      '+tilt #tilt mode entered',
    ]);
    expect(norm.text('+vote-for-leader ffffffffffffffffffffffffffffffffffffffff 2')).toBe('+vote-for-leader runid?ffffffff 2');
    expect(norm.text('127.0.0.1 9999 stays')).toBe('127.0.0.1 9999 stays');
    expect(new Normalizer([{ ip: 'redis1', port: 16300, name: 'node1' }]).text('mymaster redis1 16300 quorum 2')).toBe('mymaster node1 quorum 2');
  });

  it('merges and matches ordered subsequences', () => {
    const a = [{ timeMs: 5, process: 'a', event: '+x', text: '' }];
    const b = [{ timeMs: 1, process: 'b', event: '+y', text: 'q' }, { timeMs: 5, process: 'b', event: '+z', text: '' }];
    expect(mergeEvents(a, b).map((e) => e.event)).toEqual(['+y', '+x', '+z']);
    expect(firstUnmatched(mergeEvents(a, b), ['+y', '+z'])).toBe(-1);
    expect(firstUnmatched(mergeEvents(a, b), ['+z', '+y'])).toBe(1);
    expect(firstUnmatched(b, ['+y q'])).toBe(-1);
  });
});

describe('config copy', () => {
  it('replaces port/bind/daemonize/logfile/dir and keeps the rest', () => {
    const c = finalConfig('port 6379\nbind 0.0.0.0\ndaemonize yes\nsentinel monitor m 127.0.0.1 6379 2\n', 30001, '/tmp/x');
    expect(c).toContain('sentinel monitor m 127.0.0.1 6379 2');
    expect(c).not.toContain('port 6379');
    expect(c).not.toContain('0.0.0.0');
    expect(c).toMatch(/port 30001\nbind 127\.0\.0\.1\ndaemonize no\ndir \/tmp\/x\nlogfile \/tmp\/x\/log\.txt/);
  });
});
