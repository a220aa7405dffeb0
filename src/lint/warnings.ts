/**
 * What Redis 7.0.15 accepts but probably isn't meant. Each warning names the line and says what
 * Redis will actually do. These look at the raw lines (so they also work on a file Redis refuses)
 * and, when the file loaded, at the parsed directives.
 */
import { atoi, asciiLower, sdstrim, splitArgs } from '../config/cparse.js';
import { lookupConfig } from '../config/directives.js';
import { PRE_MONITOR_DIRECTIVES } from '../config/sentinelConf.js';

export interface LintWarning {
  readonly code: string;
  readonly file: string;
  readonly line?: number;
  readonly message: string;
  /** How to fix it, when there is a clear fix. */
  readonly fix?: string;
}

const SENTINEL_SUBCOMMANDS = new Set([
  'monitor', 'down-after-milliseconds', 'failover-timeout', 'parallel-syncs', 'notification-script',
  'client-reconfig-script', 'auth-pass', 'auth-user', 'current-epoch', 'myid', 'config-epoch',
  'leader-epoch', 'known-slave', 'known-replica', 'known-sentinel', 'rename-command', 'announce-ip',
  'announce-port', 'deny-scripts-reconfig', 'sentinel-user', 'sentinel-pass', 'resolve-hostnames',
  'announce-hostnames', 'master-reboot-down-after-period',
]);

/** Sentinel directives whose numbers `sentinelHandleConfiguration()` reads with atoi: arg index. */
const ATOI_ARGS: Record<string, { index: number; what: string; unit?: string }[]> = {
  monitor: [
    { index: 3, what: 'port' },
    { index: 4, what: 'quorum' },
  ],
  'down-after-milliseconds': [{ index: 2, what: 'down-after-milliseconds', unit: 'ms' }],
  'failover-timeout': [{ index: 2, what: 'failover-timeout', unit: 'ms' }],
  'master-reboot-down-after-period': [{ index: 2, what: 'master-reboot-down-after-period', unit: 'ms' }],
  'parallel-syncs': [{ index: 2, what: 'parallel-syncs' }],
  'known-replica': [{ index: 3, what: 'port' }],
  'known-slave': [{ index: 3, what: 'port' }],
  'known-sentinel': [{ index: 3, what: 'port' }],
  'announce-port': [{ index: 1, what: 'announce-port' }],
};

function isKnownDirectiveStart(words: string[]): boolean {
  const w0 = asciiLower(words[0] ?? '');
  if (w0 === 'sentinel') return SENTINEL_SUBCOMMANDS.has(asciiLower(words[1] ?? ''));
  return !!lookupConfig(w0) || ['include', 'rename-command', 'user', 'loadmodule'].includes(w0);
}

/**
 * A comment line that ends in a directive ("...a daemon service.port 26379") is the mark of lost
 * line breaks (seed 002): Redis skips the whole line, so the directive is silently not applied.
 */
