/**
 * WAIT from a scenario (`command:` given a list: SET then WAIT on one connection) against real
 * redis-server 7.0.15: the same configs, the same commands, the same replica stopped. The reply
 * must be equal; how long it took must fall within the simulated range over seeds, widened by the
 * scheduling noise measured while the real processes ran (allowanceMs()). Ports 28500..28549 belong to
 * this file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplyRecord } from '../../src/check/expectations.js';
import { NoiseProbe, quantile, windowSums, type NoiseSample } from '../../src/conformance/noise.js';
import { HOST, waitFor, withDeployment, type DeploymentSpec, type RealDeployment } from '../../src/conformance/real.js';
import { parseInfo, RespClient } from '../../src/conformance/resp-client.js';
import { topology } from '../../src/conformance/topology.js';
import { loadModel } from '../../src/scenario/model.js';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';

/** Loopback and clock granularity, around the simulated range over seeds, when the machine is idle. */
const MIN_ALLOWANCE_MS = 25;

/**
 * The allowance for this run: a WAIT that ends at its timeout is answered from the master's next
 * timer wake-up (blocked clients time out in serverCron's clientsCron()), and read at the test's
 * next one: two wake-ups, each as late as the machine makes it. The p99 of two consecutive
 * lateness figures of the noise probe's 100 ms timer, on top of the idle floor. On a machine
 * loaded by other suites (load ~8 on 2 cores) a real WAIT 1 300 came back at 450 ms, against a
 * simulated 306-396 ms.
 */
function allowanceMs(n: NoiseSample): number {
  return MIN_ALLOWANCE_MS + Math.ceil(quantile(windowSums(n.wakeLateMs, 2), 0.99));
}

interface Probe {
  /** Replicas stopped (SIGSTOP) before the write. */
  readonly stopped: readonly string[];
  readonly argv: readonly (readonly string[])[];
}
interface Outcome {
  readonly replies: unknown[];
  /** From sending the first command to the last reply. */
  readonly elapsedMs: number;
}

async function onReal(d: RealDeployment, p: Probe): Promise<Outcome> {
  for (const r of p.stopped) d.pause(r);
  try {
    const c = await RespClient.connect(d.port('node1'));
    try {
      const t0 = performance.now();
      const replies: unknown[] = [];
      for (const argv of p.argv) replies.push(await c.command(argv, 5000));
      return { replies, elapsedMs: performance.now() - t0 };
    } finally {
      c.close();
    }
  } finally {
    for (const r of p.stopped) d.resume(r);
  }
}

