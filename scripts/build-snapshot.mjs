#!/usr/bin/env node
/**
 * Builds the CLI's start-up snapshot, dist/cli/sentinel-sim.blob, with the node that runs this
 * script (after tsc and scripts/bundle-cli.mjs; `npm run build` and `prepare` run all three).
 *
 * Node can start from a V8 heap snapshot instead of loading modules (`node --snapshot-blob F
 * --build-snapshot entry.cjs`). The entry, dist/cli/snapshot.js, runs the zato drill once, so the
 * blob holds `run`'s modules evaluated and compiled. The launcher, dist/cli/sentinel-sim (the
 * package's bin), starts `run` from it: about a third less CPU than loading the bundle, for the
 * same output (test/cli/snapshot.test.ts).
 *
 * A blob only loads in the node (the same V8 build and flags) that made it, so it is made on the
 * user's machine, never committed nor packed, and sentinel-sim.blob.node records which node made
 * it: the launcher falls back to the plain bundle for any other. If this node cannot build a
 * snapshot, the script says so and leaves none; sentinel-sim then starts the slower way.
 *
 * The entry is bundled as one CommonJS script (a snapshot's entry may require Node's built-in
 * modules only). The packages only other commands use (ink, React, vega, tinypool) stay outside
 * it, and so does our own code that only they reach (NOT_IN_SNAPSHOT below): the launcher sends
 * those commands, and run --html/--out, to the plain bundle.
 *
 * Usage: node scripts/build-snapshot.mjs [DIST]   (DIST: the tsc output folder, default dist/)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const OUT = join(DIST, 'cli');
const ENTRY = join(OUT, 'sentinel-sim-snapshot.cjs');
const BLOB = join(OUT, 'sentinel-sim.blob');
const STAMP = `${BLOB}.node`;

for (const f of [ENTRY, BLOB, STAMP]) rmSync(f, { force: true });

/**
 * Modules that only the commands and options the launcher sends to the bundle load (check,
 * explore, lint, play, run --html and --out), each by a dynamic import(). In a CommonJS bundle
 * every import() is inlined, so without this they would sit in the blob, deserialized by every
 * `run` and never called: about 0.5 MB of the script's 1.4 MB (fast-check alone is 0.27 MB) and
 * the objects their modules make. Each is bundled as a module that throws when loaded, so a
 * mistake is loud: the warm-up run (snapshot.ts) fails and the build leaves no blob, and a `run`
 * that reached one would stop with an internal error rather than print something else.
 */
const NOT_IN_SNAPSHOT = [
  'advisor/command.js', // check
  'explore/arbitraries.js', 'explore/explore.js', 'explore/report.js', 'explore/scenarioFile.js', // explore
  'lint/command.js', // lint
  'tui/command.js', // play
  'cli/htmlOutput.js', 'report/writability.js', // run --html
  'cli/runFolder.js', // run --out
].map((f) => join(DIST, f));
const stubbed = new Set();
const leaveOut = {
  name: 'not-in-snapshot',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, ({ path }) => {
      if (!NOT_IN_SNAPSHOT.includes(path)) return undefined;
      stubbed.add(path);
      return { contents: `throw new Error(${JSON.stringify(`${path} is not in the start-up snapshot: the launcher runs this command with the bundle`)});`, loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: ROOT,
  entryPoints: [join(OUT, 'snapshot.js')],
  outfile: ENTRY,
  nodePaths: [join(ROOT, 'node_modules')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['ink', 'react', 'react/*', 'react-reconciler', 'vega', 'vega-lite', 'tinypool'],
  plugins: [leaveOut],
  // A snapshot's script has no module URL: snapshot.ts sets this global instead.
  define: { 'import.meta.url': 'globalThis.__sentinelSimUrl' },
  // The script's text lives in the heap, so in the blob and in every run's memory: without
  // comments and spaces, and all ASCII (one non-ASCII character makes V8 store the whole text at
  // two bytes a character), the blob shrinks from 11 to 8 MB. Identifiers keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
});

// A listed module that no longer exists (renamed, say) would only make the blob bigger again: say so.
for (const f of NOT_IN_SNAPSHOT) if (!stubbed.has(f)) process.stderr.write(`build-snapshot: ${f} was not met while bundling; the list NOT_IN_SNAPSHOT is out of date\n`);

// Node warns that some built-in modules are not verified in snapshots; the test suite checks the
// output instead, so the warnings are shown only when the build fails.
const made = spawnSync(process.execPath, ['--snapshot-blob', BLOB, '--build-snapshot', ENTRY], { cwd: OUT, encoding: 'utf8' });
if (made.status !== 0 || !existsSync(BLOB) || statSync(BLOB).size === 0) {
  rmSync(BLOB, { force: true });
  process.stderr.write(`build-snapshot: no start-up snapshot (node ${process.version} exited ${made.status ?? made.signal}); sentinel-sim runs without it\n${made.stderr}`);
} else {
  writeFileSync(STAMP, `${process.execPath}\n`);
}
rmSync(ENTRY, { force: true });
