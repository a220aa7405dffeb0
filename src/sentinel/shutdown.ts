import type { Ctx } from '../net/process.js';
import type { SentinelState } from './state.js';

/**
 * A Sentinel's graceful shutdown: the same server.c code as a Redis node's (sigShutdownHandler(),
 * serverCron()'s shutdown_asap branch, prepareForShutdown(), finishShutdown()), which in Sentinel
 * mode never saves and has no replicas to wait for. Its sockets are closed by exit(): FIN to peers.
 */

/** server.c: sigShutdownHandler(): log and leave the shutdown to the next serverCron (the next tick). */
export function sigShutdownHandler(s: SentinelState, ctx: Ctx, sig: string): void {
  if (sig === 'SIGSEGV') {
    // kill -SEGV (si_code 0, SI_USER): the bug report's duration is not modelled for a Sentinel.
    ctx.log('warning', 'Redis 7.0.15 crashed by signal: 11, si_code: 0');
    ctx.exit(139);
    return;
  }
  if (s.shutdownAsap && sig === 'SIGINT') {
    ctx.log('warning', 'You insist... exiting now.');
    ctx.exit(1);
    return;
  }
  // serverLogFromHandler(): the real line reads `<pid>:signal-handler (<unixtime>) Received ...`.
  ctx.log('warning', sig === 'SIGINT' ? 'Received SIGINT scheduling shutdown...' : sig === 'SIGTERM' ? 'Received SIGTERM scheduling shutdown...' : 'Received shutdown signal, scheduling shutdown...');
  s.shutdownAsap = true;
}

/** server.c: prepareForShutdown() + finishShutdown() in Sentinel mode (SHUTDOWN, or a signal seen by serverCron). */
export function shutdownSentinel(ctx: Ctx): void {
  ctx.log('warning', 'User requested shutdown...');
  ctx.log('warning', 'Sentinel is now ready to exit, bye bye...');
  ctx.exit(0);
}
