import { linkOf } from '../instances.js';
import { F, type Instance, type SentinelState } from '../state.js';

/**
 * sentinelSelectSlave() + compareSlavesForPromotion().
 * Returns the candidate list with, for every replica left out, the filter that excluded it:
 * the question users ask when they see -failover-abort-no-good-slave (USER-QUESTIONS #7825).
 */
export type Exclusion =
  | 'sdown'
  | 'disconnected'
  | 'last-ok-ping-too-old'
  | 'priority-zero'
  | 'info-too-old'
  | 'master-link-down-too-long';

export interface SelectionReport {
  readonly selected: Instance | null;
  readonly candidates: readonly Instance[];
  readonly excluded: readonly { readonly name: string; readonly why: Exclusion; readonly detail: string }[];
}

export function selectSlaveReport(s: SentinelState, master: Instance, now: number): SelectionReport {
  let maxMasterDownTime = 0;
  if (master.flags & F.S_DOWN) maxMasterDownTime += now - master.sDownSinceTime;
  maxMasterDownTime += master.downAfterPeriod * 10;
  // With the master SDOWN we get INFO from replicas every second; otherwise allow three normal periods.
  const infoValidity = master.flags & F.S_DOWN ? s.tun.pingPeriodMs * 5 : s.tun.infoPeriodMs * 3;
  const candidates: Instance[] = [];
  const excluded: { name: string; why: Exclusion; detail: string }[] = [];
  for (const sl of master.slaves) {
    const link = linkOf(s, sl);
    if (sl.flags & (F.S_DOWN | F.O_DOWN)) excluded.push({ name: sl.name, why: 'sdown', detail: 'subjectively down' });
    else if (link.disconnected) excluded.push({ name: sl.name, why: 'disconnected', detail: 'link disconnected' });
    else if (now - link.lastAvailTime > s.tun.pingPeriodMs * 5)
      excluded.push({ name: sl.name, why: 'last-ok-ping-too-old', detail: `last ok PING reply ${now - link.lastAvailTime} ms ago > ${s.tun.pingPeriodMs * 5} ms` });
    else if (sl.slavePriority === 0) excluded.push({ name: sl.name, why: 'priority-zero', detail: 'replica-priority 0' });
    else if (now - sl.infoRefresh > infoValidity)
      excluded.push({ name: sl.name, why: 'info-too-old', detail: `INFO ${now - sl.infoRefresh} ms old > ${infoValidity} ms` });
    else if (sl.masterLinkDownTime > maxMasterDownTime)
      excluded.push({ name: sl.name, why: 'master-link-down-too-long', detail: `master link down ${sl.masterLinkDownTime} ms > ${maxMasterDownTime} ms` });
    else candidates.push(sl);
  }
  const sorted = [...candidates].sort(compareSlavesForPromotion);
  return { selected: sorted[0] ?? null, candidates: sorted, excluded };
}

export function selectSlave(s: SentinelState, master: Instance, now: number): Instance | null {
  return selectSlaveReport(s, master, now).selected;
}

/** compareSlavesForPromotion(): lower priority, then higher offset, then smaller run id (NULL last). */
export function compareSlavesForPromotion(a: Instance, b: Instance): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset > b.slaveReplOffset) return -1;
  if (a.slaveReplOffset < b.slaveReplOffset) return 1;
  if (a.runid === null && b.runid === null) return 0;
  if (a.runid === null) return 1;
  if (b.runid === null) return -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
