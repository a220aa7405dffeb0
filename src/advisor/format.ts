import type { CheckReport } from './report.js';

/** The advisor's report as a readable table, or as JSON with the same data. Both are deterministic. */

const HEAD = ['case', 'ODOWN', 'leader', 'selection', 'failover', 'fault→switch', 'writes lost', 'verdict'] as const;

/** Display width: one column per code point (the table uses only narrow characters). */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

export function table(rows: readonly (readonly string[])[]): string[] {
  const n = rows[0]!.length;
  const w = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: readonly string[]) => r.map((c, i) => (i === n - 1 ? c : pad(c, w[i]!))).join('  ').trimEnd();
  const sep = w.map((x, i) => '-'.repeat(i === n - 1 ? Math.min(x, 40) : x)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)];
}

export function formatText(r: CheckReport): string {
  const m = r.model;
  const out: string[] = [];
  out.push(`sentinel-sim check ${m.file}`);
  out.push(
    `model ${m.name}: ${m.hosts} hosts, ${m.redis} Redis nodes, ${m.sentinels} Sentinels; master "${m.master}" at ${m.masterProcess ?? '?'} (${m.masterAddr}), replicas ${m.replicas.join(' ') || 'none'}; quorum ${m.quorum}, majority ${m.majority} of ${m.sentinels}; down-after ${m.downAfterMs} ms, failover-timeout ${m.failoverTimeoutMs} ms`,
  );
  for (const l of r.plan.explain) out.push(`  ${l}`);
  out.push('');
  const rows: string[][] = [[...HEAD]];
  for (const c of r.cases) {
    rows.push([c.label, c.cells.odown, c.cells.leader, c.cells.selection, c.cells.failover, c.cells.time, c.cells.writesLost, c.verdictText]);
  }
  out.push(...table(rows));
  out.push('');
  out.push(r.flags.length === 0 ? 'Flags: none' : 'Flags:');
  for (const f of r.flags) out.push(`  ! ${f.id}: ${f.message}`);
  if (r.notes.length > 0) {
    out.push('');
    out.push('Notes:');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  out.push('');
  out.push('Summary:');
  for (const s of r.summary) out.push(`  ${s}`);
  return `${out.join('\n')}\n`;
}

export function formatJson(r: CheckReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
