/**
 * Text that fits a terminal: tables whose cells wrap inside columns narrowed to the width, and
 * prose wrapped with a hanging indent. Widths count code points (the report uses only narrow
 * characters).
 */

export const DEFAULT_WIDTH = 100;
/** Narrower than this and no table is readable: lay it out for this width anyway. */
export const MIN_WIDTH = 40;
const GAP = 2;

const len = (s: string) => [...s].length;

/** Split `text` into lines of at most `width` code points, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((x) => x !== '')) {
    if (line !== '' && len(line) + 1 + len(word) <= w) {
      line += ` ${word}`;
      continue;
    }
    if (line !== '') out.push(line);
    // A word longer than the column starts a line of its own and is broken there.
    const cps = [...word];
    while (cps.length > w) out.push(cps.splice(0, w).join(''));
    line = cps.join('');
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

/** A paragraph: the first line at `indent`, the next ones at `indent` + `hang`. */
export function wrapProse(text: string, width: number, indent = '', hang = '    '): string[] {
  const first = wrapText(text, Math.max(MIN_WIDTH, width) - len(indent));
  if (first.length <= 1) return first.map((l) => indent + l);
  const [head, ...restLines] = first;
  const tail = wrapText(restLines.join(' '), Math.max(MIN_WIDTH, width) - len(indent) - len(hang));
  return [indent + head, ...tail.map((l) => indent + hang + l)];
}

/** Narrowest a column gets: its header's words and its cells' words (up to 12) stay whole. */
function minWidth(header: string, cells: readonly string[]): number {
  const longestWord = (s: string) => Math.max(0, ...s.split(' ').map(len));
  const natural = Math.max(len(header), ...cells.map(len));
  const cellWord = Math.min(12, Math.max(0, ...cells.map(longestWord)));
  return Math.min(natural, Math.max(longestWord(header), cellWord, 6));
}

/**
 * Column widths that fit `width`: a column narrower than its fair share keeps its natural width;
 * the wide ones share what is left in proportion to their natural widths (never below a minimum
 * that keeps the header's words whole).
 */
export function fitWidths(rows: readonly (readonly string[])[], width: number): number[] {
  const n = rows[0]!.length;
  const natural = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => len(r[i] ?? ''))));
  const budget = Math.max(MIN_WIDTH, width) - GAP * (n - 1);
  let mins = natural.map((_, i) => minWidth(rows[0]![i]!, rows.slice(1).map((r) => r[i] ?? '')));
  const headerMins = natural.map((x, i) => Math.min(x, Math.max(4, ...rows[0]![i]!.split(' ').map(len))));
  if (mins.reduce((a, b) => a + b, 0) > budget) mins = headerMins;
  if (natural.reduce((a, b) => a + b, 0) <= budget) return natural;
  const fixed = new Set<number>();
  for (;;) {
    const left = budget - [...fixed].reduce((a, i) => a + natural[i]!, 0);
    const flex = natural.map((_, i) => i).filter((i) => !fixed.has(i));
    const share = left / Math.max(1, flex.length);
    const small = flex.filter((i) => natural[i]! <= share);
    if (small.length === 0) {
      const flexTotal = flex.reduce((a, i) => a + natural[i]!, 0);
      const w = natural.map((x, i) => (fixed.has(i) ? x : Math.max(mins[i]!, Math.floor((left * x) / flexTotal))));
      // Rounding and minimums may overshoot: take the excess from the widest columns, any of
      // them; below every minimum, from the cells' words, keeping only the headers' whole.
      let over = w.reduce((a, b) => a + b, 0) - budget;
      while (over > 0) {
        const k = w.map((_, i) => i).filter((i) => w[i]! > mins[i]!).sort((a, b) => w[b]! - w[a]! || a - b)[0];
        if (k === undefined && mins !== headerMins) {
          mins = headerMins;
          continue;
        }
        if (k === undefined) break;
        w[k]!--;
        over--;
      }
      return w;
    }
    for (const i of small) fixed.add(i);
  }
}

/** Header, rule, rows; each cell wrapped in its column; no trailing spaces. */
export function table(rows: readonly (readonly string[])[], width: number): string[] {
  const w = fitWidths(rows, width);
  const render = (r: readonly string[]) => {
    const cells = w.map((cw, i) => wrapText(r[i] ?? '', cw));
    const height = Math.max(...cells.map((c) => c.length));
    const lines: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = cells.map((c, i) => {
        const s = c[k] ?? '';
        return i === w.length - 1 ? s : s + ' '.repeat(Math.max(0, w[i]! - len(s)));
      });
      lines.push(parts.join(' '.repeat(GAP)).trimEnd());
    }
    return lines;
  };
  return [...render(rows[0]!), w.map((x) => '-'.repeat(x)).join(' '.repeat(GAP)), ...rows.slice(1).flatMap(render)];
}
