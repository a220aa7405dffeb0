/**
 * Byte-for-byte ports of the C helpers Redis 7.0.15 uses while reading its configuration:
 * `sdssplitargs` (sds.c), `sdstrim`, glibc's `atoi`/`strtol`/`strtoll`/`strtoull`, `string2ll` and
 * `memtoull` (util.c), `yesnotoi` (config.c). The config readers must accept and refuse exactly
 * what Redis does, so these mirror the C code's quirks instead of idealising them: `atoi("30s")`
 * is 30, `memtoull("")` is 0, a closing quote must be followed by a space.
 *
 * Strings are JS strings whose code units stand for the file's bytes as decoded by the reader;
 * "space" is the C locale's `isspace` (Redis never calls `setlocale(LC_CTYPE)`).
 */

/** C-locale `isspace`: space, \t, \n, \v, \f, \r. */
export function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** `sdstrim(s, " \t\r\n")`: strips those four characters (not \v or \f) from both ends. */
export function sdstrim(s: string): string {
  let a = 0;
  let b = s.length;
  const cut = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  while (a < b && cut(s[a]!)) a++;
  while (b > a && cut(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/**
 * `sdssplitargs()`: splits a line into arguments the way Redis does for config lines (and
 * redis-cli input). Returns `null` for what Redis reports as "Unbalanced quotes": an unterminated
 * quote, or a closing quote not followed by a space or the end of the line.
 * Quirks kept: outside quotes only ' ', \n, \r, \t (and NUL) end a token, while leading blanks are
 * skipped with `isspace` (so \v and \f start a token only when not leading); `"\x41"` and the
 * escapes \n \r \t \b \a work only inside double quotes; inside single quotes only \' is special.
 */
export function splitArgs(line: string): string[] | null {
  // C strings end at the first NUL.
  const nul = line.indexOf('\0');
  const s = nul >= 0 ? line.slice(0, nul) : line;
  const out: string[] = [];
  let p = 0;
  for (;;) {
    while (p < s.length && isCSpace(s[p])) p++;
    if (p >= s.length) return out;
    let inq = false;
    let insq = false;
    let done = false;
    let cur = '';
    while (!done) {
      const c = s[p]; // undefined at the end of the string (C's '\0')
      if (inq) {
        if (c === '\\' && s[p + 1] === 'x' && isHexDigit(s[p + 2]) && isHexDigit(s[p + 3])) {
          cur += String.fromCharCode(parseInt(s.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < s.length) {
          p++;
          const e = s[p]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (p + 1 < s.length && !isCSpace(s[p + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          cur += c;
        }
      } else if (insq) {
        if (c === '\\' && s[p + 1] === "'") {
          p++;
          cur += "'";
        } else if (c === "'") {
          if (p + 1 < s.length && !isCSpace(s[p + 1])) return null;
          done = true;
        } else if (c === undefined) {
          return null;
        } else {
          cur += c;
        }
      } else {
        switch (c) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case undefined:
            done = true;
            break;
          case '"':
            inq = true;
            break;
          case "'":
            insq = true;
            break;
          default:
            cur += c;
        }
      }
      if (p < s.length) p++;
    }
    out.push(cur);
  }
}

/** The C string an sds argument becomes when passed as `char *`: cut at the first NUL. */
export function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i >= 0 ? s.slice(0, i) : s;
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);
const ULLONG_MAX = 2n ** 64n - 1n;

/** Result of glibc `strtol`-family parsing: value, index where parsing stopped, overflow flag. */
interface StrtoResult {
  value: bigint;
  end: number;
  erange: boolean;
}

/** The part strtoll and strtoull share: leading isspace, an optional sign, the digits' magnitude. */
function scanNumber(s0: string, base: 8 | 10): { neg: boolean; magnitude: bigint; end: number; digits: number } {
  const s = cstr(s0);
  let p = 0;
  while (p < s.length && isCSpace(s[p])) p++;
  let neg = false;
  if (s[p] === '+' || s[p] === '-') {
    neg = s[p] === '-';
    p++;
  }
  const start = p;
  let v = 0n;
  const maxDigit = base === 8 ? '7' : '9';
  while (p < s.length && s[p]! >= '0' && s[p]! <= maxDigit) {
    v = v * BigInt(base) + BigInt(s.charCodeAt(p) - 48);
    p++;
  }
  return { neg, magnitude: v, end: p, digits: p - start };
}

/** glibc `strtoll(s, &end, base)` for base 10 or 8 (64-bit long): skips leading isspace, sign. */
export function strtoll(s0: string, base: 8 | 10 = 10): StrtoResult {
  const n = scanNumber(s0, base);
  if (n.digits === 0) return { value: 0n, end: 0, erange: false };
  const v = n.neg ? -n.magnitude : n.magnitude;
  if (v > LONG_MAX) return { value: LONG_MAX, end: n.end, erange: true };
  if (v < LONG_MIN) return { value: LONG_MIN, end: n.end, erange: true };
  return { value: v, end: n.end, erange: false };
}

/** glibc `strtoull(s, &end, 10)`: like strtoll, a '-' negates modulo 2^64; overflow → ULLONG_MAX. */
export function strtoull(s0: string): StrtoResult {
  const n = scanNumber(s0, 10);
  if (n.digits === 0) return { value: 0n, end: 0, erange: false };
  if (n.magnitude > ULLONG_MAX) return { value: ULLONG_MAX, end: n.end, erange: true };
  const v = n.neg ? (2n ** 64n - n.magnitude) % 2n ** 64n : n.magnitude;
  return { value: v, end: n.end, erange: false };
}

/** Truncation of a 64-bit value to C `int` (two's complement), as `(int)` casts do. */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** glibc `atoi(s)` = `(int) strtol(s, NULL, 10)`: "30s" → 30, "abc" → 0, overflow wraps. */
export function atoi(s: string): number {
  return toInt32(strtoll(s).value);
}

/** `string2ll()` (util.c): strict decimal, no spaces, no '+', no leading zeros, < 21 chars. */
export function string2ll(s: string): bigint | null {
  if (s.length === 0 || s.length >= 21) return null;
  if (s === '0') return 0n;
  let p = 0;
  let neg = false;
  if (s[0] === '-') {
    neg = true;
    p++;
    if (p === s.length) return null;
  }
  if (!(s[p]! >= '1' && s[p]! <= '9')) return null;
  let v = 0n;
  while (p < s.length && isDigit(s[p])) {
    v = v * 10n + BigInt(s.charCodeAt(p) - 48);
    p++;
  }
  if (p < s.length) return null;
  if (neg) {
    if (v > 2n ** 63n) return null;
    return -v;
  }
  if (v > LONG_MAX) return null;
  return v;
}

const MEM_UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * `memtoull()` (util.c): digits then an optional unit (case-insensitive b, k=1000, kb=1024, m, mb,
 * g, gb). Returns null on error. Quirks kept: "" and "kb" are 0; overflow saturates at ULLONG_MAX
 * before the multiplication, which then wraps modulo 2^64.
 */
export function memtoull(s0: string): bigint | null {
  const s = cstr(s0);
  if (s[0] === '-') return null;
  let u = 0;
  while (u < s.length && isDigit(s[u])) u++;
  const mul = MEM_UNITS[s.slice(u).toLowerCase()];
  if (mul === undefined) return null;
  if (u >= 128) return null;
  const digits = s.slice(0, u);
  const val = digits === '' ? 0n : BigInt(digits) > ULLONG_MAX ? ULLONG_MAX : BigInt(digits);
  return (val * mul) % 2n ** 64n;
}

/** `yesnotoi()`: case-insensitive yes/no, else -1. */
export function yesnotoi(s: string): 1 | 0 | -1 {
  const l = cstr(s).toLowerCase();
  return l === 'yes' ? 1 : l === 'no' ? 0 : -1;
}

/** C-locale `tolower` on ASCII letters only (`sdstolower`, `strcasecmp`). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** `strcasecmp(a, b) == 0` on C strings. */
export function strcaseeq(a: string, b: string): boolean {
  return asciiLower(cstr(a)) === asciiLower(cstr(b));
}

/**
 * `getaddrinfo(host, AI_NUMERICHOST)` as used by `anetResolve(..., ANET_IP_ONLY)`: is `host` a
 * numeric IPv4 (glibc `inet_aton` forms: 1–4 parts, decimal/octal/hex) or IPv6 literal? Returns
 * the `inet_ntop` text of the address, or null.
 */
export function numericHost(host0: string): string | null {
  const host = cstr(host0);
  const v4 = inetAton(host);
  if (v4 !== null) return v4;
  return inet6(host);
}

function inetAton(s: string): string | null {
  if (s.length === 0) return null;
  const parts = s.split('.');
  if (parts.length > 4) return null;
  const nums: bigint[] = [];
  for (const part of parts) {
    let m: RegExpMatchArray | null;
    let v: bigint;
    if ((m = /^0[xX]([0-9a-fA-F]*)$/.exec(part))) v = m[1] === '' ? 0n : BigInt('0x' + m[1]);
    else if (/^0[0-7]*$/.test(part)) v = part.length > 1 ? BigInt('0o' + part.slice(1)) : 0n;
    else if (/^[1-9][0-9]*$/.test(part)) v = BigInt(part);
    else return null;
    nums.push(v);
  }
  const last = nums[nums.length - 1]!;
  const head = nums.slice(0, -1);
  if (head.some((n) => n > 255n)) return null;
  const lastMax = [0xffffffffn, 0xffffffn, 0xffffn, 0xffn][head.length]!;
  if (last > lastMax) return null;
  let addr = last;
  head.forEach((n, i) => {
    addr |= n << BigInt(8 * (3 - i));
  });
  return [24n, 16n, 8n, 0n].map((sh) => String((addr >> sh) & 255n)).join('.');
}

function inet6(s0: string): string | null {
  // getaddrinfo accepts a scope id suffix (fe80::1%eth0); the address part must be inet_pton-valid.
  const s = s0.split('%')[0]!;
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  let groups: number[] = [];
  const dbl = s.split('::');
  if (dbl.length > 2) return null;
  const parseSide = (side: string): number[] | null => {
    if (side === '') return [];
    const out: number[] = [];
    const items = side.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(it);
        if (!v4 || v4.slice(1).some((x) => Number(x) > 255 || (x.length > 1 && x[0] === '0'))) return null;
        const b = v4.slice(1).map(Number);
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  if (dbl.length === 2) {
    const a = parseSide(dbl[0]!);
    const b = parseSide(dbl[1]!);
    if (!a || !b || a.length + b.length > 7) return null;
    groups = [...a, ...new Array(8 - a.length - b.length).fill(0), ...b];
  } else {
    const a = parseSide(s);
    if (!a || a.length !== 8) return null;
    groups = a;
  }
  // inet_ntop: longest run (≥2) of zero groups becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] === 0) {
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    } else i++;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}
