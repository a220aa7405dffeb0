import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../config/errors.js';
import { strerror } from '../config/strerror.js';

/**
 * A folder a command will write into after its work (check --save, explore --out): checked before
 * the work starts, so a path that cannot work is a `dir: reason` at once, not after minutes of
 * simulation. The folder may not exist yet (it is created with its parents); then its nearest
 * existing ancestor must be a folder we can write.
 */
export function checkWritableFolder(dir: string, what: string): void {
  if (dir.trim() === '') throw new InputError(`${what}: the folder name is empty`);
  let at = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) {
        at = dirname(at);
        continue;
      }
      throw new InputError(`${dir}: cannot write ${what}: ${at}: ${strerror(code)}`, dir);
    }
    if (!isDir) throw new InputError(`${dir}: cannot write ${what}: ${at} exists and is not a folder`, dir);
    try {
      accessSync(at, constants.W_OK);
    } catch (e) {
      throw new InputError(`${dir}: cannot write ${what}: ${at}: ${strerror((e as NodeJS.ErrnoException).code)}`, dir);
    }
    return;
  }
}
