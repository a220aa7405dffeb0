import type { Ctx } from '../net/process.js';

/**
 * What one sentinelFlushConfig() costs the Sentinel's single thread: rewriteConfig() writes a
 * temp file, fsync()s it, renames it over sentinel.conf and syncs the directory
 * (rewriteConfigOverwriteFile()), then sentinelFlushConfig() opens, fsync()s and closes
 * sentinel.conf. The whole event loop waits meanwhile, so what the handler queued (hiredis writes
 * its output when the loop next polls) leaves that much later, and serverCron's next run is
 * re-armed from the end of the run (ae.c processTimeEvents()).
 *
 * The duration is a model parameter MEASURED, not fitted: `scripts/flushconfig-cost.sh` runs a
 * real redis-sentinel 7.0.15 with the drill's sentinel.conf under strace -T and times 300
 * flushes, one every 50 ms, from the read of the old file to the "Sentinel new configuration
 * saved on disk" log line, on this project's 2-core machine (ext4, /tmp, the real harness's
 * filesystem). An fsync waits for the disk's journal, so it depends on what else writes: the
 * table pools three such measurements (900 flushes, test/conformance/flushconfig-ms.txt) made
 * while other work shared the machine (load 21-24), as it did during the real runs they are
 * compared with; test/conformance/ODDS.md gives each measurement. Alone on the machine a flush
 * takes 1.1-1.6 ms; under load the median is 14 ms and a few take hundreds.
 */
export const FLUSH_CONFIG_MS_QUANTILES: readonly (readonly [number, number])[] = [
  [0, 1.11], [0.1, 1.44], [0.2, 2.9], [0.3, 5.56], [0.4, 9.96], [0.5, 14.19], [0.6, 18.14],
  [0.7, 21.64], [0.8, 27.21], [0.9, 40.57], [0.95, 69.0], [0.99, 283.87], [1, 643.57],
];

/** A draw from the quantile table, linear between its points (the inverse of the measured CDF). */
export function costFromQuantilesMs(u: number, table: readonly (readonly [number, number])[] = FLUSH_CONFIG_MS_QUANTILES): number {
  const x = Math.min(Math.max(u, 0), 1);
  let i = 1;
  while (i < table.length - 1 && table[i]![0] < x) i++;
  const [q0, v0] = table[i - 1]!;
  const [q1, v1] = table[i]!;
  return v0 + ((v1 - v0) * (x - q0)) / (q1 - q0);
}

/** The cost in µs of `flushes` sentinelFlushConfig() calls, each drawn from this process's own stream. */
export function flushConfigCostUs(ctx: Ctx, flushes: number): number {
  let us = 0;
  for (let i = 0; i < flushes; i++) us += Math.round(costFromQuantilesMs(ctx.stream('flushconfig').next()) * 1000);
  return us;
}
