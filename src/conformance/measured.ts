/**
 * Timing ranges measured on real Redis Sentinel 7.0.15 (test/conformance/REAL-MEASUREMENTS.md;
 * raw data in test/conformance/real-measurements.json), in ms from the fault named in each entry.
 * Topology: 3 nodes, 3 Sentinels, down-after 2000, failover-timeout 6000, parallel-syncs 1.
 *
 * A real run on a busy machine is checked against [min - ALLOWANCE.earlyMs, max + ALLOWANCE.lateMs]:
 * scheduling delays make events later, never much earlier, so the early side is small.
 */
export interface MeasuredRange {
  readonly min: number;
  readonly max: number;
  /** What the delay is measured from. */
  readonly from: string;
  /** A wider early allowance where the mechanism allows earlier values than the samples showed. */
  readonly earlyMs?: number;
  readonly why?: string;
}

export const ALLOWANCE = { earlyMs: 250, lateMs: 1500 } as const;

export const MEASURED = {
  'kill.sdown': { min: 2030, max: 2123, from: 'kill -9 of the master' },
  'kill.odown.leader': { min: 2137, max: 2197, from: 'kill -9 of the master' },
  'kill.odown.other': { min: 2157, max: 3171, from: 'kill -9 of the master' },
  'kill.switch.other': { min: 3215, max: 3357, from: 'kill -9 of the master' },
  'kill.switch.leader': { min: 4226, max: 4388, from: 'kill -9 of the master' },
  'kill.sdown-old-master-as-slave': { min: 5222, max: 6434, from: 'kill -9 of the master' },
  'restart.convert-to-slave': { min: 10077, max: 10122, from: 'restart of the old master' },
  'restart.minus-sdown': { min: 89, max: 1126, from: 'restart of the old master' },
  'manual.promoted': { min: 1057, max: 1122, from: 'SENTINEL FAILOVER' },
  'manual.switch.other': { min: 1147, max: 1201, from: 'SENTINEL FAILOVER' },
  'manual.switch.leader': { min: 2168, max: 2275, from: 'SENTINEL FAILOVER' },
  'manual.convert-to-slave': { min: 11236, max: 11341, from: 'SENTINEL FAILOVER' },
  'tilt.enter': { min: 0, max: 6, from: 'SIGCONT of the Sentinel' },
  'tilt.duration-5000': { min: 5000, max: 5078, from: '+tilt (tilt-period 5000)' },
  'tilt.duration-30000': { min: 30000, max: 30016, from: '+tilt (tilt-period 30000)' },
  'quorum.sdown-sentinel': {
    min: 2517,
    max: 3064,
    from: 'kill -9 of a Sentinel',
    earlyMs: 600,
    why: 'first unanswered PING is the next periodic one: kill + 0..1000 + down-after (D6)',
  },
  'quorum.sdown-master': { min: 2037, max: 2111, from: 'kill -9 of the master' },
  'minrep.noreplicas-lag3': {
    min: 3347,
    max: 3415,
    from: 'SIGSTOP of both replicas (max-lag 3)',
    earlyMs: 1400,
    why: 'ACK times are whole seconds: the last ACK may be up to 1 s before the SIGSTOP',
  },
  'minrep.noreplicas-lag10': {
    min: 10485,
    max: 10485,
    from: 'SIGSTOP of both replicas (max-lag 10)',
    earlyMs: 1400,
    why: 'ACK times are whole seconds: the last ACK may be up to 1 s before the SIGSTOP',
  },
  'minrep.writable-again': { min: 981, max: 1001, from: 'SIGCONT of both replicas' },
  'minrep.sdown-replica': { min: 2082, max: 3036, from: 'SIGSTOP of the replica' },
  'minrep.minus-sdown-replica': { min: 11, max: 69, from: 'SIGCONT of the replica' },
  'seed002.sdown': { min: 3767, max: 4013, from: 'DEBUG SEGFAULT sent (1 Sentinel, quorum 1, down-after 3000)' },
  'seed002.switch': { min: 4901, max: 5184, from: 'DEBUG SEGFAULT sent (1 Sentinel, quorum 1, down-after 3000)' },
  'seed002.convert-to-slave': { min: 10140, max: 11098, from: 'restart of the old master' },
} as const satisfies Record<string, MeasuredRange>;

export type MeasuredKey = keyof typeof MEASURED;

/** The accepted interval for a real run. */
export function accepted(key: MeasuredKey): [number, number] {
  const r: MeasuredRange = MEASURED[key];
  return [r.min - (r.earlyMs ?? ALLOWANCE.earlyMs), r.max + ALLOWANCE.lateMs];
}

/** undefined if `ms` is within the accepted interval, else a message. */
export function checkTiming(key: MeasuredKey, ms: number, who = ''): string | undefined {
  const [lo, hi] = accepted(key);
  if (ms >= lo && ms <= hi) return undefined;
  return `${key}${who ? ` (${who})` : ''}: ${ms} ms not in [${lo}, ${hi}] (measured ${MEASURED[key].min}–${MEASURED[key].max} from ${MEASURED[key].from})`;
}
