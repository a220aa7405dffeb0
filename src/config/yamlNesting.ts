import { isScalar, visit, type Document, type LineCounter } from 'yaml';

/**
 * Guards for every YAML reader (scenario and model files in src/scenario, the model lint reads in
 * src/lint), kept here because both layers use them. Nesting limits for the YAML readers. The yaml package recurses per level: thousands of nested
 * `[` overflow the stack and thousands of nested block mappings exhaust the heap (a fatal abort,
 * not an exception). So the text is scanned first, linearly, and a file nested deeper than
 * {@link MAX_NESTING} levels is refused with the line where it got too deep. Scenario and model
 * files need about six.
 */
export const MAX_NESTING = 64;

/** Block levels (distinct indents and `- ` markers) plus open flow brackets, line by line. */
export function tooDeepLine(text: string, max = MAX_NESTING): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let i = start;
    while (i < end && text[i] === ' ') i++;
    if (i < end && text[i] !== '#' && text[i] !== '\r') {
      if (flow === 0) {
        while (indents.length > 0 && indents[indents.length - 1]! > i - start) indents.pop();
        if (indents.length === 0 || indents[indents.length - 1]! < i - start) indents.push(i - start);
      }
      let dashes = 0;
      while (text[i] === '-' && (text[i + 1] === ' ' || i + 1 === end)) {
        dashes++;
        i += 2;
        while (i < end && text[i] === ' ') i++;
      }
      flow = scanFlow(text, i, end, flow, max - indents.length - dashes);
      if (indents.length + dashes + flow > max) return lineNo;
    }
    start = end + 1;
  }
  return undefined;
}

/** Open brackets after this line (or as soon as more than `limit` are open), skipping quoted strings and comments. */
function scanFlow(text: string, from: number, end: number, depth: number, limit: number): number {
  let quote = '';
  for (let i = from; i < end; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    const prev = i === from ? ' ' : text[i - 1]!;
    if ((c === '"' || c === "'") && ' [{,:'.includes(prev)) quote = c;
    else if (c === '#' && (prev === ' ' || prev === '\t')) return depth;
    else if (c === '[' || c === '{') {
      if (++depth > limit) return depth;
    }
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return depth;
}

/**
 * The first path at which plain data (after YAML aliases are expanded) is nested deeper than
 * `max`, or refers to itself; checked without recursion.
 */
export function deepDataPath(data: unknown, max = MAX_NESTING): { path: PropertyKey[]; cycle: boolean } | undefined {
  const stack: { v: unknown; path: PropertyKey[]; ancestors: Set<object> }[] = [{ v: data, path: [], ancestors: new Set() }];
  while (stack.length > 0) {
    const { v, path, ancestors } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (ancestors.has(v)) return { path, cycle: true };
    if (path.length >= max) return { path, cycle: false };
    const next = new Set(ancestors).add(v);
    const entries: [PropertyKey, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) if (x !== null && typeof x === 'object') stack.push({ v: x, path: [...path, k], ancestors: next });
  }
  return undefined;
}

/**
 * The line of the first mapping key that is a list or a mapping (`? [a]`, `[a]: 1`). Plain data has
 * no such keys: the yaml package would stringify it and warn on the process's stderr (a Node
 * warning line and a hint about --trace-warnings), so a reader refuses it at its line instead.
 */
export function collectionKeyLine(doc: Document.Parsed, lc: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (pair.key === null || isScalar(pair.key)) return undefined;
      const at = (pair.key as { range?: [number, number, number] }).range?.[0];
      line = at === undefined ? 1 : lc.linePos(at).line;
      return visit.BREAK;
    },
  });
  return line;
}
