// D13 probe (issue 14): how a real Sentinel times a master that dies by DEBUG SEGFAULT. The seed002
// shape (2 nodes, 1 Sentinel, quorum 1, down-after 3000, Sentinel at loglevel debug); while the
// node crashes, SENTINEL MASTER is polled every ~10 ms for the link's clocks: last-ping-sent
// (now - act_ping_time), last-ok-ping-reply (now - last_avail_time), flags and pending commands.
// Prints the changes (ms after the command), the Sentinel's debug lines and +sdown, and the exit.
// Usage: npm run build && flock /tmp/redis-real.lock node scripts/segfault-link-real.mjs 28100 [waitMs]
import { RealDeployment, sleep } from '../dist/conformance/real.js';
import { topology } from '../dist/conformance/topology.js';

const base = Number(process.argv[2] ?? 28100);
const spec = topology({ base, nodes: 2, sentinels: 1, quorum: 1, downAfterMs: 3000, failoverTimeoutMs: 6000, parallelSyncs: 1, sentinelExtra: ['loglevel debug'] });
const d = await RealDeployment.start(spec);
try {
  await d.waitHealthy();
  // The conformance case segfaults right after the topology is healthy; the probe can wait first.
  await sleep(Number(process.argv[3] ?? 0));
  const t0 = d.now();
  let exitAt = null;
  const crash = d.debugSegfault('node1').then(() => { exitAt = d.now() - t0; });
  let prev = '';
  while (d.now() - t0 < 4500) {
    const m = await d.sentinelMaster('sentinel1');
    const t = d.now() - t0;
    const actAgo = Number(m['last-ping-sent']);
    // Rounded to 10 ms: the two ages are read at slightly different instants.
    const r10 = (x) => Math.round(x / 10) * 10;
    const row = `flags=${m.flags} pending=${m['link-pending-commands']} act_ping_time~${actAgo ? r10(t - actAgo) : 0} last_avail_time~${r10(t - Number(m['last-ok-ping-reply']))}`;
    if (row !== prev) console.log(`${t} ${row}`);
    prev = row;
    await sleep(10);
  }
  await crash;
  console.log(`exit ${exitAt}`);
  for (const e of d.events('sentinel1')) if (e.timeMs >= t0 && /link|sdown|odown/.test(e.event)) console.log(`${e.timeMs - t0} ${e.event} ${e.text}`);
} finally {
  await d.stop();
}
