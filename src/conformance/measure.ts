/**
 * Repeats the real-Redis scenarios and summarizes them: timing ranges, event sequences, facts.
 * `node dist/conformance/measure.js [reps] [out.json] [out.md]` (after `npm run build`).
 * The markdown it writes is raw material for test/conformance/REAL-MEASUREMENTS.md.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { eventStrings } from './log.js';
import { redisVersion } from './real.js';
import { killMasterFailover, manualFailover, minReplicasRefuse, quorumNotReached, segfaultSingleSentinel, tiltAfterPause, type RunResult } from './scenarios.js';

export interface Range {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function range(xs: readonly number[]): Range {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, min: s[0], median: s[Math.floor((s.length - 1) / 2)], max: s[s.length - 1] };
}

/** `sentinelN.key` → also `leader.key` / `other.key` (when the run has a leader) and `any.key`. */
export function roleTimings(r: RunResult): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const add = (k: string, v: number) => (out[k] ??= []).push(v);
  for (const [k, v] of Object.entries(r.timings)) {
    const m = /^(sentinel\d+)\.(.*)$/.exec(k);
    if (!m) {
      add(k, v);
      continue;
    }
    add(`any.${m[2]}`, v);
    if (r.facts.leader) add(`${m[1] === r.facts.leader ? 'leader' : 'other'}.${m[2]}`, v);
  }
  return out;
}

export function summarize(runs: readonly RunResult[]): Record<string, Range> {
  const acc: Record<string, number[]> = {};
  for (const r of runs) for (const [k, vs] of Object.entries(roleTimings(r))) (acc[k] ??= []).push(...vs);
  return Object.fromEntries(Object.entries(acc).sort(([a], [b]) => a.localeCompare(b)).map(([k, vs]) => [k, range(vs)]));
}

/** Event-type sequences per role with their counts over the runs. */
export function variants(runs: readonly RunResult[], role: (r: RunResult, s: string) => string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const r of runs) {
    for (const [s, es] of Object.entries(r.events)) {
      const key = es.map((e) => (e.event === '+sdown' || e.event === '-sdown' || e.event === '+slave' ? `${e.event}(${e.text.split(' ')[0]} ${e.text.split(' ')[1]})` : e.event)).join(' ');
      const ro = role(r, s);
      (out[ro] ??= {})[key] = ((out[ro] ??= {})[key] ?? 0) + 1;
    }
  }
  return out;
}

function table(rs: Record<string, Range>): string {
  const lines = ['| delay | n | min | median | max |', '|---|---:|---:|---:|---:|'];
  for (const [k, r] of Object.entries(rs)) lines.push(`| ${k} | ${r.n} | ${r.min} | ${r.median} | ${r.max} |`);
  return lines.join('\n');
}

function sequences(r: RunResult): string {
  const out: string[] = [];
  for (const [s, es] of Object.entries(r.events)) {
    out.push(`${s}${r.facts.leader === s ? ' (leader)' : ''}:`, '```');
    for (const e of es) out.push(`${String(e.timeMs).padStart(6)} ${e.level === 'warning' ? '#' : '*'} ${eventStrings([e])[0]}`);
    out.push('```');
  }
  return out.join('\n');
}

export function markdown(title: string, runs: readonly RunResult[]): string {
  const role = (r: RunResult, s: string) => (r.facts.leader ? (r.facts.leader === s ? 'leader' : 'other') : 'any');
  const v = variants(runs, role);
  const parts = [
    `## ${title}`,
    '',
    `Runs: ${runs.length}. Topology: \`${JSON.stringify(runs[0]?.topology)}\``,
    '',
    table(summarize(runs)),
    '',
    'Facts per run:',
    '',
    ...runs.map((r, i) => `${i + 1}. ${Object.entries(r.facts).map(([k, x]) => `${k}=\`${x}\``).join(', ')}`),
    '',
    'Event-type sequences (count of Sentinel logs with that sequence):',
    '',
  ];
  for (const [ro, m] of Object.entries(v)) {
    parts.push(`- ${ro}:`);
    for (const [seq, n] of Object.entries(m)) parts.push(`  - ${n}× \`${seq}\``);
  }
  parts.push('', 'Full normalized sequence of run 1 (ms from the fault):', '', runs[0] ? sequences(runs[0]) : '', '');
  return parts.join('\n');
}

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 5);
  const jsonOut = process.argv[3] ?? 'real-measurements.json';
  const mdOut = process.argv[4] ?? 'real-measurements.md';
  const which = (process.env.SCENARIOS ?? 'kill,manual,tilt,tilt30,quorum,minrep,minrep10,segv1').split(',');
  const all: Record<string, RunResult[]> = {};
  let base = 22000;
  const run = async (key: string, n: number, f: (base: number) => Promise<RunResult>) => {
    if (!which.includes(key)) return;
    for (let i = 0; i < n; i++) {
      base += 100;
      const t = Date.now();
      try {
        const r = await f(base);
        (all[key] ??= []).push(r);
        process.stderr.write(`${key} #${i + 1}: ${Date.now() - t} ms ${JSON.stringify(r.facts)}\n`);
      } catch (e) {
        process.stderr.write(`${key} #${i + 1}: FAILED ${(e as Error).message}\n`);
      }
      writeFileSync(jsonOut, JSON.stringify({ version: redisVersion(), runs: all }, null, 1));
    }
  };
  await run('kill', reps, (b) => killMasterFailover(b));
  await run('manual', reps, (b) => manualFailover(b));
  await run('tilt', reps, (b) => tiltAfterPause(b, { tiltPeriodMs: 5000 }));
  await run('tilt30', 1, (b) => tiltAfterPause(b));
  await run('quorum', Math.min(reps, 3), (b) => quorumNotReached(b));
  await run('minrep', Math.min(reps, 3), (b) => minReplicasRefuse(b, { maxLagSec: 3 }));
  await run('minrep10', 1, (b) => minReplicasRefuse(b, { maxLagSec: 10 }));
  await run('segv1', Math.min(reps, 3), (b) => segfaultSingleSentinel(b));
  const md = [`redis-server --version: \`${redisVersion()}\``, '', ...Object.entries(all).map(([k, rs]) => markdown(`${k}: ${rs[0].scenario}`, rs))].join('\n');
  writeFileSync(mdOut, md);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
