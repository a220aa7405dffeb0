import type { CaseKind } from './cases.js';
import type { CaseResult, CheckReport } from './report.js';

/**
 * The bar a deployment must meet for `check` to exit 0 (`--require a,b,…`). Each requirement is
 * judged from the advisor's cases over every seed: a case that differs by seed counts as failing.
 */
export const REQUIREMENTS = {
  'single-failure': 'any single failure domain may fail and a writable master remains (every seed)',
  'two-failures': 'any two failure domains may fail together and a writable master remains',
  partitions: 'every two-sided partition of the hosts leaves a writable master on some side',
  'no-lost-writes': 'no case loses writes the old master acknowledged (a partition with no min-replicas does)',
  'sentinel-pause': 'pausing any one Sentinel past the TILT trigger causes neither a failover nor an outage',
  'no-flags': 'none of the classic Sentinel mistakes is flagged in the configuration files',
} as const;

export type Requirement = keyof typeof REQUIREMENTS;
export const REQUIREMENT_NAMES = Object.keys(REQUIREMENTS) as Requirement[];
export const DEFAULT_REQUIREMENTS: readonly Requirement[] = ['single-failure'];

export interface RequirementResult {
  readonly name: Requirement;
  readonly description: string;
  readonly pass: boolean;
  /** Case ids (or flag ids) that miss it. */
  readonly failing: readonly string[];
  /** Cases it looked at; 0 means there was nothing to judge (it passes). */
  readonly judged: number;
}

export interface Verdict {
  readonly pass: boolean;
  readonly required: readonly Requirement[];
  readonly requirements: readonly RequirementResult[];
}

/** Parse `a,b,c` into requirement names; an unknown name is an error naming the known ones. */
export function parseRequirements(v: string): Requirement[] {
  const names = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (names.length === 0) throw new Error(`expected one or more of: ${REQUIREMENT_NAMES.join(', ')}`);
  for (const n of names) {
    if (!(n in REQUIREMENTS)) throw new Error(`unknown requirement "${n}" (known: ${REQUIREMENT_NAMES.join(', ')})`);
  }
  return [...new Set(names)] as Requirement[];
}

const writable = (c: CaseResult) => c.verdict === 'ok' || c.verdict === 'writes-lost';

function judgeCases(r: CheckReport, kinds: readonly CaseKind[], ok: (c: CaseResult) => boolean): { failing: string[]; judged: number } {
  const cs = r.cases.filter((c) => kinds.includes(c.kind));
  return { failing: cs.filter((c) => !ok(c)).map((c) => c.id), judged: cs.length };
}

function judge(r: CheckReport, name: Requirement): { failing: readonly string[]; judged: number } {
  switch (name) {
    case 'single-failure':
      return judgeCases(r, ['domain'], (c) => c.verdict === 'ok');
    case 'two-failures':
      return judgeCases(r, ['pair'], (c) => c.verdict === 'ok');
    case 'partitions':
      return judgeCases(r, ['partition'], writable);
    case 'no-lost-writes':
      return judgeCases(r, ['domain', 'pair', 'pause', 'partition'], (c) => c.verdict !== 'writes-lost' && c.lostWritesMs === null && !(c.verdict === 'mixed' && c.seeds.some((o) => o.lostWritesMs !== null)));
    case 'sentinel-pause':
      return judgeCases(r, ['pause'], (c) => c.verdict === 'ok' && c.failovers === 0);
    case 'no-flags':
      return { failing: [...new Set(r.flags.map((f) => f.id))], judged: 1 };
  }
}

export function verdictOf(r: CheckReport, required: readonly Requirement[]): Verdict {
  const requirements = required.map((name) => {
    const { failing, judged } = judge(r, name);
    return { name, description: REQUIREMENTS[name], pass: failing.length === 0, failing, judged };
  });
  return { pass: requirements.every((x) => x.pass), required, requirements };
}

/** One line per requirement, then the verdict, for the text report. */
export function verdictLines(v: Verdict): string[] {
  const out = v.requirements.map((x) => `  ${x.pass ? 'PASS' : 'FAIL'} ${x.name}: ${x.description}${x.pass ? (x.judged === 0 ? ' (no such case in this model)' : '') : `; not met by ${x.failing.join(', ')}`}`);
  out.push(`verdict: ${v.pass ? 'PASS' : 'FAIL'} (required: ${v.required.join(', ')})`);
  return out;
}

/** `--help` text: every requirement with what it means. */
export function requirementsHelp(): string {
  return REQUIREMENT_NAMES.map((n) => `  ${n.padEnd(15)} ${REQUIREMENTS[n]}${DEFAULT_REQUIREMENTS.includes(n) ? ' (default)' : ''}`).join('\n');
}
