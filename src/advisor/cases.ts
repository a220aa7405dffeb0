import { combineEffects, effectKey, type Deployment, type DomainEffect } from './deployment.js';

/**
 * The fault cases the advisor runs, generated from the model: every failure domain down, every
 * pair of domains down (duplicates of what a single domain or an earlier pair already takes down
 * are dropped), every Sentinel SIGSTOPped past the TILT trigger and resumed, and every two-sided
 * partition of the hosts that run a process (capped for large models).
 */
export type CaseKind = 'domain' | 'pair' | 'pause' | 'partition';

export interface DownFault {
  readonly k: 'down';
  /** Hosts that go down (processes die, the network goes silent). */
  readonly hosts: readonly string[];
  /** Processes that crash (kill -9: peers see connection resets). */
  readonly crashes: readonly string[];
  /** Every process stopped, in model order. */
  readonly lost: readonly string[];
}

export interface PauseFault {
  readonly k: 'pause';
  readonly process: string;
  readonly forMs: number;
}

export interface PartitionFault {
  readonly k: 'partition';
  /** The side holding the first process host of the model. */
  readonly a: readonly string[];
  readonly b: readonly string[];
}

export type Fault = DownFault | PauseFault | PartitionFault;

export interface Case {
  /** Stable id, e.g. "domain:redis1", "pair:redis1+redis2", "pause:sentinel1", "partition:redis1|redis2,redis3". */
  readonly id: string;
  readonly kind: CaseKind;
  /** What the table's first column says. */
  readonly label: string;
  readonly fault: Fault;
}

export interface CaseSet {
  readonly cases: readonly Case[];
  /** One line each: what was left out and why. */
  readonly notes: readonly string[];
}

export const MAX_PARTITIONS = 31;
export const MAX_PAIRS = 45;

export function generateCases(d: Deployment, opts: { pauseMs: number; maxPartitions?: number; maxPairs?: number }): CaseSet {
  const cases: Case[] = [];
  const notes: string[] = [];
  const seen = new Map<string, string>();
  const down = (e: DomainEffect): DownFault => ({ k: 'down', hosts: e.hosts, crashes: e.crashes, lost: e.lost });
  const what = (e: DomainEffect) => e.lost.join(' ');

  if (d.emptyDomains.length > 0) notes.push(`failure domains with no Redis or Sentinel process, not run: ${d.emptyDomains.join(', ')}`);
  for (const e of d.domains) {
    const key = effectKey(e);
    const dup = seen.get(key);
    if (dup) {
      notes.push(`domain ${e.domain.name} takes down the same processes as ${dup}: not run twice`);
      continue;
    }
    seen.set(key, e.domain.name);
    cases.push({ id: `domain:${e.domain.name}`, kind: 'domain', label: `${e.domain.name} down (${what(e)})`, fault: down(e) });
  }

  let dupPairs = 0;
  let pairs = 0;
  let skippedPairs = 0;
  const pairCap = opts.maxPairs ?? MAX_PAIRS;
  for (let i = 0; i < d.domains.length; i++) {
    for (let j = i + 1; j < d.domains.length; j++) {
      const x = d.domains[i]!;
      const y = d.domains[j]!;
      const e = combineEffects(d.model, { ...x.domain, name: `${x.domain.name}+${y.domain.name}` }, [x.domain.hosts, y.domain.hosts], [x.domain.processes, y.domain.processes]);
      const key = effectKey(e);
      if (seen.has(key)) {
        dupPairs++;
        continue;
      }
      seen.set(key, e.domain.name);
      if (pairs >= pairCap) {
        skippedPairs++;
        continue;
      }
      pairs++;
      cases.push({ id: `pair:${x.domain.name}+${y.domain.name}`, kind: 'pair', label: `${x.domain.name} + ${y.domain.name} down (${what(e)})`, fault: down(e) });
    }
  }
  if (skippedPairs > 0) notes.push(`${pairs + skippedPairs} pairs of failure domains: running the first ${pairs} (in model order), ${skippedPairs} left out`);
  if (dupPairs > 0) notes.push(`${dupPairs} pair${dupPairs === 1 ? '' : 's'} of domains take down no more than a case already run: not run`);

  for (const s of d.sentinels) {
    cases.push({ id: `pause:${s.name}`, kind: 'pause', label: `${s.name} paused ${fmtS(opts.pauseMs)} (SIGSTOP, SIGCONT)`, fault: { k: 'pause', process: s.name, forMs: opts.pauseMs } });
  }

  const hosts = d.processHosts;
  if (hosts.length < 2) {
    notes.push(`every process runs on one host (${hosts.join('') || 'none'}): no partitions to run`);
  } else {
    const parts = bipartitions(hosts);
    const cap = opts.maxPartitions ?? MAX_PARTITIONS;
    if (parts.length > cap) notes.push(`${parts.length} two-sided partitions of ${hosts.length} hosts: running the first ${cap} (smaller side of 1 host first, then 2, ...), ${parts.length - cap} left out`);
    for (const [a, b] of parts.slice(0, cap)) {
      const small = a.length <= b.length ? a : b;
      const large = small === a ? b : a;
      cases.push({ id: `partition:${small.join(',')}|${large.join(',')}`, kind: 'partition', label: `partition ${small.join(' ')} | ${large.join(' ')}`, fault: { k: 'partition', a, b } });
    }
  }
  return { cases, notes };
}

/**
 * Every split of `hosts` into two non-empty sides, each once: ordered by the size of the smaller
 * side, then by the positions of its hosts in the model. Side `a` holds hosts[0].
 */
export function bipartitions(hosts: readonly string[]): [string[], string[]][] {
  const n = hosts.length;
  const out: { a: string[]; b: string[]; small: number[] }[] = [];
  // b ranges over the non-empty subsets of hosts[1..n-1] that leave `a` (which holds hosts[0]) whole.
  for (let mask = 1; mask < 1 << (n - 1); mask++) {
    const b: string[] = [];
    const a: string[] = [hosts[0]!];
    const bi: number[] = [];
    const ai: number[] = [0];
    for (let i = 1; i < n; i++) {
      if (mask & (1 << (i - 1))) {
        b.push(hosts[i]!);
        bi.push(i);
      } else {
        a.push(hosts[i]!);
        ai.push(i);
      }
    }
    out.push({ a, b, small: bi.length < ai.length || (bi.length === ai.length && bi[0]! < ai[0]!) ? bi : ai });
  }
  out.sort((x, y) => x.small.length - y.small.length || cmpIdx(x.small, y.small));
  return out.map((x) => [x.a, x.b]);
}

function cmpIdx(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

export function fmtS(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
