import type { Ctx } from '../net/process.js';
import type { SentinelState } from './state.js';

/**
 * A Sentinel's graceful shutdown: the same server.c code as a Redis node's (sigShutdownHandler(),
 * serverCron()'s shutdown_asap branch, prepareForShutdown(), finishShutdown()), which in Sentinel
 * mode never saves and has no replicas to wait for. Its sockets are closed by exit(): FIN to peers.
 */

/** server.c: sigShutdownHandler(): log and leave the shutdown to the next serverCron (the next tick). */
export function sigShutdownHandler(s: SentinelState, ctx: Ctx, sig: string): void {
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
