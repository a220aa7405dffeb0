/**
 * REPORT.md from the comparisons: one table row per case (real outcome, simulated outcome over its
 * seeds, real delays, simulated ranges, agree/disagree), the disagreements in full, and what is
 * simulator-only; next to it verdicts.json, one verdict per case, which CI compares with the
 * committed one. The conformance run writes both to .ci-results/conformance/ on CI and to
 * test/conformance/ (plus the README's Conformance table) on a developer machine.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_SEEDS, knownFor, OUTCOME_SHARE, RARE_SEARCH_SEEDS, splitStart, type CaseComparison, type Outcome } from './compare.js';
import { FLUSH_HOPS, NOISE_QUANTILE, noiseText, WAKE_HOPS } from './noise.js';

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

/**
 * How far real delays fell outside the bare simulated ranges (before the allowance), over the
 * timings not explained by a written-up disagreement: for information (the allowance comes from
 * the measured noise, not from this).
 */
function allowanceLine(rows: readonly ReportRow[]): string {
  let late = 0;
  let lateKey = '';
  let early = 0;
  let earlyKey = '';
  let n = 0;
  for (const r of rows) {
    if (!r.cmp) continue;
    const cmp = r.cmp;
    for (const t of r.cmp.timings) {
      if (t.simMin === null || t.simMax === null) continue;
      if (knownFor(cmp.c, cmp.real, `timing ${t.key}: `)) continue;
      for (const v of t.real) {
        n++;
        if (v - t.simMax > late) [late, lateKey] = [v - t.simMax, `${r.id}: ${t.key}`];
        if (t.simMin - v > early) [early, earlyKey] = [t.simMin - v, `${r.id}: ${t.key}`];
      }
    }
  }
  return (
    `For information, over ${n} real delays not explained by a written-up disagreement: the largest excess over the ` +
    `bare simulated max was ${Math.round(late)} ms${lateKey ? ` (${lateKey})` : ''}, the largest shortfall below the simulated min ` +
    `${Math.round(early)} ms${earlyKey ? ` (${earlyKey})` : ''}.`
  );
}

/** Ids of the case's written-up disagreements that this run's problems showed. */
function knownIds(c: CaseComparison): string[] {
  const ids = c.problems.map((p) => knownFor(c.c, c.real, p)?.id).filter((x): x is string => x !== undefined);
  return [...new Set(ids)];
}

/**
 * A case's verdict as CI compares it: `disagree` when a problem is not explained by a written-up
 * disagreement, `error` when the case could not run, else `agree` (naming the case's written-up
 * disagreements, which may or may not show in a given real run: whether they did is a measurement,
 * reported in the table, not part of the verdict).
 */
export function verdictOf(r: ReportRow): string {
  if (!r.cmp) return 'error';
  const c = r.cmp;
  if (c.problems.some((p) => !knownFor(c.c, c.real, p))) return 'disagree';
  const declared = (c.c.known ?? []).map((k) => k.id);
  return declared.length ? `agree apart from ${declared.join(', ')}` : 'agree';
}

/** Case id → verdict, in the run's order. */
export function verdicts(rows: readonly ReportRow[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.id, verdictOf(r)]));
}

/**
 * Where a fresh run's verdicts differ from the committed ones (only the cases the run ran): one
 * line per case. Measured figures are not compared: they vary from run to run.
 */
export function verdictChanges(committed: Readonly<Record<string, string>>, fresh: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [id, v] of Object.entries(fresh)) {
    if (!(id in committed)) out.push(`${id}: no committed verdict (fresh: ${v}); commit test/conformance/verdicts.json and REPORT.md from this run`);
    else if (committed[id] !== v) out.push(`${id}: committed "${committed[id]}", fresh "${v}"`);
  }
  return out;
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
    const seen = knownIds(c);
    const verdict = verdictOf(r).replace(/^disagree/, '**disagree**') + (seen.length ? ` (seen this run: ${seen.join(', ')})` : '');
    lines.push(`| ${esc(r.title)} | ${esc(outcomeText(c.real.outcome))} | ${esc(simOutcomeText(c))} | ${real} | ${sim} | ${verdict} |`);
  }
  return lines.join('\n');
}