function onSim(spec: DeploymentSpec, p: Probe, seed: number): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-wait-'));
  try {
    for (const n of spec.nodes) writeFileSync(join(dir, `${n.name}.conf`), `${n.config}bind ${HOST}\n`);
    const procs = spec.nodes.map((n) => ({ name: n.name, kind: 'redis', host: 'local', config: `${n.name}.conf` }));
    writeFileSync(join(dir, 'model.yaml'), JSON.stringify({ hosts: [{ name: 'local', ip: HOST }], processes: procs }));
    const model = loadModel(join(dir, 'model.yaml'));
    const timeline = [
      ...p.stopped.map((r) => ({ at: '9s', pause: r })),
      { at: '10s', command: p.argv, to: 'node1', label: 'w' },
    ];
    const sc = parseScenario(JSON.stringify({ model: 'model.yaml', seed, duration: '15s', timeline }), join(dir, 'scenario.yaml'), { model });
    const rep = runScenario(sc).records.find((r): r is ReplyRecord => r.k === 'reply' && (r as ReplyRecord).label === 'w')!;
    return { replies: rep.reply as unknown[], elapsedMs: (rep.t - 10_000_000) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const spec = topology({ base: 28500, nodes: 3, sentinels: 0 });

/**
 * Both replicas online and caught up: each has acknowledged the master's current offset. The
 * simulated probe comes 10 s after start, long after that. INFO's `state=online` alone is not
 * enough: after a diskless sync the master lists a replica online before its first ACK
 * (repl_put_online_on_ack, putSlaveOnline()), and on a loaded machine the first WAIT of two runs
 * out of six then took 809 and 951 ms. Nor is an offset of 0: a replica reads `offset=0` until
 * its first ACK, and so does the master's offset until something is propagated, so `offset=0`
 * matched before either replica had acknowledged anything (CI on 2026-12-07: the first WAIT 2
 * took 799 ms). A write first gives them an offset past 0 to acknowledge.
 */
async function replicasCaughtUp(d: RealDeployment): Promise<void> {
  await d.call('node1', ['SET', 'wait-test-caught-up', '1']);
  await waitFor('both replicas online and acknowledging the master offset', async () => {
    const info = parseInfo(await d.call('node1', ['INFO', 'replication']));
    if (Number(info.master_repl_offset ?? 0) <= 0) return false;
    const offset = `offset=${info.master_repl_offset},`;
    return [info.slave0, info.slave1].every((s) => s?.includes('state=online') && s.includes(offset));
  }, 30_000);
}

const REPEATS = 3;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('WAIT after a write on the same connection: real redis-server 7.0.15 and the simulator', () => {
  it('all up: WAIT 2 answers 2 within a round trip; replicas stopped: WAIT answers the count after its timeout and the loop\'s next wake-up', async () => {
    const probes: Probe[] = [
      { stopped: [], argv: [['SET', 'k', 'v1'], ['WAIT', '2', '1000']] },
      { stopped: ['node3'], argv: [['SET', 'k', 'v2'], ['WAIT', '2', '500']] },
      { stopped: ['node2', 'node3'], argv: [['SET', 'k', 'v3'], ['WAIT', '1', '300']] },
    ];
    const real: Outcome[][] = probes.map(() => []);
    const probe = NoiseProbe.start();
    let noise: NoiseSample;
    try {
      await withDeployment(spec, async (d) => {
        for (let k = 0; k < REPEATS; k++) {
          for (const [i, p] of probes.entries()) {
            await replicasCaughtUp(d);
            real[i]!.push(await onReal(d, p));
          }
        }
      });
    } finally {
      noise = await probe.stop();
    }
    const allowance = allowanceMs(noise);
    const lines: string[] = [];
    const problems: string[] = [];
    probes.forEach((p, i) => {
      const sims = SEEDS.map((seed) => onSim(spec, p, seed));
      const [lo, hi] = [Math.min(...sims.map((x) => x.elapsedMs)), Math.max(...sims.map((x) => x.elapsedMs))];
      const label = `${p.argv.map((a) => a.join(' ')).join('; ')} stopped=[${p.stopped}]`;
      lines.push(`${label}: real ${JSON.stringify(real[i]![0]!.replies)} ${real[i]!.map((r) => r.elapsedMs.toFixed(1)).join(', ')} ms; sim ${JSON.stringify(sims[0]!.replies)} ${lo.toFixed(1)}..${hi.toFixed(1)} ms over seeds ${SEEDS[0]}-${SEEDS.at(-1)}`);
      for (const s of sims) if (JSON.stringify(s.replies) !== JSON.stringify(real[i]![0]!.replies)) problems.push(`${label}: sim replied ${JSON.stringify(s.replies)}`);
      for (const r of real[i]!) {
        if (JSON.stringify(r.replies) !== JSON.stringify(real[i]![0]!.replies)) problems.push(`${label}: real runs disagree`);
        if (r.elapsedMs < lo - allowance || r.elapsedMs > hi + allowance) problems.push(`${label}: real ${r.elapsedMs.toFixed(1)} ms outside sim ${lo.toFixed(1)}..${hi.toFixed(1)} ±${allowance}`);
      }
    });
    lines.push(`allowance ±${allowance} ms (${MIN_ALLOWANCE_MS} + p99 of two consecutive late wake-ups over ${noise.wakeLateMs.length} probe wake-ups)`);
    console.log(lines.join('\n'));
    expect(problems, lines.join('\n')).toEqual([]);
    expect(real.map((r) => r[0]!.replies)).toEqual([['OK', 2], ['OK', 1], ['OK', 0]]);
  });
});
