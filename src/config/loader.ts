/**
 * The generic part of Redis 7.0.15's config loading: `loadServerConfig()` and
 * `loadServerConfigFromString()` in src/config.c. It splits the text into lines, arguments
 * (`sdssplitargs`), looks each directive up in the standard table and validates its value with the
 * same set function Redis uses, follows `include`, and queues `sentinel` lines for
 * `loadSentinelConfigFromQueue()` (sentinelConf.ts). The first failure stops everything, as
 * Redis's `exit(1)` does, and is returned as a {@link ConfigFault} with the line Redis reports.
 *
 * File-system effects that Redis performs while loading (`dir` does chdir, `logfile` is opened for
 * append, `include` reads files) go through an optional {@link ConfigHost}; without one the loader
 * is pure: `dir` and `logfile` are recorded but not checked, and `include` is refused.
 */
import * as nodefs from 'node:fs';
import { readBoundedFile } from './boundedRead.js';
import { strerror } from './strerror.js';

export { strerror };
import * as nodepath from 'node:path';
import type { ConfigDirective, SourcePos } from './types.js';
import {
  asciiLower,
  cstr,
  memtoull,
  sdstrim,
  splitArgs,
  strcaseeq,
  string2ll,
  strtoll,
  yesnotoi,
} from './cparse.js';
import { CONFIG_ENUMS, DEPRECATED_CONFIGS, lookupConfig, type StandardConfig } from './directives.js';
import { commandExists } from './commands.js';

/** Why Redis would stop, and where. */
export interface ConfigFault {
  readonly file: string;
  /** 1-based line in `file`; absent when Redis prints no line (log file, include open errors). */
  readonly line?: number;
  /** The offending line as Redis echoes it (`>>> '...'`): trimmed. */
  readonly lineText?: string;
  readonly reason: string;
  /**
   * `fatal`: the `*** FATAL CONFIG FILE ERROR ***` report; `log`: a plain log line and exit(1)
   * (an include that can't be opened).
   */
  readonly style: 'fatal' | 'log';
}

/** Deeper include chains than this are refused as runaway (a loop through differently named paths). */
const MAX_INCLUDE_DEPTH = 64;

/** Thrown internally to unwind like Redis's `goto loaderr`; converted by the callers. */
export class ConfigFaultSignal {
  constructor(readonly fault: ConfigFault) {}
}

/** What the loader may ask of the file system. */
export interface ConfigHost {
  /** Whether `dir` must be chdir-able and `logfile` appendable (Redis checks both while loading). */
  readonly checkPaths: boolean;
  /** File contents as bytes, or an errno-style message ("No such file or directory"). */
  readFile(absPath: string): Buffer | { error: string };
  /** glob(3) of an absolute pattern: sorted matches (empty if none). */
  glob(absPattern: string): string[];
  /** chdir(dir) would succeed? null if yes, else strerror text. */
  chdirError(absDir: string): string | null;
  /** fopen(path, "a") would succeed? null if yes, else strerror text. */
  appendError(absPath: string): string | null;
  /** access(path, X_OK) == 0 */
  isExecutable(absPath: string): boolean;
  /** access(path, W_OK) error text, or null. */
  writableError(absPath: string): string | null;
}

export interface LoadOptions {
  readonly sentinelMode: boolean;
  /** Without a host, the loader touches no file. */
  readonly host?: ConfigHost;
  /** The process's working directory at start (Redis resolves relative paths against it). */
  readonly cwd?: string;
}

/** One queued `sentinel ...` line (`queueSentinelConfig()`). */
export interface SentinelQueueEntry {
  readonly argv: readonly string[];
  readonly pos: SourcePos;
  readonly text: string;
}

