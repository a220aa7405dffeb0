import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { tempTree } from '../robustness/helpers.js';

/**
 * check warns about unusual deployments as run does (file:line: warning on stderr) and lists them
 * among its flags; --allow-outside-model means on check what it means on run, workers included.
 */

const hosts = 'hosts:\n  - { name: h1, ip: 10.9.0.1 }\n  - { name: h2, ip: 10.9.0.2 }\n  - { name: h3, ip: 10.9.0.3 }\n';
const procs = (list: [string, 'redis' | 'sentinel', string, string?][]) =>
  `processes:\n${list.map(([n, k, h, c]) => `  - { name: ${n}, kind: ${k}, host: ${h}, config: ${c ?? `${n}.conf`} }\n`).join('')}`;
const sentinel = 'port 26379\nsentinel monitor mm 10.9.0.1 6379 2\nsentinel down-after-milliseconds mm 2000\n';
const FAST = ['--seeds', '1', '--max-partitions', '0', '--workers', '1'];

describe('check and unusual deployments', () => {
  it('a master nobody monitors: a file:line warning on stderr, a two-masters flag, and --require no-flags fails', async () => {
    const dir = tempTree({
      'm/a.conf': 'port 6379\n', 'm/b.conf': 'port 6379\nreplicaof 10.9.0.1 6379\n', 'm/c.conf': 'port 6380\n',
      'm/s1.conf': sentinel, 'm/s2.conf': sentinel, 'm/s3.conf': sentinel,
      'm/model.yaml': hosts + procs([['a', 'redis', 'h1'], ['b', 'redis', 'h2'], ['c', 'redis', 'h3'], ['s1', 'sentinel', 'h1'], ['s2', 'sentinel', 'h2'], ['s3', 'sentinel', 'h3']]),
    });
    const warning = 'warning: c is a master (no replicaof) that no Sentinel monitors, next to a: two masters';
    const r = await cli(['check', join(dir, 'm'), ...FAST]);
    expect(r.stderr).toContain(`${join(dir, 'm/c.conf')}:1: ${warning}\n`);
    // The report wraps at 100 columns, so where the line breaks depends on the temp folder's path length.
    expect(r.stdout).toMatch(/Flags:\n {2}! two-masters: .*c\.conf:1:\s+c\s+is\s+a\s+master\s+\(no\s+replicaof\)\s+that\s+no\s+Sentinel\s+monitors/);
    expect(r.code).toBe(0);
    const strict = await cli(['check', join(dir, 'm'), ...FAST, '--require', 'no-flags', '--format', 'json']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).verdict).toBe('fail');
    expect(strict.stdout).toContain('"two-masters"');
  });

  it('a healthy deployment gets no warning and no such flag', async () => {
    const r = await cli(['check', 'models/zato', ...FAST]);
    expect(r.stderr).not.toContain('warning');
    expect(r.stdout).toContain('Flags: none');
  });
});

describe('check --allow-outside-model', () => {
  const tree = () => tempTree({
    'shared/a.conf': 'port 6379\n', 'm/b.conf': 'port 6379\nreplicaof 10.9.0.1 6379\n', 'm/s1.conf': sentinel, 'm/s2.conf': sentinel, 'm/s3.conf': sentinel,
    'm/model.yaml': hosts + procs([['a', 'redis', 'h1', '../shared/a.conf'], ['b', 'redis', 'h2'], ['s1', 'sentinel', 'h1'], ['s2', 'sentinel', 'h2'], ['s3', 'sentinel', 'h3']]),
  });

  it('without it, a config file outside the model folder is refused (exit 2), as run refuses it', async () => {
    const r = await cli(['check', join(tree(), 'm'), ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.yaml:6: configuration file \.\.\/shared\/a\.conf is outside the model's folder \(pass --allow-outside-model to read it\)\n$/);
  });

  it('with it, the model is read, by the worker threads too, and checked', async () => {
    const r = await cli(['check', join(tree(), 'm'), ...FAST, '--allow-outside-model']);
    expect(r.stderr).not.toContain('outside');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verdict: PASS/);
  });
});
