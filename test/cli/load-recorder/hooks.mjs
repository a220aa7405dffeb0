// Module loader hooks (node:module register): append the URL of every module Node loads, one a
// line, to the file named by SENTINEL_SIM_LOAD_LOG. Runs in the loader's own thread.
import { appendFileSync } from 'node:fs';

const log = process.env.SENTINEL_SIM_LOAD_LOG;

export async function load(url, context, nextLoad) {
  if (log) appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
}
