import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { respCommandBytes } from '../../src/net/resp.js';

/**
 * respCommandBytes() is what master_repl_offset advances by, so it must be the length of the
 * command as Redis writes it: `*<argc>\r\n` then `$<bytes>\r\n<arg>\r\n`, arguments in UTF-8.
 * Its ASCII fast path and its per-character path must agree with a real encoder.
 */
function encodedLength(argv: readonly string[]): number {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a, 'utf8')}\r\n${a}\r\n`;
  return Buffer.byteLength(s, 'utf8');
}

describe('respCommandBytes', () => {
  it('is the length of the RESP encoding, for ASCII and for any well-formed Unicode', () => {
    const word = fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 300 }));
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (argv) => respCommandBytes(argv) === encodedLength(argv)), { seed: 12, numRuns: 2000 });
  });

  it('counts a hello PUBLISH, 2-, 3- and 4-byte characters exactly', () => {
    const hello = '10.0.1.2,26379,abcdef0123456789abcdef0123456789abcdef01,0,mymaster,10.0.0.1,6379,0';
    expect(respCommandBytes(['PUBLISH', '__sentinel__:hello', hello])).toBe(encodedLength(['PUBLISH', '__sentinel__:hello', hello]));
    expect(respCommandBytes(['SET', 'k', 'é'])).toBe(encodedLength(['SET', 'k', 'é']));
    expect(respCommandBytes(['SET', 'k', '€'])).toBe(encodedLength(['SET', 'k', '€']));
    expect(respCommandBytes(['SET', 'k', '😀x'])).toBe(encodedLength(['SET', 'k', '😀x']));
    expect(respCommandBytes(['SET', 'k', 'a'.repeat(10) + 'é'])).toBe(39); // 4 + 9 + 7 + 5 + 12 + 2
  });
});
