import { current, isDraft } from 'immer';
import type { DbSnapshotLog, RedisState } from './state.js';

/**
 * The dataset's bookkeeping: the key count kept as keys come and go, and snapshots taken the way
 * fork() takes them (an RDB save, the AOF image, a replication child see the dataset as it was
 * when they started, whatever is written after). So INFO, DBSIZE, a save and the writes after it
 * cost the same whatever the number of keys.
 *
 * A snapshot is the live dataset plus an undo log: each write after it first notes the key's
 * value before the write (or that the key did not exist). The snapshot is built from the live
 * dataset and its log only when something reads it (a restart loading the RDB, a full sync
 * sending it), so a save followed by writes copies nothing. A DEL while a snapshot is open builds
 * that snapshot at once (a re-added key would otherwise move in the key order), and so does a
 * dataset replaced whole (FLUSHALL, a full sync, a restart: the old object is then never written).
 *
 * Built snapshots keep the key order of a plain copy at snapshot time (a spread copies
 * integer-like keys, then the others in insertion order; SET never moves a key), so an RDB
 * serialised from one has the same bytes as one from a fresh copy.
 *
 * Under immer (WorldOptions.snapshots) the draft already copies on write, so a snapshot there is
 * a plain copy and no log is kept.
 */

/**
 * An empty dataset. Every dataset has no prototype: a key is any string, and on a plain object
 * `db['__proto__'] = v` would set the object's prototype instead of adding the key.
 */
export function emptyDb(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** A copy of a dataset, with no prototype either (a spread would make a plain object). */
export function copyDb(db: Readonly<Record<string, string>>): Record<string, string> {
  return Object.assign(emptyDb(), db);
}

/** What a log holds for a key the snapshot did not have. */
const ABSENT: unique symbol = Symbol('absent');

interface Log extends DbSnapshotLog {
  readonly base: Record<string, string>;
  readonly undo: Map<string, string | typeof ABSENT>;
  built: Record<string, string> | null;
  /** Left open while the live dataset changed without it: its content is lost (a bug if read). */
  lost: boolean;
}

/** Each snapshot view's log, so a loaded image is installed as the plain object it stands for. */
const logOfView = new WeakMap<object, Log>();

function build(log: Log): Record<string, string> {
  if (log.built) return log.built;
  if (log.lost) throw new Error('internal: a dataset snapshot no state holds was read after the dataset changed');
  const out = copyDb(log.base);
  for (const [k, v] of log.undo) {
    if (v === ABSENT) delete out[k];
    else out[k] = v;
  }
  log.built = out;
  log.undo.clear();
  return out;
}

/** A snapshot as the plain object its readers expect; its content is built on the first read. */
function newLog(base: Record<string, string>): Log {
  const log = { base, undo: new Map(), built: null, lost: false } as Omit<Log, 'view'> as Log;
  const target = () => build(log);
  const view = new Proxy({} as Record<string, string>, {
    get: (_t, k) => Reflect.get(target(), k),
    has: (_t, k) => Reflect.has(target(), k),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, k) => Reflect.getOwnPropertyDescriptor(target(), k),
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
  (log as { view: Record<string, string> }).view = view;
  logOfView.set(view, log);
  return log;
}

/** The plain dataset behind `db` (a snapshot view is built). */
function plain(db: Record<string, string>): Record<string, string> {
  const log = logOfView.get(db);
  return log ? build(log) : db;
}

/**
 * The logs that follow the live dataset. A log of a replaced dataset stops following (that object
 * is never written again, so it stays right as it is), and so does a built one.
 */
function openLogs(d: RedisState): Log[] {
  const logs = d.dbSnapshots as Log[];
  let all = true;
  for (const l of logs) if (l.built !== null || l.base !== d.db) all = false;
  if (all) return logs;
  const open = logs.filter((l) => l.built === null && l.base === d.db);
  d.dbSnapshots = open;
  return open;
}

/**
 * The dataset, ready for an in-place write of `key` (or its deletion): copied first if a loaded
 * image still holds it, and the key's current value noted in every open snapshot's log.
 */
export function writableDb(d: RedisState, key: string, deleting = false): Record<string, string> {
  if (d.dbShared) {
    d.dbShared = false;
    // Under immer (WorldOptions.snapshots) the draft already copies on write.
    if (!isDraft(d.db)) d.db = copyDb(d.db);
  }
  if (isDraft(d.db)) return d.db;
  const logs = openLogs(d);
  const db = d.db;
  if (logs.length === 0) return db;
  if (deleting) {
    for (const l of logs) build(l);
    d.dbSnapshots = [];
    return db;
  }
  const before = Object.prototype.hasOwnProperty.call(db, key) ? db[key]! : ABSENT;
  for (const l of logs) if (!l.undo.has(key)) l.undo.set(key, before);
  return db;
}

/**
 * The dataset as it is now, for something that outlives the event (an RDB, the AOF image, a
 * replication child). Later writes never show through (writableDb() notes what they change).
 */
export function snapshotDb(d: RedisState): Record<string, string> {
  if (isDraft(d.db)) return copyDb(current(d.db));
  // A dataset loaded from an image is that image until its first write: nothing to log.
  if (d.dbShared) return d.db;
  // Logs no holder keeps any more (the previous RDB once a newer one replaced it, a finished
  // replication child) stop here, so only a few stay open.
  const held = new Set<unknown>([d.diskRdb?.db, d.aofImage?.db, d.child?.snapshot]);
  const open: Log[] = [];
  for (const l of openLogs(d)) {
    if (held.has(l.view)) open.push(l);
    else l.lost = true;
  }
  const log = newLog(d.db);
  open.push(log);
  d.dbSnapshots = open;
  return log.view;
}

/**
 * Replace the dataset with one that may be held elsewhere too (the RDB on disk, the file a full sync
 * received), so it is shared until the first write, even when empty.
 */
export function installDb(d: RedisState, db: Record<string, string>): void {
  d.db = isDraft(d.db) ? db : plain(db);
  let keys = 0;
  for (const k in d.db) if (Object.prototype.hasOwnProperty.call(d.db, k)) keys++;
  d.keyCount = keys;
  d.dbShared = true;
}

/** A dataset image as a plain object (for serialising it or sizing it). */
export function dbImage(db: Record<string, string>): Record<string, string> {
  return plain(db);
}
