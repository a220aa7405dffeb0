import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../config/errors.js';
import { strerror } from '../config/strerror.js';
import type { Case } from './cases.js';
import type { Checked } from './format.js';
import type { PlanJob } from './pool.js';
import type { CaseResult } from './report.js';
import type { SeedOutcome } from './simulate.js';

/**
 * `check --save DIR`: every case of the deployment as a scenario file that `run` replays and
 * `play` opens: the model (a path relative to DIR), the case's first seed, the fault at the time
 * check applied it, and expectations that say what check concluded for that seed (ODOWN or not, a
 * leader or not, +switch-master or not, TILT after a pause), each within the window check watched.
 * What-if columns are not saved: their files exist only in memory.
 */

const dur = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A file name from a case id: "partition:redis1|redis2,redis3" → "partition-redis1--redis2-redis3". */
export function caseFileName(id: string): string {
  return `${id.replace(/\|/g, '--').replace(/[^A-Za-z0-9._-]+/g, '-')}.yaml`;
}

function timeline(c: Case, atMs: number): Record<string, unknown>[] {
  const f = c.fault;
  const at = dur(atMs);
  if (f.k === 'pause') return [{ at, pause: f.process }, { at: dur(atMs + f.forMs), resume: f.process }];
  if (f.k === 'partition') return [{ at, partition: { from: [...f.a], to: [...f.b] } }];
  return [...f.hosts.map((h) => ({ at, 'host-down': h })), ...(f.crashes.length > 0 ? [{ at, crash: [...f.crashes] }] : [])];
}

function expectations(c: Case, o: SeedOutcome, master: string, faultMs: number): Record<string, unknown>[] {
  const after = dur(faultMs);
  const before = dur(faultMs + o.watchedMs);
  const ev = (name: string, event: string, happened: boolean, extra: Record<string, unknown> = {}) =>
    happened ? { name, event, ...extra, after, before } : { name, event, ...extra, after, before, never: true };
  const text = `^master ${master.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `;
  const out: Record<string, unknown>[] = [
    ev(o.odownBy.length > 0 ? `ODOWN (check: ${o.odownBy.join(' ')})` : 'no ODOWN', '+odown', o.odownBy.length > 0, { text }),
  ];
  if (o.leader !== null) out.push(ev('a leader is elected', '+elected-leader', true));
  else if (o.notElected.length > 0) {
    out.push(ev('an attempt is not elected', '-failover-abort-not-elected', true));
    out.push(ev('no leader', '+elected-leader', false));
  }
  out.push(ev(o.switchAtMs !== null ? `fails over (check: ${o.newMaster} promoted)` : 'no failover', '+switch-master', o.switchAtMs !== null));
  if (c.fault.k === 'pause') {
    const p = c.fault.process;
    out.push(ev(o.tilts.some((t) => t.sentinel === p) ? `${p} enters TILT after resume` : `${p} does not enter TILT`, '+tilt', o.tilts.some((t) => t.sentinel === p), { process: p }));
  }
  return out;
}

function scenarioText(modelRel: string, r: CaseResult, c: Case, o: SeedOutcome, master: string, faultMs: number, source: string): string {
  const doc = {
    name: `check-${caseFileName(r.id).replace(/\.yaml$/, '')}`,
    description: `${r.label}: ${r.verdictText}`,
    model: modelRel,
    seed: o.seed,
    duration: dur(faultMs + o.watchedMs),
    timeline: timeline(c, faultMs),
    expect: expectations(c, o, master, faultMs),
  };
  const head = [
    `# Written by sentinel-sim check ${source} --save: case "${r.label}", seed ${o.seed}.`,
    `# check concluded: ${r.verdictText}`,
    '# Replay: sentinel-sim run <this file>; step through it: sentinel-sim play <this file>.',
    '# The expectations say what check saw for this seed; writes were probed by check alone (no client here).',
  ];
  return `${head.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Write the files; returns the lines for stderr. */
export function saveScenarios(dir: string, source: string, jobs: readonly PlanJob[], checked: readonly Checked[], applied: readonly { readonly changes: readonly string[] }[]): string {
  if (applied[0]!.changes.length > 0) {
    throw new InputError('check: --save writes the deployment as its files are; it cannot save a what-if (--sentinels, --quorum, ...): run --save without them');
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`${dir}: cannot create the folder: ${strerror((e as NodeJS.ErrnoException).code)}`);
  }
  const job = jobs[0]!;
  const report = checked[0]!.report;
  const modelRel = relative(resolve(dir), resolve(job.plan.model.file)) || '.';
  const faultMs = job.plan.plan.faultAtMs;
  const names: string[] = [];
  report.cases.forEach((r, i) => {
    const c = job.plan.cases[i]!;
    const o = r.seeds[0]!;
    const name = caseFileName(r.id);
    const path = join(dir, name);
    const tmp = `${path}.partial`;
    try {
      writeFileSync(tmp, scenarioText(modelRel, r, c, o, job.plan.deployment.masterName, faultMs, source));
      renameSync(tmp, path);
    } catch (e) {
      throw new InputError(`${path}: cannot write: ${strerror((e as NodeJS.ErrnoException).code)}`);
    }
    names.push(name);
  });
  const lines = [`check: wrote ${names.length} scenarios to ${dir} (${names.join(' ')})`];
  if (names.length > 0) lines.push(`check: replay one with: sentinel-sim run ${join(dir, names[0]!)}; step through it: sentinel-sim play ${join(dir, names[0]!)}`);
  if (checked.length > 1) lines.push('check: what-if columns are not saved (their files exist only in memory)');
  return `${lines.join('\n')}\n`;
}
