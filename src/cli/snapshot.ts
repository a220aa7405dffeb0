import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import { forgetInputFiles } from '../config/inputFiles.js';
import { main, startProgram } from './main.js';

/**
 * The entry of the CLI's start-up snapshot (scripts/build-snapshot.mjs bundles this file as one
 * CommonJS script and runs `node --snapshot-blob … --build-snapshot` on it). At build time it runs
 * the zato drill once, so the blob holds `run`'s modules already evaluated (commander, zod's
 * schemas, yaml, re2js, the model) and their functions compiled to bytecode; a `run` started from
 * the blob (the `sentinel-sim` launcher) then only deserializes them. The launcher passes the
 * bundled bin's path as the first argument, so process.argv reads as it does for `node BIN …`.
 *
 * In this bundle `import.meta.url` is the global set below (scripts/build-snapshot.mjs defines it
 * so), because a snapshot's script has no module URL of its own: the build's path while building,
 * the launcher's folder once deserialized. Paths taken from it (package.json) resolve as from the bin.
 */

const URL_GLOBAL = '__sentinelSimUrl';

function setModuleUrl(scriptPath: string): void {
  (globalThis as Record<string, unknown>)[URL_GLOBAL] = pathToFileURL(scriptPath).href;
}

/** Output nobody reads: the warm-up's log. */
const DISCARD = { write: () => true };

if (!startupSnapshot.isBuildingSnapshot()) {
  throw new Error('snapshot.js is the entry of `node --build-snapshot` (scripts/build-snapshot.mjs), not a program to run');
}
setModuleUrl(process.argv[1]!);
const drill = new URL('../../scenarios/zato-stop-master.yaml', pathToFileURL(process.argv[1]!));
// The warm-up is a plain run with no process hooks: no signal handlers, no V8 flags, nothing kept but compiled code.
if (existsSync(drill)) {
  void main(['run', drill.pathname], { stdout: DISCARD, stderr: DISCARD }).then((code) => {
    if (code !== 0) throw new Error(`the snapshot's warm-up run of ${drill.pathname} exited ${code}`);
  });
}

startupSnapshot.setDeserializeMainFunction(() => {
  setModuleUrl(process.argv[1]!);
  forgetInputFiles();
  startProgram(process.argv.slice(2));
});
