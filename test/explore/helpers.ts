import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { parse } from 'yaml';

/** Shared by the explore tests: a temporary output folder and readers of what explore wrote. */

/** A fresh folder for the calling test file's outputs, removed after it; `out(name)` is a path in it. */
export function outputs(): (name: string) => string {
  const tmp = mkdtempSync(join(tmpdir(), 'explore-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  return (name: string) => join(tmp, name);
}

/** The timeline entries that start a fault (heals, restarts and re-laid partitions not counted). */
export function faultEntries(file: string): Record<string, unknown>[] {
  const d = parse(readFileSync(file, 'utf8')) as { timeline: Record<string, unknown>[] };
  const heals = ['restart', 'resume', 'host-up', 'heal', 'start'];
  const items = d.timeline.filter((x) => !heals.some((h) => h in x));
  // A partition laid again at a heal is the same fault, not a new one.
  const healTimes = new Set(d.timeline.filter((x) => 'heal' in x).map((x) => x.at));
  return items.filter((x) => !('partition' in x || 'isolate' in x) || !healTimes.has(x.at));
}

/** The scenario path explore printed for a violation. */
export const scenarioOf = (stdout: string) => /^ {2}scenario: (.+)$/m.exec(stdout)?.[1];
