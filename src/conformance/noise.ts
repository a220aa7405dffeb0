/**
 * The scheduling noise of this machine, measured while each real deployment runs, and the timing
 * allowance derived from it.
 *
 * A real delay is the simulated one plus what the simulator does not model: every process on the
 * delay's path must be woken up (a timer or a socket) and every config rewrite waits for fsync.
 * Both depend on the machine's load at that moment, so they are measured during the real run
 * itself by a probe process that does what a Sentinel does: it sleeps on a 100 ms timer (the
 * Sentinel's tick, hz 10) and records how late each wake-up is, and once a second it rewrites a
 * small config file the way sentinelFlushConfig() does (write a temp file, fsync, rename, fsync the
 * folder) and records how long that took.
 *
 * The allowance for a delay is then
 *   p99 of the summed lateness of WAKE_HOPS consecutive wake-ups
 *   + p99 of the summed duration of FLUSH_HOPS consecutive flushes,
 * with the counts taken from the longest compared chain (the leader's +switch-master after a kill,
 * sentinel.c 7.0.15): SDOWN tick → peers answer is-master-down-by-addr → ODOWN tick → vote requests →
 * peers vote (each flushes) → elected tick → SLAVEOF NO ONE → its reply → INFO → +promoted-slave →
 * SLAVEOF to the other replicas → their replies and INFO → +failover-end/+switch-master tick (a flush):
 * 20 wake-ups of some process, 3 flushes on the critical path (the leader's own vote, the peers' votes,
 * the switch). Shorter chains get the same allowance: it is an upper bound, not a fit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WAKE_HOPS = 20;
export const FLUSH_HOPS = 3;
/** The quantile of the measured noise the allowance covers. */
export const NOISE_QUANTILE = 0.99;
/**
 * Never below this: the ms granularity of Sentinel log stamps plus the harness's fault stamp taken
 * just before the syscall (0–2 ms), on both ends of a delay.
 */
export const MIN_LATE_MS = 25;
/** A real event can precede the simulated minimum only by clock granularity (see MIN_LATE_MS). */
export const EARLY_MS = 25;
/**
 * Added at both ends of the simulated [min, max]. The range comes from a finite set of seeds, each
 * drawing the phases of every periodic wait on a delay's path: the Sentinel tick (50–100 ms,
 * sentinelTimer() at hz 10 + rand() % 10), the 1 s PING and INFO periods during a failover, and the
 * Redis cron phase. The sampled range falls short of the real one, and the real runs also spread
 * wider than the model's seeds do (a known fidelity gap: not every real phase is drawn yet).
 * This term is MEASURED, not derived: two conformance runs on this machine when idle (noise terms at
 * their 25 ms floor) put real timings 28–292 ms past the seeds' range (SDOWN after kill -9,
 * DEBUG SEGFAULT's promotion, the SIGSTOP chain of seed 003). It should shrink as the model draws
 * more of the real phases from the seed.
 */
export const TICK_SAMPLING_MS = 350;

export interface NoiseSample {
  /** How late each 100 ms timer wake-up of the probe was (ms). */
  readonly wakeLateMs: readonly number[];
  /** How long each config flush (write, fsync, rename, fsync the folder) took (ms). */
  readonly flushMs: readonly number[];
}

/** The probe's program: one line per measurement, `w <ms>` or `f <ms>`. */
const PROBE = `
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
const P = 100;
let due = performance.now() + P, k = 0;
function flush() {
  const t = performance.now(), tmp = path.join(dir, 'probe.conf.tmp');
  const fd = fs.openSync(tmp, 'w'); fs.writeSync(fd, 'x'.repeat(2000)); fs.fsyncSync(fd); fs.closeSync(fd);
  fs.renameSync(tmp, path.join(dir, 'probe.conf'));
  const d = fs.openSync(dir, 'r'); fs.fsyncSync(d); fs.closeSync(d);
  process.stdout.write('f ' + (performance.now() - t).toFixed(3) + '\\n');
}
function tick() {
  process.stdout.write('w ' + (performance.now() - due).toFixed(3) + '\\n');
  if (++k % 10 === 0) flush();
  due = performance.now() + P;
  setTimeout(tick, P);
}
setTimeout(tick, P);
`;

