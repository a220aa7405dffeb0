#!/usr/bin/env node
/**
 * Bundles the built CLI (dist/cli/main.js, from tsc) into dist/cli/sentinel-sim.js, the `bin`.
 * Loading ~230 modules one by one (zod alone is ~95) was a third of `run`'s fixed start-up cost;
 * one entry file plus a few chunks loads in a fraction of it. Each subcommand's dynamic import()
 * stays a chunk of its own, so `--version` and `--help` still load no schema, YAML or model code.
 * The terminal UI (ink, React), the charts (vega) and the worker pool (tinypool) stay outside:
 * only play, run --html and check/explore's workers load them, from node_modules.
 * The chunks sit next to the entry so that paths taken from import.meta.url (package.json, the
 * workers in dist/advisor and dist/explore) resolve as they do from the unbundled files.
 *
 * It also copies the launcher (src/cli/sentinel-sim.sh) to dist/cli/sentinel-sim, the package's
 * `bin`: it runs this bundle, or `run` from the start-up snapshot when scripts/build-snapshot.mjs
 * has built one for this machine's node.
 *
 * Usage: node scripts/bundle-cli.mjs [DIST]   (DIST: the tsc output folder, default dist/)
 */
import { chmodSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const OUT = join(DIST, 'cli');
const PREFIX = 'sentinel-sim';

// A rebuild must not leave the last build's chunks behind (their names carry a content hash), nor
// a start-up snapshot of the last build's code (build-snapshot.mjs makes a new one after this).
for (const f of readdirSync(OUT)) if (f.startsWith(`${PREFIX}`) && /\.(js(\.map)?|blob|blob\.node|cjs)$/.test(f)) rmSync(join(OUT, f));

/** What the bin and the check worker bundle alike. */
const ESM_NODE = {
  absWorkingDir: ROOT,
  // A DIST outside the repository (the package test's staging folder) still bundles the repository's packages.
  nodePaths: [join(ROOT, 'node_modules')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ink', 'react', 'react/*', 'react-reconciler', 'vega', 'vega-lite', 'tinypool'],
  // CommonJS packages (commander, yaml, seedrandom) require Node's built-in modules.
  banner: { js: "import { createRequire as __sentinelSimRequire } from 'node:module'; const require = __sentinelSimRequire(import.meta.url);" },
  logLevel: 'warning',
};

await build({ ...ESM_NODE, entryPoints: { [PREFIX]: join(OUT, 'main.js') }, outdir: OUT, chunkNames: `${PREFIX}-[hash]`, splitting: true });

// check's worker thread, bundled too: each worker loaded ~150 unbundled modules (~150 ms a worker)
// before its first case. It sits next to the unbundled worker, so its paths resolve alike.
await build({ ...ESM_NODE, entryPoints: { 'worker.bundle': join(DIST, 'advisor/worker.js') }, outdir: join(DIST, 'advisor') });

copyFileSync(join(ROOT, 'src/cli/sentinel-sim.sh'), join(OUT, PREFIX));
chmodSync(join(OUT, PREFIX), 0o755);
