import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The import graph of src/ and the rule it must follow. Imports point one way between folders:
 *
 *   sim, config  <-  net  <-  redis, sentinel, clients  <-  faults, check, lint  <-  scenario
 *   <-  report  <-  advisor, explore, recording  <-  tui  <-  cli  <-  conformance, bench  <-  index.ts, testing.ts
 *
 * A folder imports only folders of a lower rank: never one of its own rank (a Redis node knows
 * nothing of Sentinels), never one above. config/ (readers of real .conf files) imports nothing of
 * src/, like the engine. report/ sits below the other readers of a run because both the recorder
 * and the CLI print its log lines. Dynamic import() is how a command loads what only it needs, so
 * it is exempt from the direction (never from cycles through static imports).
 */
export const RANKS: Readonly<Record<string, number>> = {
  sim: 0,
  config: 0,
  net: 1,
  redis: 2,
  sentinel: 2,
  clients: 2,
  faults: 3,
  check: 3,
  lint: 3,
  scenario: 4,
  report: 5,
  advisor: 6,
  explore: 6,
  recording: 6,
  tui: 7,
  cli: 8,
  conformance: 9,
  bench: 9,
  '(root)': 10,
};

/** Packages that draw on a screen: only the player may import them. */
export const SCREEN_PACKAGES: Readonly<Record<string, readonly string[]>> = { ink: ['tui'], react: ['tui'], 'react/jsx-runtime': ['tui'] };

export interface ImportEdge {
  /** Importing file, relative to the repository (src/…). */
  readonly file: string;
  readonly line: number;
  /** The module specifier as written. */
  readonly spec: string;
  /** The imported file (src/…) for a relative import; undefined for a package. */
  readonly target: string | undefined;
  readonly dynamic: boolean;
}

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** Every import of one file, read from its syntax tree (strings and comments that look like imports are not imports). */
export function importsOf(file: string, text: string, repoRoot: string): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, spec: string, dynamic: boolean): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    const target = spec.startsWith('.') ? relative(repoRoot, resolve(dirname(file), spec)).split(sep).join('/').replace(/\.js$/, '.ts') : undefined;
    edges.push({ file: relative(repoRoot, file).split(sep).join('/'), line, spec, target, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(node, arg.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

export function repoImports(repoRoot: string): ImportEdge[] {
  return sourceFiles(join(repoRoot, 'src')).flatMap((f) => importsOf(f, readFileSync(f, 'utf8'), repoRoot));
}

/** The folder of src/ a file belongs to; files directly in src/ are the top, "(root)". */
export function folderOf(srcPath: string): string {
  const parts = srcPath.split('/');
  if (parts[0] !== 'src') return '(outside src)';
  return parts.length > 2 ? parts[1]! : '(root)';
}

/** Every import against the direction, as `file:line: reason`. */
export function layeringViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = folderOf(e.file);
    const fromRank = RANKS[from];
    if (fromRank === undefined) {
      out.push(`${e.file}:${e.line}: folder src/${from} has no place in the layering (add it to RANKS in test/architecture/imports.ts)`);
      continue;
    }
    if (e.target === undefined) {
      const only = SCREEN_PACKAGES[e.spec];
      if (only && !only.includes(from) && !e.dynamic) out.push(`${e.file}:${e.line}: ${from} imports ${e.spec}, which only ${only.join(', ')} may (the model knows no screen)`);
      continue;
    }
    const to = folderOf(e.target);
    if (to === from || e.dynamic) continue;
    const toRank = RANKS[to];
    if (toRank === undefined) out.push(`${e.file}:${e.line}: imports ${e.spec}, outside the layered folders (${to})`);
    else if (toRank >= fromRank) out.push(`${e.file}:${e.line}: ${from} imports ${to} (${e.spec}), against the direction: ${from} may import ${below(fromRank)}`);
  }
  return out;
}

function below(rank: number): string {
  const names = Object.keys(RANKS).filter((k) => RANKS[k]! < rank);
  return names.length === 0 ? 'nothing of src/' : `only ${names.join(', ')}`;
}

/** Cycles between folders through static imports, each as "a -> b -> a" (Tarjan's strongly connected components). */
export function folderCycles(edges: readonly ImportEdge[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.dynamic || e.target === undefined) continue;
    const a = folderOf(e.file);
    const b = folderOf(e.target);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)!.add(b);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of [...graph.get(v)!].sort()) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) !== idx.get(v)) return;
    const comp: string[] = [];
    for (;;) {
      const w = stack.pop()!;
      onStack.delete(w);
      comp.push(w);
      if (w === v) break;
    }
    if (comp.length > 1) cycles.push(`cycle between folders: ${comp.sort().join(', ')}`);
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return cycles;
}