export interface LoadedConfig {
  readonly directives: ConfigDirective[];
  readonly sentinelQueue: SentinelQueueEntry[];
  /** Parsed values of standard configs, by canonical name (last one wins, like Redis). */
  readonly values: Map<string, ConfigValue>;
  /** `save` points after Redis's load rules; null = never set (built-in defaults apply). */
  savePoints: { seconds: number; changes: number }[] | null;
  bind: string[] | null;
  replicaof: { host: string; port: number; pos: SourcePos } | null;
  readonly renamedCommands: Record<string, string>;
  /** The working directory after the last `dir` (relative paths resolve against it). */
  cwd: string;
}

export type ConfigValue = boolean | bigint | string | null | number;


/**
 * Whether `p` lies in the folder `root` once symbolic links are followed (a link inside the
 * folder to a file outside it is outside).
 */
export function isInsideFolder(root: string, p: string): boolean {
  const real = (x: string) => {
    try {
      return nodefs.realpathSync(x);
    } catch {
      return nodepath.resolve(x);
    }
  };
  const rel = nodepath.relative(real(root), real(p));
  return rel === '' || (!rel.startsWith('..') && !nodepath.isAbsolute(rel));
}

/** Why a file outside a shared model's folder is not read. */
export const OUTSIDE_MODEL = "outside the model's folder (pass --allow-outside-model to read it)";

/**
 * A {@link ConfigHost} on the real file system. With `confineTo`, files outside that folder are
 * not read (a model someone shared must not read /etc/passwd through `include`).
 */
