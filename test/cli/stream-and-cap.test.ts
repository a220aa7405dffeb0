import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonlLine, logLine } from '../../src/cli/format.js';
import { EXIT_RUN_STOPPED, main } from '../../src/cli/main.js';
import { runScenario } from '../../src/scenario/runner.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import type { Behavior } from '../../src/sim/process.js';
import { fakeFactories } from '../scenario/fakes.js';
import { cli } from './helpers.js';

const ZATO = 'scenarios/zato-stop-master.yaml';

describe('run: the log goes out as the run goes', () => {
  it('log lines reach stdout while the run is still in progress (its trace is still FILE.partial)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-stream-'));
    const trace = join(dir, 'run.jsonl');
    const chunks: { text: string; during: boolean }[] = [];
    const stdout = { write: (s: string) => chunks.push({ text: s, during: existsSync(`${trace}.partial`) && !existsSync(trace) }) };
    const code = await main(['run', ZATO, '--trace', trace], { stdout, stderr: { write: () => true } });
    expect(code).toBe(0);
    const during = chunks.filter((c) => c.during).map((c) => c.text).join('');
    // The +sdown at ~40 s is in the log before the run has ended (the drill lasts 90 s).
    expect(during).toMatch(/^\d+\.\d{3} sentinel\d \S+ \+sdown master redis-ha/m);
    expect(existsSync(trace)).toBe(true);
  });

  it('what is streamed is every log line and jsonl event of the run records, in order', async () => {
    const res = runScenario(loadScenario(ZATO));
    const log = await cli(['run', ZATO]);
    const body = log.stdout.split('\n').filter((l) => !l.startsWith('#') && !/^(PASS|FAIL) /.test(l) && l !== '');
    expect(body).toEqual(res.records.map(logLine).filter((l) => l !== undefined));
    expect(body.length).toBeGreaterThan(20);
    const jsonl = await cli(['run', ZATO, '--format', 'jsonl']);
    const [header, ...events] = jsonl.stdout.split('\n');
    expect(JSON.parse(header!)).toMatchObject({ kind: 'header', records: 'events' });
    expect(events.join('\n')).toBe(res.records.map(jsonlLine).filter((l) => l !== undefined).map((l) => `${l}\n`).join(''));
  });
});

describe('run: runs that would not end are stopped with exit 3', () => {
  it('past --max-events: a message naming the cap and the flag, exit 3, no trace file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-cap-'));
    const trace = join(dir, 'run.jsonl');
    const r = await cli(['run', ZATO, '--max-events', '5000', '--trace', trace]);
    expect(r.code).toBe(EXIT_RUN_STOPPED);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^sentinel-sim: the run stopped at simulated time \d+(ms|s): more than 5000 events \(the event cap; raise it with --max-events/m);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a model that makes no progress of simulated time: exit 3 and why', async () => {
    const spinning: Behavior<{ n: number }> = {
      kind: 'redis',
      init: (ctx) => {
        ctx.timer('spin', 0);
        return { n: 0 };
      },
      listenPorts: () => [6379],
      onTimer(d, _key, ctx) {
        d.n++;
        ctx.timer('spin', 0);
      },
      onNet() {},
    };
    const r = await cli(['run', 'test/scenario/fixtures/basic.yaml'], { factories: { ...fakeFactories, redis: () => spinning } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^sentinel-sim: the run stopped at simulated time 0s: more than \d+ events at t=0 µs: the model is stuck in a zero-delay loop$/m);
  });

  it('--max-events refuses what is not a positive whole number (exit 2)', async () => {
    for (const bad of ['0', '-5', '1e6', 'lots']) {
      const r = await cli(['run', ZATO, '--max-events', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--max-events/);
    }
  });
});
