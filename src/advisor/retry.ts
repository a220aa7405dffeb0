import type { Fault } from './cases.js';
import type { Deployment } from './deployment.js';

/**
 * Whether watching a partition on to the retry (2 × failover-timeout after the first attempt) can
 * still change what the case reports, once its first attempt is over without a switch.
 *
 * It cannot when the side of the partition without the master holds no Redis process:
 * - Only a Sentinel that has the master SDOWN can reach ODOWN and start an attempt
 *   (sentinelCheckObjectivelyDown() counts its own SDOWN first). On the master's side none did by
 *   the end of the first attempt, and nothing else is faulted, so the master keeps answering them.
 * - A Sentinel on the other side reaches no Redis instance at all: it cannot send SLAVEOF NO ONE,
 *   cannot read a promoted replica's INFO (sentinelRefreshInstanceInfo(), where a leader's switch
 *   starts), and cannot publish or receive a hello about a new configuration
 *   (sentinelProcessHelloMessage() hears it only through an instance of the master). So a retry
 *   there ends as the first attempt did, and no +switch-master can come while the partition holds.
 * - Its replicas all stay with the master, so the old master's writes are refused or accepted at
 *   the end of the first window as they would be at the end of the retry window.
 * The first leader and the first selection are what the report shows per seed; once both are known,
 * a retry cannot replace them. What a longer watch would add is only its own bookkeeping: more
 * +try-failover lines (`attempts`) and a longer `watchedMs`.
 */
export interface FirstAttempt {
  readonly leader: string | null;
  /** The first selection's outcome, null when none ran. */
  readonly selected: string | null | undefined;
  /** Sentinels that marked the master SDOWN so far. */
  readonly sdownBy: readonly string[];
}

export function retryCannotSwitch(d: Deployment, fault: Fault, first: FirstAttempt): boolean {
  if (fault.k !== 'partition' || !d.master) return false;
  if (first.leader === null || first.selected === undefined) return false;
  const masterHost = d.master.host;
  const withMaster = new Set(fault.a.includes(masterHost) ? fault.a : fault.b);
  if (!withMaster.has(masterHost)) return false;
  const hostOf = new Map(d.model.processes.map((p) => [p.name, p.host]));
  if (d.model.processes.some((p) => p.kind === 'redis' && !withMaster.has(p.host))) return false;
  return !first.sdownBy.some((s) => withMaster.has(hostOf.get(s) ?? ''));
}
