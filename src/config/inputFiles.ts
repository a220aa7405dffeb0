import * as nodefs from 'node:fs';

/**
 * Every file this process has read as input (a scenario, a model.yaml, a configuration file or one
 * it includes, a proxy's haproxy.cfg), by its real path, with what it was. The CLI checks its
 * output paths against it before a run: `--trace scenario.yaml` or `--html node1.conf` would
 * otherwise replace the run's own input with the trace or the page.
 */
const readFiles = new Map<string, string>();

/** Remember `path` (symbolic links followed) as an input read as `what` ("the scenario", ...). */
export function noteInputFile(path: string, what: string): void {
  try {
    const real = nodefs.realpathSync(path);
    if (!readFiles.has(real)) readFiles.set(real, what);
  } catch {
    // not there (any more): nothing an output could replace
  }
}

/** What the file at `path` (links followed) was read as, if this process read it as an input. */
export function inputFileRole(path: string): string | undefined {
  try {
    return readFiles.get(nodefs.realpathSync(path));
  } catch {
    return undefined;
  }
}

/** Forget every file read so far: the start-up snapshot's warm-up run read the zato drill, which a user's run did not. */
export function forgetInputFiles(): void {
  readFiles.clear();
}
