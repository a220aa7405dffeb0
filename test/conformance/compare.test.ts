/**
 * Real Redis Sentinel 7.0.15 vs the simulator, case by case (src/conformance/compare-cases.ts):
 * each case runs on real processes, then in the simulator over seeds with the same configs and
 * ports, and must agree (src/conformance/compare.ts says what agree means). The run writes
 * REPORT.md and verdicts.json (test/conformance/ and the README's Conformance table on a developer
 * machine; .ci-results/conformance/ on CI, printed), and its last test fails when any case's
 * verdict differs from the committed test/conformance/verdicts.json. Ports 26000..27199 belong to
 * this file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { compareCase, dumpComparison, knownFor } from '../../src/conformance/compare.js';
import { ALL_CASES } from '../../src/conformance/compare-cases.js';
import { redisVersion } from '../../src/conformance/real.js';
import { readCommittedVerdicts, renderReport, verdictChanges, verdicts, writeReport, type ReportRow } from '../../src/conformance/report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.env.CONFORMANCE_CASES?.split(',').filter(Boolean);
const cases = ALL_CASES.filter((c) => !only || only.includes(c.id));

describe('real Redis Sentinel vs the simulator', () => {
  const rows: ReportRow[] = [];
  const start = Date.now();

  afterAll(() => {
    if (rows.length === 0) return;
    let version = '?';
    try {
      version = redisVersion();
    } catch {
      /* reported by the cases */
    }
    const text = renderReport(rows, { version, date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', durationMs: Date.now() - start });
    const path = writeReport(ROOT, text, rows);
    console.log(`conformance report: ${path}`);
  });

  for (const c of cases) {
    it(`${c.id}: ${c.title}`, async () => {
      let cmp;
      try {
        cmp = await compareCase(c);
      } catch (e) {
        rows.push({ id: c.id, title: c.title, error: (e as Error).message.split('\n')[0] });
        throw e;
      }
      rows.push({ id: c.id, title: c.title, cmp });
      const unexpected = cmp.problems.filter((p) => !knownFor(c, cmp.real, p));
      expect(unexpected, dumpComparison(cmp)).toEqual([]);
    }, 300_000);
  }

  // Runs after every case (one file, tests in order): the committed report must not go stale. A
  // verdict that changed on purpose is committed with the regenerated REPORT.md and verdicts.json.
  it('every verdict equals the committed one (test/conformance/verdicts.json)', () => {
    expect(rows.length).toBe(cases.length);
    expect(verdictChanges(readCommittedVerdicts(ROOT), verdicts(rows))).toEqual([]);
  });
});
