/** Sentinel 7.0 event types (every sentinelEvent() type in sentinel.c), for checking expectation names before a run. */
export const SENTINEL_EVENTS: readonly string[] = [
  '+monitor', '-monitor', '+reset-master', '+slave', '+sentinel', '+sentinel-address-switch', '+sentinel-invalid-addr',
  '+sentinel-address-update', '+new-epoch', '+config-update-from', '+switch-master', '+reboot', '+role-change',
  '-role-change', '+sdown', '-sdown', '+odown', '-odown', '+try-failover', '+vote-for-leader',
  '-failover-abort-not-elected', '+elected-leader', '+failover-state-select-slave', '-failover-abort-no-good-slave',
  '+selected-slave', '+failover-state-send-slaveof-noone', '+failover-state-wait-promotion',
  '-failover-abort-slave-timeout', '+promoted-slave', '+failover-state-reconf-slaves', '+slave-reconf-sent',
  '-slave-reconf-sent-timeout', '+slave-reconf-inprog', '+slave-reconf-done', '+failover-end-for-timeout',
  '+failover-end', '+slave-reconf-sent-be', '+convert-to-slave', '+fix-slave-config', '+tilt', '-tilt', '+set',
  '-script-error', '-script-timeout', '+script-child', '-script-child', '-cmd-link-reconnection',
  '-pubsub-link-reconnection',
];

/** The closest known event to a misspelt one (edit distance ≤ 3), for "did you mean". */
export function closestEvent(name: string): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const e of SENTINEL_EVENTS) {
    const d = editDistance(name, e);
    if (d < bestD) {
      bestD = d;
      best = e;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
