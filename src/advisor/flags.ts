import { relative } from 'node:path';
import { processAt, resolveInModel, type ModelProcess } from '../scenario/model.js';
import { unusualDeployment } from '../scenario/unusual.js';
import { majorityOf, monitorAddr, type Deployment } from './deployment.js';

/**
 * The classic Sentinel mistakes, read from the configuration files as they are now (sentinelGetLeader():
 * a leader needs max(majority of every Sentinel it knows, quorum) votes). One line each, with why.
 */
export interface Flag {
  readonly id: string;
  readonly message: string;
}

/** A config path as the user would type it: relative to the working directory. */
function shown(file: string): string {
  const r = relative(process.cwd(), file);
  return r === '' || r.startsWith('..') ? file : r;
}

type Add = (id: string, message: string) => void;

const pl = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The distinct quorum values of the monitor lines for the master, ascending. */
function quorumsOf(d: Deployment): number[] {
  return [...new Set([...d.monitor.values()].map((m) => m.quorum))].sort((a, b) => a - b);
}

export function checkFlags(d: Deployment): Flag[] {
  const flags: Flag[] = [];
  const add: Add = (id, message) => flags.push({ id, message });
  quorumFlags(d, add);
  sentinelCountFlags(d, add);
  domainFlags(d, add);
  twoNodeFlags(d, add);
  minReplicasFlags(d, add);
  noPromotableReplicaFlags(d, add);
  announceFlags(d, add);
  divergentMonitorFlags(d, add);
  duplicateMyidFlags(d, add);
  for (const s of d.sentinels) staleKnownSentinelFlags(d, s, add);
  unusualFlags(d, new Set(flags.map((f) => f.id)), add);
  return flags;
}

/** Quorum against the number of Sentinels, per distinct quorum value. */
function quorumFlags(d: Deployment, add: Add): void {
  const S = d.sentinels.length;
  const maj = d.majority;
  const quorums = quorumsOf(d);
  for (const q of quorums) {
    const who = d.sentinels.filter((s) => d.monitor.get(s.name)!.quorum === q).map((s) => s.name);
    const where = quorums.length > 1 ? ` (${who.join(', ')})` : '';
    if (q > S) add('quorum-above-sentinels', `quorum ${q}${where} > ${pl(S, 'Sentinel')} monitoring ${d.masterName}: ODOWN can never be reached, so there is never an automatic failover`);
    else if (q < maj) add('quorum-below-majority', `quorum ${q}${where} < majority ${maj} of ${pl(S, 'Sentinel')}: ${q} ${q === 1 ? 'Sentinel marks' : 'Sentinels mark'} the master ODOWN, but a leader still needs ${maj} votes; the effective quorum is ${maj}`);
  }
}

function sentinelCountFlags(d: Deployment, add: Add): void {
  const S = d.sentinels.length;
  const maj = d.majority;
  if (S === 1) {
    const s = d.sentinels[0]!;
    add('single-sentinel', `only one Sentinel (${s.name} on ${s.host}): a single point of failure; while it (or its host ${s.host}) is down nothing can fail over`);
  } else if (S % 2 === 0) {
    add('even-sentinels', `${S} Sentinels (even): a leader needs ${maj} votes, so ${S - maj === 0 ? 'none' : `only ${S - maj}`} may be lost, no more than with ${pl(S - 1, 'Sentinel')}`);
  }
}

/** Failure domains whose loss leaves too few Sentinels to elect a leader. */
function domainFlags(d: Deployment, add: Add): void {
  const S = d.sentinels.length;
  const need = Math.max(d.majority, Math.min(d.quorum, S));
  for (const e of S === 1 || quorumsOf(d).some((q) => q > S) ? [] : d.domains) {
    const lost = d.sentinels.filter((s) => e.lost.includes(s.name));
    if (lost.length === 0) continue;
    const left = S - lost.length;
    if (left < need) {
      const withMaster = d.master && e.lost.includes(d.master.name) ? ', the master with them' : '';
      add('domain-takes-majority', `losing ${e.domain.kind} ${e.domain.name} takes ${lost.length} of ${pl(S, 'Sentinel')} (${lost.map((s) => s.name).join(', ')})${withMaster}: the ${left} left cannot elect a leader (a leader needs ${pl(need, 'vote')})`);
    }
  }
}

/** Two data nodes, one Sentinel next to each. */
function twoNodeFlags(d: Deployment, add: Add): void {
  const redis = d.model.processes.filter((p) => p.kind === 'redis');
  if (redis.length !== 2 || d.sentinels.length !== 2) return;
  const together = d.sentinels.every((s) => redis.some((r) => r.host === s.host || d.domains.some((e) => e.lost.includes(r.name) && e.lost.includes(s.name))));
  const distinct = new Set(d.sentinels.map((s) => redis.findIndex((r) => r.host === s.host))).size === 2;
  if (together && distinct) {
    add('two-nodes-two-sentinels', `two data nodes with one Sentinel each (${d.sentinels.map((s) => `${s.name} on ${s.host}`).join(', ')}): losing either machine leaves 1 of 2 Sentinels and a majority of 2 is 2, so no failover; put a third Sentinel on a third machine`);
  }
}

