import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { recordScenario } from '../../src/recording/record.js';
import { writeCountsAt } from '../../src/recording/writes.js';
import { acknowledgedWrites } from '../../src/check/lost-writes.js';
import { screenText } from '../../src/tui/command.js';

/**
 * The player's WRITES line: each workload client's acknowledged and lost writes at the cursor,
 * computed by the recording (the screen only draws them). On the zato partition drill node1 keeps
 * acknowledging the Zato server's writes on its minority side from 30 s; they are lost when node1
 * is demoted after the heal at 70 s, and the line says so from then on.
 */

const FILE = 'scenarios/zato-partition-minority-master.yaml';
const rec = recordScenario(loadScenario(FILE));
const writesRow = (us: number, w = 80, h = 24) => screenText(rec, us, w, h).split('\n').find((l) => l.startsWith(' WRITES'));
const counts = (row: string | undefined) => {
  const m = /zato (\d+) ack(?:nowledged)?, (\d+) lost/.exec(row ?? '');
  return m ? { acknowledged: Number(m[1]), lost: Number(m[2]) } : undefined;
};

describe('the player counts acknowledged and lost writes', () => {
  it('the line is on the 80×24 and 160×50 screens', () => {
    expect(writesRow(20_000_000)).toMatch(/^ WRITES {11}zato \d+ ack/);
    expect(writesRow(20_000_000, 160, 50)).toMatch(/^ WRITES {11}zato \d+ acknowledged, 0 lost/);
  });

  it('acknowledged grows with the writes; lost stays 0 until node1 gives up its data, then jumps', () => {
    const before = counts(writesRow(29_000_000))!;
    const cutOff = counts(writesRow(65_000_000))!;
    expect(before.lost).toBe(0);
    expect(before.acknowledged).toBeGreaterThanOrEqual(27);
    // node1 acknowledges on its side: the count goes on, nothing is lost yet.
    expect(cutOff.acknowledged).toBeGreaterThan(before.acknowledged + 30);
    expect(cutOff.lost).toBe(0);
    const demoted = rec.log.find((e) => e.event === '+convert-to-slave')!.t;
    const end = counts(writesRow(rec.totalUs))!;
    expect(end.lost).toBeGreaterThanOrEqual(30);
    // Lost from the moment node1 became a replica (its role change, just before Sentinel logs +convert-to-slave).
    const series = rec.writes!.find((s) => s.client === 'zato')!;
    const lostAt = series.lostUs[0]!;
    expect(new Set(series.lostUs).size).toBe(1);
    expect(lostAt).toBeGreaterThan(70_000_000);
    expect(lostAt).toBeLessThanOrEqual(demoted + 1_000_000);
    expect(counts(writesRow(lostAt - 1))!.lost).toBe(0);
    expect(counts(writesRow(lostAt))!.lost).toBe(end.lost);
  });

  it('at the end: the run\'s lost writes, and every write acknowledged up to the end of the run', () => {
    const res = runScenario(loadScenario(FILE));
    const [last] = writeCountsAt(rec.writes!, rec.totalUs);
    // The summary also counts a write acknowledged while the final probes run, just past the end.
    const ackedInRun = acknowledgedWrites(res.records).filter((w) => w.client === 'zato').length;
    expect(ackedInRun).toBeGreaterThan(100);
    expect(last).toEqual({ client: 'zato', acknowledged: ackedInRun, lost: res.summary.lostWrites!.lost.length });
  });

  it('a model without workload clients has no WRITES line', () => {
    const none = recordScenario(loadScenario('test/tui/fixtures/four-split-vote.yaml'), { untilUs: 5_000_000 });
    expect(screenText(none, 4_000_000, 80, 24)).not.toContain(' WRITES');
  });
});