function gluedDirective(commentLine: string): string | null {
  const body = commentLine.replace(/^#+/, '');
  // Candidate starts: right after sentence punctuation ("...a daemon service.port 26379").
  const re = /[.!?:)](\s*)(#?)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    // "...password.#sentinel auth-pass ..." was a commented-out directive: nothing is lost.
    if (m[2]) continue;
    // The directive ends where the next glued comment starts.
    const tail = body.slice(m.index + m[0].length).split('#')[0]!.trim();
    if (!tail) continue;
    // After a space, prose may name a directive ('has this directive: "slaveof localhost 6379".'):
    // only a complete directive (balanced quotes, no closing punctuation) counts there.
    if (m[1] && (splitArgs(tail) === null || /[.,;:!?)"'`]$/.test(tail))) continue;
    const words = tail.split(/\s+/);
    if (words.length >= 2 && isKnownDirectiveStart(words)) {
      const w0 = asciiLower(words[0]!);
      // A directive needs a value; prose like "port on which" is not one.
      if (w0 === 'sentinel' || /^[-\w"'./*:]+$/.test(words[1]!)) return tail;
    }
  }
  return null;
}

/** A comment line hiding a directive after a lost line break (see gluedDirective). */
function lostLineBreakWarning(line: string, file: string, n: number): LintWarning | undefined {
  const glued = gluedDirective(line);
  if (!glued) return undefined;
  return {
    code: 'lost-line-break',
    file,
    line: n,
    message: `this comment line ends with what looks like a directive, '${glued}': Redis skips the whole line as a comment, so it is not applied (a lost line break?)`,
    fix: `put '${glued}' on a line of its own`,
  };
}

/** What a directive line's text keeps that its writer likely meant otherwise: a '#' comment, a markdown '\\_'. */
function directiveTextWarnings(line: string, argv: string[], file: string, n: number): LintWarning[] {
  const out: LintWarning[] = [];
  const hashAt = argv.findIndex((a, k) => k > 0 && a.includes('#'));
  if (hashAt > 0) {
    const glued = gluedDirective('#.' + argv.slice(hashAt).join(' ').split('#').slice(1).join('#'));
    out.push({
      code: 'inline-comment',
      file,
      line: n,
      message: `'#' after a value is not a comment: Redis has no inline comments, so '${argv.slice(hashAt).join(' ')}' is part of the directive's arguments`,
      fix: glued
        ? `lost line breaks: split it so the comment and '${glued}' are on lines of their own`
        : 'move the comment to a line of its own',
    });
  }
  if (/\\_/.test(line)) {
    out.push({
      code: 'escaped-underscore',
      file,
      line: n,
      message: "'\\_' is kept literally by Redis (a backslash outside quotes is an ordinary character): a markdown escape copied from a web page?",
      fix: "write '_' without the backslash",
    });
  }
  return out;
}

/** Numbers `sentinelHandleConfiguration()` reads with atoi that atoi reads otherwise than written. */
function atoiWarnings(sub: string, args: string[], file: string, n: number): LintWarning[] {
  const out: LintWarning[] = [];
  for (const a of ATOI_ARGS[sub] ?? []) {
    const s = args[a.index];
    if (s === undefined) continue;
    const v = atoi(s);
    const clean = /^-?\d+$/.test(s) && BigInt(s) === BigInt(v);
    if (!clean) {
      const unitHint = a.unit && /^\s*[+-]?\d+\s*[a-zA-Z]+$/.test(s) ? ` (a unit suffix is ignored: Sentinel reads numbers with atoi, always as ${a.unit})` : '';
      out.push({
        code: a.what === 'port' ? 'non-numeric-port' : unitHint ? 'time-unit-suffix' : 'atoi-number',
        file,
        line: n,
        message: `${a.what} '${s}' is read by atoi as ${v}${unitHint}${a.what === 'port' && v === 0 ? ': port 0 is an invalid address that Sentinel never connects to' : ''}`,
        fix: a.unit ? `write the value in ${a.unit} as a plain integer` : 'write a plain integer',
      });
    }
  }
  return out;
}

/** A `sentinel ...` line's values and placement; monitorLine: each master's first monitor line. */
function sentinelDirectiveWarnings(argv: string[], file: string, n: number, monitorLine: ReadonlyMap<string, number>): LintWarning[] {
  if (asciiLower(argv[0]!) !== 'sentinel' || argv.length < 2) return [];
  const sub = asciiLower(argv[1]!);
  const args = argv.slice(1);
  const out = atoiWarnings(sub, args, file, n);
  if (sub === 'parallel-syncs' && args.length === 3 && atoi(args[2]!) <= 0) {
    out.push({
      code: 'parallel-syncs',
      file,
      line: n,
      message: `parallel-syncs ${atoi(args[2]!)}: Sentinel does not validate it; with 0 or less no replica is ever reconfigured in parallel (the failover reconfigures them one by one only as timeouts expire)`,
      fix: 'use 1 or more',
    });
  }
  // Settings placed before their master's monitor line work (three passes) but read wrongly.
  if (sub !== 'monitor' && !PRE_MONITOR_DIRECTIVES.includes(sub as never) && args.length >= 2 && SENTINEL_SUBCOMMANDS.has(sub)) {
    const m = monitorLine.get(args[1]!);
    if (m !== undefined && m > n) {
      out.push({
        code: 'before-monitor',
        file,
        line: n,
        message: `'sentinel ${sub}' for ${args[1]} comes before its 'sentinel monitor' (line ${m}); Redis applies every monitor line first, so it takes effect, but another reader (or an older Redis) may not`,
        fix: `move it after line ${m}`,
      });
    }
  }
  return out;
}

export function lineWarnings(text: string, file: string, mode: 'redis' | 'sentinel'): LintWarning[] {
  const out: LintWarning[] = [];
  const lines = text.split('\n');
  const monitorLine = new Map<string, number>();
  const parsed: { n: number; argv: string[] }[] = [];
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = sdstrim(raw);
    if (line === '') return;
    if (line[0] === '#') {
      const w = lostLineBreakWarning(line, file, n);
      if (w) out.push(w);
      return;
    }
    const argv = splitArgs(line);
    if (!argv || argv.length === 0) return;
    parsed.push({ n, argv });
    out.push(...directiveTextWarnings(line, argv, file, n));
    if (asciiLower(argv[0]!) === 'sentinel' && argv.length >= 3 && asciiLower(argv[1]!) === 'monitor') {
      if (!monitorLine.has(argv[2]!)) monitorLine.set(argv[2]!, n);
    }
  });
  // After the whole file: a setting is checked against a monitor line that may come later.
  if (mode === 'sentinel') {
    for (const { n, argv } of parsed) out.push(...sentinelDirectiveWarnings(argv, file, n, monitorLine));
  }
  return out;
}

/** Hints for a refusal: how to fix what Redis refused. */
export function refusalFix(reason: string, lineText: string | undefined): string | undefined {
  if (reason === "Can't resolve instance hostname.") {
    return "Sentinel 6.2+ only accepts IP addresses here unless 'sentinel resolve-hostnames yes' is set: add that line (anywhere in the file) or use the IP address";
  }
  if (lineText && /#/.test(lineText) && /wrong number of arguments|Bad directive|Unrecognized sentinel/.test(reason)) {
    return "the line contains '#' after its value: Redis has no inline comments. If line breaks were lost (text copied from a web page), put each comment and each directive on its own line";
  }
  if (reason === 'Unrecognized sentinel configuration statement.' && lineText) {
    return 'check the argument count: e.g. sentinel parallel-syncs <master> <n>, sentinel down-after-milliseconds <master> <ms>, sentinel monitor <master> <ip> <port> <quorum>';
  }
  if (reason === 'sentinel directive while not in sentinel mode') {
    return 'this is a Sentinel config: lint it with --mode sentinel (run it with redis-server <file> --sentinel or redis-sentinel)';
  }
  if (reason === 'No such file or directory' && lineText && /^dir\b/i.test(lineText)) {
    return 'Redis changes into `dir` while reading the file: create the directory first';
  }
  if (reason === "argument couldn't be parsed into an integer" && lineText && /\d+[a-z]+/i.test(lineText)) {
    return 'this directive takes a plain integer (no unit suffix)';
  }
  return undefined;
}

