/**
 * C's atoi(): leading whitespace, optional sign, digits; anything else stops it; no digits gives 0.
 * Scanned by hand rather than with a regex: it runs on every hello and INFO line. Up to 15 digits
 * the sum is exact, as parseInt is; longer runs go through parseInt as before. Then `| 0`, as C's int.
 */
export function atoi(str: string): number {
  const len = str.length;
  let i = 0;
  for (; i < len; i++) {
    const c = str.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break; // ' ', \t \n \v \f \r
  }
  const start = i;
  let neg = false;
  if (i < len) {
    const c = str.charCodeAt(i);
    if (c === 45 || c === 43) {
      neg = c === 45;
      i++;
    }
  }
  const digits = i;
  let n = 0;
  for (; i < len; i++) {
    const c = str.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (i === digits) return 0;
  if (i - digits > 15) return parseInt(str.slice(start, i), 10) | 0;
  return (neg ? -n : n) | 0;
}
