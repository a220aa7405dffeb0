/**
 * Styled lines: the screen is a list of lines of segments, built by pure functions (panels.ts)
 * and drawn by ink (app.tsx). Keeping lines as data makes fitting to a width exact and lets tests
 * compare plain text.
 */

export interface Seg {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}

export type Line = readonly Seg[];

export function seg(text: string, style: Omit<Seg, 'text'> = {}): Seg {
  return { text, ...style };
}

export function plain(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Characters as columns: every character the player draws is one column wide. */
function cols(s: string): number {
  return [...s].length;
}

export function padEnd(s: string, w: number): string {
  const n = cols(s);
  if (n > w) return truncate(s, w);
  return s + ' '.repeat(w - n);
}

export function padStart(s: string, w: number): string {
  const n = cols(s);
  if (n > w) return truncate(s, w);
  return ' '.repeat(w - n) + s;
}

export function truncate(s: string, w: number): string {
  const chars = [...s];
  if (chars.length <= w) return s;
  if (w <= 0) return '';
  return chars.slice(0, w - 1).join('') + '…';
}

/** Cut or pad a line to exactly `width` columns (the last segment's style carries the padding). */
export function fit(line: Line, width: number): Line {
  const out: Seg[] = [];
  let used = 0;
  for (const s of line) {
    if (used >= width) break;
    const n = cols(s.text);
    if (used + n <= width) {
      out.push(s);
      used += n;
    } else {
      out.push({ ...s, text: [...s.text].slice(0, width - used - 1).join('') + '…' });
      used = width;
    }
  }
  if (used < width) {
    const last = out[out.length - 1];
    if (last?.inverse) out[out.length - 1] = { ...last, text: last.text + ' '.repeat(width - used) };
    else out.push({ text: ' '.repeat(width - used) });
  }
  return out;
}

export function width(line: Line): number {
  return cols(plain(line));
}

/** Thousands grouped with a space, as in "482 113". */
export function groupDigits(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  const g = s.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return n < 0 ? `-${g}` : g;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Seconds with up to one decimal, no trailing ".0" on whole limits: 0.1, 10, 180. */
export function secs(ms: number, decimals = 1): string {
  const s = ms / 1000;
  if (Number.isInteger(s)) return String(s);
  return s.toFixed(decimals);
}

export function bar(fraction: number, cells: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.min(cells, Math.floor(f * cells + 1e-9));
  return '▓'.repeat(full) + '░'.repeat(cells - full);
}
