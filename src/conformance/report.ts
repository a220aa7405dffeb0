/**
 * REPORT.md from the comparisons: one table row per case (real outcome, simulated outcome over its
 * seeds, real delays, simulated ranges, agree/disagree), the disagreements in full, and what is
 * simulator-only. The conformance run writes it to a temp path on CI and to
 * test/conformance/REPORT.md (plus the README's Conformance table) on a developer machine.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_SEEDS, MAX_SEEDS, SIM_ALLOWANCE, type CaseComparison, type Outcome } from './compare.js';

export interface ReportRow {
  readonly id: string;
  readonly title: string;
  /** A comparison, or why the case could not run. */
  readonly cmp?: CaseComparison;
  readonly error?: string;
}

const esc = (s: string) => s.replace(/\|/g, '\\|');

function outcomeText(o: Outcome): string {
  const parts: string[] = [];
  if (o.failover) parts.push(`failover → ${o.promoted}${o.leader ? ` (leader ${o.leader})` : ''}`);
  else parts.push('no failover');
  parts.push(`epoch ${o.epoch}`);
  parts.push(o.odown ? 'ODOWN' : 'no ODOWN');
  if (o.tilt) parts.push('TILT');
  parts.push(`${o.convertToSlave}× +convert-to-slave`);
  for (const [k, v] of Object.entries(o.facts)) parts.push(`${k}: ${v}`);
  return parts.join('; ');
}

/** Distinct simulated outcomes with their seed counts. */
function simOutcomeText(cmp: CaseComparison): string {
  const counts = new Map<string, number>();
  for (const s of cmp.sims) {
    // The leader's name varies per seed and is not part of the comparison.
    const t = outcomeText({ ...s.outcome, leader: null });
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return [...counts.entries()].map(([t, n]) => `${t} (${n}/${cmp.sims.length} seeds)`).join('<br>');
}

const fmt = (n: number) => String(Math.round(n));

/** Ids of the case's written-up disagreements that this run's problems match. */
function knownIds(c: CaseComparison): string[] {
  return (c.c.known ?? []).filter((k) => c.problems.some((p) => k.match.test(p))).map((k) => k.id);
}

export function reportRows(rows: readonly ReportRow[]): string {
  const lines = [
    '| scenario | real outcome | simulated outcome | real delays (ms) | simulated [min, max] (ms) | agree |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    if (!r.cmp) {
      lines.push(`| ${esc(r.title)} | could not run: ${esc(r.error ?? '?')} | | | | **error** |`);
      continue;
    }
    const c = r.cmp;
    const real = c.timings.map((t) => `${esc(t.key)}: ${t.real.map(fmt).join(', ')}`).join('<br>');
    const sim = c.timings.map((t) => `${t.simMin === null ? '–' : `[${fmt(t.simMin)}, ${fmt(t.simMax!)}]`}${t.ok ? '' : ' ✗'}`).join('<br>');
    const known = knownIds(c);
    const verdict = c.problems.length === 0 ? 'agree' : `**disagree**${known.length ? ` (known: ${known.join(', ')})` : ''}`;
    lines.push(`| ${esc(r.title)} | ${esc(outcomeText(c.real.outcome))} | ${esc(simOutcomeText(c))} | ${real} | ${sim} | ${verdict} |`);
  }
  return lines.join('\n');
}

