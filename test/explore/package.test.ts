import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The published package, as a user gets it: compiled from the current sources into a staging
 * folder (the worktree's dist/ is left alone), packed with `npm pack`, installed into an empty
 * project with npm (offline: every dependency is in the npm cache since `npm ci`), and the
 * README's vitest + fast-check example run there against two shipped models.
 */

const repo = resolve('.');
const tmp = mkdtempSync(join(tmpdir(), 'sentinel-sim-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env, CI: 'true', NO_COLOR: '1' }, timeout: 240_000 });

/** The README's example test, exactly as printed there. */
function readmeExample(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const m = /```ts\n(\/\/ sentinel\.property\.test\.ts\n[\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README: no ```ts block starting with "// sentinel.property.test.ts"');
  return m[1]!;
}

const versionOf = (dep: string) => (JSON.parse(readFileSync(join(repo, 'node_modules', dep, 'package.json'), 'utf8')) as { version: string }).version;

describe('the published package', () => {
  // Compiling, packing and installing take a minute or two on a loaded 2-core machine: an explicit, generous limit.
  it('packs without the conformance harness and the bench, installs offline, and the README example fails on two-node and holds on zato', { timeout: 600_000 }, () => {
    const stage = join(tmp, 'stage');
    mkdirSync(stage);
    for (const f of ['package.json', 'README.md', 'models', 'scenarios', 'schema']) cpSync(join(repo, f), join(stage, f), { recursive: true });
    execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'tsconfig.json'), '--outDir', join(stage, 'dist')], { cwd: repo });
    // What `npm run build` does after tsc: bundle the CLI, the package's `bin`.
    execFileSync(process.execPath, [join(repo, 'scripts/bundle-cli.mjs'), join(stage, 'dist')], { cwd: repo });
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], stage);
    expect(packed.status, packed.stderr).toBe(0);
    const info = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/testing.js');
    expect(files).toContain('dist/testing.d.ts');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((f) => /^dist\/(conformance|bench)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);

    const user = join(tmp, 'user');
    mkdirSync(user);
    writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'my-deployment-tests', private: true, type: 'module' }));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(tmp, info[0]!.filename), `vitest@${versionOf('vitest')}`, `fast-check@${versionOf('fast-check')}`], user);
    expect(install.status, install.stderr).toBe(0);
    writeFileSync(join(user, 'sentinel.property.test.ts'), readmeExample());

    const vitest = join(user, 'node_modules/vitest/vitest.mjs');
    const twoNode = run(process.execPath, [vitest, 'run'], user, { MODEL: join(repo, 'models/two-node') });
    expect(twoNode.status, twoNode.stdout + twoNode.stderr).toBe(1);
    expect(twoNode.stdout + twoNode.stderr).toMatch(/no-lost-writes/);
    const written = readdirSync(join(user, 'counterexample'));
    expect(written).toContain('scenario.yaml');
    // The counterexample replays with the installed CLI (the bin npm linked): exit 1.
    const replay = run(join(user, 'node_modules/.bin/sentinel-sim'), ['run', 'counterexample/scenario.yaml'], user);
    expect(replay.status, replay.stderr).toBe(1);

    const zato = run(process.execPath, [vitest, 'run'], user, { MODEL: join(repo, 'models/zato'), PROPERTIES: 'one-leader-per-epoch' });
    expect(zato.status, zato.stdout + zato.stderr).toBe(0);
  });
});
