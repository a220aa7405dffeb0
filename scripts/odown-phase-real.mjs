// Does the non-leader always log its own +odown before it takes the new config? A real-Redis probe
// of the phase the advisor's zato case hits (issue 14): "host down" = SIGSTOP of the master and
// of the Sentinel on its host (no RST, no FIN; the replicas don't notice), with the stop timed so
// the Sentinels' 10 s INFO to the replicas lands a chosen lead (ms) before the expected ODOWN.
// One JSON line per run: the leader's replica INFO refresh times around the failover (polled from
// SENTINEL REPLICAS info-refresh), and each Sentinel's +sdown/+odown/+promoted-slave/
// +config-update-from times, ms after the stop.
// Usage: npm run build && flock /tmp/redis-real.lock node scripts/odown-phase-real.mjs 28000 400 [runs]
import { RealDeployment, sleep } from '../dist/conformance/real.js';
import { topology } from '../dist/conformance/topology.js';

const base = Number(process.argv[2] ?? 28000);
const leadMs = Number(process.argv[3] ?? 400);
const runs = Number(process.argv[4] ?? 1);
// kill -9 drill, same settings: SDOWN ~2.06 s and ODOWN ~2.14 s after the fault.
const ODOWN_AFTER_STOP_MS = 2150;

async function infoRefresh(d, s) {
  const reps = await d.sentinelList(s, 'REPLICAS');
  return Math.max(...reps.map((r) => Number(r['info-refresh'])));
}

async function once(run) {
  const spec = topology({ base, nodes: 3, sentinels: 3, quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1 });
  const d = await RealDeployment.start(spec);
  try {
    await d.waitHealthy();
    // The next 10 s INFO to the replicas, as sentinel2 and sentinel3 will send it.
    const ages = [await infoRefresh(d, 'sentinel2'), await infoRefresh(d, 'sentinel3')];
    const next = d.now() + 10_000 - Math.max(...ages);
    let stopAt = next - ODOWN_AFTER_STOP_MS + leadMs;
    while (stopAt < d.now() + 200) stopAt += 10_000;
    await sleep(stopAt - d.now());
    const f1 = d.pause('node1');
    d.pause('sentinel1');
    const t0 = f1.timeMs;
    // Poll when each Sentinel's replica INFO is refreshed (info-refresh drops back near 0).
    const refresh = { sentinel2: [], sentinel3: [] };
    const last = { sentinel2: Infinity, sentinel3: Infinity };
    while (d.now() < t0 + 3500) {
      for (const s of ['sentinel2', 'sentinel3']) {
        const age = await infoRefresh(d, s);
        const at = d.now() - age - t0;
        if (age < last[s]) refresh[s].push(at);
        last[s] = age;
      }
      await sleep(20);
    }
    await d.waitForEventOnEach('+switch-master', (e) => e.event === '+switch-master', 20_000, { sinceMs: t0, sentinels: ['sentinel2', 'sentinel3'] }).catch(() => undefined);
    const ev = d.normalizedEvents().filter((e) => e.timeMs >= t0);
    const at = (s, name) => ev.find((e) => e.process === s && e.event === name)?.timeMs - t0;
    const leader = ['sentinel2', 'sentinel3'].find((s) => at(s, '+elected-leader') >= 0);
    const other = leader === 'sentinel2' ? 'sentinel3' : 'sentinel2';
    const row = {
      run, leadMs, leader,
      leaderInfoRefreshMs: refresh[leader]?.map(Math.round),
      leaderOdown: at(leader, '+odown'), sendNoOne: at(leader, '+failover-state-send-slaveof-noone'), promoted: at(leader, '+promoted-slave'),
      otherSdown: at(other, '+sdown'), otherOdown: at(other, '+odown'), otherConfigUpdate: at(other, '+config-update-from'),
    };
    row.otherOdownFirst = row.otherOdown !== undefined && row.otherOdown <= row.otherConfigUpdate;
    console.log(JSON.stringify(row));
  } finally {
    for (const n of ['node1', 'sentinel1']) try { d.resume(n); } catch { /* not paused */ }
    await d.stop();
  }
}

for (let i = 0; i < runs; i++) await once(i);