/** min-replicas-* set on replicas only. */
function minReplicasFlags(d: Deployment, add: Add): void {
  const minOn = (p: Deployment['replicas'][number]) => p.redis!.minReplicasToWrite > 0 && p.redis!.minReplicasMaxLagSec > 0;
  if (!d.master?.redis || minOn(d.master)) return;
  const reps = d.replicas.filter((r) => r.redis && minOn(r));
  if (reps.length === 0) return;
  const r0 = reps[0]!.redis!;
  add('min-replicas-only-on-replicas', `min-replicas-to-write ${r0.minReplicasToWrite} / min-replicas-max-lag ${r0.minReplicasMaxLagSec} are set on ${reps.map((r) => r.name).join(', ')} but not on the master ${d.master.name}: cut off on a minority side, ${d.master.name} keeps accepting writes that are lost when it is demoted`);
}

/**
 * Every replica has replica-priority 0: sentinelSelectSlave() skips each of them, so a failover
 * ends in -failover-abort-no-good-slave (redis/redis#1796, #7825).
 */
function noPromotableReplicaFlags(d: Deployment, add: Add): void {
  const reps = d.replicas.filter((r) => r.redis);
  if (!d.master || reps.length === 0 || reps.some((r) => r.redis!.replicaPriority !== 0)) return;
  add('no-promotable-replica', `${reps.length === 1 ? `the only replica, ${reps[0]!.name}, has` : `every replica (${reps.map((r) => r.name).join(', ')}) has`} replica-priority 0: Sentinel never promotes such a replica, so losing the master ${d.master.name} ends in -failover-abort-no-good-slave`);
}

/** What an announced address names: undefined (the process itself), another process, or null (nothing of the model). */
function announcedAt(d: Deployment, p: ModelProcess, ip: string, port: number): ModelProcess | null | undefined {
  const at = processAt(d.model, ip, port);
  return at === p ? undefined : at ?? null;
}

/**
 * replica-announce-ip / sentinel announce-ip (and their ports) that are not the process's own
 * address, the NAT and container case (redis/redis#2335): the master lists a replica by the address
 * it announces (REPLCONF ip-address, INFO slaveN:ip=), and a Sentinel's hellos carry its announced
 * address, so the Sentinels look for them there. A replica announced at the master's own address
 * makes the master a "replica" that reports role:master: sentinelRefreshInstanceInfo() sends it
 * SLAVEOF its own address (+convert-to-slave), as real 7.0.15 does.
 */
