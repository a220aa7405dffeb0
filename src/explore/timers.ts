import { processAt, type Model, type ModelProcess } from '../scenario/model.js';

/**
 * What the model's Sentinel timers let us promise, in ms. The bounds are worst cases of real
 * Sentinel's own timers (sentinel.c), never tuned to make a run pass:
 * - an election that fails (split votes) is retried only 2 × failover-timeout after the previous
 *   attempt started (sentinelStartFailoverIfNeeded());
 * - a Sentinel that is not elected gives up after SENTINEL_ELECTION_TIMEOUT, at most
 *   failover-timeout (sentinelFailoverWaitStart());
 * - a failover's last step waits at most failover-timeout for replicas (sentinelFailoverDetectEnd());
 * - a node that reports the wrong role is reconfigured after 4 × SENTINEL_PUBLISH_PERIOD, seen
 *   through INFO every 10 s (sentinelRefreshInstanceInfo()).
 */

const SENTINEL_ELECTION_TIMEOUT_MS = 10_000;
const ROLE_FIX_SLACK_MS = 30_000;

export interface ModelTimers {
  /** The monitored master name (the first one, if the Sentinels monitor several). */
  readonly master: string;
  readonly quorum: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  /** After the last heal, how long until everything must agree (converges). */
  readonly settleMs: number;
  /** After the master fails, how long until +switch-master (fails-over). */
  readonly failoverBoundMs: number;
}

export function sentinelsOf(model: Model): ModelProcess[] {
  return model.processes.filter((p) => p.kind === 'sentinel');
}

export function modelTimers(model: Model): ModelTimers | undefined {
  const masters = sentinelsOf(model).flatMap((s) => s.sentinel!.masters);
  if (masters.length === 0) return undefined;
  const name = masters[0]!.name;
  const mine = masters.filter((m) => m.name === name);
  const downAfterMs = Math.max(...mine.map((m) => m.downAfterMs));
  const failoverTimeoutMs = Math.max(...mine.map((m) => m.failoverTimeoutMs));
  const electionMs = Math.min(SENTINEL_ELECTION_TIMEOUT_MS, failoverTimeoutMs);
  return {
    master: name, quorum: Math.max(...mine.map((m) => m.quorum)), downAfterMs, failoverTimeoutMs,
    settleMs: electionMs + failoverTimeoutMs + ROLE_FIX_SLACK_MS,
    failoverBoundMs: downAfterMs + 2 * failoverTimeoutMs + electionMs + ROLE_FIX_SLACK_MS,
  };
}

/** The Redis node the Sentinels are told to monitor at the start (by address), if it is in the model. */
export function initialMaster(model: Model): ModelProcess | undefined {
  const s = sentinelsOf(model)[0];
  const m = s?.sentinel?.masters[0];
  if (!s || !m) return model.processes.find((p) => p.kind === 'redis' && !p.redis!.replicaof);
  return processAt(model, m.host, m.port, s.host);
}
