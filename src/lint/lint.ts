/**
 * `sentinel-sim lint`: would Redis 7.0.15 start with this config file, and does it mean what you
 * think? The verdict runs the same loader as the config readers (src/config), with the file-system
 * checks Redis performs while loading switched on (`dir` chdir, `logfile` append, `include`,
 * script permissions), then the start-up failures of startup.ts. Warnings come after the verdict.
 */
import { readBoundedFile } from '../config/boundedRead.js';
import * as nodefs from 'node:fs';
import * as nodepath from 'node:path';
import {
  ConfigFaultSignal,
  decodeConfigBytes,
  loadConfigText,
  nodeConfigHost,
  strerror,
  type ConfigHost,
  type LoadedConfig,
} from '../config/loader.js';
import { redisReport } from '../config/report.js';
import { applySentinelQueue } from '../config/sentinelConf.js';
import { localBindError, modelBindError, startupFailure } from './startup.js';
import { expandTargets, type LintFailure, type LintTarget } from './targets.js';
import { lineWarnings, refusalFix, type LintWarning } from './warnings.js';

export type LintMode = 'redis' | 'sentinel';

export interface LintOptions {
  /** Read every file as redis-server (`redis`) or redis-server --sentinel (`sentinel`) would. */
  readonly mode?: LintMode;
  /** Warnings fail the run. */
  readonly strict?: boolean;
  /** Redis's working directory at start (relative include/dir/logfile); default process.cwd(). */
  readonly cwd?: string;
  /** Check start-up failures (listening, module configs, and with onThisHost bind and config file writable); default true. */
  readonly startupChecks?: boolean;
  /**
   * Also check what only this machine can answer: `dir` and `logfile` paths, script permissions,
   * the Sentinel config file being writable, and `bind` against this machine's interfaces. Off by
   * default: a file is judged for the host it is written for (a model's host, when linting a model).
   */
  readonly onThisHost?: boolean;
  /** File-system access (tests may substitute one). */
  readonly host?: ConfigHost;
  /** What a `-` argument reads: the bytes piped in (the CLI reads stdin once, bounded). */
  readonly stdinBytes?: Buffer;
}

export type LintVerdict =
  | { readonly accepted: true }
  | {
      readonly accepted: false;
      /** `config`: a FATAL CONFIG FILE ERROR; `startup`: a failure logged while starting. */
      readonly stage: 'config' | 'startup';
      /** Where the error is (an included file, when the error is there). */
      readonly file: string;
      readonly line?: number;
      readonly lineText?: string;
      readonly reason: string;
      readonly detail?: string;
      /** What Redis prints, verbatim. */
      readonly report: string;
      readonly fix?: string;
    };

export interface FileLint {
  readonly file: string;
  readonly mode: LintMode;
  readonly verdict: LintVerdict;
  readonly warnings: LintWarning[];
}

export interface LintResults {
  readonly files: FileLint[];
  /** Files lint could not examine (missing, unreadable): exit code 2. */
  readonly failures: LintFailure[];
  readonly exitCode: 0 | 1 | 2;
}

/** The mode redis-server would be in, guessed from the file: its name or its `sentinel monitor` lines. */
export function inferMode(path: string, text: string): LintMode {
  if (/sentinel/i.test(nodepath.basename(path))) return 'sentinel';
  return /^[ \t]*sentinel[ \t]+monitor[ \t]/im.test(text) ? 'sentinel' : 'redis';
}

function lintText(path: string, text: string, mode: LintMode, opts: LintOptions, host: ConfigHost, target: LintTarget = { file: path }): FileLint & { loaded?: LoadedConfig } {
  const cwd = target.cwd ?? opts.cwd ?? process.cwd();
  const warnings = lineWarnings(text, path, mode);
  const sentinelMode = mode === 'sentinel';
  let loaded: LoadedConfig | undefined;
  try {
    loaded = loadConfigText(text, path, { sentinelMode, host, cwd });
    if (sentinelMode) applySentinelQueue(loaded.sentinelQueue, { host, cwd: loaded.cwd, resolveHost: () => null });
  } catch (e) {
    if (!(e instanceof ConfigFaultSignal)) throw e;
    const f = e.fault;
    // Cross-file warnings still want the values: reload without the file-system checks.
    let values: LoadedConfig | undefined;
    try {
      values = loadConfigText(text, path, { sentinelMode, host: { ...host, checkPaths: false }, cwd });
    } catch {
      values = undefined;
    }
    const fix = refusalFix(f.reason, f.lineText);
    return {
      file: path,
      mode,
      warnings,
      ...(values ? { loaded: values } : {}),
      verdict: {
        accepted: false,
        stage: f.style === 'fatal' ? 'config' : 'startup',
        file: f.file,
        ...(f.line !== undefined && f.style === 'fatal' ? { line: f.line, lineText: f.lineText } : {}),
        reason: f.reason,
        report: redisReport(f),
        ...(fix ? { fix } : {}),
      },
    };
  }
  if (opts.startupChecks !== false) {
    const mh = target.modelHost;
    const bindError = opts.onThisHost ? (a: string) => localBindError(a) : mh ? (a: string) => modelBindError(a, mh.host, mh.hosts) : undefined;
    // `redis-server -` has no config file: a Sentinel started so exits (sentinelCheckConfigFile()).
    const configPath = target.fromStdin ? undefined : nodepath.resolve(opts.cwd ?? process.cwd(), path);
    const s = startupFailure(loaded, { sentinelMode, configPath, cwd, host, checkConfigWritable: opts.onThisHost === true, bindError });
    if (s) {
      const where = opts.onThisHost || !mh ? 'this host' : `host ${mh.host.name} (${mh.host.ip}), where the model runs ${mh.process}`;
      const fix = s.detail?.includes('Name or service not known')
        ? opts.onThisHost || !mh
          ? 'the bind address is a host name this machine cannot resolve (not in /etc/hosts): use an IP address of this host, or add the name to /etc/hosts'
          : "the bind address is a name no host of the model has: use the host's address, or add the name to its aliases"
        : s.detail?.includes('Cannot assign requested address')
          ? `the bind address is not an address of ${where}`
          : undefined;
      return {
        file: path,
        mode,
        warnings,
        loaded,
        verdict: {
          accepted: false,
          stage: 'startup',
          file: path,
          reason: s.reason,
          ...(s.detail ? { detail: s.detail } : {}),
          report: [s.detail, s.reason].filter(Boolean).join('\n'),
          ...(fix ? { fix } : {}),
        },
      };
    }
  }
  return { file: path, mode, warnings, loaded, verdict: { accepted: true } };
}