function announceFlags(d: Deployment, add: Add): void {
  for (const p of d.model.processes) {
    if (p.kind === 'redis' && p.redis && (p.redis.replicaAnnounceIp !== undefined || p.redis.replicaAnnouncePort !== 0)) {
      const ip = p.redis.replicaAnnounceIp ?? hostIp(d, p);
      const port = p.redis.replicaAnnouncePort || p.port;
      const at = announcedAt(d, p, ip, port);
      const head = `${p.name} announces itself as ${ip}:${port} (replica-announce-ip/-port)`;
      if (at === null) add('announced-address', `${head}, where no process of the model listens: its master lists it there and the Sentinels look for it there, so they never reach ${p.name} and cannot promote it`);
      else if (at && at === d.master) add('announced-address', `${head}, the master ${at.name}'s own address: the Sentinels take ${at.name} for that replica and, as it reports role:master, send it SLAVEOF its own address (+convert-to-slave); ${at.name} becomes a replica of itself and refuses every write`);
      else if (at) add('announced-address', `${head}, which is ${at.name}'s address: the Sentinels take ${at.name} for that replica and never reach ${p.name}`);
    }
    if (p.kind === 'sentinel' && p.sentinel && (p.sentinel.announceIp !== undefined || p.sentinel.announcePort !== 0)) {
      const ip = p.sentinel.announceIp ?? hostIp(d, p);
      const port = p.sentinel.announcePort || p.port;
      const at = announcedAt(d, p, ip, port);
      if (at !== undefined) add('announced-address', `${p.name} announces itself as ${ip}:${port} (sentinel announce-ip/-port), ${at ? `which is ${at.name}'s address` : 'where no process of the model listens'}: the other Sentinels add it there, cannot ask it for its vote, yet count it among the voters`);
    }
  }
}

function hostIp(d: Deployment, p: ModelProcess): string {
  return d.model.hosts.find((h) => h.name === p.host)?.ip ?? '';
}

/** Monitor lines that disagree: the address, the set of masters, the quorum. */
function divergentMonitorFlags(d: Deployment, add: Add): void {
  const byAddr = new Map<string, string[]>();
  for (const s of d.sentinels) {
    const a = monitorAddr(d.model, s, d.monitor.get(s.name)!);
    byAddr.set(a, [...(byAddr.get(a) ?? []), s.name]);
  }
  if (byAddr.size > 1) {
    add('divergent-monitor', `the Sentinels monitor ${d.masterName} at different addresses: ${[...byAddr.entries()].map(([a, ss]) => `${ss.join(', ')} at ${a}`).join('; ')}; they will not agree on the master and stay split`);
  }
  const sets = new Map<string, string[]>();
  for (const p of d.model.processes.filter((x) => x.kind === 'sentinel')) {
    const key = p.sentinel!.masters.map((m) => m.name).sort().join(', ');
    sets.set(key, [...(sets.get(key) ?? []), p.name]);
  }
  if (sets.size > 1) {
    add('divergent-monitor', `the Sentinels monitor different masters: ${[...sets.entries()].map(([k, ss]) => `${ss.join(', ')}: ${k}`).join('; ')}; a Sentinel counts only for the masters it monitors`);
  }
  if (quorumsOf(d).length > 1) {
    add('divergent-monitor', `the Sentinels use different quorums for ${d.masterName}: ${d.sentinels.map((s) => `${s.name} ${d.monitor.get(s.name)!.quorum}`).join(', ')}`);
  }
}

function duplicateMyidFlags(d: Deployment, add: Add): void {
  const myids = new Map<string, string[]>();
  for (const s of d.sentinels) {
    const id = s.sentinel!.myid?.toLowerCase();
    if (id && !/^0+$/.test(id)) myids.set(id, [...(myids.get(id) ?? []), s.name]);
  }
  for (const [id, ss] of myids) if (ss.length > 1) add('duplicate-myid', `${ss.join(' and ')} have the same "sentinel myid ${id}": the others see one Sentinel, not ${ss.length}, and votes are confused`);
}

/**
 * A known-sentinel entry at an address where no Sentinel runs counts as a voter until SENTINEL
 * RESET; one at a deployed Sentinel's address with another id is dropped at that Sentinel's first
 * hello (+sentinel-invalid-addr, sentinelProcessHelloMessage()) and counts only until then.
 */
function staleKnownSentinelFlags(d: Deployment, s: Deployment['sentinels'][number], add: Add): void {
  const addrOf = (x: Deployment['sentinels'][number]) => {
    const h = d.model.hosts.find((hh) => hh.name === x.host);
    return { ip: h?.ip ?? '', port: x.sentinel!.announcePort || x.port };
  };
  const own = s.sentinel!.myid?.toLowerCase();
  const entries = d.monitor.get(s.name)!.knownSentinels.filter((k) => k.runid.toLowerCase() !== own);
  const extras: typeof entries = [];
  for (const k of entries) {
    const id = k.runid.toLowerCase();
    if (d.sentinels.some((x) => x.sentinel!.myid?.toLowerCase() === id)) continue;
    const ip = resolveInModel(d.model, k.host)?.ip ?? k.host;
    const at = d.sentinels.find((x) => x !== s && addrOf(x).ip === ip && addrOf(x).port === k.port);
    if (!at) {
      extras.push(k);
      continue;
    }
    const atId = at.sentinel!.myid?.toLowerCase();
    const has = atId !== undefined && !/^0+$/.test(atId);
    add('stale-known-sentinel', `${shown(k.pos.file)}:${k.pos.line}: ${s.name} lists known-sentinel ${k.runid} at ${k.host}:${k.port}, but ${at.name} there ${has ? `has id ${atId}` : 'has no "sentinel myid" and starts with a new id'}: the entry counts as an extra voter until ${at.name}'s first hello replaces it (+sentinel-invalid-addr)`);
  }
  if (extras.length === 0) return;
  const voters = d.sentinels.length + new Set(extras.map((k) => k.runid.toLowerCase())).size;
  const k = extras[0]!;
  const more = extras.length > 1 ? ` (and ${extras.length - 1} more)` : '';
  add('stale-known-sentinel', `${shown(k.pos.file)}:${k.pos.line}: ${s.name} lists known-sentinel ${k.runid} at ${k.host}:${k.port}, where no Sentinel of the model runs${more}: it counts ${voters} voters, so a leader needs ${majorityOf(voters)} votes instead of ${d.majority}, until SENTINEL RESET`);
}

/**
 * What `run` warns about on stderr (an unknown address, a replicaof cycle, two masters), unless a
 * flag above says it already: quorum-above-sentinels, and divergent-monitor for one name
 * monitored at two nodes.
 */
function unusualFlags(d: Deployment, said: ReadonlySet<string>, add: Add): void {
  for (const u of unusualDeployment(d.model)) {
    if (u.kind === 'quorum-above-sentinels' || (said.has('divergent-monitor') && u.text.startsWith('two masters named'))) continue;
    add(u.kind, `${shown(u.pos.file)}:${u.pos.line}: ${u.text}`);
  }
}
