import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeedList } from '../../src/cli/options.js';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

/**
 * Inputs that used to be taken at their word: a run of 100 simulated years (hours of silence off
 * a terminal before the event cap), an absolute `config:` path read as relative to the model, a
 * Redis that listens nowhere yet served clients, and `bind ""` judged as listening.
 */

const BAD = /internal error|\n\s+at |RangeError|TypeError/;

const basicModel = (extra: Record<string, string> = {}, model?: string) =>
  tempTree({
    'm/a.conf': 'port 6379\n',
    'm/b.conf': 'port 6379\nreplicaof 10.1.0.1 6379\n',
    'm/s1.conf': 'port 26379\nsentinel monitor mymaster 10.1.0.1 6379 1\n',
    'm/model.yaml':
      model ??
      'hosts:\n  - { name: ha, ip: 10.1.0.1 }\n  - { name: hb, ip: 10.1.0.2 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: a.conf }\n  - { name: b, kind: redis, host: hb, config: b.conf }\n  - { name: s1, kind: sentinel, host: hb, config: s1.conf }\n',
    's.yaml': 'model: m\nseed: 1\nduration: 2s\n',
    ...extra,
  });

describe('the longest run: 720h (30 days)', () => {
  it('a scenario of 100 years is refused at its duration line', async () => {
    const dir = tempTree({ 's.yaml': `model: ${BASIC}\nseed: 1\nduration: 876000h\n` });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).toContain('s.yaml:3: duration 876000h is longer than the limit of 720h (30 days)');
    expect(r.code).toBe(2);
  });

  it('--until past the limit is refused; a 720h scenario cut by --until runs', async () => {
    const dir = tempTree({ 's.yaml': `model: ${BASIC}\nseed: 1\nduration: 720h\n` });
    const r = await cli(['run', join(dir, 's.yaml'), '--until', '721h']);
    expect(r.stderr).toContain("argument '721h' is invalid. longer than the limit of 720h (30 days)");
    expect(r.code).toBe(2);
    const ok = await cli(['run', join(dir, 's.yaml'), '--until', '1s', '--format', 'json']);
    expect(ok.stderr).not.toMatch(BAD);
    expect(ok.code).toBe(0);
  });
});

describe('model config paths', () => {
  it('an absolute path inside the model folder is that file (it was joined onto the folder: "not found")', async () => {
    const dir = basicModel();
    const abs = join(dir, 'm', 'a.conf');
    writeFileSync(join(dir, 'm', 'model.yaml'), `hosts:\n  - { name: ha, ip: 10.1.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: ${abs} }\n`);
    const r = await cli(['run', join(dir, 's.yaml'), '--format', 'json']);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).not.toContain('not found');
    expect(r.code).toBe(0);
    // Another model's file by its absolute path: outside this one's folder, said so.
    const other = basicModel({}, `hosts:\n  - { name: ha, ip: 10.1.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: ${abs} }\n`);
    const o = await cli(['run', join(other, 's.yaml')]);
    expect(o.stderr).toContain(`configuration file ${abs} is outside the model's folder`);
    expect(o.code).toBe(2);
  });

  it('/etc/passwd as a config: outside the model, not "m/etc/passwd not found"', async () => {
    const dir = basicModel({}, 'hosts:\n  - { name: ha, ip: 10.1.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: ha, config: /etc/passwd }\n');
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).toContain("model.yaml:4: configuration file /etc/passwd is outside the model's folder");
    expect(r.code).toBe(2);
  });
});

describe('a Redis that listens nowhere', () => {
  it('port 0 in a model: refused with the line Redis exits on (it used to start and serve)', async () => {
    const dir = basicModel({ 'm/a.conf': 'port 0\n' });
    const r = await cli(['run', join(dir, 's.yaml')]);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).toMatch(/model\.yaml:\d+: a\.conf sets port 0: real Redis listens nowhere and exits at start \("Configured to not listen anywhere, exiting\."\)/);
    expect(r.code).toBe(2);
  });

  it('lint: bind "" (and a bare bind) listen nowhere, as redis-server 7.0.15 says at start', async () => {
    // Real 7.0.15, `redis-server x.conf --port 29201`: "# Configured to not listen anywhere, exiting.", exit 1.
    for (const text of ['bind ""\n', 'bind\n']) {
      const dir = tempTree({ 'x.conf': `port 6379\n${text}` });
      const r = await cli(['lint', join(dir, 'x.conf')]);
      expect(r.stdout).toContain('Configured to not listen anywhere, exiting.');
      expect(r.code).toBe(1);
    }
    const sock = tempTree({ 'x.conf': 'port 6379\nbind ""\nunixsocket /tmp/x.sock\n' });
    expect((await cli(['lint', join(sock, 'x.conf')])).code).toBe(0);
  });
});

describe('check: at most 100 seeds and 8 variants (each runs every case again)', () => {
  const seeds = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(',');

  it('101 seeds are refused before any case runs; 100 are a valid list', async () => {
    const r = await cli(['check', 'models/two-node', '--seeds', seeds(101)]);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).toMatch(/^error: option '--seeds <list>' argument '1,2,3.*' is invalid\. 101 seeds; the limit is 100 /);
    expect(r.stderr).not.toContain('check: seeds');
    expect(r.code).toBe(2);
    expect(parseSeedList(seeds(100))).toHaveLength(100);
  });

  it('a million pasted seeds are refused at once, by their count', async () => {
    const r = await cli(['check', 'models/two-node', '--seeds', seeds(1_000_000)]);
    expect(r.stderr).toContain('1000000 seeds; the limit is 100');
    expect(r.code).toBe(2);
  });

  it('a ninth --variant is refused', async () => {
    const variants = Array.from({ length: 9 }, (_, i) => ['--variant', `quorum=${i + 1}`]).flat();
    const r = await cli(['check', 'models/two-node', '--seeds', '1', ...variants]);
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stderr).toMatch(/^error: option '--variant <settings>' argument 'quorum=9' is invalid\. more than 8 variants; the limit is 8 /);
    expect(r.stderr).not.toContain('check: seeds');
    expect(r.code).toBe(2);
  });
});
