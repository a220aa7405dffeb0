import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { fakeFactories } from '../scenario/fakes.js';
import { cli } from './helpers.js';

/** `run` tells a failover in words: its cause, fault to switch, how long clients could not write. */

const ZATO = 'scenarios/zato-stop-master.yaml';
const PARTITION = 'scenarios/zato-partition-minority-master.yaml';

const sec = (line: string): number => Number(line.split(' ')[0]);

describe('run: failovers in words', () => {
  it('--format json: each failover carries its fault, faultToSwitchMs and unwritableMs', async () => {
    const [json, log] = await Promise.all([cli(['run', ZATO, '--format', 'json']), cli(['run', ZATO])]);
    expect(json.code, json.stderr).toBe(0);
    const s = JSON.parse(json.stdout);
    const led = s.failovers.filter((f: { elected: boolean }) => f.elected);
    expect(led).toHaveLength(1);
    const f = led[0];
    expect(f.cause).toEqual({ action: 'shutdown', target: 'node1', atMs: 30000, line: 16 });
    expect(f.from).toBe('node1');
    // The first +switch-master in the log, measured from the shutdown at 30 s.
    const firstSwitch = log.stdout.split('\n').find((l) => / \+switch-master /.test(l))!;
    expect(f.switchMs).toBe(Math.round(sec(firstSwitch) * 1000));
    expect(f.faultToSwitchMs).toBe(f.switchMs - 30000);
    expect(firstSwitch).toContain(f.to === 'node2' ? '127.0.0.2 26300' : '127.0.0.3 36300');
    // The zato client writes once a second: its last write before 30 s to its first on the new master.
    const writes = log.stdout.split('\n').filter((l) => / zato \[node\d\] SET .* -> OK$/.test(l)).map(sec);
    const lastBefore = Math.max(...writes.filter((t) => t <= 30));
    const firstAfter = Math.min(...writes.filter((t) => t > 30));
    expect(f.unwritableMs).toBe(Math.round((firstAfter - lastBefore) * 1000));
    expect(f.unwritableMs).toBeGreaterThan(f.faultToSwitchMs);
    expect(f.writableAgain).toBe(true);
    expect(f.lostWrites).toBe(0);
    expect(f.durationMs).toBeLessThan(3000);
  });

  it('the log ends with one sentence per fault', async () => {
    const r = await cli(['run', ZATO]);
    const j = JSON.parse((await cli(['run', ZATO, '--format', 'json'])).stdout);
    const f = j.failovers.find((x: { elected: boolean }) => x.elected);
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(
      `# node1 was shut down at 30.000 s; the Sentinels switched to ${f.to} ${(f.faultToSwitchMs / 1000).toFixed(1)} s later; clients could not write for ${(f.unwritableMs / 1000).toFixed(1)} s; 0 acknowledged writes lost`,
    );
    expect(j.story).toEqual([last.slice(2)]);
  });

  it('a partition that loses writes says how many', async () => {
    const r = await cli(['run', PARTITION, '--format', 'json']);
    const s = JSON.parse(r.stdout);
    const f = s.failovers.find((x: { elected: boolean }) => x.elected);
    expect(f.cause.action).toBe('partition');
    expect(f.lostWrites).toBe(s.lostWrites.lost.length);
    expect(f.lostWrites).toBeGreaterThan(0);
    expect(s.story[0]).toMatch(new RegExp(`^the network split \\(.*\\) at 30\\.000 s; the Sentinels switched to node\\d .*; ${f.lostWrites} acknowledged writes lost$`));
  });

  it('a failed failover says the Sentinels did not switch', async () => {
    const r = await cli(['run', 'scenarios/two-node-machine-down.yaml']);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^# host machine-a went down at 30\.000 s; the Sentinels did not switch the master \(\d+ attempts?: failover-abort-not-elected\)$/);
  });
});

describe('run: other views and inputs', () => {
  it('--events: only Sentinel events and the scenario actions', async () => {
    const [all, ev] = await Promise.all([cli(['run', ZATO]), cli(['run', ZATO, '--events'])]);
    const body = (out: string) => out.split('\n').filter((l) => /^\d+\.\d{3} /.test(l));
    const isEvent = (l: string) => /^\d+\.\d{3} sentinel\d [#*] [+-][a-z-]+ /.test(l) || /^\d+\.\d{3} -- /.test(l);
    expect(body(ev.stdout).length).toBeGreaterThan(20);
    expect(body(ev.stdout).every(isEvent)).toBe(true);
    expect(body(ev.stdout)).toEqual(body(all.stdout).filter(isEvent));
    expect(body(all.stdout).length).toBeGreaterThan(body(ev.stdout).length);
    // The verdicts and the closing sentences are the same.
    const tail = (out: string) => out.split('\n').filter((l) => !/^\d+\.\d{3} /.test(l));
    expect(tail(ev.stdout)).toEqual(tail(all.stdout));
  });

  it('- reads the scenario from stdin, its model path taken from the working directory', async () => {
    const text = 'model: test/scenario/fixtures/basic\nseed: 3\nduration: 10s\ntimeline:\n  - { at: 2s, crash: a }\nexpect:\n  - { event: +sdown, before: 9s }\n';
    const r = await cli(['run', '-'], { factories: fakeFactories, stdinText: text });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^# sentinel-sim .* run - model=basic seed=3 \(from the scenario\)$/);
    expect(r.stdout).toContain('PASS  +sdown by 9s  [<stdin>:7]');
    const bad = await cli(['run', '-'], { factories: fakeFactories, stdinText: text.replace('crash: a', 'crash: zz') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^<stdin>:5: unknown process "zz"/);
    const abs = await cli(['run', '-'], { factories: fakeFactories, stdinText: text.replace('test/scenario', resolve('test/scenario')) });
    expect(abs.code).toBe(0);
  });
});
