/**
 * Vitest global set-up: worker threads (check's tinypool workers) load the built dist/, so build
 * it first when a source file is newer than the build, then the bundled CLI and its start-up snapshot.
 * Tests in this process import src/ directly.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const STAMP = join(ROOT, 'dist/advisor/worker.js');
/** The bundled CLI the `bin` launches, built from dist/cli/main.js by scripts/bundle-cli.mjs. */
const BUNDLE = join(ROOT, 'dist/cli/sentinel-sim.js');
/** The start-up snapshot `run` starts from, built from the bundle's modules by scripts/build-snapshot.mjs. */
const BLOB = join(ROOT, 'dist/cli/sentinel-sim.blob');

function newestMs(dir: string): number {
  let newest = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMs(p) : st.mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const stale = !existsSync(STAMP) || newestMs(join(ROOT, 'src')) > statSync(STAMP).mtimeMs;
  if (stale) execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  if (stale || !existsSync(BUNDLE) || statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs > statSync(BUNDLE).mtimeMs) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-cli.mjs')], { stdio: 'inherit' });
  }
  if (!existsSync(BLOB) || statSync(BUNDLE).mtimeMs > statSync(BLOB).mtimeMs) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-snapshot.mjs')], { stdio: 'inherit' });
  }
}
