import { describe, expect, it } from 'vitest';
import { analyseDeployment } from '../../src/advisor/deployment.js';
import { checkFlags } from '../../src/advisor/flags.js';
import { checkModel } from '../../src/advisor/report.js';
import { loadModel } from '../../src/scenario/model.js';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';

const replyOf = (res: ReturnType<typeof runScenario>, label: string) => res.records.find((x) => x.k === 'reply' && x.label === label)?.text;

describe('redis/redis#2335, bitnami/containers#46594: behind NAT a replica is known by the address it announces', () => {
  const F = 'test/threads/fixtures/nat-announce';

  it('flagged from the files: the announced address is not the replica\'s own', () => {
    const flags = checkFlags(analyseDeployment(loadModel(F)));
    expect(flags.map((f) => f.id)).toEqual(['announced-address']);
    expect(flags[0]!.message).toBe('redis-b announces itself as 172.17.0.2:6379 (replica-announce-ip/-port), where no process of the model listens: its master lists it there and the Sentinels look for it there, so they never reach redis-b and cannot promote it');
  });

  it('and simulated: the Sentinels know the replica only as 172.17.0.2:6379, SDOWN, so losing the master leaves no replica to promote', () => {
    const c = checkModel(loadModel(F), { seeds: [1] }).cases.find((x) => x.id === 'domain:a')!;
    expect(c.verdict).toBe('outage');
    expect(c.verdictText).toBe('OUTAGE: master down, no replica passes selection: 172.17.0.2:6379 sdown (subjectively down)');
  });

  it('a replica announced at the master\'s own address: flagged, and simulated as real 7.0.15 does it (the Sentinel converts the master into a replica of itself; every write is refused)', () => {
    const flags = checkFlags(analyseDeployment(loadModel('test/threads/fixtures/announce-master'))).filter((f) => f.id === 'announced-address');
    expect(flags.map((f) => f.message)).toEqual([
      "redis-b announces itself as 10.0.4.1:6379 (replica-announce-ip/-port), the master redis-a's own address: the Sentinels take redis-a for that replica and, as it reports role:master, send it SLAVEOF its own address (+convert-to-slave); redis-a becomes a replica of itself and refuses every write",
    ]);
    // On 7.0.15 (ports 28010/28011/28020, the same files): "+slave slave 127.0.0.1:28010 ... @ mymaster
    // 127.0.0.1 28010", then "+convert-to-slave slave 127.0.0.1:28010" 10.2 s later; ROLE: slave 127.0.0.1 28010 connect -1.
    const res = runScenario(loadScenario('test/threads/fixtures/announce-master.yaml'));
    expect(res.expectations.filter((e) => !e.pass).map((e) => e.name)).toEqual([]);
  });

  it('the shipped models announce nothing wrong', () => {
    for (const m of ['models/zato', 'models/docker-3node', 'models/redis-ha-demo', 'models/haproxy', 'models/two-node']) {
      expect(checkFlags(analyseDeployment(loadModel(m))).filter((f) => f.id === 'announced-address')).toEqual([]);
    }
  });
});

describe('bitnami/charts#5418: the master is recreated at a new address; both nodes think they are master', () => {
  it('the Sentinels fail over to redis-b and never hear of redis-a2, which started as a master from its own config', () => {
    const res = runScenario(loadScenario('test/threads/fixtures/recreated-master.yaml'));
    const sw = res.records.filter((x) => x.k === 'event' && x.event === '+switch-master').map((x) => `${x.p} ${x.text}`);
    expect(sw.sort()).toEqual(['sentinel-a2', 'sentinel-b', 'sentinel-c'].map((p) => `${p} mymaster 10.0.5.1 6379 10.0.5.2 6379`));
    expect(replyOf(res, 'sentinels-say')).toBe('"10.0.5.2" "6379"');
    expect(replyOf(res, 'role-b')).toMatch(/^"master" /);
    expect(replyOf(res, 'role-a2')).toBe('"master" (integer) 0 (empty array)');
    // No Sentinel ever names the new address.
    expect(res.records.some((x) => x.k === 'event' && String(x.text).includes('10.0.5.11 6379'))).toBe(false);
  });
});