export function renderReport(rows: readonly ReportRow[], meta: { version: string; date: string; durationMs: number }): string {
  const bad = rows.filter((r) => !r.cmp || r.cmp.problems.length > 0);
  const details = rows
    .filter((r) => r.cmp)
    .map((r) => {
      const c = r.cmp!;
      const steps = c.steps.filter((s) => s.kind !== 'command').map((s) => `${fmt(s.atMs)} ms ${s.kind} ${s.target}`).join(', ');
      const cmds = c.steps.filter((s) => s.kind === 'command').length;
      const known = (c.c.known ?? []).filter((k) => c.problems.some((p) => k.match.test(p))).map((k) => `\n  - known disagreement ${k.id}: ${k.why}`).join('');
      return `- **${r.id}** — faults (ms from the origin): ${steps}${cmds ? `; ${cmds} client commands` : ''}; simulated seeds: ${c.sims.length}; ${c.problems.length === 0 ? 'agree' : 'DISAGREE:\n' + c.problems.map((p) => '  - ' + p.replace(/\n/g, '\n    ')).join('\n')}${known}`;
    })
    .join('\n');
  return [
    '# Conformance report: real Redis Sentinel vs the simulator',
    '',
    `Written by \`npm run conformance\` (test/conformance/compare.test.ts) on ${meta.date}; real side: ${meta.version}; ` +
      `${rows.length} cases in ${(meta.durationMs / 1000).toFixed(0)} s; ${bad.length === 0 ? 'every case agrees' : `${bad.length} case(s) disagree`}.`,
    '',
    'Each case runs on real `redis-server`/`redis-sentinel` processes on 127.0.0.1 and in the simulator with the same',
    `config texts and ports, over seeds 1..${DEFAULT_SEEDS} (up to ${MAX_SEEDS} while a real event sequence is not yet among the`,
    'simulated ones). Times are ms from the fault named in each delay (the latest fault before the event; both sides',
    'replay the same faults at the same offsets from the origin). Agree = the real outcome is a simulated one, every',
    "real Sentinel's normalized event sequence (per role: leader / other, or per Sentinel when nobody is elected) is one",
    `the simulator produced for that role, and every real delay lies in the simulated [min, max] widened by −${SIM_ALLOWANCE.earlyMs} / +${SIM_ALLOWANCE.lateMs} ms`,
    '(src/conformance/compare.ts, `SIM_ALLOWANCE`: the real processes are scheduled on a shared machine; the early side is',
    'the ms granularity of log stamps and of the harness\'s fault stamp). Events a Sentinel logs at `verbose` level',
    '(`+role-change`, `-role-change`) are left out of the simulated side: the real Sentinels run at the default `loglevel notice`.',
    '',
    reportRows(rows),
    '',
    '## Details',
    '',
    details,
    '',
    '## Simulator-only',
    '',
    '- Clock jumps and clock drift cannot be made for real processes on one machine: they are simulator-only.',
    '- Network partitions, lossy links and host-down faults are simulator-only: every real process shares 127.0.0.1 on a',
    '  CI machine without network namespaces.',
    '- Authentication (seed 004\'s `requirepass`/`masterauth`) is not exercised: the harness\'s client does not AUTH.',
    '',
  ].join('\n');
}

/** Where the report goes: a temp path on CI (CI set), else test/conformance/REPORT.md. */
export function reportPath(repoRoot: string): string {
  if (process.env.CONFORMANCE_REPORT) return process.env.CONFORMANCE_REPORT;
  if (process.env.CI) return join(tmpdir(), 'sentinel-sim-conformance', 'REPORT.md');
  return join(repoRoot, 'test', 'conformance', 'REPORT.md');
}

const START = '<!-- conformance-table:start -->';
const END = '<!-- conformance-table:end -->';

/** Write the report; off CI also put the table into README.md between the Conformance markers. */
export function writeReport(repoRoot: string, text: string, rows: readonly ReportRow[]): string {
  const path = reportPath(repoRoot);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const readme = join(repoRoot, 'README.md');
  if (!process.env.CI && !process.env.CONFORMANCE_REPORT && existsSync(readme)) {
    const r = readFileSync(readme, 'utf8');
    const i = r.indexOf(START);
    const j = r.indexOf(END);
    if (i >= 0 && j > i) writeFileSync(readme, r.slice(0, i + START.length) + '\n' + reportRows(rows) + '\n' + r.slice(j));
  }
  return path;
}
