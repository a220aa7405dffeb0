import { bulk, error, int, NULL_BULK, OK, type Resp } from '../../net/resp.js';
import { emptyDb, installDb, writableDb } from '../dataset.js';
import { rdbSave } from '../persistence.js';
import type { Call } from './types.js';

/** The string keyspace (t_string.c, db.c) — enough for SET/GET/INCR/DEL/EXISTS/DBSIZE/FLUSHALL. */

const NOT_INT = error('ERR value is not an integer or out of range');
const SYNTAX = error('ERR syntax error');

/** t_string.c: setCommand() with NX, XX and GET (expiry options are not modelled: syntax error). */
export function setCmd(x: Call): void {
  const d = x.n.d;
  const [, key, value] = x.argv as [string, string, string];
  let nx = false;
  let xx = false;
  let get = false;
  for (let i = 3; i < x.argv.length; i++) {
    const o = x.argv[i]!.toLowerCase();
    if (o === 'nx' && !xx) nx = true;
    else if (o === 'xx' && !nx) xx = true;
    else if (o === 'get') get = true;
    else {
      x.out.push(SYNTAX);
      return;
    }
  }
  const old = Object.prototype.hasOwnProperty.call(d.db, key) ? d.db[key]! : null;
  if ((nx && old !== null) || (xx && old === null)) {
    x.out.push(get ? bulk(old) : NULL_BULK);
    return;
  }
  if (old === null) d.keyCount++;
  writableDb(d, key)[key] = value;
  d.dirty++;
  d.changesTotal++;
  x.prop.push(x.argv);
  x.out.push(get ? bulk(old) : OK);
}

export function getCmd(x: Call): void {
  const v = x.n.d.db[x.argv[1]!];
  x.out.push(v === undefined || !Object.prototype.hasOwnProperty.call(x.n.d.db, x.argv[1]!) ? NULL_BULK : bulk(v));
}

/** t_string.c: incrDecrCommand(). */
export function incrCmd(x: Call): void {
  const d = x.n.d;
  const key = x.argv[1]!;
  const old = Object.prototype.hasOwnProperty.call(d.db, key) ? d.db[key]! : null;
  let v = 0n;
  if (old !== null) {
    if (!/^-?[0-9]+$/.test(old) || (old.length > 1 && /^-?0/.test(old))) {
      x.out.push(NOT_INT);
      return;
    }
    v = BigInt(old);
  }
  v += 1n;
  if (v > 9223372036854775807n) {
    x.out.push(error('ERR increment or decrement would overflow'));
    return;
  }
  if (old === null) d.keyCount++;
  writableDb(d, key)[key] = v.toString();
  d.dirty++;
  d.changesTotal++;
  x.prop.push(x.argv);
  x.out.push(int(Number(v)));
}

export function delCmd(x: Call): void {
  const d = x.n.d;
  let deleted = 0;
  for (let i = 1; i < x.argv.length; i++) {
    const k = x.argv[i]!;
    if (Object.prototype.hasOwnProperty.call(d.db, k)) {
      delete writableDb(d, k, true)[k];
      d.keyCount--;
      deleted++;
    }
  }
  if (deleted > 0) {
    d.dirty += deleted;
    d.changesTotal += deleted;
    x.prop.push(x.argv);
  }
  x.out.push(int(deleted));
}

export function existsCmd(x: Call): void {
  let count = 0;
  for (let i = 1; i < x.argv.length; i++) if (Object.prototype.hasOwnProperty.call(x.n.d.db, x.argv[i]!)) count++;
  x.out.push(int(count));
}

export function dbsizeCmd(x: Call): void {
  x.out.push(int(x.n.d.keyCount));
}

/** db.c: flushallCommand() — also saves the (now empty) RDB when save points are configured. */
export function flushallCmd(x: Call): void {
  const d = x.n.d;
  if (x.argv.length > 2 || (x.argv.length === 2 && !['async', 'sync'].includes(x.argv[1]!.toLowerCase()))) {
    x.out.push(SYNTAX);
    return;
  }
  const removed = d.keyCount;
  installDb(d, emptyDb());
  if (d.conf.savePoints.length > 0 && !x.fromMaster) {
    const dirty = d.dirty;
    rdbSave(x.n);
    d.dirty = dirty;
  }
  d.dirty += removed + 1;
  d.changesTotal += removed + 1;
  x.prop.push(x.argv);
  x.out.push(OK);
}
