/**
 * The what-if settings `check` takes, as flags (`--quorum 3`) or variants (`--variant
 * "sentinels=5,quorum=3"`): names, ranges and parsing. Kept free of heavy imports, so the command
 * line can describe them without loading the simulator.
 */
export interface Variant {
  /** As the user wrote it ("sentinels=5,quorum=3"), or "as configured". */
  readonly label: string;
  readonly sentinels?: number;
  readonly quorum?: number;
  readonly downAfterMs?: number;
  readonly failoverTimeoutMs?: number;
  readonly parallelSyncs?: number;
  readonly minReplicasToWrite?: number;
  readonly minReplicasMaxLagSec?: number;
}

type Key = Exclude<keyof Variant, 'label'>;

export const VARIANT_KEYS: Readonly<Record<string, { key: Key; min: number; max: number; ms?: boolean; what: string }>> = {
  sentinels: { key: 'sentinels', min: 1, max: 15, what: 'number of Sentinels monitoring the master' },
  quorum: { key: 'quorum', min: 1, max: 15, what: 'quorum on every monitor line' },
  'down-after': { key: 'downAfterMs', min: 1, max: 3_600_000, ms: true, what: 'sentinel down-after-milliseconds (ms, or a duration: 5s)' },
  'failover-timeout': { key: 'failoverTimeoutMs', min: 1, max: 86_400_000, ms: true, what: 'sentinel failover-timeout (ms, or a duration: 3m)' },
  'parallel-syncs': { key: 'parallelSyncs', min: 1, max: 64, what: 'sentinel parallel-syncs' },
  'min-replicas': { key: 'minReplicasToWrite', min: 0, max: 64, what: 'min-replicas-to-write on every Redis node' },
  'min-replicas-max-lag': { key: 'minReplicasMaxLagSec', min: 0, max: 3600, what: 'min-replicas-max-lag (seconds) on every Redis node' },
};

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A number, or for times milliseconds as Sentinel writes them ("5000") or a duration ("5s", "1m30s"). */
export function parseSetting(name: string, raw: string): number {
  const spec = VARIANT_KEYS[name];
  if (!spec) throw new Error(`unknown setting "${name}" (known: ${Object.keys(VARIANT_KEYS).join(', ')})`);
  let v: number | undefined;
  if (/^\d+$/.test(raw)) v = Number(raw);
  else if (spec.ms && /^(\d+(ms|s|m|h))+$/.test(raw)) {
    v = 0;
    for (const m of raw.matchAll(/(\d+)(ms|s|m|h)/g)) v += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  if (v === undefined || !Number.isSafeInteger(v)) throw new Error(`${name}: "${raw}" is not ${spec.ms ? 'milliseconds or a duration such as 5s' : 'an integer'}`);
  if (v < spec.min || v > spec.max) throw new Error(`${name}: ${v} is out of range (${spec.min}..${spec.max})`);
  return v;
}

/** `sentinels=5,quorum=3` → a Variant labelled as written. */
export function parseVariant(spec: string): Variant {
  const out: Record<string, number | string> = { label: spec.trim() };
  const parts = spec.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (parts.length === 0) throw new Error('a variant needs settings, e.g. "sentinels=5,quorum=3"');
  for (const p of parts) {
    const m = /^([a-z-]+)=(.+)$/.exec(p);
    if (!m) throw new Error(`"${p}" is not name=value (e.g. quorum=3)`);
    const key = VARIANT_KEYS[m[1]!]?.key;
    if (key && out[key] !== undefined) throw new Error(`${m[1]} is given twice in "${spec}"`);
    out[key ?? m[1]!] = parseSetting(m[1]!, m[2]!);
  }
  return out as unknown as Variant;
}

export function isEmptyVariant(v: Variant): boolean {
  return Object.values(VARIANT_KEYS).every((s) => v[s.key] === undefined);
}

/** The flags as given (`{ quorum: 3, downAfter: 5000 }`, commander's camelCase) as the base deployment's variant. */
export function variantOfFlags(flags: Readonly<Record<string, unknown>>): Variant {
  const v: Record<string, unknown> = {};
  const given: string[] = [];
  for (const [name, s] of Object.entries(VARIANT_KEYS)) {
    const val = flags[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (typeof val === 'number') {
      v[s.key] = val;
      given.push(`${name}=${val}`);
    }
  }
  return { ...v, label: given.length === 0 ? 'as configured' : given.join(',') } as Variant;
}

export const WHAT_IF_HELP = `
What-if (no file is edited; each changed file is rewritten and read by the real config reader):
${Object.entries(VARIANT_KEYS).map(([k, s]) => `  --${k.padEnd(21)} ${s.what}`).join('\n')}
  Added Sentinels run on new hosts of their own (one failure domain each), with a copy of the first
  Sentinel's file: the same monitor line and settings, bind moved to the new host, no myid/epochs/
  known-* state. Fewer Sentinels: the last ones in model order are removed.
  --variant "sentinels=5,quorum=3" (repeatable) adds a column per variant next to the deployment,
  e.g. check models/two-node --variant sentinels=3,quorum=2 --variant sentinels=5,quorum=3.
  The exit code is the deployment's (with the --sentinels/--quorum/... flags applied); variants are
  reported, in JSON too, but do not change it.`;
