import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The package's bin is a launcher (src/cli/sentinel-sim.sh, copied to dist/cli/sentinel-sim) that
 * starts `run` from the start-up snapshot (scripts/build-snapshot.mjs) and everything else from the
 * bundle. Two things are checked: which node command line the launcher picks (with a fake `node`
 * that records its arguments), and that a `run` from the snapshot prints, writes and exits exactly
 * as the plain CLI does, for every shipped scenario.
 */

const LAUNCHER = resolve('src/cli/sentinel-sim.sh');
const BIN = resolve('dist/cli/sentinel-sim');
const BUNDLE = resolve('dist/cli/sentinel-sim.js');
const BLOB = resolve('dist/cli/sentinel-sim.blob');
const PLAIN = resolve('dist/cli/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-snapshot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the launcher picks the snapshot for run, and the bundle otherwise', () => {
  let cases = 0;
  /** A folder laid out like dist/cli, with a fake `node` on PATH that records its arguments. */
  function fakeInstall(opts: { blob?: boolean; stampNode?: string; blobOlderThanNode?: boolean } = {}) {
    const root = join(tmp, `fake-${cases++}`);
    const cli = join(root, 'dist/cli');
    const binDir = join(root, 'bin');
    mkdirSync(cli, { recursive: true });
    mkdirSync(binDir);
    const node = join(binDir, 'node');
    writeFileSync(node, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$ARGS_LOG"\nprintf "%s" "${NODE_EXTRA_CA_CERTS-(unset)}" > "$ARGS_LOG.ca"\n');
    chmodSync(node, 0o755);
    copyFileSync(LAUNCHER, join(cli, 'sentinel-sim'));
    chmodSync(join(cli, 'sentinel-sim'), 0o755);
    if (opts.blob !== false) {
      writeFileSync(join(cli, 'sentinel-sim.blob'), 'blob');
      writeFileSync(join(cli, 'sentinel-sim.blob.node'), `${opts.stampNode ?? node}\n`);
      // The blob was built after the node that built it was installed, unless the case says otherwise.
      const nodeS = Date.now() / 1000 - 100;
      utimesSync(node, nodeS, nodeS);
      const blobS = opts.blobOlderThanNode ? nodeS - 50 : nodeS + 50;
      utimesSync(join(cli, 'sentinel-sim.blob'), blobS, blobS);
    }
    return { root, cli, node };
  }

  function argsOf(launcher: string, argv: readonly string[], binDir: string, env: Record<string, string> = {}): string[] {
    const log = join(tmp, `args-${cases++}.txt`);
    const r = spawnSync(launcher, argv, { encoding: 'utf8', env: { PATH: `${binDir}:/usr/bin:/bin`, ARGS_LOG: log, ...env } });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(log, 'utf8').split('\n').slice(0, -1);
  }

  it('run starts from the blob, with the bundle as argv[1] and every argument kept as given', () => {
    const { cli, node } = fakeInstall();
    const argv = ['run', 'my scenario.yaml', '--seed', '7', '--trace', 'a b.jsonl'];
    expect(argsOf(join(cli, 'sentinel-sim'), argv, join(node, '..'))).toEqual(['--snapshot-blob', join(cli, 'sentinel-sim.blob'), join(cli, 'sentinel-sim.js'), ...argv]);
  });

  it('found through a symbolic link (npm links it into node_modules/.bin), it still finds its own folder', () => {
    const { root, cli, node } = fakeInstall();
    mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
    symlinkSync('../../dist/cli/sentinel-sim', join(root, 'node_modules/.bin/sentinel-sim'));
    symlinkSync(join(root, 'node_modules/.bin/sentinel-sim'), join(root, 'again'));
    for (const link of [join(root, 'node_modules/.bin/sentinel-sim'), join(root, 'again')]) {
      const args = argsOf(link, ['run', 's.yaml'], join(node, '..'));
      expect(args.slice(0, 3)).toEqual(['--snapshot-blob', `${root}/node_modules/.bin/../../dist/cli/sentinel-sim.blob`, `${root}/node_modules/.bin/../../dist/cli/sentinel-sim.js`]);
    }
  });

  it.each([
    ['other commands', ['check', 'models/zato'], {}],
    ['--version', ['--version'], {}],
    ['run --html (vega is not in the snapshot)', ['run', 's.yaml', '--html', 'p.html'], {}],
    ['run --out=DIR', ['run', 's.yaml', '--out=out'], {}],
    ['NODE_OPTIONS set (V8 flags must match the build)', ['run', 's.yaml'], { NODE_OPTIONS: '--max-old-space-size=100' }],
  ])('%s: the bundle', (_what, argv, env) => {
    const { cli, node } = fakeInstall();
    expect(argsOf(join(cli, 'sentinel-sim'), argv, join(node, '..'), env)).toEqual([join(cli, 'sentinel-sim.js'), ...argv]);
  });

  it.each([
    ['run, from the blob', ['run', 's.yaml']],
    ['run --html, from the bundle', ['run', 's.yaml', '--html', 'p.html']],
    ['check', ['check', 'models/zato']],
    ['--version', ['--version']],
  ])('%s: node starts without NODE_EXTRA_CA_CERTS (no command uses TLS; node parses the file at start-up)', (_what, argv) => {
    const { cli, node } = fakeInstall();
    const log = join(tmp, `ca-${cases++}.txt`);
    const r = spawnSync(join(cli, 'sentinel-sim'), argv, { encoding: 'utf8', env: { PATH: `${join(node, '..')}:/usr/bin:/bin`, ARGS_LOG: log, NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' } });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(`${log}.ca`, 'utf8')).toBe('(unset)');
  });

  it.each([
    ['no blob was built', { blob: false }],
    ['another node built the blob', { stampNode: '/opt/other/node' }],
    ['the node was replaced after the blob was built', { blobOlderThanNode: true }],
  ])('%s: run uses the bundle', (_what, opts) => {
    const { cli, node } = fakeInstall(opts);
    expect(argsOf(join(cli, 'sentinel-sim'), ['run', 's.yaml'], join(node, '..'))).toEqual([join(cli, 'sentinel-sim.js'), 'run', 's.yaml']);
  });

  it('dist/cli/sentinel-sim is this launcher, and the build made a snapshot for the node running the tests', () => {
    expect(readFileSync(BIN, 'utf8')).toBe(readFileSync(LAUNCHER, 'utf8'));
    expect(existsSync(BLOB)).toBe(true);
    expect(readFileSync(`${BLOB}.node`, 'utf8').trim()).toBe(process.execPath);
  });
});

describe('run from the snapshot prints, writes and exits as the plain CLI does', () => {
  const run = (cli: string[], argv: readonly string[], input?: string, env: Record<string, string> = {}): SpawnSyncReturns<string> =>
    // zato-lagging-replicas prints ~40 MB with --events: past spawnSync's 1 MiB default, node kills
    // the child, and both sides would compare the same truncated output.
    spawnSync(process.execPath, [...cli, ...argv], { encoding: 'utf8', input, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, ...env } });
  const SNAPSHOT = ['--snapshot-blob', BLOB, BUNDLE];
  const same = (argv: readonly string[], input?: string, env?: Record<string, string>) => {
    const a = run(SNAPSHOT, argv, input, env);
    const b = run([PLAIN], argv, input, env);
    expect([a.error, a.signal, b.error, b.signal]).toEqual([undefined, null, undefined, null]);
    expect({ status: a.status, stdout: a.stdout, stderr: a.stderr }).toEqual({ status: b.status, stdout: b.stdout, stderr: b.stderr });
    return a;
  };

  const scenarios = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
  it.each(scenarios)('scenarios/%s, its own seed and seed 5', (f) => {
    expect(same(['run', `scenarios/${f}`]).stdout).toMatch(/^# sentinel-sim /);
    same(['run', `scenarios/${f}`, '--seed', '5', '--events']);
  });

  it('--format json and jsonl, --print-config, colour forced on', () => {
    const drill = 'scenarios/zato-stop-master.yaml';
    same(['run', drill, '--format', 'json', '--seed', '3']);
    same(['run', drill, '--format', 'jsonl', '--until', '40s']);
    same(['run', drill, '--print-config', '--until', '45s']);
    same(['run', drill, '--until', '35s'], undefined, { FORCE_COLOR: '1' });
  });

  it('--trace writes the same file', () => {
    const drill = 'scenarios/zato-stop-master.yaml';
    const a = join(tmp, 'snap.jsonl');
    const b = join(tmp, 'plain.jsonl');
    expect(run(SNAPSHOT, ['run', drill, '--trace', a, '--until', '50s']).status).toBe(0);
    expect(run([PLAIN], ['run', drill, '--trace', b, '--until', '50s']).status).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
  });

  it('bad input (exit 2, file:line), the event cap (exit 3) and a scenario on stdin', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'model: ../models/zato\nseed: 1\nduration: soon\n');
    expect(same(['run', bad]).status).toBe(2);
    expect(same(['run', 'no-such.yaml']).status).toBe(2);
    expect(same(['run', 'scenarios/zato-stop-master.yaml', '--max-events', '500']).status).toBe(3);
    expect(same(['run', '-', '--until', '20s'], readFileSync('scenarios/zato-stop-master.yaml', 'utf8').replace(/\.\.\/models\//g, 'models/')).status).toBe(0);
  });

  it('code left out of the blob (what only --out, --html and the other commands load) stops a run loudly if reached, before writing anything', () => {
    // The launcher never sends these to the blob (tested above); this is the guard if it ever did.
    const out = join(tmp, 'left-out-folder');
    const r = run(SNAPSHOT, ['run', 'scenarios/zato-stop-master.yaml', '--until', '5s', '--out', out]);
    expect(r.status).toBe(70);
    expect(r.stderr).toMatch(/runFolder\.js is not in the start-up snapshot/);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(run(SNAPSHOT, ['check', 'models/zato']).stderr).toMatch(/command\.js is not in the start-up snapshot/);
  });

  it('through the launcher, an unreadable NODE_EXTRA_CA_CERTS leaves no warning on stderr (node itself warns)', () => {
    const env = { ...process.env, PATH: `${resolve(process.execPath, '..')}:${process.env.PATH}`, NODE_OPTIONS: '', NODE_EXTRA_CA_CERTS: join(tmp, 'no-such-ca.pem') };
    expect(spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8', env }).stderr).toMatch(/extra certs/);
    for (const argv of [['run', 'scenarios/zato-stop-master.yaml', '--until', '5s'], ['--version']]) {
      const r = spawnSync(BIN, argv, { encoding: 'utf8', env });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
    }
  });

  it('through the launcher itself, when the node on PATH built the blob', () => {
    const r = spawnSync(BIN, ['run', 'scenarios/zato-stop-master.yaml'], { encoding: 'utf8', env: { ...process.env, PATH: `${resolve(process.execPath, '..')}:${process.env.PATH}`, NODE_OPTIONS: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(run([PLAIN], ['run', 'scenarios/zato-stop-master.yaml']).stdout);
  });
});
