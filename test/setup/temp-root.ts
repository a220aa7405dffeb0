import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temp folder the tests make (theirs and the CLI children's) goes under one root per vitest
 * run, removed when the run ends: the tests stay free to leave their folders behind for a failing
 * case's inspection while the run lasts, and /tmp does not fill up across runs.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'sentinel-sim-tests-'));
  // As /tmp itself: tests that rerun a case as another user (setpriv, when run as root) must reach it.
  chmodSync(root, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
