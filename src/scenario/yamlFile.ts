import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { InputError, inputError } from '../config/errors.js';
import { noteInputFile } from '../config/inputFiles.js';
import { strerror } from '../config/strerror.js';
import { collectionKeyLine, deepDataPath, MAX_NESTING, tooDeepLine } from '../config/yamlNesting.js';
import { MAX_FILE_BYTES } from './inputLimits.js';

/**
 * A YAML file read with source positions kept, so every later complaint about a value can name
 * the line it came from. `lineOf(path)` walks the document along a path of keys and indexes and
 * returns the line of the deepest node that exists.
 */
export interface YamlFile {
  readonly file: string;
  readonly data: unknown;
  lineOf(path: readonly PropertyKey[]): number;
  /** Line of the key itself (for "unknown key" complaints). */
  keyLineOf(path: readonly PropertyKey[]): number;
  fail(path: readonly PropertyKey[], reason: string): InputError;
}

/** Why a path cannot be read as a file, in words (undefined: it can be tried). */
export function fileProblem(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'symbolic link loop';
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'not found';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'ENAMETOOLONG') return 'file name too long';
    return `cannot read (${code ?? 'unknown error'})`;
  }
  if (st.isDirectory()) return 'is a directory, expected a file';
  if (!st.isFile()) return 'is not a regular file';
  return undefined;
}

export function readTextFile(file: string, what: string, maxBytes = MAX_FILE_BYTES): string {
  if (file === '') throw new InputError(`${what}: the path is empty`);
  const problem = fileProblem(file);
  if (problem) throw inputError(file, undefined, problem === 'not found' || problem.startsWith('is ') ? `${what} ${problem}` : `${what}: ${problem}`);
  checkTextSize(file, what, statSync(file).size, maxBytes);
  try {
    const text = readFileSync(file, 'utf8');
    noteInputFile(file, what === 'scenario file' ? 'the scenario' : what === 'model file' ? 'the model' : what);
    return text;
  } catch (e) {
    throw inputError(file, undefined, `cannot read ${what}: ${strerror((e as NodeJS.ErrnoException).code)}`);
  }
}

/** A text of `bytes` named `file` is refused past `maxBytes`, saying the limit. */
export function checkTextSize(file: string, what: string, bytes: number, maxBytes = MAX_FILE_BYTES): void {
  if (bytes > maxBytes) throw inputError(file, undefined, `${what} is ${bytes} bytes; the limit is ${maxBytes} (${maxBytes / 1024 / 1024} MiB)`);
}

const COLLECTION_KEY = 'a key must be a name or a number, not a list or a mapping';

export function parseYamlFile(text: string, file: string): YamlFile {
  const deepLine = tooDeepLine(text);
  if (deepLine !== undefined) throw inputError(file, deepLine, `nested too deeply (more than ${MAX_NESTING} levels of lists and mappings)`);
  const lc = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    throw inputError(file, undefined, `cannot parse YAML: ${(e as Error).message}`);
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lc.linePos(err.pos[0]).line;
    const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw inputError(file, line, `YAML syntax error: ${msg}`);
  }
  const keyLine = collectionKeyLine(doc, lc);
  if (keyLine !== undefined) throw inputError(file, keyLine, COLLECTION_KEY);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw inputError(file, 1, `cannot read YAML: ${(e as Error).message}`);
  }
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 1 : lc.linePos(offset).line);
  const walk = (path: readonly PropertyKey[], wantKey: boolean): number => {
    let node: unknown = doc.contents;
    let line = lineAt((node as Node | null)?.range?.[0]);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return line;
        const keyNode = pair.key as Node;
        line = lineAt(keyNode.range?.[0]);
        if (wantKey && i === path.length - 1) return line;
        const v = pair.value as Node | null;
        // A block mapping or list under a key: the key's line is where a reader looks.
        const block = (isMap(v) || isSeq(v)) && !(v as { flow?: boolean }).flow;
        if (v && v.range && !block) line = lineAt(v.range[0]);
        node = v;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)] as Node | undefined;
        if (!item) return line;
        if (item.range) line = lineAt(item.range[0]);
        node = item;
      } else return line;
    }
    return line;
  };
  const deep = deepDataPath(data);
  if (deep) {
    const why = deep.cycle ? 'an alias refers to a node that contains it' : `nested too deeply (more than ${MAX_NESTING} levels of lists and mappings, counting aliases)`;
    throw inputError(file, walk(deep.path, false), why);
  }
  return {
    file,
    data,
    lineOf: (path) => walk(path, false),
    keyLineOf: (path) => walk(path, true),
    fail(path, reason) {
      return inputError(file, walk(path, false), reason);
    },
  };
}

export function readYamlFile(file: string, what: string): YamlFile {
  return parseYamlFile(readTextFile(file, what), file);
}

function describePath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? String(seg) : `.${String(seg)}`;
  return s;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return String(v);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: any = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[seg as any];
  }
  return v;
}

/** Turn the first zod issue into `file:line: reason`, with the line of the offending node. */
export function zodToInputError(y: YamlFile, err: z.ZodError, base: readonly PropertyKey[] = []): InputError {
  // An unknown key explains a missing one better than the other way round ("conf" vs "config").
  const issue = err.issues.find((i) => i.code === 'unrecognized_keys') ?? err.issues[0]!;
  const path = [...base, ...issue.path];
  const where = describePath(path);
  const v = valueAt(y.data, path);
  let reason: string;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = (issue as any).keys as string[];
      return inputError(y.file, y.keyLineOf([...path, keys[0]!]), `${where ? where + ': ' : ''}unknown key "${keys[0]}"${hintFor(keys[0]!)}`);
    }
    case 'invalid_type':
      if (v === undefined) {
        const last = path[path.length - 1];
        return inputError(y.file, y.lineOf(path.slice(0, -1)), `missing required key "${String(last)}"${path.length > 1 ? ` in ${describePath(path.slice(0, -1))}` : ''}`);
      }
      reason = `${where}: expected ${(issue as any).expected}, got ${describeValue(v)}`;
      break;
    case 'invalid_format':
      reason = `${where}: ${describeValue(v)} ${issue.message}`;
      break;
    case 'invalid_value':
      reason = `${where}: ${describeValue(v)} is not one of ${((issue as any).values as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
      break;
    default:
      reason = `${where ? where + ': ' : ''}${issue.message}`;
  }
  return inputError(y.file, y.lineOf(path), reason);
}

const HINTS: Record<string, string> = {
  after: '', ip: '', conf: ' (did you mean "config"?)', configs: ' (did you mean "config"?)',
  time: ' (did you mean "at"?)', when: ' (did you mean "at"?)', expectations: ' (did you mean "expect"?)',
  expects: ' (did you mean "expect"?)', events: ' (did you mean "timeline"?)', actions: ' (did you mean "timeline"?)',
  domains: ' (did you mean "failureDomains"?)', host_name: ' (did you mean "name"?)',
};
function hintFor(key: string): string {
  // Own keys only: "__proto__" and "constructor" must not reach Object.prototype.
  return Object.hasOwn(HINTS, key) ? HINTS[key]! : '';
}

export { describePath, describeValue };
