/**
 * Redis 7.0.15's glob matcher, util.c `stringmatchlen()`, ported byte for byte: `*`, `?`,
 * `[...]` with `^` negation, `a-z` ranges (either order) and `\` escapes, an unterminated class
 * that quietly ends at the pattern's end, and the `skipLongerMatches` cut that keeps `*a*a*a…b`
 * linear (CVE-2022-36021). It lives here, below both src/redis (CONFIG GET) and src/sentinel
 * (SENTINEL RESET, SENTINEL CONFIG GET, PSUBSCRIBE), which may not import each other.
 *
 * Redis compares C `char`s: signed bytes on x86-64, so both strings are matched as their UTF-8
 * bytes read as signed values, and `tolower()` (C locale) folds A-Z only. Reading one byte past
 * the pattern's length sees the NUL terminator every sds has; `at()` returns 0 there.
 */

function signedBytes(s: string): Int8Array {
  const b = Buffer.from(s, 'utf8');
  return new Int8Array(b.buffer, b.byteOffset, b.length);
}

/** C-locale tolower(): only A-Z change. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

interface Cursor {
  /** Set once a `*` found no match for the rest of the pattern anywhere in the rest of the string. */
  skipLongerMatches: boolean;
}

function matchImpl(pat: Int8Array, p0: number, str: Int8Array, s0: number, nocase: boolean, cur: Cursor): boolean {
  let p = p0;
  let s = s0;
  let patternLen = pat.length - p0;
  let stringLen = str.length - s0;
  const at = (i: number): number => (i < pat.length ? pat[i]! : 0);
  while (patternLen > 0 && stringLen > 0) {
    switch (at(p)) {
      case 42: // '*'
        while (patternLen > 0 && at(p + 1) === 42) {
          p++;
          patternLen--;
        }
        if (patternLen === 1) return true;
        while (stringLen > 0) {
          if (matchImpl(pat, p + 1, str, s, nocase, cur)) return true;
          if (cur.skipLongerMatches) return false;
          s++;
          stringLen--;
        }
        cur.skipLongerMatches = true;
        return false;
      case 63: // '?'
        s++;
        stringLen--;
        break;
      case 91: {
        // '['
        p++;
        patternLen--;
        const not = at(p) === 94; // '^'
        if (not) {
          p++;
          patternLen--;
        }
        let match = false;
        for (;;) {
          if (at(p) === 92 && patternLen >= 2) {
            // '\'
            p++;
            patternLen--;
            if (at(p) === str[s]) match = true;
          } else if (at(p) === 93) {
            // ']'
            break;
          } else if (patternLen === 0) {
            p--;
            patternLen++;
            break;
          } else if (patternLen >= 3 && at(p + 1) === 45) {
            // 'a-z'
            let start = at(p);
            let end = at(p + 2);
            let c = str[s]!;
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            p += 2;
            patternLen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? lower(at(p)) === lower(str[s]!) : at(p) === str[s]) {
            match = true;
          }
          p++;
          patternLen--;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        stringLen--;
        break;
      }
      default:
        if (at(p) === 92 && patternLen >= 2) {
          // '\\': the next pattern byte is literal
          p++;
          patternLen--;
        }
        if (nocase ? lower(at(p)) !== lower(str[s]!) : at(p) !== str[s]) return false;
        s++;
        stringLen--;
        break;
    }
    p++;
    patternLen--;
    if (stringLen === 0) {
      while (at(p) === 42) {
        p++;
        patternLen--;
      }
      break;
    }
  }
  return patternLen === 0 && stringLen === 0;
}

/** util.c `stringmatchlen(pattern, plen, string, slen, nocase)`. */
export function stringmatch(pattern: string, str: string, nocase: boolean): boolean {
  return matchImpl(signedBytes(pattern), 0, signedBytes(str), 0, nocase, { skipLongerMatches: false });
}
