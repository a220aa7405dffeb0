/**
 * What `lint` was asked to read, as a list of config files: a .conf file as given; a folder of
 * .conf files (every one, sorted by name); a model (a model.yaml, or a folder holding one): each
 * process's config, read in the mode its kind says, with the model's host of that process, so
 * `bind` is judged against the machine the file is written for.
 *
 * The model file is read here only for its hosts and processes (lint must report a refused config
 * in Redis's words, which loading the whole model would turn into an input error first).
 */
import { readBoundedFile } from '../config/boundedRead.js';
import { strerror } from '../config/strerror.js';
import * as nodefs from 'node:fs';
import * as nodepath from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { collectionKeyLine, MAX_NESTING, tooDeepLine } from '../config/yamlNesting.js';
import type { LintMode } from './lint.js';
import type { ModelBindHost } from './startup.js';

export interface LintTarget {
  /** As shown in the output (relative paths stay relative to the working directory). */
  readonly file: string;
  readonly mode?: LintMode;
  /** Redis's working directory when started on this file. */
  readonly cwd?: string;
  /** The model host the file is written for, with every host of the model (names resolve among them). */
  readonly modelHost?: { readonly host: ModelBindHost; readonly hosts: readonly ModelBindHost[]; readonly process: string };
  /** `-`: the text piped in, as `redis-server -` reads it (includes relative to the working directory). */
  readonly fromStdin?: true;
}

/** How `-` is named in the output and in `file:line` references. */
export const STDIN_NAME = '<stdin>';

/** A file lint could not examine: where (the line, when the problem has one) and why. */
export interface LintFailure {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface ExpandedTargets {
  readonly targets: LintTarget[];
  readonly failures: LintFailure[];
}

const isYaml = (p: string) => /\.ya?ml$/i.test(p);

/** Expand each argument (file, folder, model) into config files to lint, in argument order. */
export function expandTargets(args: readonly string[], cwd: string): ExpandedTargets {
  const targets: LintTarget[] = [];
  const failures: LintFailure[] = [];
  for (const a of args) {
    if (a === '-') {
      targets.push({ file: STDIN_NAME, fromStdin: true });
      continue;
    }
    const abs = nodepath.resolve(cwd, a);
    let st: nodefs.Stats | undefined;
    try {
      st = nodefs.statSync(abs);
    } catch {
      st = undefined; // lintFiles reports the missing file in Redis's words
    }
    try {
      if (st?.isDirectory()) {
        const model = nodepath.join(abs, 'model.yaml');
        if (nodefs.existsSync(model)) targets.push(...modelTargets(nodepath.join(a, 'model.yaml'), cwd));
        else targets.push(...folderTargets(a, abs, failures));
      } else if (st && isYaml(a)) {
        targets.push(...modelTargets(a, cwd));
      } else {
        targets.push({ file: a });
      }
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      failures.push({ file: e.file ?? a, ...(e.line !== undefined ? { line: e.line } : {}), message: e.message });
    }
  }
  return { targets, failures };
}

/** Why an argument is not something lint reads; `file` and `line` when a model file says it. */
class TargetError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

function folderTargets(shown: string, abs: string, failures: LintFailure[]): LintTarget[] {
  let names: string[];
  try {
    names = nodefs.readdirSync(abs);
  } catch (e) {
    failures.push({ file: shown, message: `can't list the folder: ${strerror((e as NodeJS.ErrnoException).code)}` });
    return [];
  }
  const confs = names.filter((f) => f.endsWith('.conf')).sort();
  if (confs.length === 0) failures.push({ file: shown, message: 'a folder with no model.yaml and no .conf files: nothing to lint' });
  return confs.map((f) => ({ file: nodepath.join(shown, f) }));
}

interface ModelYaml {
  hosts: ModelBindHost[];
  processes: { name: string; kind: LintMode; host: string; config: string }[];
}

/** A model's hosts and processes; a file that is not a model is a clear error, never read as a config. */
function readModelYaml(file: string, cwd: string): ModelYaml {
  const bytes = readBoundedFile(nodepath.resolve(cwd, file));
  if (!Buffer.isBuffer(bytes)) throw new TargetError(`can't read it: ${bytes.error}`, file);
  const text = bytes.toString('utf8');
  // The yaml package recurses per level: a deep file overflows the stack or exhausts the heap (yamlNesting.ts).
  const deepLine = tooDeepLine(text);
  if (deepLine !== undefined) throw new TargetError(`nested too deeply (more than ${MAX_NESTING} levels of lists and mappings)`, file, deepLine);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new TargetError(`not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, file, lc.linePos(e.pos[0]).line);
  }
  const keyLine = collectionKeyLine(doc, lc);
  if (keyLine !== undefined) throw new TargetError('a key must be a name or a number, not a list or a mapping', file, keyLine);
  let d: unknown;
  try {
    d = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Aliases expanding past the count (a "billion laughs" file) throw a ReferenceError.
    throw new TargetError(`not valid YAML: ${(e as Error).message}`, file);
  }
  const obj = d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : undefined;
  const hosts = obj?.hosts;
  const processes = obj?.processes;
  if (!Array.isArray(hosts) || !Array.isArray(processes)) {
    throw new TargetError(`not a model file (a model has hosts: and processes:); lint takes .conf files, a folder of them, or a model`);
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const hs: ModelBindHost[] = hosts.map((h: Record<string, unknown>) => ({
    name: str(h?.name) ?? '',
    ip: str(h?.ip) ?? '',
    aliases: Array.isArray(h?.aliases) ? (h.aliases as unknown[]).filter((x): x is string => typeof x === 'string') : [],
  }));
  const ps = processes.map((p: Record<string, unknown>, i: number) => {
    const kind = str(p?.kind);
    const config = str(p?.config);
    if ((kind !== 'redis' && kind !== 'sentinel') || !config) {
      throw new TargetError(`processes[${i}] needs kind (redis or sentinel) and config`);
    }
    return { name: str(p.name) ?? `processes[${i}]`, kind: kind as LintMode, host: str(p.host) ?? '', config };
  });
  return { hosts: hs, processes: ps };
}

function modelTargets(file: string, cwd: string): LintTarget[] {
  const m = readModelYaml(file, cwd);
  const dir = nodepath.dirname(file);
  return m.processes.map((p) => {
    const host = m.hosts.find((h) => h.name === p.host);
    const conf = nodepath.join(dir, p.config);
    return {
      file: conf,
      mode: p.kind,
      // The simulator (and redis-server started in the model's folder) resolves includes from there.
      cwd: nodepath.resolve(cwd, nodepath.dirname(conf)),
      ...(host ? { modelHost: { host, hosts: m.hosts, process: p.name } } : {}),
    };
  });
}
