import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Model } from './model.js';

/**
 * A fingerprint of the model a run used, for a trace's header: SHA-256 over its model.yaml (when
 * it has one) and every process's configuration file, each as its path relative to the model
 * folder, a NUL, its bytes and a NUL, in path order. The same files give the same hash wherever
 * the folder sits; an edited file gives another.
 */
export function modelHash(model: Pick<Model, 'file' | 'dir' | 'processes'>): string {
  const files = new Set<string>();
  if (isFile(model.file)) files.add(resolve(model.file));
  for (const p of model.processes) files.add(resolve(p.configFile));
  const named = [...files].map((f) => ({ f, rel: relative(resolve(model.dir), f).split('\\').join('/') }));
  named.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const h = createHash('sha256');
  for (const { f, rel } of named) {
    h.update(rel).update('\0');
    h.update(contents(f)).update('\0');
  }
  return h.digest('hex');
}

/** A file read at load time may be gone by now (or be an in-memory test model's): hashed as absent. */
function contents(path: string): Buffer | string {
  try {
    return readFileSync(path);
  } catch {
    return '\0absent';
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
