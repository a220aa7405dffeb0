import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { frameAt } from '../../src/recording/recording.js';
import { TRACE_NOTE } from '../../src/recording/traceFile.js';
import { recording } from './recordings.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

describe('sentinel-sim play', () => {
  it('prints the plain log when stdout is not a terminal, and says so on stderr', async () => {
    const r = await cli(['play', 'test/tui/fixtures/zato-crash.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('stdout is not a terminal; printing the plain log instead of the player');
    expect(r.stdout).toContain('20.000 -- crash node1');
    expect(r.stdout).toMatch(/sentinel\d # \+switch-master redis-ha 127\.0\.0\.1 16300/);
  });

  it('plays a saved `run --format jsonl`: the log only, and says the state panels need the scenario', async () => {
    const saved = await cli(['run', 'test/tui/fixtures/zato-crash.yaml', '--format', 'jsonl']);
    const file = join(mkdtempSync(join(tmpdir(), 'play-')), 'run.jsonl');
    writeFileSync(file, saved.stdout);
    const r = await cli(['play', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(TRACE_NOTE);
    expect(r.stdout).toMatch(/^\d+\.\d{3} sentinel\d # \+monitor master redis-ha/m);
    expect(r.stdout).toContain('+switch-master');
  });

  it('bad input exits 2 with one line', async () => {
    expect((await cli(['play'])).code).toBe(2);
    const missing = await cli(['play', 'no/such.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^no\/such\.yaml: scenario or trace file not found\n$/);
    const seed = await cli(['play', 'test/tui/fixtures/zato-crash.yaml', '--seed', 'abc']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('the seed must be a non-negative integer');
    const opt = await cli(['play', 'test/tui/fixtures/zato-crash.yaml', '--wat']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("unknown option '--wat'");
  });

  it("--help is the one program's help, with every option", async () => {
    const r = await cli(['play', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sentinel-sim play [options] <scenario-or-trace>');
    for (const o of ['--seed <n>', '--until <time>', '--frame-every <time>', '--stats']) expect(r.stdout).toContain(o);
  });

  it('--stats reports the recording figures', async () => {
    const { code, stdout: out } = await cli(['play', 'test/tui/fixtures/four-split-vote.yaml', '--stats']);
    expect(code).toBe(0);
    expect(out).toMatch(/^four-split-vote: 60\.000 s simulated, seed 1\nrecording: [\d.]+ s real, \d+ events, \d+ frames, \d+ log lines\n/);
    expect(out).toMatch(/rewind: a screen at a random cursor in [\d.]+ ms on average/);
  });

  it('--seed changes the run, and the same seed gives the same log', async () => {
    const a = await cli(['play', 'test/tui/fixtures/four-split-vote.yaml', '--seed', '2']);
    const b = await cli(['play', 'test/tui/fixtures/four-split-vote.yaml', '--seed', '2']);
    const c = await cli(['play', 'test/tui/fixtures/four-split-vote.yaml']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });
});

describe('recording', () => {
  it('keeps a frame at every instant that wrote a log line, and one at least every 100 ms of simulated time', () => {
    const rec = recording('zato-crash');
    const times = new Set(rec.frameTimes);
    for (const e of rec.log) if (e.t <= rec.totalUs) expect(times.has(e.t), e.line).toBe(true);
    for (let i = 1; i < rec.frameTimes.length; i++) {
      expect(rec.frameTimes[i]!).toBeGreaterThan(rec.frameTimes[i - 1]!);
      // A frame comes with the first event at or after 100 ms past the last one (events are dense).
      expect(rec.frameTimes[i]! - rec.frameTimes[i - 1]!).toBeLessThan(1_100_000);
    }
  });

  it('frames hold views taken at their time: a later state never shows through an earlier frame', () => {
    const rec = recording('zato-crash');
    const node1 = rec.procs.findIndex((p) => p.name === 'node1');
    const before = frameAt(rec, 19_000_000)!;
    const after = frameAt(rec, 21_000_000)!;
    expect(before.status[node1]).toBe('running');
    expect(after.status[node1]).toBe('down');
    expect(after.states[node1]).toBeUndefined();
    expect(before.states[node1]).toBeDefined();
    // No two frames share a view object: each is a copy of the state at its own time.
    for (let i = 1; i < rec.frames.length; i++) {
      for (let k = 0; k < rec.procs.length; k++) {
        const s = rec.frames[i]!.states[k];
        if (s !== undefined) expect(s).not.toBe(rec.frames[i - 1]!.states[k]);
      }
    }
    // An early Sentinel view still reads epoch 0 after the run reached epoch 1.
    const s1 = rec.procs.findIndex((p) => p.name === 'sentinel1');
    expect((frameAt(rec, 10_000_000)!.states[s1] as { currentEpoch: number }).currentEpoch).toBe(0);
    expect((frameAt(rec, 50_000_000)!.states[s1] as { currentEpoch: number }).currentEpoch).toBe(1);
  });
});
