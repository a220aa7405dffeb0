import type { SourcePos } from '../config/types.js';
import { processAt, type Model, type ModelProcess } from './model.js';

/**
 * Deployments that run but are probably not what the author meant. A run goes ahead and prints
 * each as a `file:line: warning: ...` line on stderr; `sentinel-sim check` can list them among
 * its flags (call {@link unusualDeployment} on the model it loaded).
 */

export type UnusualKind = 'unknown-address' | 'replicaof-cycle' | 'two-masters' | 'quorum-above-sentinels';

export interface UnusualDeployment {
  readonly kind: UnusualKind;
  /** The config line it comes from. */
  readonly pos: SourcePos;
  readonly text: string;
}

export function formatUnusual(u: UnusualDeployment): string {
  return `${u.pos.file}:${u.pos.line}: warning: ${u.text}`;
}

type ModelView = Pick<Model, 'hosts' | 'processes'>;

/** Every unusual trait of the model, in process order. */
export function unusualDeployment(m: ModelView): UnusualDeployment[] {
  return [...unknownAddresses(m), ...replicaofCycles(m), ...masterDisagreements(m), ...quorumsAboveSentinels(m)];
}

/** replicaof / sentinel monitor pointing at an address no process of the model listens on. */
function unknownAddresses(m: ModelView): UnusualDeployment[] {
  const out: UnusualDeployment[] = [];
  for (const p of m.processes) {
    const r = p.redis?.replicaof;
    if (r && !processAt(m, r.host, r.port, p.host)) {
      out.push({ kind: 'unknown-address', pos: r.pos, text: `${p.name} replicates from ${r.host}:${r.port}, which no process of the model listens on` });
    }
    for (const mc of p.sentinel?.masters ?? []) {
      if (!processAt(m, mc.host, mc.port, p.host)) {
        out.push({ kind: 'unknown-address', pos: mc.pos, text: `${p.name} monitors ${mc.host}:${mc.port}, which no process of the model listens on` });
      }
    }
  }
  return out;
}

function masterOf(m: ModelView, p: ModelProcess): ModelProcess | undefined {
  const r = p.redis?.replicaof;
  return r ? processAt(m, r.host, r.port, p.host) : undefined;
}

/** Redis nodes replicating from each other in a ring: no node of the ring is a master. */
function replicaofCycles(m: ModelView): UnusualDeployment[] {
  const out: UnusualDeployment[] = [];
  const reported = new Set<string>();
  for (const start of m.processes) {
    if (start.kind !== 'redis' || reported.has(start.name)) continue;
    const path: ModelProcess[] = [];
    let p: ModelProcess | undefined = start;
    while (p && !path.includes(p)) {
      path.push(p);
      p = masterOf(m, p);
    }
    if (!p) continue;
    const ring = path.slice(path.indexOf(p));
    if (ring.some((x) => reported.has(x.name))) continue;
    for (const x of ring) reported.add(x.name);
    out.push({ kind: 'replicaof-cycle', pos: p.redis!.replicaof!.pos, text: `replicaof cycle: ${[...ring, p].map((x) => x.name).join(' -> ')} (no node of it is a master)` });
  }
  return out;
}

/**
 * Two masters: Sentinels monitoring one master name at different nodes, or a node with no
 * replicaof that no Sentinel monitors next to one they do.
 */
function masterDisagreements(m: ModelView): UnusualDeployment[] {
  const out: UnusualDeployment[] = [];
  const byName = new Map<string, { proc?: ModelProcess; sentinel: string; pos: SourcePos; addr: string }[]>();
  for (const s of m.processes) {
    for (const mc of s.sentinel?.masters ?? []) {
      const list = byName.get(mc.name) ?? [];
      list.push({ proc: processAt(m, mc.host, mc.port, s.host), sentinel: s.name, pos: mc.pos, addr: `${mc.host}:${mc.port}` });
      byName.set(mc.name, list);
    }
  }
  for (const [name, list] of byName) {
    const first = list[0]!;
    const other = list.find((x) => (x.proc && first.proc ? x.proc !== first.proc : x.addr !== first.addr));
    if (other) {
      out.push({ kind: 'two-masters', pos: other.pos, text: `two masters named ${name}: ${first.sentinel} monitors ${first.proc?.name ?? first.addr}, ${other.sentinel} monitors ${other.proc?.name ?? other.addr}` });
    }
  }
  const monitored = new Set([...byName.values()].flatMap((l) => l.map((x) => x.proc)).filter((p) => p !== undefined));
  if (monitored.size === 0) return out;
  for (const p of m.processes) {
    if (p.kind !== 'redis' || p.redis!.replicaof || monitored.has(p)) continue;
    const watched = [...monitored].map((x) => x.name).join(', ');
    out.push({ kind: 'two-masters', pos: { file: p.configFile, line: 1 }, text: `${p.name} is a master (no replicaof) that no Sentinel monitors, next to ${watched}: two masters` });
  }
  return out;
}

/** A quorum no set of the model's Sentinels can reach: the master can never be objectively down. */
function quorumsAboveSentinels(m: ModelView): UnusualDeployment[] {
  const out: UnusualDeployment[] = [];
  const count = new Map<string, number>();
  for (const s of m.processes) for (const mc of s.sentinel?.masters ?? []) count.set(mc.name, (count.get(mc.name) ?? 0) + 1);
  for (const s of m.processes) {
    for (const mc of s.sentinel?.masters ?? []) {
      const n = count.get(mc.name)!;
      if (mc.quorum > n) {
        out.push({ kind: 'quorum-above-sentinels', pos: mc.pos, text: `${s.name}: quorum ${mc.quorum} for ${mc.name}, but only ${n} Sentinel${n === 1 ? '' : 's'} of the model monitor${n === 1 ? 's' : ''} it: it can never be objectively down (+odown), so no failover` });
      }
    }
  }
  return out;
}
