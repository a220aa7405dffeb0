/**
 * WAIT from a scenario (`command:` given a list: SET then WAIT on one connection) against real
 * redis-server 7.0.15: the same configs, the same commands, the same replica stopped. The reply
 * must be equal; how long it took must fall within the simulated range over seeds ±ALLOWANCE_MS. Ports 28500..28549 belong to
 * this file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplyRecord } from '../../src/check/expectations.js';
import { HOST, waitFor, withDeployment, type DeploymentSpec, type RealDeployment } from '../../src/conformance/real.js';
import { parseInfo, RespClient } from '../../src/conformance/resp-client.js';
import { topology } from '../../src/conformance/topology.js';
import { loadModel } from '../../src/scenario/model.js';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';

/** Loopback and scheduling noise on a loaded 2-core machine, around the simulated range over seeds. */
const ALLOWANCE_MS = 25;

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

async function replicasOnline(d: RealDeployment): Promise<void> {
  await waitFor('both replicas online', async () => {
    const info = parseInfo(await d.call('node1', ['INFO', 'replication']));
    return [info.slave0, info.slave1].every((s) => s?.includes('state=online'));
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
    await withDeployment(spec, async (d) => {
      for (let k = 0; k < REPEATS; k++) {
        for (const [i, p] of probes.entries()) {
          await replicasOnline(d);
          real[i]!.push(await onReal(d, p));
        }
      }
    });
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
        if (r.elapsedMs < lo - ALLOWANCE_MS || r.elapsedMs > hi + ALLOWANCE_MS) problems.push(`${label}: real ${r.elapsedMs.toFixed(1)} ms outside sim ${lo.toFixed(1)}..${hi.toFixed(1)} ±${ALLOWANCE_MS}`);
      }
    });
    console.log(lines.join('\n'));
    expect(problems, lines.join('\n')).toEqual([]);
    expect(real.map((r) => r[0]!.replies)).toEqual([['OK', 2], ['OK', 1], ['OK', 0]]);
  });
});
