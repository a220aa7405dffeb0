import { PROPERTY_NAMES } from '../check/types.js';
import { inputError } from '../config/errors.js';
import type { RunEntry } from './tasks.js';
import type { Violation } from './explore.js';

/**
 * What explore prints: a stable JSON shape ({ seed, runs, violations }) and a text report that
 * says, for each violated property, the shrunk faults and the two commands that replay it.
 */

export interface ExploreJson {
  readonly seed: number;
  readonly runs: readonly RunEntry[];
  readonly violations: readonly Violation[];
}

export function formatExploreJson(r: ExploreJson): string {
  const out = {
    seed: r.seed,
    runs: r.runs.map((x) => ({ index: x.index, seed: x.seed, verdict: x.verdict, violated: [...x.violated] })),
    violations: r.violations.map((v) => ({ property: v.property, scenario: v.scenario, faults: [...v.faults], run: v.run, seed: v.seed, shrunk: v.shrunk })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function formatExploreText(r: ExploreJson): string {
  const lines: string[] = [];
  const failed = r.runs.filter((x) => x.verdict === 'fail');
  for (const v of r.violations) {
    const n = r.runs.filter((x) => x.violated.includes(v.property)).length;
    lines.push(`VIOLATED ${v.property}: in ${n} of ${r.runs.length} runs, first in run ${v.run} (seed ${v.seed})`);
    lines.push(`  ${v.shrunk ? 'shrunk by fast-check to' : 'not shrunk (the property alone held); as run:'} ${v.faults.length} fault(s), heals not counted:`);
    for (const f of v.faults) lines.push(`    ${f}`);
    lines.push(`  scenario: ${v.scenario}`);
    lines.push(`  replay:   sentinel-sim run ${v.scenario}`);
    lines.push(`  watch:    sentinel-sim play ${v.scenario}`);
  }
  const props = r.violations.map((v) => v.property);
  lines.push(`# ${r.runs.length} runs, ${failed.length} violated a property${props.length ? `: ${props.join(', ')}` : ''} (seed ${r.seed})`);
  return `${lines.join('\n')}\n`;
}

/**
 * JSON.parse's complaint without the excerpt of the text it quotes (a binary file would put its
 * bytes, newlines included, on the terminal), control characters escaped, and the line when the
 * complaint gives a position.
 */
function jsonSyntaxProblem(text: string, e: Error): { line?: number; reason: string } {
  // eslint-disable-next-line no-control-regex
  const reason = e.message.replace(/, ".*" is not valid JSON$/s, '').replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const at = /at position (\d+)/.exec(reason);
  if (!at) return { reason };
  const line = text.slice(0, Number(at[1])).split('\n').length;
  return { line, reason: reason.replace(/ at position \d+.*$/, '') };
}

/** Reads one shard's JSON (explore --format json), checking its shape. */
export function parseExploreJson(text: string, file: string): ExploreJson {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch (e) {
    const { line, reason } = jsonSyntaxProblem(text, e as Error);
    throw inputError(file, line, `not JSON: ${reason}`);
  }
  const o = d as { seed?: unknown; runs?: unknown; violations?: unknown };
  const bad = (why: string) => inputError(file, undefined, `not the JSON of explore --format json: ${why}`);
  if (!o || typeof o !== 'object' || typeof o.seed !== 'number' || !Array.isArray(o.runs) || !Array.isArray(o.violations)) throw bad('expected { "seed", "runs", "violations" }');
  for (const r of o.runs as Record<string, unknown>[]) {
    if (typeof r?.index !== 'number' || typeof r.seed !== 'number' || (r.verdict !== 'pass' && r.verdict !== 'fail') || !Array.isArray(r.violated)) throw bad('a run needs index, seed, verdict and violated');
  }
  for (const v of o.violations as Record<string, unknown>[]) {
    if (!PROPERTY_NAMES.includes(v?.property as never) || typeof v.scenario !== 'string' || !Array.isArray(v.faults) || typeof v.run !== 'number') throw bad('a violation needs property, scenario, faults and run');
  }
  return o as ExploreJson;
}
