import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { faultEntries, outputs, scenarioOf } from './helpers.js';

/**
 * The "done when" checks, run in-process through the CLI: what explore finds on the
 * shipped models, that its scenario files replay byte for byte, that a broken vote rule is caught
 * and shrunk, and that --workers and --shard change no result.
 */

const out = outputs();

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

