import { describe, expect, it } from 'vitest';
import { parseSentinelConf } from '../../src/config/index.js';
import { cli } from './helpers.js';

describe('run --print-config', () => {
  it("prints each Sentinel's rewritten sentinel.conf at the end, pointing at the new master", async () => {
    const r = await cli(['run', 'scenarios/zato-stop-master.yaml', '--print-config']);
    expect(r.code).toBe(0);
    const sw = /\+switch-master redis-ha 127\.0\.0\.1 16300 (\S+) (\d+)/.exec(r.stdout)!;
    for (const p of ['sentinel1', 'sentinel2', 'sentinel3']) {
      const start = r.stdout.indexOf(`# ${p}: sentinel.conf as rewritten at the end of the run\n`);
      expect(start, p).toBeGreaterThan(0);
      const text = r.stdout.slice(start).split('\n').slice(1).join('\n').split('\n# ')[0]!;
      expect(text).toContain(`sentinel monitor redis-ha ${sw[1]} ${sw[2]} 2`);
      expect(text).toContain('sentinel config-epoch redis-ha 1');
      expect(text).toContain('sentinel known-replica redis-ha 127.0.0.1 16300');
      // Real sentinel.conf syntax: Redis's loader reads it back.
      const cfg = parseSentinelConf(text, `${p}.conf`);
      expect(cfg.masters[0]!.knownSentinels).toHaveLength(2);
      expect(cfg.currentEpoch).toBe(1);
    }
  });
});
