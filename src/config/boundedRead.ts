import * as nodefs from 'node:fs';
import { noteInputFile } from './inputFiles.js';
import { strerror } from './strerror.js';

/**
 * Largest config file (or include) sentinel-sim reads: 1 MiB, ten times Redis's full commented
 * redis.conf (~106 KB). Parsing costs ~40 µs a line, so a bound keeps a mistaken path (a log, a
 * dump) from taking minutes and gigabytes before saying anything.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a file the user named, refusing what would never end or never fit: a FIFO, a character
 * device (/dev/zero, /dev/stdin) or a socket blocks or streams forever, so only regular files are
 * read, and none over `maxBytes`. Returns the reason instead of throwing, so each caller words it
 * the way its own format does (Redis's "can't open config file", lint's "can't read it"). A file
 * read is noted as an input (`what` it was), so no output of the run may replace it (inputFiles.ts).
 */
export function readBoundedFile(path: string, maxBytes: number = MAX_CONFIG_BYTES, what = 'a configuration file'): Buffer | { error: string } {
  let st: nodefs.Stats;
  try {
    st = nodefs.statSync(path);
  } catch (e) {
    return { error: strerror((e as NodeJS.ErrnoException).code) };
  }
  if (st.isDirectory()) return { error: 'Is a directory' };
  if (!st.isFile()) return { error: 'not a regular file (a FIFO, device or socket is never read)' };
  if (st.size > maxBytes) return { error: `${st.size} bytes, over the limit of ${maxBytes} bytes (${formatMiB(maxBytes)})` };
  try {
    const bytes = nodefs.readFileSync(path);
    // A file that grew between stat and read (a log being written) is held to the same bound.
    if (bytes.length > maxBytes) return { error: `${bytes.length} bytes, over the limit of ${maxBytes} bytes (${formatMiB(maxBytes)})` };
    noteInputFile(path, what);
    return bytes;
  } catch (e) {
    return { error: strerror((e as NodeJS.ErrnoException).code) };
  }
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
