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
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  // `!!binary` is a Uint8Array, not a mapping.
  if (v instanceof Uint8Array) return 'binary data';
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
  const issue = unionIssue((err.issues.find((i) => i.code === 'unrecognized_keys') ?? err.issues[0]!) as Issue);
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
    case 'too_small':
    case 'too_big':
      reason = `${where}: ${boundWords(issue, v)}`;
      break;
    case 'one_of':
      reason = `${where}: expected ${orList(issue.alternatives!)}, got ${describeValue(v)}`;
      break;
    default:
      reason = `${where ? where + ': ' : ''}${issue.message}`;
  }
  return inputError(y.file, y.lineOf(path), reason);
}

/** A zod issue as zodToInputError reads it, plus `one_of`: a union no branch of which got past the value itself. */
interface Issue {
  readonly code: string;
  readonly path: PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly Issue[])[];
  readonly alternatives?: readonly string[];
  readonly [k: string]: unknown;
}

/**
 * zod says only "Invalid input" when no branch of a union fits (`crash: 5`, `heal: false`,
 * `command: []`). The branch that got deepest into the value says what is wrong inside it
 * (`command[1]: expected …`); when every branch failed on the value itself, the issue becomes
 * the list of what each would have taken: "expected a string or a non-empty list, got 5".
 */
function unionIssue(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  const firsts = issue.errors.filter((b) => b.length > 0).map((b) => unionIssue({ ...b[0]!, path: [...issue.path, ...b[0]!.path] }));
  if (firsts.length === 0) return issue;
  const furthest = firsts.reduce((a, b) => (furtherIn(b.path, a.path) ? b : a));
  if (furthest.path.length > issue.path.length) return furthest;
  const alternatives = [...new Set(firsts.flatMap(expectedWords))];
  return { code: 'one_of', path: issue.path, message: issue.message, alternatives };
}

/** Whether a branch that failed at `a` got further into the value than one that failed at `b` (deeper, or at a later list item). */
function furtherIn(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  if (a.length !== b.length) return a.length > b.length;
  for (let k = 0; k < a.length; k++) {
    if (typeof a[k] === 'number' && typeof b[k] === 'number' && a[k] !== b[k]) return (a[k] as number) > (b[k] as number);
  }
  return false;
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', number: 'a number', int: 'a whole number', array: 'a list', object: 'a mapping', boolean: 'true or false', null: 'null' };

function expectedWords(i: Issue): string[] {
  if (i.code === 'one_of') return [...i.alternatives!];
  if (i.code === 'invalid_type') return [TYPE_WORDS[String(i.expected)] ?? String(i.expected)];
  if (i.code === 'invalid_value') return (i.values as unknown[]).map((x) => JSON.stringify(x));
  if (i.code === 'too_small' && i.origin === 'array') return [Number(i.minimum) === 1 ? 'a non-empty list' : `a list of at least ${String(i.minimum)} items`];
  return [i.message];
}

/** zod's "Too small: expected number to be >=0" as words: "is below the minimum of 0". */
function boundWords(i: Issue, v: unknown): string {
  const small = i.code === 'too_small';
  const bound = String(small ? i.minimum : i.maximum);
  const unit = i.origin === 'array' ? (bound === '1' ? 'item' : 'items') : i.origin === 'string' ? (bound === '1' ? 'character' : 'characters') : undefined;
  if (unit) return `needs ${small ? 'at least' : 'at most'} ${bound} ${unit}, got ${Array.isArray(v) || typeof v === 'string' ? v.length : describeValue(v)}`;
  if (i.inclusive === false) return `${describeValue(v)} must be ${small ? 'greater' : 'less'} than ${bound}`;
  return `${describeValue(v)} is ${small ? 'below the minimum' : 'above the maximum'} of ${bound}`;
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
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
