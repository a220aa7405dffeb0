import type { Ctx } from '../net/process.js';
import { CRON_PERIOD_MS } from './state.js';

/**
 * Where a Redis node's once-a-second work falls, drawn from the run's seed through the process's own
 * named stream (`<seed>/<pid>#<inc>/cron`), so adding a process or another use of randomness shifts
 * no other stream.
 *
 * Start phase: a real process starts at an arbitrary point of its wall-clock second, and everything
 * Redis counts in whole `server.unixtime` seconds (min-replicas-max-lag, repl-diskless-sync-delay,
 * no_replicas_since, repl-timeout) flips at that phase. The simulator starts processes on whole
 * simulated instants, so the first serverCron (initServer()'s aeCreateTimeEvent(…, 1, serverCron…))
 * is placed at a seeded point in [0, 1000) ms after it. The node accepts connections from its start;
 * a replica's first connectWithMaster() (from replicationCron()) comes at that first tick.
 */
export function startPhaseMs(ctx: Ctx): number {
  return ctx.stream('cron').int(1000);
}

/** serverCron runs at hz 10: ten ae loops per once-a-second replicationCron() (run_with_period(1000)). */
const LOOPS_PER_CRON = 1000 / 100;
/**
 * Time serverCron and the loop's beforeSleep() take per 100 ms loop, in µs (uniform in
 * [MIN, MIN + SPAN)): a few hundred µs on an idle 7.0.15 with a handful of clients.
 */
const RUN_MIN_US = 50;
const RUN_SPAN_US = 300;

/**
 * The monotonic ms until the next once-a-second tick: 1000 ms plus what ten ae loops slip.
 * ae.c processTimeEvents() re-arms serverCron at `now + retval * 1000` with `now` read AFTER the
 * call returns, so each loop's run time is added; and ae_epoll.c aeApiPoll() rounds the wait up to
 * whole ms (`(tv_usec + 999)/1000`), so a loop woken by a client in between sleeps a uniform
 * [0, 1) ms past the timer. Ten loops slip ~7 ms a second on average (real 7.0.15 logs show a
 * diskless BGSAVE starting 18–46 ms after the 5 s delay has passed: 4–9 ms a second).
 */
export function cronPeriodMs(ctx: Ctx): number {
  const rng = ctx.stream('cron');
  let slipUs = 0;
  for (let i = 0; i < LOOPS_PER_CRON; i++) slipUs += rng.int(1000) + RUN_MIN_US + rng.int(RUN_SPAN_US);
  return CRON_PERIOD_MS + slipUs / 1000;
}
