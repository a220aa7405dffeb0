/**
 * Turning a {@link ConfigFault} into what a user reads: a `file:line: reason` first line (so the
 * place is visible at once) followed by Redis's own report, as `loadServerConfigFromString()` and
 * `loadSentinelConfigFromQueue()` print it on `loaderr`.
 */
import { InputError } from './errors.js';
import type { ConfigFault } from './loader.js';

export const REDIS_VERSION = '7.0.15';

/** Redis's stderr text for the fault (without our `file:line:` first line). */
export function redisReport(f: ConfigFault): string {
  if (f.style === 'log') return f.reason;
  const lines = ['', `*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***`];
  if (f.line !== undefined) {
    lines.push(`Reading the configuration file, at line ${f.line}`);
    lines.push(`>>> '${f.lineText ?? ''}'`);
  }
  lines.push(f.reason);
  return lines.join('\n');
}

/** `file:line: reason` (line omitted when Redis names none). */
export function faultHeadline(f: ConfigFault): string {
  return f.line === undefined ? `${f.file}: ${f.reason}` : `${f.file}:${f.line}: ${f.reason}`;
}

export function faultMessage(f: ConfigFault): string {
  return f.style === 'log' ? faultHeadline(f) : `${faultHeadline(f)}\n${redisReport(f)}`;
}

export function faultToInputError(f: ConfigFault): InputError {
  return new InputError(faultMessage(f), f.file, f.line);
}