/** Warnings that need several files: the same myid on several Sentinels, min-replicas only on replicas. */
function crossFileWarnings(results: (FileLint & { loaded?: LoadedConfig })[]): void {
  const byId = new Map<string, { r: FileLint; line: number }[]>();
  for (const r of results) {
    if (r.mode !== 'sentinel' || !r.loaded) continue;
    for (const q of r.loaded.sentinelQueue) {
      if (q.argv.length === 2 && q.argv[0]!.toLowerCase() === 'myid') {
        const list = byId.get(q.argv[1]!) ?? [];
        list.push({ r, line: q.pos.line });
        byId.set(q.argv[1]!, list);
      }
    }
  }
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    for (const { r, line } of list) {
      r.warnings.push({
        code: 'duplicate-myid',
        file: r.file,
        line,
        message: `sentinel myid ${id} is also in ${list.filter((x) => x.r !== r).map((x) => x.r.file).join(', ')}: a config already rewritten by a running Sentinel was copied to several hosts; Sentinels with the same id ignore each other's hellos and votes`,
        fix: "remove the 'sentinel myid' line (and known-sentinel/epoch state) from each copy before deploying; each Sentinel generates its own id",
      });
    }
  }
  const redis = results.filter((r) => r.mode === 'redis' && r.loaded);
  const minRep = (l: LoadedConfig) => {
    const v = l.values.get('min-replicas-to-write');
    return typeof v === 'bigint' ? Number(v) : 0;
  };
  const masters = redis.filter((r) => !r.loaded!.replicaof);
  const replicasWith = redis.filter((r) => r.loaded!.replicaof && minRep(r.loaded!) > 0);
  const mastersWithout = masters.filter((r) => minRep(r.loaded!) === 0);
  if (replicasWith.length > 0 && (masters.length === 0 || mastersWithout.length > 0)) {
    for (const r of replicasWith) {
      const d = r.loaded!.directives.find((x) => x.name === 'min-replicas-to-write');
      r.warnings.push({
        code: 'min-replicas-on-replica',
        file: r.file,
        ...(d ? { line: d.pos.line } : {}),
        message: `min-replicas-to-write is set on this replica${mastersWithout.length ? ` but not on the master (${mastersWithout.map((m) => m.file).join(', ')})` : ''}: it only limits writes on a master, so it does nothing until this node is promoted, and the current master accepts writes with no replica connected`,
        fix: 'set the same min-replicas-to-write / min-replicas-max-lag on the master too',
      });
    }
  }
}

/**
 * Lint every file, folder and model; never throws. A folder holding a model.yaml, or a .yaml file,
 * is a model: every process's config, in its kind's mode, judged for the model's host of it.
 */
export function lintFiles(paths: readonly string[], opts: LintOptions = {}): LintResults {
  const host = opts.host ?? nodeConfigHost(opts.onThisHost === true);
  const cwd = opts.cwd ?? process.cwd();
  const files: (FileLint & { loaded?: LoadedConfig })[] = [];
  const expanded = expandTargets(paths, cwd);
  const failures: LintFailure[] = [...expanded.failures];
  for (const t of expanded.targets) {
    const p = t.file;
    try {
      const bytes = t.fromStdin ? (opts.stdinBytes ?? { error: 'no text was given for -' }) : readBoundedFile(nodepath.resolve(cwd, p));
      if (!Buffer.isBuffer(bytes)) {
        failures.push({ file: p, message: `can't read it: ${bytes.error}` });
        continue;
      }
      const text = decodeConfigBytes(bytes);
      const mode = opts.mode ?? t.mode ?? inferMode(p, text);
      files.push(lintText(p, text, mode, opts, host, t));
    } catch (e) {
      failures.push({ file: p, message: `lint failed: ${(e as Error)?.message ?? String(e)}` });
    }
  }
  try {
    crossFileWarnings(files);
  } catch {
    /* cross-file warnings are advice; never fail the run on them */
  }
  const refused = files.some((f) => !f.verdict.accepted);
  const warned = files.some((f) => f.warnings.length > 0);
  const exitCode = failures.length > 0 ? 2 : refused || (opts.strict && warned) ? 1 : 0;
  return { files: files.map(({ loaded: _l, ...f }) => f), failures, exitCode };
}

/** Lint a text (no file on disk): the same verdict and warnings. Never throws. */
export function lintText_(text: string, path: string, opts: LintOptions = {}): FileLint {
  const host = opts.host ?? nodeConfigHost(opts.onThisHost === true);
  const mode = opts.mode ?? inferMode(path, text);
  try {
    const { loaded: _l, ...f } = lintText(path, text, mode, opts, host);
    return f;
  } catch (e) {
    return {
      file: path,
      mode,
      warnings: [],
      verdict: { accepted: false, stage: 'config', file: path, reason: `lint failed: ${(e as Error)?.message}`, report: '' },
    };
  }
}
export { lintText_ as lintString };
