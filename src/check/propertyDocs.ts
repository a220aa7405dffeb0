import type { PropertyName } from './types.js';

/**
 * What each property means, for explore's --help. A file of its own, free of imports, so that
 * `--help` and `--version` load none of the model.
 */
export const PROPERTY_DOCS: Readonly<Record<PropertyName, string>> = {
  'one-leader-per-epoch':
    'at most one Sentinel is elected leader for a master in one epoch (sentinelGetLeader() needs a majority of the votes, and each Sentinel votes once per epoch)',
  'one-vote-per-epoch':
    'a Sentinel votes for at most one leader in one epoch (sentinelVoteLeader() votes only when leader_epoch < req_epoch, and leader-epoch is persisted)',
  'config-epoch-increases':
    'every configuration a leader announces (+switch-master) carries a failover epoch greater than the one announced before it, so the newest configuration wins everywhere',
  converges:
    'once every fault has healed, within a bound derived from down-after and failover-timeout, every Sentinel names the same master, that node says ROLE master, and every other node replicates from it',
  'fails-over':
    'when the master fails while a majority of the Sentinels and a replica that can be promoted stay reachable, +switch-master comes within down-after + 2 × failover-timeout + the election timeout + 30 s (a split vote is retried only 2 × failover-timeout later)',
  'no-lost-writes':
    'no write a client got OK for is missing from the final master (NOT a promise of Sentinel: replication is asynchronous; a violation points at the deployment)',
  'single-writable-master':
    'never two running nodes with role master at once, or none for longer than a window (NOT a promise: an old master cut off from the Sentinels stays writable until it is reconfigured; opt-in)',
};
