import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { loadModel } from '../../src/scenario/model.js';
import { unusualDeployment } from '../../src/scenario/unusual.js';
import { tempTree } from './helpers.js';

const hosts = `hosts:\n  - { name: h1, ip: 10.9.0.1 }\n  - { name: h2, ip: 10.9.0.2 }\n  - { name: h3, ip: 10.9.0.3 }\n`;
const procs = (list: [string, 'redis' | 'sentinel', string][]) =>
  `processes:\n${list.map(([n, k, h]) => `  - { name: ${n}, kind: ${k}, host: ${h}, config: ${n}.conf }\n`).join('')}`;

function folder(files: Record<string, string>): string {
  return tempTree({ ...files, 's.yaml': 'model: m\nseed: 1\nduration: 3s\n' });
}

describe('unusual deployments run, with a warning on stderr, and are listed for check', () => {
  it('a Sentinel monitoring an address no node has', async () => {
    const dir = folder({ 'm/a.conf': 'port 6379\n', 'm/s.conf': 'port 26379\nsentinel monitor mm 10.9.0.7 6379 1\n', 'm/model.yaml': hosts + procs([['a', 'redis', 'h1'], ['s', 'sentinel', 'h2']]) });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'm/s.conf')}:2: warning: s monitors 10.9.0.7:6379, which no process of the model listens on\n`);
    expect(unusualDeployment(loadModel(join(dir, 'm'))).map((u) => u.kind)).toEqual(['unknown-address']);
  });

  it('a replicaof cycle', async () => {
    const dir = folder({
      'm/a.conf': 'port 6379\nreplicaof 10.9.0.2 6379\n', 'm/b.conf': 'port 6379\nreplicaof 10.9.0.1 6379\n', 'm/s.conf': 'port 26379\nsentinel monitor mm 10.9.0.1 6379 1\n',
      'm/model.yaml': hosts + procs([['a', 'redis', 'h1'], ['b', 'redis', 'h2'], ['s', 'sentinel', 'h3']]),
    });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: replicaof cycle: a -> b -> a (no node of it is a master)\n');
  });

  it('two masters: two Sentinels monitor one name at different nodes, and a master nobody monitors', async () => {
    const dir = folder({
      'm/a.conf': 'port 6379\n', 'm/b.conf': 'port 6379\n', 'm/c.conf': 'port 6380\n',
      'm/s1.conf': 'port 26379\nsentinel monitor mm 10.9.0.1 6379 1\n', 'm/s2.conf': 'port 26379\nsentinel monitor mm 10.9.0.2 6379 1\n',
      'm/model.yaml': hosts + procs([['a', 'redis', 'h1'], ['b', 'redis', 'h2'], ['c', 'redis', 'h3'], ['s1', 'sentinel', 'h1'], ['s2', 'sentinel', 'h2']]),
    });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: two masters named mm: s1 monitors a, s2 monitors b\n');
    expect(r.stderr).toContain('warning: c is a master (no replicaof) that no Sentinel monitors, next to a, b: two masters\n');
  });

  it('a quorum above the number of Sentinels', async () => {
    const dir = folder({ 'm/a.conf': 'port 6379\n', 'm/s.conf': 'port 26379\nsentinel monitor mm 10.9.0.1 6379 2\n', 'm/model.yaml': hosts + procs([['a', 'redis', 'h1'], ['s', 'sentinel', 'h2']]) });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${join(dir, 'm/s.conf')}:2: warning: s: quorum 2 for mm, but only 1 Sentinel of the model monitors it: it can never be objectively down (+odown), so no failover\n`);
  });

  it('a healthy deployment has none', () => {
    expect(unusualDeployment(loadModel('models/zato'))).toEqual([]);
  });
});

describe('two processes on one ip:port are refused at model load (README says so)', () => {
  it('names both processes and quotes Redis\'s bind failure', async () => {
    const dir = folder({ 'm/a.conf': 'port 6379\n', 'm/b.conf': 'port 6379\n', 'm/s.conf': 'port 26379\nsentinel monitor mm 10.9.0.1 6379 1\n', 'm/model.yaml': hosts + procs([['a', 'redis', 'h1'], ['b', 'redis', 'h1'], ['s', 'sentinel', 'h2']]) });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(dir, 'm/model.yaml')}:7: processes "a" (line 6) and "b" both listen on 10.9.0.1:6379 (host "h1"); real Redis refuses the second: "Could not create server TCP listening socket 10.9.0.1:6379: bind: Address already in use"\n`);
  });
});
