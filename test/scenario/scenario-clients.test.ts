import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

/**
 * A folder of .conf files has no model.yaml, so its clients are declared in the scenario
 * (clients:, the model.yaml schema): their writes are recorded and lost writes reported.
 */

const APP = '{ name: app, kind: sentinel-aware, host: redis1, master: redis-ha, sentinels: [sentinel1, sentinel2, sentinel3], every: 1s, workload: unique, resolve: on-reconnect }';

function confFolder(scenario: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scenario-clients-'));
  mkdirSync(join(dir, 'confs'));
  for (const f of readdirSync(resolve('models/zato')).filter((x) => x.endsWith('.conf'))) cpSync(resolve('models/zato', f), join(dir, 'confs', f));
  writeFileSync(join(dir, 's.yaml'), scenario);
  return join(dir, 's.yaml');
}

const partitioned = (clients: string) => [
  'model: confs', 'seed: 1', 'duration: 120s', clients,
  'timeline:', '  - { at: 30s, partition: { from: [node1], to: [node2, node3] } }', '  - { at: 70s, heal: true }',
  'expect:', '  - { lostWrites: { atLeast: 1 } }', '',
].join('\n');

describe('clients declared in a scenario over a folder of .conf files', () => {
  it('run --format json reports the writes node1 acknowledged on its minority side as lost', async () => {
    const r = await cli(['run', confFolder(partitioned(`clients:\n  - ${APP}`)), '--format', 'json']);
    expect(r.stderr).toContain('inferred a model from 6 .conf files');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.lostWrites.acknowledged.app).toBeGreaterThan(100);
    expect(s.lostWrites.lost.length).toBeGreaterThanOrEqual(20);
    expect(s.lostWrites.lost.every((w: { client: string; ackedBy: string; ackedMs: number }) => w.client === 'app' && w.ackedBy === 'node1' && w.ackedMs >= 30_000 && w.ackedMs <= 85_000)).toBe(true);
    // Cut off from 30 s; after the heal at 70 s node1 is still master until the Sentinels demote it.
    expect(s.lostWrites.lost[0].ackedMs).toBeLessThan(32_000);
  });

  it('without the clients: no write is ever acknowledged, and the lostWrites expectation is refused', async () => {
    const r = await cli(['run', confFolder(partitioned('')), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:9: the model has no client with a workload \("every:"\), so no write is ever acknowledged \(declare clients: in the model\.yaml, or in the scenario\)\n$/);
  });

  it('a client on an unknown host, or named like a process, is refused at its line', async () => {
    const bad = await cli(['run', confFolder(partitioned(`clients:\n  - ${APP.replace('host: redis1', 'host: nowhere')}`))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/s\.yaml:5: unknown host "nowhere" \(hosts: redis1, redis2, redis3, client\)\n$/);
    const clash = await cli(['run', confFolder(partitioned(`clients:\n  - ${APP.replace('name: app', 'name: node2')}`))]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/s\.yaml:5: the name "node2" is already used\n$/);
  });
});
