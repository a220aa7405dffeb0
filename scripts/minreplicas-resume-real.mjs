// D12 probe (issue 14): when does a real 7.0.15 master with min-replicas-to-write 1 /
// min-replicas-max-lag 3 accept writes again after its SIGSTOPped replicas get SIGCONT? Polls the
// master's INFO replication every ~5 ms around the SIGCONT (min_slaves_good_slaves and each replica's
// lag, i.e. when its REPLCONF ACK landed) and tries a SET every 50 ms as the conformance case does.
// Prints the changes, ms after the SIGCONT.
// Usage: npm run build && flock /tmp/redis-real.lock node scripts/minreplicas-resume-real.mjs 28200 [stopMs]
import { RealDeployment, sleep } from '../dist/conformance/real.js';
import { topology } from '../dist/conformance/topology.js';

const base = Number(process.argv[2] ?? 28200);
const stopMs = Number(process.argv[3] ?? 6000);
const spec = topology({ base, nodes: 3, sentinels: 3, quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1, nodeExtra: { node1: ['min-replicas-to-write 1', 'min-replicas-max-lag 3'] } });
const d = await RealDeployment.start(spec);
try {
  await d.waitHealthy();
  await sleep(3000);
  d.pause('node2');
  d.pause('node3');
  await sleep(stopMs);
  const t0 = d.resume('node2').timeMs;
  d.resume('node3');
  let prev = '';
  let nextSet = 0;
  while (d.now() - t0 < 2500) {
    const t = d.now() - t0;
    if (t >= nextSet) {
      const r = await d.call('node1', ['SET', 'k', 'after']).catch((e) => e);
      console.log(`${t} SET -> ${r instanceof Error ? r.message.split(' ')[0] : r}`);
      nextSet += 50;
    }
    const i = await d.info('node1');
    const row = `good=${i.min_slaves_good_slaves} ${['slave0', 'slave1'].map((k) => (i[k] ?? '').replace(/.*(port=\d+).*(lag=\d+)/, '$1 $2')).join(' ')}`;
    if (row !== prev) console.log(`${d.now() - t0} ${row}`);
    prev = row;
    await sleep(5);
  }
} finally {
  for (const n of ['node2', 'node3']) try { d.resume(n); } catch { /* running */ }
  await d.stop();
}