export function nodeConfigHost(checkPaths: boolean, confineTo?: string): ConfigHost {
  return {
    checkPaths,
    readFile(p) {
      if (confineTo !== undefined && !isInsideFolder(confineTo, p)) return { error: OUTSIDE_MODEL };
      try {
        // fopen(dir, "r") succeeds on Linux but fgets then fails: Redis reads nothing.
        if (nodefs.statSync(p).isDirectory()) return Buffer.alloc(0);
      } catch {
        /* readBoundedFile says why */
      }
      return readBoundedFile(p);
    },
    glob(pattern) {
      return globSync(pattern);
    },
    chdirError(dir) {
      try {
        const st = nodefs.statSync(dir);
        if (!st.isDirectory()) return strerror('ENOTDIR');
        nodefs.accessSync(dir, nodefs.constants.X_OK);
        return null;
      } catch (e) {
        return strerror((e as NodeJS.ErrnoException).code);
      }
    },
    appendError(p) {
      try {
        const st = nodefs.statSync(p);
        if (st.isDirectory()) return strerror('EISDIR');
        nodefs.accessSync(p, nodefs.constants.W_OK);
        return null;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') return strerror(code);
      }
      // fopen "a" creates the file: the parent directory must exist and be writable.
      const parent = nodepath.dirname(p);
      try {
        const st = nodefs.statSync(parent);
        if (!st.isDirectory()) return strerror('ENOTDIR');
        nodefs.accessSync(parent, nodefs.constants.W_OK | nodefs.constants.X_OK);
        return null;
      } catch (e) {
        return strerror((e as NodeJS.ErrnoException).code);
      }
    },
    isExecutable(p) {
      try {
        nodefs.accessSync(p, nodefs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    writableError(p) {
      try {
        nodefs.accessSync(p, nodefs.constants.W_OK);
        return null;
      } catch (e) {
        return strerror((e as NodeJS.ErrnoException).code);
      }
    },
  };
}

/** glob(3) with flags 0 for `*`, `?`, `[...]` in any path component; sorted like glibc (strcoll "C"). */
function globSync(pattern: string): string[] {
  const parts = pattern.split('/');
  let bases: string[] = [pattern.startsWith('/') ? '/' : '.'];
  const start = pattern.startsWith('/') ? 1 : 0;
  for (let i = start; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const b of bases) {
      if (!/[*?[]/.test(part)) {
        const p = nodepath.join(b, part);
        if (nodefs.existsSync(p)) next.push(p);
        continue;
      }
      let entries: string[] = [];
      try {
        entries = nodefs.readdirSync(b);
      } catch {
        continue;
      }
      const re = globPartToRegExp(part);
      for (const e of entries.sort()) {
        if (e.startsWith('.') && !part.startsWith('.')) continue;
        if (!re.test(e)) continue;
        const p = nodepath.join(b, e);
        if (!last) {
          try {
            if (!nodefs.statSync(p).isDirectory()) continue;
          } catch {
            continue;
          }
        }
        next.push(p);
      }
    }
    bases = next;
  }
  return bases.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function globPartToRegExp(part: string): RegExp {
  let re = '^';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = part.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = part.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

/**
 * The bytes Redis ends up parsing: `loadServerConfig()` reads with `fgets(buf, 1025)` and appends
 * with `sdscat` (strlen), so a NUL byte drops the rest of its 1024-byte/line chunk.
 */
export function fgetsText(bytes: Buffer | string): string {
  const s = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  let out = '';
  let i = 0;
  while (i < s.length) {
    let end = i;
    while (end < s.length && end - i < 1024) {
      end++;
      if (s[end - 1] === '\n') break;
    }
    const chunk = s.slice(i, end);
    const nul = chunk.indexOf('\0');
    out += nul >= 0 ? chunk.slice(0, nul) : chunk;
    i = end;
  }
  return out;
}

/** Decode file bytes: UTF-8 when valid (values keep their characters), else byte-per-char. */
export function decodeConfigBytes(bytes: Buffer): string {
  const text = fgetsText(bytes);
  const raw = Buffer.from(text, 'latin1');
  const utf8 = raw.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(raw) ? utf8 : text;
}

class Loader {
  readonly result: LoadedConfig;
  private saveLoaded = false;
  private readingConfigFile = true;
  private logfile = '';
  private clusterEnabled = false;
  private readonly commands = new Map<string, string>();
  /** The files being read, outermost first: an include that re-enters one of them is a loop. */
  private readonly including: string[] = [];

  constructor(private readonly opts: LoadOptions) {
    this.result = {
      directives: [],
      sentinelQueue: [],
      values: new Map(),
      savePoints: null,
      bind: null,
      replicaof: null,
      renamedCommands: {},
      cwd: opts.cwd ?? process.cwd(),
    };
  }

  private fail(file: string, line: number | undefined, lineText: string | undefined, reason: string): never {
    throw new ConfigFaultSignal({ file, line, lineText, reason, style: 'fatal' });
  }

  private abs(p: string): string {
    return nodepath.resolve(this.result.cwd, p);
  }

  /** `loadServerConfig(filename)` for an include: glob or fopen, then load the text. */
  loadFile(path: string, includedFrom?: SourcePos): void {
    const host = this.opts.host;
    if (!host) {
      const where = includedFrom ?? { file: path, line: 0 };
      throw new ConfigFaultSignal({
        file: where.file,
        line: where.line || undefined,
        reason: `include '${path}' can only be followed when reading files from disk`,
        style: 'log',
      });
    }
    if (/[*?[]/.test(path)) {
      for (const m of host.glob(this.abs(path))) {
        const bytes = host.readFile(m);
        if (!Buffer.isBuffer(bytes)) {
          throw new ConfigFaultSignal({
            file: includedFrom?.file ?? m,
            line: includedFrom?.line,
            reason: `Fatal error, can't open config file '${m}': ${bytes.error}`,
            style: 'log',
          });
        }
        this.loadIncluded(bytes, m, m, includedFrom);
      }
      return;
    }
    const bytes = host.readFile(this.abs(path));
    if (!Buffer.isBuffer(bytes)) {
      throw new ConfigFaultSignal({
        file: includedFrom?.file ?? path,
        line: includedFrom?.line,
        reason: `Fatal error, can't open config file '${path}': ${bytes.error}`,
        style: 'log',
      });
    }
    this.loadIncluded(bytes, this.abs(path), path, includedFrom);
  }

  /**
   * Load one file's text, refusing an include that re-enters a file already being read (or nests
   * deeper than any real setup): Redis 7.0.15 follows such a loop until its stack overflows and it
   * crashes with no message, which is never what the file's author meant.
   */
  loadIncluded(bytes: Buffer, absPath: string, shownPath: string, includedFrom: SourcePos | undefined): void {
    const loop = this.including.includes(absPath);
    if (includedFrom && (loop || this.including.length >= MAX_INCLUDE_DEPTH)) {
      throw new ConfigFaultSignal({
        file: includedFrom.file,
        line: includedFrom.line,
        reason: loop
          ? `include loop: '${shownPath}' is already being read (redis-server would recurse until it crashes)`
          : `includes nested more than ${MAX_INCLUDE_DEPTH} deep (redis-server would recurse until it crashes)`,
        style: 'log',
      });
    }
    this.including.push(absPath);
    try {
      this.loadString(decodeConfigBytes(bytes), shownPath);
    } finally {
      this.including.pop();
    }
  }

  /** `loadServerConfigFromString()`. */
  loadString(config: string, file: string): void {
    this.readingConfigFile = true;
    const lines = cstr(config).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const linenum = i + 1;
      const line = sdstrim(lines[i]!);
      if (line[0] === '#' || line === '') continue;
      const argv = splitArgs(line);
      if (argv === null) this.fail(file, linenum, line, 'Unbalanced quotes in configuration line');
      if (argv.length === 0) continue;
      argv[0] = asciiLower(argv[0]!);
      const pos: SourcePos = { file, line: linenum };
      const err = this.handle(argv, pos, line);
      if (err !== null) this.fail(file, linenum, line, err);
    }
    if (this.logfile !== '' && this.opts.host?.checkPaths) {
      const e = this.opts.host.appendError(this.abs(this.logfile));
      if (e !== null) this.fail(file, undefined, undefined, `Can't open the log file: ${e}`);
    }
    if (this.clusterEnabled && this.result.replicaof) {
      this.fail(file, undefined, undefined, 'replicaof directive not allowed in cluster mode');
    }
    this.readingConfigFile = false;
  }

  /** One directive; returns Redis's error text or null. */
  private handle(argv: string[], pos: SourcePos, line: string): string | null {
    const name = argv[0]!;
    const argc = argv.length;
    const config = lookupConfig(cstr(name));
    if (config) {
      this.result.directives.push({ name: config.name, args: argv.slice(1), pos });
      if (!config.multi && argc !== 2) return 'wrong number of arguments';
      let args = argv.slice(1);
      if (config.multi && argc === 2 && args[0]!.length > 0) {
        // MULTI_ARG_CONFIG with one argument: re-split it ("--save '900 1'" style).
        args = splitArgs(args[0]!) ?? [];
      }
      return this.setStandard(config, args, pos);
    }
    const dep = DEPRECATED_CONFIGS.find((d) => strcaseeq(name, d.name) && d.argcMin <= argc && argc <= d.argcMax);
    if (dep) {
      this.result.directives.push({ name: dep.name, args: argv.slice(1), pos });
      return null;
    }
    this.result.directives.push({ name: cstr(name), args: argv.slice(1), pos });
    if (strcaseeq(name, 'include') && argc === 2) {
      this.loadFile(cstr(argv[1]!), pos);
      // The nested loadServerConfigFromString() cleared reading_config_file on its way out.
      this.readingConfigFile = false;
      return null;
    }
    if (strcaseeq(name, 'rename-command') && argc === 3) return this.renameCommand(argv[1]!, argv[2]!);
    if (strcaseeq(name, 'user') && argc >= 2) return validateUser(argv);
    if (strcaseeq(name, 'loadmodule') && argc >= 2) return null;
    if (cstr(name).includes('.')) {
      if (argc < 2) return 'Module config specified without value';
      return null;
    }
    if (strcaseeq(name, 'sentinel')) {
      if (argc !== 1) {
        if (!this.opts.sentinelMode) return 'sentinel directive while not in sentinel mode';
        this.result.sentinelQueue.push({ argv: argv.slice(1), pos, text: line });
      }
      return null;
    }
    return 'Bad directive or wrong number of arguments';
  }

  /** rename-command: `lookupCommandBySds`, `dictDelete`, `dictAdd` on the live command table. */
  private renameCommand(from: string, to: string): string | null {
    const key = asciiLower(cstr(from));
    const current = this.currentCommandName(key);
    if (current === null) return 'No such command in rename-command';
    this.commands.set(key, '');
    if (to.length !== 0) {
      const toKey = asciiLower(cstr(to));
      if (this.currentCommandName(toKey) !== null) return 'Target command name already exists';
      this.commands.set(toKey, current);
    }
    this.result.renamedCommands[key] = to;
    return null;
  }

  /** The command a (lowercased) name reaches now, or null: the original table edited by renames. */
  private currentCommandName(key: string): string | null {
    const edited = this.commands.get(key);
    if (edited !== undefined) return edited === '' ? null : edited;
    return commandExists(key, this.opts.sentinelMode) ? key : null;
  }

  private setStandard(c: StandardConfig, args: string[], pos: SourcePos): string | null {
    const values = this.result.values;
    switch (c.type) {
      case 'Bool': {
        const yn = yesnotoi(args[0]!);
        if (yn === -1) return "argument must be 'yes' or 'no'";
        // activedefrag's isValidActiveDefrag passes: Debian builds with jemalloc (HAVE_DEFRAG).
        values.set(c.name, yn === 1);
        if (c.name === 'cluster-enabled') this.clusterEnabled = yn === 1;
        return null;
      }
      case 'String':
      case 'SDS': {
        const v = cstr(args[0]!);
        const err = validateString(c.valid, v);
        if (err) return err;
        values.set(c.name, c.emptyNull && v === '' ? null : v);
        if (c.name === 'logfile') this.logfile = v;
        return null;
      }
      case 'Enum': {
        const table = CONFIG_ENUMS[c.enum!]!;
        const bitflags = !!c.multi;
        let val = 0;
        let ok = args.length > 0 && (bitflags || args.length === 1);
        for (const a of ok ? args : []) {
          const hits = table.filter(([n]) => strcaseeq(a, n));
          if (hits.length === 0) ok = false;
          for (const [, v] of hits) val |= v;
        }
        if (!ok) return 'argument(s) must be one of the following: ' + table.map(([n]) => n).join(', ');
        if (c.valid === 'isValidShutdownOnSigFlags' && val & 1 && val & 2) {
          return "shutdown options SAVE and NOSAVE can't be used simultaneously";
        }
        values.set(c.name, val);
        return null;
      }
      case 'Special':
        return this.setSpecial(c.name, args, pos);
      default: {
        const r = numericParse(c, args[0]!);
        if (typeof r === 'string') return r;
        const err = numericBoundaryCheck(c, r);
        if (err) return err;
        values.set(c.name, r);
        return null;
      }
    }
  }

  /** The `SPECIAL_CONFIG` entries: each has its own set function in config.c. */
  private setSpecial(name: string, args: string[], pos: SourcePos): string | null {
    switch (name) {
      case 'dir':
        return this.setConfigDirOption(args);
      case 'save':
        return this.setConfigSaveOption(args);
      case 'client-output-buffer-limit':
        return setConfigClientOutputBufferLimitOption(args);
      case 'oom-score-adj-values':
        return setConfigOOMScoreAdjValuesOption(args);
      case 'notify-keyspace-events':
        return setConfigNotifyKeyspaceEventsOption(args);
      case 'bind':
        return this.setConfigBindOption(args);
      case 'replicaof':
        return this.setConfigReplicaOfOption(args, pos);
      case 'latency-tracking-info-percentiles':
        return setConfigLatencyTrackingInfoPercentilesOutputOption(args);
      default:
        return null;
    }
  }

  /** `setConfigDirOption()`: chdir now, so later relative paths resolve against it. */
  private setConfigDirOption(args: string[]): string | null {
    if (args.length !== 1) return 'wrong number of arguments';
    const host = this.opts.host;
    const target = this.abs(cstr(args[0]!));
    if (host?.checkPaths) {
      const e = host.chdirError(target);
      if (e !== null) return e;
    }
    this.result.cwd = target;
    this.result.values.set('dir', cstr(args[0]!));
    return null;
  }

  /** `setConfigSaveOption()`: the first `save` read from the file replaces the defaults, later ones add. */
  private setConfigSaveOption(args: string[]): string | null {
    let a = args;
    if (a.length === 1 && cstr(a[0]!) === '') {
      this.result.savePoints = [];
      a = [];
    }
    if (a.length & 1) return 'Invalid save parameters';
    for (let j = 0; j < a.length; j++) {
      const r = strtoll(a[j]!);
      if (r.end !== cstr(a[j]!).length || ((j & 1) === 0 && r.value < 1n) || ((j & 1) === 1 && r.value < 0n)) {
        return 'Invalid save parameters';
      }
    }
    if (!this.readingConfigFile || !this.saveLoaded) {
      this.saveLoaded = this.saveLoaded || this.readingConfigFile;
      this.result.savePoints = [];
    }
    for (let j = 0; j < a.length; j += 2) {
      this.result.savePoints!.push({
        seconds: Number(strtoll(a[j]!).value),
        changes: Number(BigInt.asIntN(32, strtoll(a[j + 1]!).value)),
      });
    }
    return null;
  }

  /** `setConfigBindOption()`: a single empty argument means bind nowhere. */
  private setConfigBindOption(args: string[]): string | null {
    if (args.length > 16) return 'Too many bind addresses specified.';
    this.result.bind = args.length === 1 && args[0]!.length === 0 ? [] : args.map(cstr);
    return null;
  }

  /** `setConfigReplicaOfOption()`: `no one` clears it. */
  private setConfigReplicaOfOption(args: string[], pos: SourcePos): string | null {
    if (args.length !== 2) return 'wrong number of arguments';
    this.result.replicaof = null;
    if (strcaseeq(args[0]!, 'no') && strcaseeq(args[1]!, 'one')) return null;
    // strtol into an int: the range check sees the truncated value.
    const r = strtoll(args[1]!);
    const port = Number(BigInt.asIntN(32, r.value));
    if (port < 0 || port > 65535 || r.end !== cstr(args[1]!).length) return 'Invalid master port';
    this.result.replicaof = { host: cstr(args[0]!), port, pos };
    return null;
  }
}

/** `setConfigClientOutputBufferLimitOption()`: validated only; groups of class, hard, soft, soft_seconds. */
function setConfigClientOutputBufferLimitOption(args: string[]): string | null {
  const argc = args.length;
  if (argc % 4) return 'Wrong number of arguments in buffer limit configuration.';
  for (let j = 0; j < argc; j += 4) {
    const cls = asciiLower(cstr(args[j]!));
    if (!['normal', 'slave', 'replica', 'pubsub'].includes(cls)) {
      return 'Invalid client class specified in buffer limit configuration.';
    }
    const secs = strtoll(args[j + 3]!);
    if (
      memtoull(args[j + 1]!) === null ||
      memtoull(args[j + 2]!) === null ||
      BigInt.asIntN(32, secs.value) < 0n ||
      secs.end !== cstr(args[j + 3]!).length
    ) {
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    }
  }
  return null;
}

/** `setConfigOOMScoreAdjValuesOption()`: validated only. */
function setConfigOOMScoreAdjValuesOption(args: string[]): string | null {
  if (args.length !== 3) return 'wrong number of arguments';
  for (const a of args) {
    const r = strtoll(a);
    if (r.end !== cstr(a).length || r.value < -2000n || r.value > 2000n) {
      return 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.';
    }
  }
  return null;
}

/** `setConfigNotifyKeyspaceEventsOption()` (`keyspaceEventsStringToFlags()`): validated only. */
function setConfigNotifyKeyspaceEventsOption(args: string[]): string | null {
  if (args.length !== 1) return 'wrong number of arguments';
  if (!/^[Ag$lshzxeKEtmdn]*$/.test(cstr(args[0]!))) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
  return null;
}

/** `setConfigLatencyTrackingInfoPercentilesOutputOption()`: validated only. */
function setConfigLatencyTrackingInfoPercentilesOutputOption(args: string[]): string | null {
  if (args.length === 1 && args[0]!.length === 0) return null;
  for (const a of args) {
    const s = cstr(a);
    const d = cStrtod(s);
    if (d === null) return 'Invalid latency-tracking-info-percentiles parameters';
    if (d > 100 || d < 0) return 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]';
  }
  return null;
}

/** `string2d()` acceptance (strtod consuming the whole string, no leading space, not NaN). */
function cStrtod(s: string): number | null {
  if (s.length === 0 || /^[ \t\n\v\f\r]/.test(s)) return null;
  if (/^[+-]?(inf|infinity)$/i.test(s)) return null; // HUGE_VAL with ERANGE? inf parses without ERANGE
  if (/^[+-]?nan/i.test(s)) return null;
  if (!/^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?)$/.test(s)) return null;
  const v = s.includes('x') || s.includes('X') ? Number.parseFloat(s) : Number(s);
  if (!Number.isFinite(v)) return null;
  return v;
}

function validateString(valid: string | undefined, v: string): string | null {
  const isBase = !v.includes('/') && !v.includes('\\');
  switch (valid) {
    case 'isValidDBfilename':
      return isBase ? null : "dbfilename can't be a path, just a filename";
    case 'isValidAOFfilename':
      if (v === '') return "appendfilename can't be empty";
      return isBase ? null : "appendfilename can't be a path, just a filename";
    case 'isValidAOFdirname':
      if (v === '') return "appenddirname can't be empty";
      return isBase ? null : "appenddirname can't be a path, just a dirname";
    case 'isValidAnnouncedHostname':
      if (v.length >= 256) return 'Hostnames must be less than NET_HOST_STR_LEN characters';
      if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
      return null;
    case 'isValidProcTitleTemplate':
      return validProcTitleTemplate(v) ? null : 'template format is invalid or contains unknown variables';
    default:
      return null;
  }
}

/** `validateProcTitleTemplate()`: `sdstemplate` with the known variables, non-empty after trim. */
function validProcTitleTemplate(t: string): boolean {
  const vars = ['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file'];
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '{') {
      if (t[i + 1] === '{') {
        out += '{';
        i++;
        continue;
      }
      const close = t.indexOf('}', i + 1);
      if (close < 0) return false;
      const name = t.slice(i + 1, close);
      if (!vars.includes(name)) return false;
      out += name === 'title' ? '' : 'x';
      i = close;
    } else if (c === '}') {
      if (t[i + 1] !== '}') return false;
      out += '}';
      i++;
    } else out += c;
  }
  return out.replace(/^ +| +$/g, '').length > 0;
}

const UNSIGNED_TYPES = new Set(['ULongLong', 'UInt', 'SizeT']);

/** `numericParseString()`: memory, percent, octal or plain integer, with Redis's error texts. */
function numericParse(c: StandardConfig, value: string): bigint | string {
  if (c.mem) {
    const m = memtoull(value);
    if (m !== null) return BigInt.asIntN(64, m);
  }
  if (c.pct && value.length > 1 && value.endsWith('%')) {
    const r = string2ll(value.slice(0, -1));
    if (r !== null && r >= 0n) return -r;
  }
  if (c.octal) {
    const r = strtoll(value, 8);
    if (!r.erange && r.end === cstr(value).length && (r.end > 0 || cstr(value) === '')) return r.value;
  }
  if (!c.mem && !c.pct && !c.octal) {
    const r = string2ll(value);
    if (r !== null) return r;
  }
  if (c.mem && c.pct) return 'argument must be a memory or percent value';
  if (c.mem) return 'argument must be a memory value';
  if (c.octal) return "argument couldn't be parsed as an octal number";
  return "argument couldn't be parsed into an integer";
}

/** `numericBoundaryCheck()`: unsigned types compare as unsigned, percentages by their own bound. */
function numericBoundaryCheck(c: StandardConfig, ll: bigint): string | null {
  const min = c.min!;
  const max = c.max!;
  if (UNSIGNED_TYPES.has(c.type)) {
    const ull = BigInt.asUintN(64, ll);
    if (ull > max || ull < min) {
      return c.octal
        ? `argument must be between ${min.toString(8)} and ${max.toString(8)} inclusive`
        : `argument must be between ${min} and ${max} inclusive`;
    }
    return null;
  }
  if (c.pct && ll < 0n) {
    if (ll < min) return `percentage argument must be less or equal to ${-min}`;
    return null;
  }
  if (ll > max || ll < min) return `argument must be between ${min} and ${max} inclusive`;
  return null;
}

/**
 * `ACLAppendUserForLoading()` + `ACLSetUser()` on a fake user: the rule syntax only. Redis's report
 * names `argv[j]` with j the index of the failing rule counted from the first rule, i.e. it prints
 * the word two places before the bad rule (`user`, the name, ...): kept.
 */
function validateUser(argv: string[]): string | null {
  const rules = argv.slice(2);
  for (let j = 0; j < rules.length; j++) {
    const err = aclRuleError(rules[j]!);
    if (err) return `Error in user declaration '${cstr(argv[j]!)}': ${err}`;
  }
  return null;
}

function aclRuleError(op0: string): string | null {
  const op = op0;
  const lower = asciiLower(op);
  const simple = [
    'on', 'off', 'skip-sanitize-payload', 'sanitize-payload', 'nopass', 'resetpass', 'reset',
    'allkeys', 'resetkeys', 'allchannels', 'resetchannels', 'allcommands', 'nocommands', 'clearselectors',
  ];
  if (simple.includes(lower)) return null;
  if (op[0] === '>' || op[0] === '<') return null;
  if (op[0] === '#' || op[0] === '!') {
    if (op.length !== 65 || !/^[0-9a-f]+$/.test(op.slice(1))) return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    return null;
  }
  if (op[0] === '~' || op[0] === '%' || op[0] === '&') return null;
  if (op[0] === '+' || op[0] === '-') return null; // unknown commands are ENOENT: ignored at load
  if (op[0] === '(' && op[op.length - 1] === ')') return null;
  return 'Syntax error';
}

/** Run the generic loader over a file's text. Throws {@link ConfigFaultSignal}. */
export function loadConfigText(text: string, file: string, opts: LoadOptions): LoadedConfig {
  const loader = new Loader(opts);
  loader.loadString(fgetsText(text), file);
  return loader.result;
}

/** Run the generic loader over a file on disk (`loadServerConfig`). Throws {@link ConfigFaultSignal}. */
export function loadConfigFile(path: string, opts: LoadOptions): LoadedConfig {
  const host = opts.host ?? nodeConfigHost(false);
  const loader = new Loader({ ...opts, host });
  const bytes = host.readFile(nodepath.resolve(opts.cwd ?? process.cwd(), path));
  if (!Buffer.isBuffer(bytes)) {
    throw new ConfigFaultSignal({ file: path, reason: `Fatal error, can't open config file '${path}': ${bytes.error}`, style: 'log' });
  }
  loader.loadIncluded(bytes, nodepath.resolve(opts.cwd ?? process.cwd(), path), path, undefined);
  return loader.result;
}
