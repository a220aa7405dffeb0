import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { array, bulk, int, type Resp } from '../../src/net/resp.js';
import { askMasterStateToOtherSentinels, checkObjectivelyDown, checkSubjectivelyDown } from '../../src/sentinel/down.js';
import { getLeader } from '../../src/sentinel/election.js';
import { selectSlaveReport } from '../../src/sentinel/failover/select.js';
import { linkOf } from '../../src/sentinel/instances.js';
import { Out } from '../../src/sentinel/out.js';
import { F, type Instance, type SentinelState } from '../../src/sentinel/state.js';
import { cliBehavior } from '../../src/clients/cli.js';
import { SentinelHarness } from './fakeCtx.js';
import { deploy, threeByThree } from './harness.js';

const S = 1e6;

/**
 * One Sentinel rule per block, each driven right up to its threshold and one millisecond past it,
 * so that deleting the rule, or moving its threshold, fails a test. The Sentinel is booted from
 * config text and its state edited in place; the functions under test are the model's own.
 */

const MYID = 'a'.repeat(40);
const PEER = (i: number) => String(i).repeat(40);
const DOWN_AFTER_MS = 5000;

function harness(opts: { replicas?: number; peers?: number; quorum?: number } = {}): SentinelHarness {
  const replicas = Array.from({ length: opts.replicas ?? 0 }, (_, i) => `sentinel known-replica mymaster 10.0.0.${20 + i} 6379`);
  const peers = Array.from({ length: opts.peers ?? 0 }, (_, i) => `sentinel known-sentinel mymaster 10.0.0.${10 + i} 26379 ${PEER(i + 1)}`);
  return new SentinelHarness(
    [
      `sentinel myid ${MYID}`,
      `sentinel monitor mymaster 10.0.0.5 6379 ${opts.quorum ?? 2}`,
      `sentinel down-after-milliseconds mymaster ${DOWN_AFTER_MS}`,
      ...replicas,
      ...peers,
    ].join('\n'),
  );
}

/** Runs `fn` on a draft of the state, as a handler would, and keeps the result. */
function edit<T>(h: SentinelHarness, fn: (s: SentinelState, m: Instance, out: Out, now: number) => T): T {
  let result: T | undefined;
  h.state = produce(h.state, (d) => {
    const out = new Out(h.ctx);
    result = fn(d as SentinelState, (d as SentinelState).masters[0]!, out, h.ctx.nowMs());
    out.flush();
  });
  return result as T;
}

/** A replica every filter of sentinelSelectSlave() accepts: connected, answering, INFO fresh. */
function healthy(s: SentinelState, sl: Instance, now: number, priority: number): void {
  const link = linkOf(s, sl);
  link.disconnected = false;
  link.actPingTime = 0;
  link.lastAvailTime = now;
  sl.infoRefresh = now;
  sl.slavePriority = priority;
  sl.masterLinkDownTime = 0;
  sl.flags &= ~(F.S_DOWN | F.O_DOWN);
}

