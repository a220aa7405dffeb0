import { describe, expect, it } from 'vitest';
import { argvOf } from '../../src/net/resp.js';
import { defaultFactories, type BehaviorFactories } from '../../src/scenario/behaviors.js';
import type { SentinelState } from '../../src/sentinel/index.js';
import { cli } from '../cli/helpers.js';
import { faultEntries, outputs, scenarioOf } from './helpers.js';

/**
 * A broken vote rule, injected only here, is caught by explore and shrunk to one fault.
 */

const out = outputs();

/**
 * A vote rule that forgets the vote it gave: every vote request (SENTINEL is-master-down-by-addr
 * with a run id) finds leader_epoch reset, so a Sentinel votes for every candidate of an epoch.
 * Wrapped around the real Sentinel, through the world builder's behaviour factories; the model
 * code is untouched.
 */
const forgetfulVoter: BehaviorFactories = {
  redis: defaultFactories.redis,
  sentinel: (cfg, proc) => {
    const real = defaultFactories.sentinel(cfg, proc);
    return {
      ...real,
      onNet(d, ev, ctx) {
        const argv = ev.k === 'data' ? argvOf(ev.msg) : undefined;
        if (argv && argv[0]?.toLowerCase() === 'sentinel' && argv[1]?.toLowerCase() === 'is-master-down-by-addr' && argv[5] !== '*') {
          for (const m of (d as SentinelState).masters) m.leaderEpoch = 0;
        }
        real.onNet(d, ev, ctx);
      },
    };
  },
};

describe('a deliberately broken vote rule', () => {
  const model = 'test/explore/fixtures/zato-wan';
  const args = (dir: string) => ['explore', model, '--runs', '8', '--faults', 'crash', '--property', 'one-vote-per-epoch,one-leader-per-epoch', '--max-shrinks', '60', '--out', dir];

  it('is caught and shrunk to one crash; the scenario fails with the broken rule and holds with the real one', async () => {
    const broken = await cli(args(out('broken')), { factories: forgetfulVoter });
    expect(broken.code, broken.stdout + broken.stderr).toBe(1);
    expect(broken.stdout).toMatch(/VIOLATED one-leader-per-epoch/);
    expect(broken.stdout).toMatch(/VIOLATED one-vote-per-epoch/);
    const file = scenarioOf(broken.stdout)!;
    expect(file).toMatch(/one-leader-per-epoch/);
    expect(broken.stdout).toMatch(/shrunk by fast-check to 1 fault\(s\)/);
    expect(faultEntries(file)).toHaveLength(1);
    expect(faultEntries(file)[0]).toHaveProperty('crash');
    const replayBroken = await cli(['run', file], { factories: forgetfulVoter });
    expect(replayBroken.code).toBe(1);
    expect(replayBroken.stdout).toMatch(/FAIL {2}one-leader-per-epoch[^\n]*\n {6}\d leaders for redis-ha epoch/);
    const replayReal = await cli(['run', file]);
    expect(replayReal.code, replayReal.stdout.slice(-600)).toBe(0);
  });

  it('the same runs with the real vote rule violate nothing', async () => {
    const real = await cli(args(out('real')));
    expect(real.code, real.stdout).toBe(0);
  });
});

