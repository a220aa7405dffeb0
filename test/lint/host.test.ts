import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/index.js';
import { runSubcommand } from '../cli/run-cli.js';

/**
 * lint judges a file for the host it is written for: by default what Redis 7.0 would say on that
 * host (syntax, values, Sentinel's passes, and for a model `bind` against the model's host),
 * leaving out this machine's file system and interfaces; --on-this-host adds them.
 */
const ROOT = join(import.meta.dirname, '../..');
const MODELS = join(ROOT, 'models');

function confsUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? confsUnder(p) : f.endsWith('.conf') ? [p] : [];
  });
}

function tmpModel(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lint-model-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('every .conf shipped under models/ lints clean by default', () => {
  const files = confsUnder(MODELS).map((f) => relative(ROOT, f));
  it('there are at least 25 of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });
  for (const f of files) {
    it(f, () => {
      const r = lintFiles([f], { cwd: ROOT });
      expect(r.failures).toEqual([]);
      expect(r.files[0]!.verdict).toEqual({ accepted: true });
      // A replica alone shows its min-replicas setting; nothing else may warn.
      expect(r.files[0]!.warnings.filter((w) => w.code !== 'min-replicas-on-replica')).toEqual([]);
      expect(r.exitCode).toBe(0);
    });
  }
  it('each model as a whole: exit 0; the only warning is docker-3node\'s deliberate min-replicas on replicas (seed 004)', () => {
    for (const m of readdirSync(MODELS)) {
      const r = lintFiles([`models/${m}`], { cwd: ROOT });
      expect(r.exitCode, m).toBe(0);
      expect(r.files.length, m).toBeGreaterThanOrEqual(3);
      const w = r.files.flatMap((f) => f.warnings.map((x) => `${x.file}:${x.line}:${x.code}`));
      expect(w, m).toEqual(m === 'docker-3node' ? ['models/docker-3node/node2.conf:65:min-replicas-on-replica', 'models/docker-3node/node3.conf:65:min-replicas-on-replica'] : []);
    }
  });
});

describe('--on-this-host adds the checks only this machine can answer', () => {
  it('a dir that does not exist here, and a bind address of another machine', async () => {
    const dir = lintFiles(['models/docker-3node/node1.conf'], { cwd: ROOT, onThisHost: true }).files[0]!.verdict;
    expect(dir).toMatchObject({ accepted: false, stage: 'config', reason: 'No such file or directory', lineText: 'dir /var/lib/redis/data' });
    const bind = await runSubcommand('lint', ['models/two-node', '--on-this-host'], { cwd: ROOT });
    expect(bind.exitCode).toBe(1);
    expect(bind.stdout).toContain('models/two-node/redis-a.conf: refused (fails at start-up): Failed listening on port 6379 (TCP), aborting.');
    expect(bind.stdout).toContain('fix: the bind address is not an address of this host');
    expect((await runSubcommand('lint', ['models/two-node'], { cwd: ROOT })).exitCode).toBe(0);
  });
});

describe('a model: every conf, in its kind\'s mode, with bind checked against its host in the model', () => {
  const model = (redisBind: string) =>
    tmpModel({
      'model.yaml': [
        'hosts:',
        '  - { name: a, ip: 10.1.0.1, aliases: [db-a] }',
        '  - { name: b, ip: 10.1.0.2, aliases: [db-b] }',
        'processes:',
        '  - { name: r1, kind: redis, host: a, config: r1.conf }',
        '  - { name: s1, kind: sentinel, host: b, config: s1.conf }',
      ].join('\n'),
      'r1.conf': `bind ${redisBind}\nport 6379\n`,
      // A Sentinel config named like a Redis one: the model's kind decides the mode.
      's1.conf': 'bind db-b\nsentinel monitor m 10.1.0.1 6379 1\n',
    });
  it("its own address, its names and loopback bind; another host's address or an unknown name do not", () => {
    for (const ok of ['10.1.0.1', 'db-a', 'a 127.0.0.1', '-::1 10.1.0.1']) expect(lintFiles([model(ok)]).exitCode, ok).toBe(0);
    const other = lintFiles([model('10.1.0.2')]);
    expect(other.exitCode).toBe(1);
    expect(other.files[0]!.verdict).toMatchObject({ accepted: false, stage: 'startup', detail: 'Warning: Could not create server TCP listening socket 10.1.0.2:6379: bind: Cannot assign requested address' });
    if (!other.files[0]!.verdict.accepted) expect(other.files[0]!.verdict.fix).toBe('the bind address is not an address of host a (10.1.0.1), where the model runs r1');
    const unknown = lintFiles([model('db-c')]).files[0]!.verdict;
    expect(unknown).toMatchObject({ accepted: false, detail: 'Warning: Could not create server TCP listening socket db-c:6379: Name or service not known' });
  });
  it('a model.yaml given as a file is read as a model, never as a redis.conf', () => {
    const dir = model('10.1.0.1');
    const r = lintFiles([join(dir, 'model.yaml')]);
    expect(r.files.map((f) => [f.file.replace(dir, ''), f.mode])).toEqual([
      ['/r1.conf', 'redis'],
      ['/s1.conf', 'sentinel'],
    ]);
    expect(r.exitCode).toBe(0);
  });
  it('a YAML file that is not a model is a clear error (exit 2), not a config', async () => {
    const r = await runSubcommand('lint', ['scenarios/zato-stop-master.yaml'], { cwd: ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sentinel-sim lint: scenarios/zato-stop-master.yaml: not a model file (a model has hosts: and processes:); lint takes .conf files, a folder of them, or a model\n');
  });
});

describe('folders', () => {
  it('a folder of .conf files: every one, sorted by name; no EISDIR', async () => {
    const dir = tmpModel({ 'b.conf': 'port 6380\n', 'a-sentinel.conf': 'sentinel monitor m 127.0.0.1 6380 1\n', 'notes.txt': 'x' });
    const r = await runSubcommand('lint', [dir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${dir}/a-sentinel.conf: accepted by redis-server --sentinel 7.0.15\n${dir}/b.conf: accepted by redis-server 7.0.15\n`);
    expect(r.stderr).not.toContain('EISDIR');
  });
  it('an empty folder is bad input, said plainly', async () => {
    const dir = tmpModel({});
    const r = await runSubcommand('lint', [dir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`sentinel-sim lint: ${dir}: a folder with no model.yaml and no .conf files: nothing to lint\n`);
  });
});

describe('lost-line-break', () => {
  it('prose that quotes a directive after a space is not a lost line break (models/haproxy/replica.conf:3)', () => {
    expect(lintFiles(['models/haproxy/replica.conf'], { cwd: ROOT }).files[0]!.warnings).toEqual([]);
  });
  it('a directive glued to a sentence, or complete after a colon, still is', () => {
    const dir = tmpModel({ 'r.conf': '# a daemon service.port 6380\n# set it so: maxmemory 100mb\n# the doc says: "port 6379".\n' });
    const w = lintFiles([join(dir, 'r.conf')]).files[0]!.warnings.map((x) => `${x.line}:${x.code}`);
    expect(w).toEqual(['1:lost-line-break', '2:lost-line-break']);
  });
});
