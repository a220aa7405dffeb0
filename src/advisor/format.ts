import { table, wrapProse } from './layout.js';
import type { CaseResult, CheckReport } from './report.js';
import { verdictLines, type Verdict } from './require.js';
import type { AddedSentinel } from './whatif.js';

/**
 * The advisor's report as text that fits `width` columns, or as JSON with the same data and a
 * top-level verdict. Both are deterministic.
 */

const HEAD = ['case', 'ODOWN', 'leader', 'selection', 'failover', 'fault→switch', 'writes lost', 'verdict'] as const;

/** One deployment checked: the report, its verdict, and what the what-if changed (if anything). */
export interface Checked {
  readonly label: string;
  readonly report: CheckReport;
  readonly verdict: Verdict;
  readonly changes: readonly string[];
  readonly added: readonly AddedSentinel[];
}

function header(r: CheckReport, width: number): string[] {
  const m = r.model;
  return [
    `sentinel-sim check ${m.file}`,
    ...wrapProse(
      `model ${m.name}: ${m.hosts} hosts, ${m.redis} Redis nodes, ${m.sentinels} Sentinels; master "${m.master}" at ${m.masterProcess ?? '?'} (${m.masterAddr}), replicas ${m.replicas.join(' ') || 'none'}; quorum ${m.quorum}, majority ${m.majority} of ${m.sentinels}; down-after ${m.downAfterMs} ms, failover-timeout ${m.failoverTimeoutMs} ms`,
      width,
    ),
  ];
}

function section(title: string, lines: readonly string[], width: number, bullet: string): string[] {
  return lines.length === 0 ? [] : ['', `${title}:`, ...lines.flatMap((l) => wrapProse(`${bullet}${l}`, width, '  '))];
}

export function formatText(c: Checked, width: number): string {
  const r = c.report;
  const out: string[] = [...header(r, width)];
  for (const l of c.changes) out.push(...wrapProse(`what-if: ${l}`, width, '  '));
  for (const l of r.plan.explain) out.push(...wrapProse(l, width, '  '));
  out.push('');
  const rows: string[][] = [[...HEAD]];
  for (const x of r.cases) rows.push([x.label, x.cells.odown, x.cells.leader, x.cells.selection, x.cells.failover, x.cells.time, x.cells.writesLost, x.verdictText]);
  out.push(...table(rows, width));
  out.push('');
  if (r.flags.length === 0) out.push('Flags: none');
  else out.push(...section('Flags', r.flags.map((f) => `${f.id}: ${f.message}`), width, '! ').slice(1));
  out.push(...section('Notes', r.notes, width, '- '));
  out.push(...section('Summary', r.summary, width, ''));
  out.push('', 'Requirements:');
  out.push(...verdictLines(c.verdict).flatMap((l) => (l.startsWith('  ') ? wrapProse(l.slice(2), width, '  ') : wrapProse(l, width))));
  return `${out.join('\n')}\n`;
}

function cell(x: CaseResult | undefined): string {
  if (!x) return '-';
  const label = x.verdict === 'ok' ? 'ok' : x.verdict === 'outage' ? 'OUTAGE' : x.verdict === 'writes-lost' ? 'WRITES LOST' : x.verdict === 'read-only' ? 'READ-ONLY' : 'MIXED';
  return x.switchMs ? `${label}, fails over ${x.cells.time}` : label;
}

/** Several deployments side by side: a column each, a row per case, then each requirement and the verdict. */
export function formatSideBySide(all: readonly Checked[], width: number): string {
  const base = all[0]!.report;
  const out: string[] = [`sentinel-sim check ${base.model.file}: ${all.length} deployments side by side`];
  for (const c of all) {
    const m = c.report.model;
    out.push(...wrapProse(`${c.label}: ${m.sentinels} Sentinels (${m.sentinelNames.join(' ')}), quorum ${m.quorum}, majority ${m.majority}; down-after ${m.downAfterMs} ms, failover-timeout ${m.failoverTimeoutMs} ms`, width, '  '));
    for (const l of c.changes) out.push(...wrapProse(l, width, '      '));
  }
  for (const l of base.plan.explain) out.push(...wrapProse(l, width, '  '));
  out.push('');
  const ids: string[] = [];
  const labelOf = new Map<string, string>();
  for (const c of all) {
    for (const x of c.report.cases) {
      if (!labelOf.has(x.id)) {
        ids.push(x.id);
        labelOf.set(x.id, x.label);
      }
    }
  }
  const rows: string[][] = [['case', ...all.map((c) => c.label)]];
  for (const id of ids) rows.push([labelOf.get(id)!, ...all.map((c) => cell(c.report.cases.find((x) => x.id === id)))]);
  for (const req of all[0]!.verdict.required) {
    rows.push([`requires ${req}`, ...all.map((c) => (c.verdict.requirements.find((x) => x.name === req)!.pass ? 'PASS' : 'FAIL'))]);
  }
  rows.push(['verdict', ...all.map((c) => (c.verdict.pass ? 'PASS' : 'FAIL'))]);
  out.push(...table(rows, width));
  for (const c of all) {
    out.push('', `${c.label}:`);
    for (const s of c.report.summary) out.push(...wrapProse(s, width, '  '));
    for (const f of c.report.flags) out.push(...wrapProse(`! ${f.id}: ${f.message}`, width, '  '));
  }
  out.push('', ...wrapProse(`verdict: ${all[0]!.verdict.pass ? 'PASS' : 'FAIL'} for ${all[0]!.label} (required: ${all[0]!.verdict.required.join(', ')}); the exit code follows it, the other columns are what-ifs`, width));
  return `${out.join('\n')}\n`;
}

function jsonOf(c: Checked) {
  return {
    label: c.label,
    verdict: c.verdict.pass ? 'pass' : 'fail',
    requirements: c.verdict.requirements,
    changes: c.changes,
    addedSentinels: c.added.map((a) => ({ process: a.process, host: a.host, ip: a.ip, copiedFrom: a.from, sentinelConf: a.text })),
    ...c.report,
  };
}

/** `verdict` ("pass" | "fail") and `required` come first; with variants, `deployments` holds each column. */
export function formatJson(all: readonly Checked[]): string {
  const base = all[0]!;
  const top = { verdict: base.verdict.pass ? 'pass' : 'fail', required: base.verdict.required };
  const body = all.length === 1 ? jsonOf(base) : { deployments: all.map(jsonOf) };
  return `${JSON.stringify({ ...top, ...body }, null, 2)}\n`;
}
