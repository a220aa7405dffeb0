/**
 * The odds of two election details (issue 14's "odds"), measured the same way on real Redis 7.0.15
 * and in the simulator, on the stock kill-master drill (3 nodes + 3 Sentinels, quorum 2,
 * down-after 2000, failover-timeout 6000, `kill -9` of the master):
 *
 * - split start: two Sentinels start a failover in the same epoch (both log `+new-epoch N` then
 *   `+try-failover`), so the votes split and the failover needs more time or another round;
 * - 3/2: the leader's `+odown` says `#quorum 3/2` (it saw both peers' "down" replies before its
 *   own check, i.e. it was the last of the three to reach SDOWN, or close to it).
 *
 * Usage (after `npm run build`):
 *   flock /tmp/redis-real.lock node dist/conformance/odds.js real --base 27000 --out odds-real.jsonl
 *     one real run, appended as one JSON line (run it N times; ports base..base+52);
 *   node dist/conformance/odds.js sim --seeds 1-200
 *     the same drill in the simulator over those seeds;
 *   node dist/conformance/odds.js summary odds-real.jsonl
 *     the real frequencies of a file of runs.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { SentinelEvent } from './log.js';
import { sleep } from './real.js';
import { runReal, simulate, type ConformanceCase, type Step } from './compare.js';
import { topology } from './topology.js';

/** The drill: kill -9 node1, wait until every Sentinel switched, then a short tail. */
export function oddsCase(base: number): ConformanceCase {
  return {
    id: 'odds-kill-master',
    title: '`kill -9` master (3+3, quorum 2, down-after 2000, failover-timeout 6000)',
    base,
    topology: { nodes: 3, sentinels: 3, quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1 },
    promotedAnyOf: ['node2', 'node3'],
    async drive(d) {
      const kill = await d.kill9('node1');
      await d.waitForEventOnEach('+switch-master', (e) => e.event === '+switch-master', 60_000, { sinceMs: kill.timeMs });
      await sleep(500);
    },
  };
}

/** The simulated side's observation window: the real switch comes 3.2–4.4 s after the kill, or ~17 s after a split vote. */
export const SIM_END_MS = 25_000;

export interface OddsFacts {
  /** Epochs in which two or more Sentinels logged `+try-failover`. */
  readonly splitEpochs: number[];
  /** The `#quorum a/b` of each Sentinel's first `+odown`. */
  readonly odownQuorum: Record<string, string>;
  /** The Sentinel that logged `+elected-leader` first, if any. */
  readonly leader: string | null;
  /** The leader's `#quorum a/b`. */
  readonly leaderQuorum: string | null;
  /** ms from the first `+try-failover` to the last one in the split epoch (0 if none). */
  readonly splitGapMs: number;
}

/** Which epoch each `+try-failover` belongs to: the Sentinel's last `+new-epoch` before it. */
function candidacies(es: readonly SentinelEvent[]): { epoch: number; timeMs: number }[] {
  let epoch = 0;
  const out: { epoch: number; timeMs: number }[] = [];
  for (const e of es) {
    if (e.event === '+new-epoch') epoch = Number(e.text);
    if (e.event === '+try-failover') out.push({ epoch, timeMs: e.timeMs });
  }
  return out;
}

export function oddsFacts(events: Readonly<Record<string, readonly SentinelEvent[]>>): OddsFacts {
  const byEpoch = new Map<number, number[]>();
  for (const es of Object.values(events)) for (const c of candidacies(es)) byEpoch.set(c.epoch, [...(byEpoch.get(c.epoch) ?? []), c.timeMs]);
  const split = [...byEpoch].filter(([, ts]) => ts.length >= 2);
  const odownQuorum: Record<string, string> = {};
  let leader: string | null = null;
  let leaderAt = Infinity;
  for (const [s, es] of Object.entries(events)) {
    const od = es.find((e) => e.event === '+odown');
    const m = od ? /#quorum (\d+\/\d+)/.exec(od.text) : null;
    if (m) odownQuorum[s] = m[1]!;
    const el = es.find((e) => e.event === '+elected-leader');
    if (el && el.timeMs < leaderAt) [leader, leaderAt] = [s, el.timeMs];
  }
  const gap = split.length ? Math.max(...split[0]![1]) - Math.min(...split[0]![1]) : 0;
  return { splitEpochs: split.map(([e]) => e), odownQuorum, leader, leaderQuorum: leader ? (odownQuorum[leader] ?? null) : null, splitGapMs: gap };
}

export interface OddsTally {
  readonly runs: number;
  readonly split: number;
  readonly leader32: number;
  readonly withLeader: number;
}

export function tally(all: readonly OddsFacts[]): OddsTally {
  return {
    runs: all.length,
    split: all.filter((f) => f.splitEpochs.length > 0).length,
    leader32: all.filter((f) => f.leaderQuorum === '3/2').length,
    withLeader: all.filter((f) => f.leader !== null).length,
  };
}

export function tallyText(t: OddsTally): string {
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '-');
  return `runs ${t.runs}; split start ${t.split}/${t.runs} (${pct(t.split, t.runs)}); leader +odown #quorum 3/2 ${t.leader32}/${t.withLeader} (${pct(t.leader32, t.withLeader)})`;
}

/** The simulated drill for one seed: the real steps (kill -9 node1 at 0) on the same ports. */
export function simulateOdds(seed: number, base = 27000): OddsFacts {
  const c = oddsCase(base);
  const steps: Step[] = [{ atMs: 0, kind: 'kill9', target: 'node1' }];
  const obs = simulate(c, topology({ base, ...c.topology }), steps, SIM_END_MS, seed);
  return oddsFacts(obs.events);
}

function parseSeeds(text: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m) throw new Error(`--seeds: expected FROM-TO, got '${text}'`);
  const out: number[] = [];
  for (let s = Number(m[1]); s <= Number(m[2]); s++) out.push(s);
  return out;
}

function flag(args: readonly string[], name: string, dflt: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
}

async function realOnce(base: number, out: string): Promise<void> {
  const load = loadavg()[0]!;
  const r = await runReal(oddsCase(base));
  const f = oddsFacts(r.obs.events);
  appendFileSync(out, JSON.stringify({ base, load1: load, facts: f, events: r.obs.events }) + '\n');
  process.stdout.write(`${JSON.stringify({ base, load1: load, ...f })}\n`);
}

function summary(file: string): void {
  const runs = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { facts: OddsFacts }).facts);
  process.stdout.write(`real: ${tallyText(tally(runs))}\n`);
}

function sim(seeds: readonly number[]): void {
  const all = seeds.map((s) => simulateOdds(s));
  if (process.env.ODDS_VERBOSE) all.forEach((f, i) => process.stderr.write(`seed ${seeds[i]}: ${JSON.stringify(f)}\n`));
  process.stdout.write(`sim seeds ${seeds[0]}-${seeds[seeds.length - 1]}: ${tallyText(tally(all))}\n`);
}

async function main(args: readonly string[]): Promise<void> {
  const [mode] = args;
  if (mode === 'real') return realOnce(Number(flag(args, '--base', '27000')), flag(args, '--out', 'odds-real.jsonl'));
  if (mode === 'sim') return sim(parseSeeds(flag(args, '--seeds', '1-200')));
  if (mode === 'summary' && args[1]) return summary(args[1]);
  process.stderr.write('usage: odds.js real [--base P] [--out F] | sim [--seeds A-B] | summary F\n');
  process.exitCode = 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`odds: ${e.message}\n`);
    process.exitCode = 1;
  });
}
