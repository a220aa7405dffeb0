import { formatSeconds } from '../sim/time.js';
import type { TraceRecord } from '../sim/trace.js';

/**
 * A run's trace as a person reads it: Sentinel's and Redis's own log lines, and the scenario's
 * actions and replies. `run` prints these lines and the player shows them, so both read them here.
 */

/** Redis's log-level characters (serverLogRaw): `.` debug, `-` verbose, `*` notice, `#` warning. */
export function levelChar(level: unknown): string {
  return level === 'warning' ? '#' : level === 'notice' ? '*' : level === 'verbose' ? '-' : '.';
}

function faultText(r: TraceRecord): string {
  const what = String(r.what);
  switch (what) {
    case 'partition':
    case 'partition-one-way':
      return `${what} ${(r.from as string[]).join(',')} ${what === 'partition' ? '<->' : '->'} ${(r.to as string[]).join(',')}`;
    case 'link':
      return `link ${r.from} -> ${r.to} latency=${Number(r.latencyUs) / 1000}ms jitter=${Number(r.jitterUs) / 1000}ms loss=${r.loss}`;
    case 'clock-jump':
      return `clock-jump ${r.host} ${r.ms}ms`;
    case 'clock-drift':
      return `clock-drift ${r.host} ${r.ppm}ppm`;
    case 'note':
      return `note: ${r.text}`;
    case 'exit':
      return `${r.p} exited (code ${r.code})`;
    case 'skipped':
      return `skipped ${r.action} ${r.p}: ${r.why}`;
    default:
      return [what, r.p ?? r.host].filter((x) => x !== undefined).join(' ');
  }
}

/**
 * One line per record a user reads: Sentinel events and Redis log lines as the servers write
 * them (level char, then the text) prefixed by simulated time and process; scenario actions as
 * `-- <action>`; replies to the scenario's commands as `<client> [target] CMD -> reply`.
 */
export function logLine(r: TraceRecord, view: 'all' | 'events' = 'all'): string | undefined {
  const t = formatSeconds(r.t);
  // The events view (run --events): Sentinel events and the scenario's actions, no Redis log lines or replies.
  if (view === 'events' && r.k !== 'event' && r.k !== 'fault') return undefined;
  switch (r.k) {
    case 'event':
      // Sentinel's default loglevel is notice: verbose events (±role-change) are not logged.
      if (r.level !== 'warning' && r.level !== 'notice') return undefined;
      return `${t} ${r.p} ${levelChar(r.level)} ${r.event} ${r.text}`;
    case 'log':
      if (r.level !== 'warning' && r.level !== 'notice') return undefined;
      return `${t} ${r.p} ${levelChar(r.level)} ${r.text}`;
    case 'fault':
      if (r.what === 'link' && r.t === 0) return undefined;
      return `${t} -- ${faultText(r)}`;
    case 'reply':
      if (r.probe) return undefined;
      return `${t} ${r.p} [${r.to}] ${r.cmd} -> ${r.text}`;
    default:
      return undefined;
  }
}
