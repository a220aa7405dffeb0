import { inputError } from '../config/errors.js';
import type { SentinelMasterConfig } from '../config/types.js';
import { processAt, resolveInModel, type FailureDomain, type Model, type ModelProcess } from '../scenario/model.js';

/**
 * What the advisor needs to know about a deployment before running anything: which master the
 * Sentinels watch, where it runs, who replicates from it, the Sentinels and their numbers, and what
 * each failure domain takes down. Pure: read from the parsed model only.
 */
export interface Deployment {
  readonly model: Model;
  /** The master name most Sentinels monitor (ties: the first in model order). */
  readonly masterName: string;
  /** Other master names some Sentinel monitors (not analysed). */
  readonly otherMasters: readonly string[];
  /** The process at the address most Sentinels give for the master, if any. */
  readonly master: ModelProcess | undefined;
  readonly masterAddr: string;
  /** Redis processes other than the master. */
  readonly replicas: readonly ModelProcess[];
  /** Sentinel processes monitoring masterName, in model order. */
  readonly sentinels: readonly ModelProcess[];
  /** Each of those Sentinels' monitor settings for masterName. */
  readonly monitor: ReadonlyMap<string, SentinelMasterConfig>;
  /** The quorum most of them use. */
  readonly quorum: number;
  /** ⌊S/2⌋+1 over the deployed Sentinels. */
  readonly majority: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  /** Domains that hold at least one Redis or Sentinel process, in model order. */
  readonly domains: readonly DomainEffect[];
  /** Domains left out (no process), by name. */
  readonly emptyDomains: readonly string[];
  /** Hosts with at least one process, in model order. */
  readonly processHosts: readonly string[];
}

export interface DomainEffect {
  readonly domain: FailureDomain;
  /** Hosts that go down. */
  readonly hosts: readonly string[];
  /** Processes that crash on their own (not on a downed host). */
  readonly crashes: readonly string[];
  /** Every process that stops, in model order. */
  readonly lost: readonly string[];
}

export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

function mostCommon<T>(xs: readonly T[], key: (x: T) => string): T | undefined {
  const counts = new Map<string, { n: number; first: T }>();
  for (const x of xs) {
    const k = key(x);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { n: 1, first: x });
  }
  let best: { n: number; first: T } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best?.first;
}

/** ip:port as the model resolves a monitor line (names, aliases; localhost means the Sentinel's own host). */
export function monitorAddr(model: Model, s: ModelProcess, mc: { host: string; port: number }): string {
  const fmt = (ip: string) => (ip.includes(':') ? `[${ip}]:${mc.port}` : `${ip}:${mc.port}`);
  const h = resolveInModel(model, mc.host);
  if (h) return fmt(h.ip);
  const lower = mc.host.toLowerCase();
  if (lower === 'localhost' || mc.host === '127.0.0.1' || mc.host === '::1') {
    const own = model.hosts.find((x) => x.name === s.host);
    if (own) return fmt(own.ip);
  }
  return fmt(mc.host);
}

export function analyseDeployment(model: Model): Deployment {
  const allSentinels = model.processes.filter((p) => p.kind === 'sentinel');
  if (allSentinels.length === 0) throw inputError(model.file, undefined, 'no Sentinel process in this model: there is nothing to check (add a sentinel.conf with a "sentinel monitor" line)');
  const names = allSentinels.flatMap((s) => s.sentinel!.masters.map((m) => m.name));
  const masterName = mostCommon(names, (x) => x)!;
  const otherMasters = [...new Set(names.filter((n) => n !== masterName))].sort();
  const sentinels = allSentinels.filter((s) => s.sentinel!.masters.some((m) => m.name === masterName));
  const monitor = new Map<string, SentinelMasterConfig>();
  for (const s of sentinels) monitor.set(s.name, s.sentinel!.masters.find((m) => m.name === masterName)!);
  const addrs = sentinels.map((s) => ({ s, mc: monitor.get(s.name)!, addr: monitorAddr(model, s, monitor.get(s.name)!) }));
  const chosen = mostCommon(addrs, (a) => a.addr)!;
  const master = processAt(model, chosen.mc.host, chosen.mc.port, chosen.s.host);
  const replicas = model.processes.filter((p) => p.kind === 'redis' && p !== master);
  const quorum = mostCommon([...monitor.values()], (m) => String(m.quorum))!.quorum;
  const downAfterMs = Math.max(...[...monitor.values()].map((m) => m.downAfterMs));
  const failoverTimeoutMs = Math.max(...[...monitor.values()].map((m) => m.failoverTimeoutMs));

  const domains: DomainEffect[] = [];
  const emptyDomains: string[] = [];
  for (const d of model.failureDomains) {
    const e = domainEffect(model, d);
    if (e.lost.length === 0) emptyDomains.push(d.name);
    else domains.push(e);
  }
  const processHosts = model.hosts.filter((h) => model.processes.some((p) => p.host === h.name)).map((h) => h.name);
  return {
    model, masterName, otherMasters, master, masterAddr: chosen.addr, replicas, sentinels, monitor, quorum,
    majority: majorityOf(sentinels.length), downAfterMs, failoverTimeoutMs, domains, emptyDomains, processHosts,
  };
}

export function domainEffect(model: Model, d: FailureDomain): DomainEffect {
  return combineEffects(model, d, [d.hosts], [d.processes]);
}

/** The effect of several domains failing together (hosts down, the other named processes crashed). */
export function combineEffects(model: Model, d: FailureDomain, hostLists: readonly (readonly string[])[], procLists: readonly (readonly string[])[]): DomainEffect {
  const hostSet = new Set(hostLists.flat());
  const procSet = new Set(procLists.flat());
  const hosts = model.hosts.filter((h) => hostSet.has(h.name)).map((h) => h.name);
  const crashes = model.processes.filter((p) => procSet.has(p.name) && !hostSet.has(p.host)).map((p) => p.name);
  const lost = model.processes.filter((p) => hostSet.has(p.host) || procSet.has(p.name)).map((p) => p.name);
  return { domain: d, hosts, crashes, lost };
}

/** A stable key of what a fault takes down, to drop duplicate cases. */
export function effectKey(e: Pick<DomainEffect, 'hosts' | 'crashes'>): string {
  return `${e.hosts.join(',')}|${e.crashes.join(',')}`;
}