describe('sentinelSelectSlave(): each filter alone, on both sides of its threshold', () => {
  // Two replicas: 10.0.0.20 is preferred by priority; 10.0.0.21 is the fallback. Only the preferred
  // one is spoiled, so a filter that stops working shows up as the preferred one being chosen.
  const PREFERRED = '10.0.0.20:6379';
  const FALLBACK = '10.0.0.21:6379';
  function select(spoil: (s: SentinelState, m: Instance, preferred: Instance, now: number) => void) {
    const h = harness({ replicas: 2 });
    return edit(h, (s, m, _out, now) => {
      const preferred = m.slaves.find((x) => x.name === PREFERRED)!;
      const fallback = m.slaves.find((x) => x.name === FALLBACK)!;
      healthy(s, preferred, now, 1);
      healthy(s, fallback, now, 100);
      spoil(s, m, preferred, now);
      const r = selectSlaveReport(s, m, now);
      return { selected: r.selected?.name ?? null, excluded: r.excluded.map((e) => `${e.name} ${e.why}`) };
    });
  }

  it('with nothing spoiled the preferred replica wins (the baseline the cases below depart from)', () => {
    expect(select(() => {})).toEqual({ selected: PREFERRED, excluded: [] });
  });

  it('an SDOWN (or ODOWN) replica is never chosen', () => {
    expect(select((_s, _m, p) => (p.flags |= F.S_DOWN))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} sdown`] });
    expect(select((_s, _m, p) => (p.flags |= F.O_DOWN))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} sdown`] });
  });

  it('last PING reply: 5 × ping-period old is still recent, 1 ms more is too old', () => {
    expect(select((s, _m, p, now) => (linkOf(s, p).lastAvailTime = now - 5000))).toEqual({ selected: PREFERRED, excluded: [] });
    expect(select((s, _m, p, now) => (linkOf(s, p).lastAvailTime = now - 5001))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} last-ok-ping-too-old`] });
  });

  it('INFO age with the master up: 3 × info-period is valid, 1 ms more is too old', () => {
    expect(select((_s, _m, p, now) => (p.infoRefresh = now - 30_000))).toEqual({ selected: PREFERRED, excluded: [] });
    expect(select((_s, _m, p, now) => (p.infoRefresh = now - 30_001))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} info-too-old`] });
  });

  it('INFO age with the master SDOWN (INFO every second): 5 × ping-period is valid, 1 ms more is too old', () => {
    const sdownMaster = (m: Instance, now: number) => {
      m.flags |= F.S_DOWN;
      m.sDownSinceTime = now - 8000;
    };
    expect(select((_s, m, p, now) => (sdownMaster(m, now), (p.infoRefresh = now - 5000)))).toEqual({ selected: PREFERRED, excluded: [] });
    expect(select((_s, m, p, now) => (sdownMaster(m, now), (p.infoRefresh = now - 5001)))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} info-too-old`] });
    // The same 20 s old INFO that is fine while the master is up is too old once it is down.
    expect(select((_s, _m, p, now) => (p.infoRefresh = now - 20_000)).selected).toBe(PREFERRED);
    expect(select((_s, m, p, now) => (sdownMaster(m, now), (p.infoRefresh = now - 20_000))).selected).toBe(FALLBACK);
  });

  it('master link down: 10 × down-after plus the time the master has been SDOWN is the limit', () => {
    const downFor = (m: Instance, now: number) => {
      m.flags |= F.S_DOWN;
      m.sDownSinceTime = now - 3000;
    };
    const limit = DOWN_AFTER_MS * 10 + 3000;
    expect(select((_s, m, p, now) => (downFor(m, now), (p.masterLinkDownTime = limit)))).toEqual({ selected: PREFERRED, excluded: [] });
    expect(select((_s, m, p, now) => (downFor(m, now), (p.masterLinkDownTime = limit + 1)))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} master-link-down-too-long`] });
  });

  it('a disconnected replica and a priority-0 replica are skipped', () => {
    expect(select((s, _m, p) => (linkOf(s, p).disconnected = true))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} disconnected`] });
    expect(select((_s, _m, p) => (p.slavePriority = 0))).toEqual({ selected: FALLBACK, excluded: [`${PREFERRED} priority-zero`] });
  });
});

describe('sentinelGetLeader(): only votes of the current epoch count', () => {
  /** Two of three peers report a vote for peer 1 in `voteEpoch`; we are at epoch 2, electing for epoch 2. */
  function leaderWithPeerVotes(voteEpoch: number): { winner: string | null; myVote: string | null } {
    const h = harness({ peers: 3, quorum: 2 });
    return edit(h, (s, m, out, now) => {
      s.currentEpoch = 2;
      m.flags |= F.S_DOWN | F.O_DOWN | F.FAILOVER_IN_PROGRESS;
      m.failoverEpoch = 2;
      for (const ri of m.sentinels.slice(0, 2)) {
        ri.leader = PEER(1);
        ri.leaderEpoch = voteEpoch;
      }
      const winner = getLeader(s, h.ctx, out, m, 2, now);
      return { winner, myVote: m.leader };
    });
  }

  it('votes of the current epoch elect their candidate, and we vote with the majority', () => {
    expect(leaderWithPeerVotes(2)).toEqual({ winner: PEER(1), myVote: PEER(1) });
  });

  it('the same votes from the previous epoch count for nothing: we vote for ourselves and nobody wins', () => {
    expect(leaderWithPeerVotes(1)).toEqual({ winner: null, myVote: MYID });
  });
});

describe("a peer's MASTER_DOWN reply expires after 5 × ask-period (sentinelAskMasterStateToOtherSentinels)", () => {
  /** Quorum 2: our own SDOWN plus one peer that said "down" `replyAgeMs` ago. */
  function odownWithReplyAge(replyAgeMs: number): { odown: boolean; peerLeader: string | null } {
    const h = harness({ peers: 2, quorum: 2 });
    return edit(h, (s, m, out, now) => {
      m.flags |= F.S_DOWN;
      m.sDownSinceTime = now - 6000;
      const peer = m.sentinels[0]!;
      peer.flags |= F.MASTER_DOWN;
      peer.lastMasterDownReplyTime = now - replyAgeMs;
      peer.leader = PEER(1);
      peer.leaderEpoch = 1;
      askMasterStateToOtherSentinels(s, out, m, false, now);
      checkObjectivelyDown(s, h.ctx, m, now);
      return { odown: (m.flags & F.O_DOWN) !== 0, peerLeader: peer.leader };
    });
  }

  it('a reply 5 s old still counts toward the quorum', () => {
    expect(odownWithReplyAge(5000)).toEqual({ odown: true, peerLeader: PEER(1) });
  });

  it('a reply 5.001 s old no longer counts, and its vote is forgotten with it', () => {
    expect(odownWithReplyAge(5001)).toEqual({ odown: false, peerLeader: null });
  });
});

describe('TILT trigger (sentinelCheckTiltCondition): a tick gap over 2 s', () => {
  function tiltAfterGap(gapMs: number): string[] {
    const h = harness();
    h.tick();
    h.advance(gapMs);
    h.ctx.take();
    h.tick();
    return h.ctx.events().filter((e) => e.startsWith('+tilt'));
  }
  it('a gap of exactly 2000 ms does not tilt', () => expect(tiltAfterGap(2000)).toEqual([]));
  it('a gap of 2001 ms tilts', () => expect(tiltAfterGap(2001)).toEqual(['+tilt #tilt mode entered']));
});

describe('SENTINEL IS-MASTER-DOWN-BY-ADDR: a Sentinel in TILT never answers "down", but still votes', () => {
  function ask(tilt: boolean, runid: string): { reply: Resp; tilt: boolean } {
    const h = harness({ peers: 2 });
    edit(h, (s, m) => {
      m.flags |= F.S_DOWN;
      s.tilt = tilt;
      s.tiltStartTime = h.ctx.nowMs();
    });
    h.net({ k: 'accepted', conn: 900, local: { ip: '10.0.0.1', port: 26379 }, remote: { ip: '10.0.0.10', port: 40000 } });
    h.ctx.take();
    h.net({ k: 'data', conn: 900, msg: array(['SENTINEL', 'is-master-down-by-addr', '10.0.0.5', '6379', '3', runid].map(bulk)) });
    h.settle(); // a vote flushes the config first
    const sent = h.ctx.take().flatMap((e) => (e.k === 'send' && e.conn === 900 ? [e.msg as Resp] : []));
    expect(sent).toHaveLength(1);
    return { reply: sent[0]!, tilt: h.state.tilt };
  }

  it('out of TILT, with the master SDOWN: down, and the vote', () => {
    expect(ask(false, PEER(1))).toEqual({ reply: array([int(1), bulk(PEER(1)), int(3)]), tilt: false });
    expect(ask(false, '*')).toEqual({ reply: array([int(1), bulk('*'), int(0)]), tilt: false });
  });

  it('in TILT, with the same master SDOWN: not down, yet the vote is given (sentinel.c votes in TILT too)', () => {
    expect(ask(true, PEER(1))).toEqual({ reply: array([int(0), bulk(PEER(1)), int(3)]), tilt: true });
    expect(ask(true, '*')).toEqual({ reply: array([int(0), bulk('*'), int(0)]), tilt: true });
  });
});

describe('a master reporting role:slave is SDOWN after down-after + 2 × info-period (sentinelCheckSubjectivelyDown)', () => {
  function sdownAfterSlaveRoleFor(ms: number, role: 'slave' | 'master' = 'slave'): string[] {
    const h = harness();
    edit(h, (s, m, out, now) => {
      const link = linkOf(s, m);
      link.disconnected = false;
      link.actPingTime = 0;
      link.lastAvailTime = now;
      m.roleReported = role;
      m.roleReportedTime = now - ms;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    return h.ctx.events().filter((e) => e.startsWith('+sdown'));
  }
  const LIMIT_MS = DOWN_AFTER_MS + 2 * 10_000;

  it('role:slave for exactly down-after + 20 s: not yet down', () => expect(sdownAfterSlaveRoleFor(LIMIT_MS)).toEqual([]));
  it('role:slave for 1 ms longer: +sdown, though it answers every PING', () =>
    expect(sdownAfterSlaveRoleFor(LIMIT_MS + 1)).toEqual(['+sdown master mymaster 10.0.0.5 6379']));
  it('role:master for just as long: not down', () => expect(sdownAfterSlaveRoleFor(LIMIT_MS + 1, 'master')).toEqual([]));
});

describe('a master that turns itself into a replica (REPLICAOF sent to it by a client)', () => {
  it('is SDOWN down-after + 2 × info-period after the first INFO that says role:slave, not before, then failed over', () => {
    const d = threeByThree({ downAfterMs: 5000, failoverTimeoutMs: 20_000 });
    d.hosts.push({ name: 'h4', ip: '10.0.0.4' }, { name: 'hc', ip: '10.0.9.1' });
    // An unmonitored master elsewhere for r1 to follow: r1 keeps answering PING all along.
    d.nodes.push({ name: 'other', host: 'h4', port: 6379 });
    const r = deploy(d, 5);
    r.world.addProcess('cli', 'hc', cliBehavior([{ id: 1, atMs: 20_000, argv: ['REPLICAOF', '10.0.0.4', '6379'], to: { ip: '10.0.0.1', port: 6379 }, timeoutMs: 1000 }]));
    r.world.runUntil(80 * S);
    for (const p of ['s1', 's2', 's3']) {
      // The first INFO showing role:slave is logged at verbose level as -role-change.
      const seen = r.trace.records.find((x) => x.k === 'event' && x.p === p && x.event === '-role-change' && String(x.text).startsWith('master mymaster 10.0.0.1 6379'));
      expect(seen, p).toBeDefined();
      const seenMs = seen!.t / 1000;
      const sdown = r.events({ p, event: '+sdown' }).filter((e) => e.text === 'master mymaster 10.0.0.1 6379');
      expect(sdown, p).toHaveLength(1);
      expect(sdown[0]!.t - seenMs, p).toBeGreaterThan(25_000);
      expect(sdown[0]!.t - seenMs, p).toBeLessThanOrEqual(25_000 + 100);
    }
    // ... and failed over to one of its own replicas, which every Sentinel names.
    const switches = r.events({ event: '+switch-master' }).map((e) => e.text);
    expect(switches).toHaveLength(3);
    expect(new Set(switches).size).toBe(1);
    expect(switches[0]).toMatch(/^mymaster 10\.0\.0\.1 6379 10\.0\.0\.[23] 6379$/);
  });
});
