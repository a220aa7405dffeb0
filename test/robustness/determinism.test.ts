import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';

// 50 (scenario, seed) pairs run twice (this thread and a worker thread) by scripts/determinism.mjs on
// the built CLI modules; every full-trace hash must match. `npm run determinism` runs 1,000.
it('50 (scenario, seed) pairs give identical full traces twice', () => {
  expect(existsSync('dist/scenario/runner.js'), 'npm run build first').toBe(true);
  const r = spawnSync(process.execPath, ['scripts/determinism.mjs', '--pairs', '50', '--first-seed', '500'], { encoding: 'utf8' });
  expect(r.stdout).toMatch(/^50 of 50 \(scenario, seed\) pairs identical across two runs/m);
  expect(r.status).toBe(0);
}, 600_000);
