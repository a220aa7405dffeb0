import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './imports.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Comments cite the Redis function they mirror (sentinelFailoverSelectSlave(), replicationCron()),
 * never a section of a document that is not in the repository: a reader can open sentinel.c, not
 * the workshop's notes.
 */
function sectionCitations(file: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/§\s*\d/.test(line)) out.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return out;
}

describe('comments cite Redis functions, not sections of an outside document', () => {
  it('no "§n" anywhere in src/', () => {
    const hits = sourceFiles(resolve(ROOT, 'src')).flatMap((f) => sectionCitations(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
  });

  it('the check finds a section citation', () => {
    expect(sectionCitations('a.ts', '// ok: sentinelGetLeader()\n/** Votes (spec §5.3). */')).toEqual(['a.ts:2: /** Votes (spec §5.3). */']);
  });
});
