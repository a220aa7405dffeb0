import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What each command loads at start-up, asserted by the list of modules the built CLI loads (a
 * loader hook records every URL), never by time: `--version` and `--help` load no schema, YAML,
 * terminal UI, chart or model code, and `run` loads none of the other subcommands' code. Both
 * for tsc's dist/cli/main.js and for the bundle that the package's `bin` runs, whose files name
 * the modules they hold (esbuild's `// path` comments).
 */

const CLI = resolve('dist/cli/main.js');
/** The bundle the package's bin (dist/cli/sentinel-sim, a launcher) runs for every command but a snapshot-served `run`. */
const BIN = resolve('dist/cli/sentinel-sim.js');
const REGISTER = resolve('test/cli/load-recorder/register.mjs');
const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** The URLs `sentinel-sim ARGV` loads, after checking it exited with `status`. */
function loadedBy(argv: readonly string[], status = 0, cli = CLI): string[] {
  const log = join(dir, `load-${runs++}.txt`);
  const r = spawnSync(process.execPath, ['--import', REGISTER, cli, ...argv], { encoding: 'utf8', env: { ...process.env, SENTINEL_SIM_LOAD_LOG: log } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(status);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const pkg = (name: string) => new RegExp(`/node_modules/${name}/`);
const folder = (name: string) => new RegExp(`/dist/${name}/`);

/** The heavy packages, and the model's folders (the engine, the network, Redis, Sentinel, clients, faults). */
const HEAVY = [
  ...['zod', 'yaml', 'ink', 'react', 'vega', 'vega-lite', 'tinypool', 're2js', 'immer', 'seedrandom', 'fast-check', 'chalk'].map(pkg),
  ...['sim', 'net', 'redis', 'sentinel', 'clients', 'faults', 'tui', 'recording', 'report'].map(folder),
  /\/dist\/scenario\/(scenario|model|schema|runner|build)\.js$/,
  /\/dist\/config\/(loader|index)\.js$/,
];

/** Code only another subcommand needs: the player (its recording, not the trace codec run writes with), the advisor, explore, lint, the HTML page. */
const OTHER_COMMANDS = [
  ...['ink', 'react', 'vega', 'vega-lite', 'tinypool', 'fast-check'].map(pkg),
  ...['tui', 'lint'].map(folder),
  /\/dist\/recording\/(?!traceCodec\.js)/,
  /\/dist\/advisor\/(?!options\.js|require\.js)/,
  /\/dist\/explore\/(?!names\.js)/,
  /\/dist\/cli\/htmlOutput\.js$/,
];

const matching = (urls: readonly string[], patterns: readonly RegExp[]) => urls.filter((u) => patterns.some((p) => p.test(u)));

describe('start-up: what each command loads (built CLI, by module list)', () => {
  it.each([[['--version']], [['-V']], [['--help']], [['run', '--help']], [['check', '--help']], [['explore', '--help']], [['lint', '--help']], [['play', '--help']]])(
    '%j loads no schema, YAML, UI, chart or model code',
    (argv) => {
      const urls = loadedBy(argv);
      expect(urls.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
      expect(matching(urls, HEAVY)).toEqual([]);
    },
  );

  it('run loads the model and the scenario reader, and no other subcommand\'s code', () => {
    const urls = loadedBy(['run', 'scenarios/zato-stop-master.yaml', '--seed', '1', '--until', '1s']);
    // The recorder sees what run needs (so an empty list below means something).
    for (const p of [pkg('yaml'), pkg('zod'), folder('sentinel'), folder('sim')]) expect(urls.some((u) => p.test(u))).toBe(true);
    expect(matching(urls, OTHER_COMMANDS)).toEqual([]);
  });
});

/** The modules inside the bundle's files `bin ARGV` loaded, as /node_modules/… and /dist/… paths; throws on a file outside the bundle. */
function bundledModulesLoadedBy(argv: readonly string[]): string[] {
  const files = loadedBy(argv, 0, BIN).filter((u) => !u.startsWith('node:'));
  const outside = files.filter((u) => !fileURLToPath(u).startsWith(BIN.replace(/\.js$/, '')));
  expect(outside).toEqual([]);
  return files.flatMap((u) => [...readFileSync(fileURLToPath(u), 'utf8').matchAll(/^\/\/ ((?:node_modules|dist)\/\S+)$/gm)].map((m) => `/${m[1]}`));
}

describe('start-up of the bundled bin (by the modules its loaded files hold)', () => {
  it.each([[['--version']], [['--help']], [['explore', '--help']], [['check', '--help']]])('%j loads no schema, YAML, UI, chart or model code', (argv) => {
    const modules = bundledModulesLoadedBy(argv);
    expect(modules).toContain('/dist/cli/main.js');
    expect(matching(modules, HEAVY)).toEqual([]);
  });

  it("run loads nothing from node_modules and no other subcommand's code, and prints what dist/cli/main.js prints", () => {
    const argv = ['run', 'scenarios/zato-stop-master.yaml', '--seed', '1', '--until', '50s'];
    const modules = bundledModulesLoadedBy(argv);
    for (const p of [pkg('yaml'), pkg('zod'), folder('sentinel'), folder('sim')]) expect(modules.some((u) => p.test(u))).toBe(true);
    expect(matching(modules, OTHER_COMMANDS)).toEqual([]);
    const bundled = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' });
    const plain = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8' });
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toContain('# node1 was shut down at 30.000 s');
    expect(bundled.stdout).toBe(plain.stdout);
  });
});
