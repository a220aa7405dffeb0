/** Text and JSON renderings of {@link LintResults}. */
import { shownPath } from '../config/errors.js';
import type { LintResults } from './lint.js';

export function formatJson(r: LintResults): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** One block per file: the verdict (with Redis's own report when refused), then warnings. */
export function formatText(r: LintResults): string {
  const out: string[] = [];
  for (const f of r.files) {
    const v = f.verdict;
    if (v.accepted) {
      out.push(`${f.file}: accepted by redis-server${f.mode === 'sentinel' ? ' --sentinel' : ''} 7.0.15`);
    } else {
      const where = v.line !== undefined ? `${v.file}:${v.line}` : v.file;
      out.push(`${where}: refused (${v.stage === 'config' ? 'config error' : 'fails at start-up'}): ${v.reason}`);
      for (const l of v.report.split('\n')) if (l !== '') out.push(`    ${l}`);
      if (v.fix) out.push(`  fix: ${v.fix}`);
    }
    for (const w of f.warnings) {
      out.push(`${w.line !== undefined ? `${w.file}:${w.line}` : w.file}: warning [${w.code}]: ${w.message}`);
      if (w.fix) out.push(`  fix: ${w.fix}`);
    }
  }
  for (const e of r.failures) out.push(`${failureWhere(e)}: error: ${e.message}`);
  return out.join('\n') + (out.length ? '\n' : '');
}

/** `file` or `file:line` of a file lint could not examine. */
export function failureWhere(f: { readonly file: string; readonly line?: number }): string {
  return f.line === undefined ? shownPath(f.file) : `${shownPath(f.file)}:${f.line}`;
}
