import { copyDb, snapshotDb } from './dataset.js';
import { type Node, nowSec, notice } from './node.js';
import type { RedisDisk } from './state.js';

/**
 * RDB, AOF and the rewritten config as one disk image (ctx.persist replaces it whole). An RDB carries
 * the replication aux fields repl-id/repl-offset when rdbPopulateSaveInfo() would write them.
 */

const RDB_MAGIC = 'REDIS0010';

/** The RDB as it travels to a replica: the magic, then the dataset and aux fields as JSON. */
export function serializeRdb(db: Record<string, string>, repl: { replid: string; offset: number }, eof: boolean): string {
  return RDB_MAGIC + JSON.stringify({ eof, repl, db });
}

export function parseRdb(s: string): { db: Record<string, string>; repl: { replid: string; offset: number } | null; eof: boolean } | undefined {
  if (!s.startsWith(RDB_MAGIC)) return undefined;
  try {
    const v = JSON.parse(s.slice(RDB_MAGIC.length)) as { db: Record<string, string>; repl: { replid: string; offset: number } | null; eof: boolean };
    // JSON.parse makes an own "__proto__" key as it should; the copy keeps it a key when written.
    return v && typeof v.db === 'object' && v.db !== null ? { ...v, db: copyDb(v.db) } : undefined;
  } catch {
    return undefined;
  }
}

/** Rough RDB size: header and aux fields, then per key a type byte, two lengths and the strings. */
export function rdbBytes(db: Record<string, string>): number {
  let n = 120;
  for (const k in db) n += 3 + k.length + db[k]!.length;
  return n;
}

/** Write the whole disk image from what the state says is on disk. */
export function persistDisk(n: Node): void {
  const d = n.d;
  const disk: RedisDisk = {};
  if (d.diskRdb) disk.rdb = { db: d.diskRdb.db, repl: d.diskRdb.repl ? { ...d.diskRdb.repl } : null, savedMs: d.diskRdb.savedMs };
  if (d.conf.appendonly) {
    // appendfsync everysec: the AOF is rewritten only when something changed since the last write.
    if (!d.aofImage || d.aofImage.changes !== d.changesTotal) d.aofImage = { db: snapshotDb(d), changes: d.changesTotal };
    disk.aof = { db: d.aofImage.db };
  }
  if (d.rewrittenConf) disk.conf = { replicaof: d.rewrittenConf.replicaof ? { ...d.rewrittenConf.replicaof } : null, params: { ...d.rewrittenConf.params } };
  n.ctx.persist(disk);
}

/** rdb.c: rdbPopulateSaveInfo() — repl-id/offset are saved for a master with a backlog, or a replica with a (cached) master. */
function saveInfo(n: Node): { replid: string; offset: number } | null {
  const d = n.d;
  if (!d.repl && d.backlog) return { replid: d.replid, offset: d.masterReplOffset };
  if (d.repl && (d.repl.link || d.repl.cached)) return { replid: d.replid, offset: d.masterReplOffset };
  return null;
}

/** rdb.c: rdbSave() (SAVE, SHUTDOWN) and a BGSAVE whose child is modelled as instant. */
export function rdbSave(n: Node): void {
  const d = n.d;
  d.diskRdb = { db: snapshotDb(d), repl: saveInfo(n), savedMs: n.ctx.nowMs() };
  d.dirty = 0;
  d.lastSaveSec = nowSec(n);
  persistDisk(n);
  notice(n, 'DB saved on disk');
}

/** server.c: serverCron() save points: `dirty >= changes && now - lastsave > seconds`. */
export function saveCron(n: Node): void {
  const d = n.d;
  if (d.child) return;
  const now = nowSec(n);
  for (const sp of d.conf.savePoints) {
    if (d.dirty >= sp.changes && now - d.lastSaveSec > sp.seconds) {
      notice(n, `${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
      notice(n, 'Background saving started');
      rdbSave(n);
      notice(n, 'Background saving terminated with success');
      return;
    }
  }
}

/** appendfsync everysec: what the AOF holds is at most ~1 s behind. */
export function aofCron(n: Node): void {
  const d = n.d;
  if (d.conf.appendonly && (!d.aofImage || d.aofImage.changes !== d.changesTotal)) persistDisk(n);
}
