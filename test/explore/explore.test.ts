import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../cli/helpers.js';

/**
 * The "done when" checks, run in-process through the CLI: what explore finds on the
 * shipped models, that its scenario files replay byte for byte, that a broken vote rule is caught
 * and shrunk, and that --workers and --shard change no result.
 */

const tmp = mkdtempSync(join(tmpdir(), 'explore-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const out = (name: string) => join(tmp, name);

/** The timeline entries that start a fault (heals, restarts and re-laid partitions not counted). */
function faultEntries(file: string): Record<string, unknown>[] {
  const d = parse(readFileSync(file, 'utf8')) as { timeline: Record<string, unknown>[] };
  const heals = ['restart', 'resume', 'host-up', 'heal', 'start'];
  const items = d.timeline.filter((x) => !heals.some((h) => h in x));
  // A partition laid again at a heal is the same fault, not a new one.
  const healTimes = new Set(d.timeline.filter((x) => 'heal' in x).map((x) => x.at));
  return items.filter((x) => !('partition' in x || 'isolate' in x) || !healTimes.has(x.at));
}

const scenarioOf = (stdout: string) => /^ {2}scenario: (.+)$/m.exec(stdout)?.[1];

describe('explore on the shipped models', () => {
  it('explore models/two-node --runs 200 --seed 1 exits 1; its scenario holds one or two faults; run replays it with exit 1, the same bytes twice', async () => {
    const r = await cli(['explore', 'models/two-node', '--runs', '200', '--seed', '1', '--out', out('two-node')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/seed=1 /);
    expect(r.stdout).toMatch(/VIOLATED no-lost-writes/);
    const file = scenarioOf(r.stdout)!;
    expect(r.stdout).toContain(`replay:   sentinel-sim run ${file}`);
    expect(r.stdout).toContain(`watch:    sentinel-sim play ${file}`);
    const faults = faultEntries(file);
    expect(faults.length).toBeGreaterThanOrEqual(1);
    expect(faults.length).toBeLessThanOrEqual(2);
    const a = await cli(['run', file]);
    const b = await cli(['run', file]);
    expect(a.code).toBe(1);
    expect(a.stdout).toMatch(/FAIL {2}no-lost-writes/);
    expect(b.code).toBe(1);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toBe(a.stderr);
  });

  it('explore models/zato --runs 100 --property one-leader-per-epoch exits 0 and writes nothing', async () => {
    const dir = out('zato');
    const r = await cli(['explore', 'models/zato', '--runs', '100', '--property', 'one-leader-per-epoch', '--out', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/# 100 runs, 0 violated a property \(seed 1\)/);
    expect(existsSync(dir)).toBe(false);
  });
});

