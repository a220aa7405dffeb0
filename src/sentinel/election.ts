import type { Ctx } from '../net/process.js';
import { SENTINEL_MAX_DESYNC } from './constants.js';
import { dictRank } from './dictorder.js';
import { sentinelEvent } from './events.js';
import type { Out } from './out.js';
import { F, FS, type Instance, type SentinelState } from './state.js';

/** Epochs, votes and leader election: sentinelVoteLeader(), sentinelGetLeader(), sentinelStartFailoverIfNeeded(). */

/** C's rand() of this process: one stream, shared by the tick frequency and SENTINEL_MAX_DESYNC, as in sentinel.c. */
export function crand(ctx: Ctx): number {
  return ctx.stream('rand').int(0x7fffffff);
}

/** sentinelVoteLeader(). Returns this Sentinel's current vote for the master. */
export function voteLeader(s: SentinelState, ctx: Ctx, out: Out, master: Instance, reqEpoch: number, reqRunid: string, now: number): { leader: string | null; leaderEpoch: number } {
  if (reqEpoch > s.currentEpoch) {
    s.currentEpoch = reqEpoch;
    out.flushConfigNow();
    sentinelEvent(s, ctx, 'warning', '+new-epoch', master, null, String(s.currentEpoch));
  }
  if (master.leaderEpoch < reqEpoch && s.currentEpoch <= reqEpoch) {
    master.leader = reqRunid;
    master.leaderEpoch = s.currentEpoch;
    out.flushConfigNow();
    sentinelEvent(s, ctx, 'warning', '+vote-for-leader', master, null, `${master.leader} ${master.leaderEpoch}`);
    // Voting for someone else holds back our own failover of this master for 2 × failover-timeout.
    if (master.leader.toLowerCase() !== s.myid.toLowerCase()) master.failoverStartTime = now + (crand(ctx) % SENTINEL_MAX_DESYNC);
  }
  return { leader: master.leader, leaderEpoch: master.leaderEpoch };
}

/** sentinelGetLeader(): the winner of `epoch`, or null. */
export function getLeader(s: SentinelState, ctx: Ctx, out: Out, master: Instance, epoch: number, now: number): string | null {
  const voters = master.sentinels.length + 1;
  // The counters dict: runid → votes, iterated in this process's dict order (ties: first seen).
  const counters = new Map<string, number>();
  for (const ri of master.sentinels) {
    if (ri.leader !== null && ri.leaderEpoch === s.currentEpoch) counters.set(ri.leader, (counters.get(ri.leader) ?? 0) + 1);
  }
  let winner: string | null = null;
  let maxVotes = 0;
  const ordered = [...counters.keys()].sort((a, b) => dictRank(s.dictSeed, a) - dictRank(s.dictSeed, b) || (a < b ? -1 : 1));
  for (const k of ordered) {
    const v = counters.get(k)!;
    if (v > maxVotes) {
      maxVotes = v;
      winner = k;
    }
  }
  // Our own vote: for the most voted candidate, or for ourselves if nobody has a vote yet.
  const mine = voteLeader(s, ctx, out, master, epoch, winner ?? s.myid, now);
  if (mine.leader !== null && mine.leaderEpoch === epoch) {
    const v = (counters.get(mine.leader) ?? 0) + 1;
    counters.set(mine.leader, v);
    if (v > maxVotes) {
      maxVotes = v;
      winner = mine.leader;
    }
  }
  const votersQuorum = Math.floor(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < master.quorum)) winner = null;
  return winner;
}

/** sentinelStartFailover(). */
export function startFailover(s: SentinelState, ctx: Ctx, master: Instance, now: number): void {
  master.failoverState = FS.WAIT_START;
  master.flags |= F.FAILOVER_IN_PROGRESS;
  master.failoverEpoch = ++s.currentEpoch;
  sentinelEvent(s, ctx, 'warning', '+new-epoch', master, null, String(s.currentEpoch));
  sentinelEvent(s, ctx, 'warning', '+try-failover', master, null, '%@');
  master.failoverStartTime = now + (crand(ctx) % SENTINEL_MAX_DESYNC);
  master.failoverStateChangeTime = now;
}

/** sentinelStartFailoverIfNeeded(). */
export function startFailoverIfNeeded(s: SentinelState, ctx: Ctx, master: Instance, now: number): boolean {
  if (!(master.flags & F.O_DOWN)) return false;
  if (master.flags & F.FAILOVER_IN_PROGRESS) return false;
  if (now - master.failoverStartTime < master.failoverTimeout * 2) {
    if (master.failoverDelayLogged !== master.failoverStartTime) {
      const clockSec = Math.floor((master.failoverStartTime + master.failoverTimeout * 2) / 1000);
      master.failoverDelayLogged = master.failoverStartTime;
      ctx.log('warning', `Next failover delay: I will not start a failover before ${ctime(clockSec)}`);
    }
    return false;
  }
  startFailover(s, ctx, master, now);
  return true;
}

/** C's ctime() without the newline, in UTC (the simulated hosts have TZ=UTC): `Thu Jan  1 00:00:00 1970`. */
export function ctime(epochSec: number): string {
  // Inside the function (called only for a log line), so StrykerJS's mutants of the names are
  // evaluated per call: module-level constants are read once and their mutants never activate.
  const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const d = new Date(epochSec * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
