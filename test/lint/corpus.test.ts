import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/index.js';

/**
 * Lint's verdict must equal what the real redis-server 7.0.15 did with each corpus file. The labels
 * were recorded on this machine by test/lint/label-corpus.mjs (rerun it to refresh), so lint runs
 * with its local checks (--on-this-host); this test needs no server.
 */
const CORPUS = join(import.meta.dirname, 'corpus');
interface Label {
  mode: 'redis' | 'sentinel';
  accepted: boolean;
  stage?: 'config' | 'startup';
  line?: number;
  lineText?: string;
  reason?: string;
  detail?: string;
}
const labels = JSON.parse(readFileSync(join(CORPUS, 'labels.json'), 'utf8')) as { redis: string; files: Record<string, Label> };

describe('lint agrees with redis-server 7.0.15 on every corpus file', () => {
  it('has at least 60 labelled files from 7.0.15', () => {
    expect(Object.keys(labels.files).length).toBeGreaterThanOrEqual(60);
    expect(labels.redis).toContain('v=7.0.15');
  });
  for (const [file, label] of Object.entries(labels.files)) {
    it(`${file}: ${label.accepted ? 'accepted' : `refused: ${label.reason}`}`, () => {
      const r = lintFiles([file], { mode: label.mode, cwd: CORPUS, onThisHost: true });
      expect(r.failures).toEqual([]);
      const v = r.files[0]!.verdict;
      if (label.accepted) {
        expect(v).toEqual({ accepted: true });
        return;
      }
      expect(v.accepted).toBe(false);
      if (v.accepted) return;
      expect({ stage: v.stage, line: v.line, lineText: v.lineText, reason: v.reason }).toEqual({
        stage: label.stage,
        line: label.line,
        lineText: label.lineText,
        reason: label.reason,
      });
      if (label.detail) expect(v.detail).toBe(label.detail);
    });
  }
});
