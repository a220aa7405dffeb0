import { current, isDraft } from 'immer';
import type { RedisState } from './state.js';

/**
 * The dataset's bookkeeping: the key count kept as keys come and go, and snapshots taken the way
 * fork() takes them (an RDB save, the AOF image, a replication child share the dataset until the
 * next write copies it). So INFO, DBSIZE and a save cost the same whatever the number of keys.
 *
 * Copying keeps the key order (a spread copies integer-like keys, then the others in insertion
 * order), so an RDB serialised from a snapshot has the same bytes as one from a fresh copy.
 */

/** The dataset, ready for an in-place write: copied first if a snapshot still holds it. */
export function writableDb(d: RedisState): Record<string, string> {
  if (d.dbShared) {
    d.dbShared = false;
    // Under immer (WorldOptions.snapshots) the draft already copies on write.
    if (!isDraft(d.db)) d.db = { ...d.db };
  }
  return d.db;
}

/**
 * The dataset as it is now, for something that outlives the event (an RDB, the AOF image, a
 * replication child). Later writes never show through: they copy first (writableDb()).
 */
export function snapshotDb(d: RedisState): Record<string, string> {
  if (isDraft(d.db)) return { ...current(d.db) };
  d.dbShared = true;
  return d.db;
}

/**
 * Replace the dataset with one that may be held elsewhere too (the RDB on disk, the file a full sync
 * received), so it is shared until the first write, even when empty.
 */
export function installDb(d: RedisState, db: Record<string, string>): void {
  d.db = db;
  let keys = 0;
  for (const k in db) if (Object.prototype.hasOwnProperty.call(db, k)) keys++;
  d.keyCount = keys;
  d.dbShared = true;
}