/**
 * The agreeing delay closest to an end of its widened range: where the next real run is most likely
 * to fall outside (a margin of a few ms is a case to watch, not a failure).
 */
export function tightestText(c: CaseComparison): string {
  let best: { key: string; v: number; margin: number; lo: number; hi: number } | null = null;
  for (const t of c.timings) {
    if (!t.ok || t.simMin === null || t.simMax === null) continue;
    for (const v of t.real) {
      const margin = Math.min(v - (t.simMin - c.noise.earlyMs), t.simMax + c.noise.lateMs - v);
      if (!best || margin < best.margin) best = { key: t.key, v, margin, lo: t.simMin, hi: t.simMax };
    }
  }
  return best ? `; tightest delay: ${best.key} real ${Math.round(best.v)} ms in simulated [${Math.round(best.lo)}, ${Math.round(best.hi)}], ${Math.round(best.margin)} ms inside the widened range` : '';
}

export function renderReport(rows: readonly ReportRow[], meta: { version: string; date: string; durationMs: number }): string {
  const bad = rows.filter((r) => verdictOf(r) === 'disagree' || verdictOf(r) === 'error');
  const seen = rows.filter((r) => r.cmp && knownIds(r.cmp).length > 0);
  const details = rows
    .filter((r) => r.cmp)
    .map((r) => {
      const c = r.cmp!;
      const steps = c.steps.filter((s) => s.kind !== 'command').map((s) => `${fmt(s.atMs)} ms ${s.kind} ${s.target}`).join(', ');
      const cmds = c.steps.filter((s) => s.kind === 'command').length;
      const known = (c.c.known ?? []).filter((k) => knownIds(c).includes(k.id)).map((k) => `\n  - known disagreement ${k.id}: ${k.why}`).join('');
      const split = c.real.outcome.leader !== null ? `; split start (a non-leader also logged +try-failover): real ${splitStart(c.real) ? 'yes' : 'no'}, simulated ${c.sims.filter(splitStart).length}/${c.sims.length} seeds` : '';
      return `- **${r.id}** — faults (ms from the origin): ${steps}${cmds ? `; ${cmds} client commands` : ''}; simulated seeds: 1..${c.seeds}${c.rareSeeds.length ? ` and ${c.rareSeeds.join(', ')} (the first of seeds ${c.seeds + 1}..${c.seeds + RARE_SEARCH_SEEDS} to produce a real sequence or +convert-to-slave count the others did not)` : ''}${split}; noise: ${noiseText(c.noise)}${tightestText(c)}; ${c.problems.length === 0 ? 'agree' : 'DISAGREE:\n' + c.problems.map((p) => '  - ' + p.replace(/\n/g, '\n    ')).join('\n')}${known}`;
    })
    .join('\n');
  return [
    '# Conformance report: real Redis Sentinel vs the simulator',
    '',
    `Written by \`npm run conformance\` (test/conformance/compare.test.ts) on ${meta.date}; real side: ${meta.version}; ` +
      `${rows.length} cases in ${(meta.durationMs / 1000).toFixed(0)} s; ${bad.length === 0 ? 'every case agrees' : `${bad.length} case(s) disagree`}` +
      `${seen.length ? ` (${seen.length} showed a written-up disagreement: ${seen.map((r) => `${r.id} ${knownIds(r.cmp!).join(', ')}`).join('; ')})` : ''}.`,
    '',
    'Each case runs on real `redis-server`/`redis-sentinel` processes on 127.0.0.1 and in the simulator with the same',
    `config texts and ports, over the case's fixed seeds (1..${DEFAULT_SEEDS} unless the case names more; extended only where a`,
    `real Sentinel sequence is missing from all of them, by the first of the next ${RARE_SEARCH_SEEDS} seeds to produce it). Times are ms`,
    'from the fault named in each delay (the latest fault before the event; both sides',
    'replay the same faults at the same offsets from the origin, except that a fault the real drive applied after waiting for',
    "Sentinel events comes in the simulator at the real lag after the simulator's own such events, and later faults move with it).",
    `Agree = every field of the real outcome is produced in at least ${Math.round(OUTCOME_SHARE * 100)} %`,
    "of the seeds (src/conformance/compare.ts, `OUTCOME_SHARE`; the number of `+convert-to-slave`, a race between Sentinels",
    "decided within a round trip, in one of them: `conversionsProblem()`), every real Sentinel's normalized event sequence (per role:",
    'leader / other, or per Sentinel when nobody is elected, where Sentinels no fault targets stand for each other) is one',
    'the simulator produced for that role, and every real',
    'delay lies in the simulated [min, max] widened by an allowance derived from the scheduling noise measured during that',
    `case's real run (src/conformance/noise.ts): a probe sleeping on the Sentinel's 100 ms tick records how late it wakes,`,
    `and once a second times a config rewrite with fsync; late allowance = p${Math.round(NOISE_QUANTILE * 100)} of ${WAKE_HOPS} consecutive wake-ups' summed lateness`,
    `+ p${Math.round(NOISE_QUANTILE * 100)} of ${FLUSH_HOPS} consecutive flushes' summed time (the wake-ups and flushes on the longest compared chain), early allowance the ms`,
    'granularity of log and fault stamps (25 ms). Each case\'s figures are under Details. Events a Sentinel logs at `verbose` level',
    '(`+role-change`, `-role-change`) are left out of the simulated side: the real Sentinels run at the default `loglevel notice`.',
    '`-odown` (D2) is compared by its delay and presence, not by its place among the replica reconfiguration events.',
    '',
    allowanceLine(rows),
    '',
    reportRows(rows),
    '',
    '## Details',
    '',
    details,
    '',
    '## Disagreements found, not fixed in the model (for the owner of src/sentinel)',
    '',
    FINDINGS,
    '',
    '## Disagreements found and fixed in the model',
    '',
    FIXED,
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

/**
 * The written-up disagreements (diagnosis by hand; the cases that show them mark them `known`, so
 * the table still says "disagree" and any other problem still fails the run).
 */
export const FINDINGS = `- **D6 — resolved: it was the case's timing, not Sentinel's.** The real quorum-3 run killed sentinel3 right after the
  healthy-wait, i.e. within a second of the Sentinels discovering each other; a link made less than ping-period earlier
  cannot be re-made before that second is up (sentinelReconnectInstance(): \`now - last_reconn_time < ping_period\`), so
  the reconnection PING, and the SDOWN, came 0.5–1.1 s later (real 2919–3064 ms). Killed that early, the simulator gives
  2964–3077 ms too (test/sentinel/links.test.ts); killed with settled links, real Sentinel gives 2027–2117 ms (8 direct
  runs) and so does the simulator. The case now lets the links settle (3 s) before the first fault.
- **D13 — resolved: the same case timing as D6.** seed002-segfault sent \`DEBUG SEGFAULT\` right after the healthy-wait,
  within a second of the Sentinel's latest connection to node1, so the first reconnection after the crash's EOF (whose
  PING starts \`act_ping_time\`, the down-after clock) waited for that second: real +sdown 3819–3980 ms against
  3082–3467 simulated. Polling SENTINEL MASTER's \`last-ping-sent\` during real crashes (scripts/segfault-link-real.mjs)
  shows it: segfaulted at once, act_ping_time starts ~970 ms after the command; with settled links it starts at the
  reconnection right after the EOF (~190–240 ms) or at a PING already pending in the crash window, and +sdown comes at
  3025–3253 ms. The case now lets the links settle (3 s) before the fault; its real run then gave +sdown at 3469 ms, agree.
- **D4 — resolved: two Sentinels starting a failover in the same epoch (split start).** Real: a non-leader also
  logged \`+try-failover\` and voted for itself in epoch 1 (the winner's hello then resets it) in 22 of 61 real
  kill-master runs on a loaded machine (test/conformance/ODDS.md). The simulator once produced it in 2 % of seeds; since
  a config flush takes time in the model (sentinelFlushConfig() in sentinelVoteLeader() runs before the tick's vote
  requests leave), in 31 %. Until 2026-12-07 a real split start excused every problem of its run; no longer. Replayed
  offline against seeds 1..100 of the simulated drill, all 22 real split starts of ODDS.md agree in outcome, sequences
  and timings; "split start" under Details still counts it, for information.
- **D12 — writes accepted again right after the replicas' SIGCONT** (case min-replicas). Both real runs made when the
  verdicts became fixed (2026-12-06, on a loaded machine) accepted a \`SET\` 52 and 53 ms after the SIGCONT; the runs
  behind D11 gave 363–1344 ms. The simulator gives 301–1151 ms over seeds 1..100 (D11's two once-a-second phases: the
  replica's next replicationCron, then the master's refreshGoodSlavesCount()). A real value near 0 means some path
  counts the replica as good again without waiting for the master's cron (candidates to check in replication.c
  7.0.15: the REPLCONF ACK handler, or the replica's overdue serverCron running replicationCron at once on resume);
  not diagnosed. When a real run lands in the simulated range again the verdict changes to agree and CI says so.
  Checked since in replication.c 7.0.15: the REPLCONF ACK handler only sets \`repl_ack_time\`; the count is refreshed in
  replicationCron() (every 10th serverCron loop), on an accepted PSYNC and when a replica goes online, nowhere else;
  a resumed process runs one overdue serverCron, not the missed loops. Seven direct runs of the case's shape
  (scripts/minreplicas-resume-real.mjs, 2026-12-07, load ~10) gave 353–1505 ms: first ACK 211–616 ms after the
  SIGCONT, the master's count 27–973 ms after it, all inside the simulated range; no run came near 52 ms.
- **D14 — two replicas SIGCONTed together answer a real Sentinel in different ticks** (case min-replicas). In the CI
  run of 2026-12-07 06:3x UTC (load ~2), sentinel2 and sentinel3 logged \`-sdown\` for node2 11 ms after the SIGCONT
  and for node3 53–77 ms later, in the reverse order of their \`+sdown\` lines; sentinel1 logged both in one tick. The
  harness sends the two SIGCONTs back to back, but each real process needs its own wake-up and its own turn to answer
  the PING that waited through the stop, so the two replies can straddle a Sentinel tick (every 50–100 ms). A simulated
  resume wakes every process at the same instant and both replies land in the same tick, in the dict's order: over
  100 seeds the reversal never happens. Modelling a per-process wake-up delay after SIGCONT (measured on real
  processes) would close it; it changes every trace with a resume, so it is left for a model change of its own. Earlier
  real runs of this case (2026-12-06 twice, 2026-12-07 idle run) did not show it.`;

/** Disagreements the real runs forced, fixed in the model since. */
export const FIXED = `- **D10 — a real \`SHUTDOWN\` (also NOSAVE) waits for the replicas** (cases seed001-shutdown, seed004-shutdown). Real master
  log: \`User requested shutdown...\`, \`Waiting for replicas before shutting down.\`, 0.70 s later \`2 of 2 replicas are
  in sync when shutting down.\` and exit. server.c 7.0.15 prepareForShutdown(): unless \`SHUTDOWN NOW\` or
  \`shutdown-timeout 0\`, when isReadyToShutdown() is false (a replica's \`repl_ack_off\` ≠ \`master_repl_offset\`; the
  Sentinels' hellos keep the offset moving) it calls sendGetackToReplicas(), pauses writes and returns; serverCron
  finishes the shutdown once every replica has acknowledged the offset or \`shutdown-timeout\` (10 s) has passed. The
  replica's answer to \`REPLCONF GETACK\` reports the offset before the GETACK itself, so in practice the master exits
  at the replicas' next once-a-second \`REPLCONF ACK\` (+ ≤ 100 ms). Before the fix every real delay from the SHUTDOWN was 0.55–0.8 s later than the simulated range (the simulated
  Redis exited at once). **Fixed in the model** by commit 86737d9 ("Redis: SHUTDOWN on a master waits for its
  replicas"); both SHUTDOWN cases agree since.
- **D11 — writes accepted again after the replicas' SIGCONT: real 0–2 s, simulated at most 1 s** (case
  min-replicas). Real: 981–1001 ms (REAL-MEASUREMENTS.md, 4 samples), 988, 1237, 363 and 1344 ms in this harness's runs. server.c 7.0.15 runs replicationCron() as \`run_with_period(1000)\`, which
  counts serverCron loops (\`cronloops % (1000 / (1000/hz))\`), not time: a SIGSTOPped replica's loops stop, so after
  SIGCONT its overdue serverCron runs at once but its next replicationCron (and REPLCONF ACK) comes only at the next
  10th loop, 0–1 s later; the master counts it good at its own next replicationCron, 0–1 s after that (replication.c
  refreshGoodSlavesCount() runs only there and on a replica's state change). The simulated node ran its
  replication cron on a 1 s timer that fired at once on resume, so the ACK was immediate (simulated range then
  [500, 1001] ms; real 1237 and 363 ms fell outside). **Fixed in the model** by commit b85f9f8 ("Timers that keep
  their time left across SIGSTOP; Redis's once-a-second cron uses one"): simulated [301, 1351] ms over 20 seeds since,
  and the case agrees.`;

/** The committed verdicts, which a fresh run must reproduce. */
export const COMMITTED_VERDICTS = join('test', 'conformance', 'verdicts.json');

/**
 * Where the report goes: CONFORMANCE_REPORT if set; on CI (CI set) .ci-results/conformance/REPORT.md,
 * kept next to the other CI results; else test/conformance/REPORT.md. verdicts.json goes next to it.
 */
export function reportPath(repoRoot: string): string {
  if (process.env.CONFORMANCE_REPORT) return process.env.CONFORMANCE_REPORT;
  if (process.env.CI) return join(repoRoot, '.ci-results', 'conformance', 'REPORT.md');
  return join(repoRoot, 'test', 'conformance', 'REPORT.md');
}

/** The committed verdicts (empty when the file is missing). */
export function readCommittedVerdicts(repoRoot: string): Record<string, string> {
  const p = join(repoRoot, COMMITTED_VERDICTS);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>) : {};
}

const START = '<!-- conformance-table:start -->';
const END = '<!-- conformance-table:end -->';

/** Write the report; off CI also put the table into README.md between the Conformance markers. */
export function writeReport(repoRoot: string, text: string, rows: readonly ReportRow[]): string {
  const path = reportPath(repoRoot);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  // A run of some cases only (CONFORMANCE_CASES) keeps the other cases' verdicts.
  const previous = existsSync(join(dirname(path), 'verdicts.json')) ? (JSON.parse(readFileSync(join(dirname(path), 'verdicts.json'), 'utf8')) as Record<string, string>) : {};
  writeFileSync(join(dirname(path), 'verdicts.json'), JSON.stringify({ ...previous, ...verdicts(rows) }, null, 2) + '\n');
  const readme = join(repoRoot, 'README.md');
  if (!process.env.CI && !process.env.CONFORMANCE_REPORT && existsSync(readme)) {
    const r = readFileSync(readme, 'utf8');
    const i = r.indexOf(START);
    const j = r.indexOf(END);
    if (i >= 0 && j > i) writeFileSync(readme, r.slice(0, i + START.length) + '\n' + reportRows(rows) + '\n' + r.slice(j));
  }
  return path;
}