/** A running probe; stop() ends it and returns what it measured. */
export class NoiseProbe {
  private readonly wake: number[] = [];
  private readonly flush: number[] = [];
  private buf = '';
  private stopped?: Promise<NoiseSample>;
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => this.take(s));
  }

  static start(): NoiseProbe {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-sim-noise-'));
    const child = spawn(process.execPath, ['-e', PROBE, dir], { stdio: ['ignore', 'pipe', 'ignore'] });
    return new NoiseProbe(child, dir);
  }

  private take(s: string): void {
    this.buf += s;
    const lines = this.buf.split('\n');
    this.buf = lines.pop()!;
    for (const l of lines) {
      const v = Number(l.slice(2));
      if (!Number.isFinite(v)) continue;
      if (l.startsWith('w ')) this.wake.push(Math.max(0, v));
      else if (l.startsWith('f ')) this.flush.push(v);
    }
  }

  /** Ends the probe (once; later calls return the same figures). */
  stop(): Promise<NoiseSample> {
    return (this.stopped ??= this.end());
  }

  private async end(): Promise<NoiseSample> {
    if (this.child.exitCode === null) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
    return { wakeLateMs: [...this.wake], flushMs: [...this.flush] };
  }
}

/** The q-quantile (nearest rank) of `xs`; 0 for no samples. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** Sums of every `n` consecutive values (all of them summed when there are fewer). */
export function windowSums(xs: readonly number[], n: number): number[] {
  if (xs.length <= n) return xs.length ? [xs.reduce((a, b) => a + b, 0)] : [];
  const out: number[] = [];
  let sum = xs.slice(0, n).reduce((a, b) => a + b, 0);
  out.push(sum);
  for (let i = n; i < xs.length; i++) {
    sum += xs[i]! - xs[i - n]!;
    out.push(sum);
  }
  return out;
}

export interface NoiseFigures {
  readonly wakeups: number;
  readonly wakeP50Ms: number;
  readonly wakeP99Ms: number;
  readonly wakeMaxMs: number;
  /** p99 of the summed lateness of WAKE_HOPS consecutive wake-ups. */
  readonly chainP99Ms: number;
  readonly flushes: number;
  readonly flushP99Ms: number;
  /** p99 of the summed duration of FLUSH_HOPS consecutive flushes. */
  readonly flushChainP99Ms: number;
  /** The late allowance: chainP99Ms + flushChainP99Ms (at least MIN_LATE_MS) + TICK_SAMPLING_MS, whole ms. */
  readonly lateMs: number;
  readonly earlyMs: number;
}

export function noiseFigures(n: NoiseSample): NoiseFigures {
  const chainP99Ms = quantile(windowSums(n.wakeLateMs, WAKE_HOPS), NOISE_QUANTILE);
  const flushP99Ms = quantile(n.flushMs, NOISE_QUANTILE);
  const flushChainP99Ms = quantile(windowSums(n.flushMs, FLUSH_HOPS), NOISE_QUANTILE);
  return {
    wakeups: n.wakeLateMs.length,
    wakeP50Ms: quantile(n.wakeLateMs, 0.5),
    wakeP99Ms: quantile(n.wakeLateMs, NOISE_QUANTILE),
    wakeMaxMs: quantile(n.wakeLateMs, 1),
    chainP99Ms,
    flushes: n.flushMs.length,
    flushP99Ms,
    flushChainP99Ms,
    lateMs: Math.max(MIN_LATE_MS, Math.ceil(chainP99Ms + flushChainP99Ms)) + TICK_SAMPLING_MS,
    earlyMs: EARLY_MS + TICK_SAMPLING_MS,
  };
}

/** One line for a report: what was measured and the allowance it gives. */
export function noiseText(f: NoiseFigures): string {
  const r = (x: number) => x.toFixed(1);
  return (
    `${f.wakeups} probe wake-ups: late p50 ${r(f.wakeP50Ms)} / p99 ${r(f.wakeP99Ms)} / max ${r(f.wakeMaxMs)} ms, ` +
    `p99 over ${WAKE_HOPS} in a row ${r(f.chainP99Ms)} ms; ${f.flushes} config flushes: p99 ${r(f.flushP99Ms)} ms, ` +
    `p99 over ${FLUSH_HOPS} in a row ${r(f.flushChainP99Ms)} ms ` +
    `→ allowance −${f.earlyMs}/+${f.lateMs} ms`
  );
}
