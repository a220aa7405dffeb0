/**
 * The lines of an INFO reply as sentinelRefreshInstanceInfo() reads them: the lines of
 * info.split('\r\n'), found without splitting, and the one field each starts with, if any.
 */

/**
 * info.indexOf('\r\n', at), or info.length when there is none. Found through the \n: a search for
 * one character is the quicker one, and this runs on each of INFO's ~80 lines.
 */
export function crlfFrom(info: string, at: number): number {
  let nl = info.indexOf('\n', at);
  while (nl >= 0 && (nl === at || info.charCodeAt(nl - 1) !== 13)) nl = info.indexOf('\n', nl + 1);
  return nl < 0 ? info.length : nl - 1;
}

/** The INFO fields sentinelRefreshInstanceInfo() reads, by the prefix of their line. */
export const L = {
  NONE: 0,
  RUN_ID: 1, // run_id:, with the 40 characters of an id after it
  SLAVE_N: 2, // slave<digit>
  LINK_DOWN_SINCE: 3, // master_link_down_since_seconds
  ROLE_MASTER: 4, // role:master
  ROLE_SLAVE: 5, // role:slave
  MASTER_HOST: 6, // master_host:
  MASTER_PORT: 7, // master_port:
  LINK_STATUS: 8, // master_link_status:
  PRIORITY: 9, // slave_priority:
  REPL_OFFSET: 10, // slave_repl_offset:
  ANNOUNCED: 11, // replica_announced:
} as const;
export type LineKind = (typeof L)[keyof typeof L];

/**
 * Which field the INFO line at `at` (of `len` characters) holds, by its prefix; at most one
 * matches, since no prefix starts another. Decided on a character or two before one startsWith(),
 * rather than trying every prefix on every line: INFO has about 80 lines, and this runs on each.
 */
export function infoLineKind(info: string, at: number, len: number): LineKind {
  if (len < 7) return L.NONE;
  const c0 = info.charCodeAt(at);
  if (c0 === 114 /* r */) {
    const c1 = info.charCodeAt(at + 1);
    if (c1 === 117 /* u */) return len >= 47 && info.startsWith('run_id:', at) ? L.RUN_ID : L.NONE;
    if (c1 === 111 /* o */) {
      if (len >= 11 && info.startsWith('role:master', at)) return L.ROLE_MASTER;
      return len >= 10 && info.startsWith('role:slave', at) ? L.ROLE_SLAVE : L.NONE;
    }
    return len >= 18 && info.startsWith('replica_announced:', at) ? L.ANNOUNCED : L.NONE;
  }
  if (c0 === 115 /* s */) {
    if (!info.startsWith('slave', at)) return L.NONE;
    if (isDigit(info.charCodeAt(at + 5))) return L.SLAVE_N;
    if (len >= 15 && info.startsWith('_priority:', at + 5)) return L.PRIORITY;
    return len >= 18 && info.startsWith('_repl_offset:', at + 5) ? L.REPL_OFFSET : L.NONE;
  }
  if (c0 !== 109 /* m */ || !info.startsWith('master_', at)) return L.NONE;
  const c7 = info.charCodeAt(at + 7);
  if (c7 === 104 /* h */) return len >= 12 && info.startsWith('host:', at + 7) ? L.MASTER_HOST : L.NONE;
  if (c7 === 112 /* p */) return len >= 12 && info.startsWith('port:', at + 7) ? L.MASTER_PORT : L.NONE;
  if (len >= 32 && info.startsWith('link_down_since_seconds', at + 7)) return L.LINK_DOWN_SINCE;
  return len >= 19 && info.startsWith('link_status:', at + 7) ? L.LINK_STATUS : L.NONE;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
