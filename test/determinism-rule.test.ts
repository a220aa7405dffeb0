import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Model code never reads real time or real randomness: no Date.now, new Date() (without an
 * argument: formatting a simulated time with new Date(ms) is fine), Math.random,
 * setTimeout, setInterval or performance.now in src/sim, src/net, src/redis, src/sentinel,
 * src/clients, src/check. (Comments are stripped first so a comment may name them.)
 */
const FOLDERS = ['src/sim', 'src/net', 'src/redis', 'src/sentinel', 'src/clients', 'src/check', 'src/explore'];
const FORBIDDEN = [/\bDate\.now\s*\(/, /\bnew\s+Date\s*\(\s*\)/, /(^|[^.\w])Date\s*\(\s*\)/, /\bMath\.random\s*\(/, /\bsetTimeout\s*\(/, /\bsetInterval\s*\(/, /\bsetImmediate\s*\(/, /\bperformance\.now\s*\(/, /\bprocess\.hrtime\b/];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('determinism rule', () => {
  it('model code calls no real clock, timer or random source', () => {
    const hits: string[] = [];
    for (const f of FOLDERS.flatMap(files)) {
      const lines = stripComments(readFileSync(f, 'utf8')).split('\n');
      lines.forEach((l, i) => {
        for (const re of FORBIDDEN) if (re.test(l)) hits.push(`${f}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
  it('the check itself catches a call', () => {
    expect(FORBIDDEN.some((re) => re.test(stripComments('const t = Date.now();')))).toBe(true);
    expect(FORBIDDEN.some((re) => re.test(stripComments('// Date.now() is banned')))).toBe(false);
  });
});
