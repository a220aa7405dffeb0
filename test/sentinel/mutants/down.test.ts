/**
 * SDOWN, ODOWN and the is-master-down-by-addr exchange (sentinelCheckSubjectivelyDown(),
 * sentinelCheckObjectivelyDown(), sentinelAskMasterStateToOtherSentinels(),
 * sentinelReceiveIsMasterDownReply(), sentinelCommand IS-MASTER-DOWN-BY-ADDR; sentinel.c 7.0.15),
 * each rule on both sides of its threshold: the tests StrykerJS showed missing for
 * src/sentinel/down.ts. One Sentinel, driven directly through the functions.
 */
import { describe, expect, it } from 'vitest';
import { array, bulk, int, type Resp } from '../../../src/net/resp.js';
import { askMasterStateToOtherSentinels, checkObjectivelyDown, checkSubjectivelyDown, isMasterDownByAddr, receiveIsMasterDownReply } from '../../../src/sentinel/down.js';
import { F, FS, type Instance, type Link, type SentinelState } from '../../../src/sentinel/state.js';
import { SentinelHarness } from '../fakeCtx.js';
import { act } from './act.js';

const MYID = 'a'.repeat(40);
const PEER = (i: number) => String(i).repeat(40);
const DOWN_AFTER = 2000;

/** A booted Sentinel whose start-up output (+monitor, config lines) is already taken. */
function harness(quorum = 2, peers = 2, extra: string[] = []): SentinelHarness {
  const h = new SentinelHarness(
    [
      `sentinel myid ${MYID}`,
      `sentinel monitor mymaster 10.0.0.5 6379 ${quorum}`,
      `sentinel down-after-milliseconds mymaster ${DOWN_AFTER}`,
      'sentinel known-replica mymaster 10.0.0.6 6379',
      ...Array.from({ length: peers }, (_, i) => `sentinel known-sentinel mymaster 10.0.1.${i + 1} 26379 ${PEER(i + 1)}`),
      ...extra,
    ].join('\n'),
  );
  h.ctx.take();
  return h;
}


/** A master link that is connected and answered its last PING `ago` ms ago, none pending. */
function healthyLink(l: Link, now: number, ago = 0): void {
  l.disconnected = false;
  l.cc = 101;
  l.pc = 102;
  l.ccConnTime = now - 60_000;
  l.pcConnTime = now - 60_000;
  l.pcLastActivity = now;
  l.actPingTime = 0;
  l.lastAvailTime = now - ago;
  l.lastPongTime = now - ago;
}

const linkOfMaster = (s: SentinelState) => s.links[s.masters[0]!.linkId]!;
const events = (h: SentinelHarness) => h.ctx.events();

describe('SDOWN: no valid reply for more than down-after', () => {
  it('a PING pending for exactly down-after is not SDOWN; 1 ms more is', () => {
    const h = harness();
    act(h, (s, m, out, now) => {
      healthyLink(linkOfMaster(s), now);
      linkOfMaster(s).actPingTime = now - DOWN_AFTER;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    expect(h.state.masters[0]!.flags & F.S_DOWN).toBe(0);
    act(h, (s, m, out, now) => {
      linkOfMaster(s).actPingTime = now - DOWN_AFTER - 1;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    expect(h.state.masters[0]!.flags & F.S_DOWN).toBe(F.S_DOWN);
    expect(h.state.masters[0]!.sDownSinceTime).toBe(h.ctx.nowMs());
    expect(events(h)).toEqual(['+sdown master mymaster 10.0.0.5 6379']);
  });

  it('a disconnected link counts from the last time it was available', () => {
    const h = harness();
    act(h, (s, m, out, now) => {
      const l = linkOfMaster(s);
      healthyLink(l, now);
      l.disconnected = true;
      l.cc = null;
      l.pc = null;
      l.lastAvailTime = now - DOWN_AFTER;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    expect(h.state.masters[0]!.flags & F.S_DOWN).toBe(0);
    act(h, (s, m, out, now) => {
      linkOfMaster(s).lastAvailTime = now - DOWN_AFTER - 1;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    expect(h.state.masters[0]!.flags & F.S_DOWN).toBe(F.S_DOWN);
  });

  it('a connected link with no PING pending is not SDOWN however old its last reply', () => {
    const h = harness();
    act(h, (s, m, out, now) => {
      healthyLink(linkOfMaster(s), now, 60_000);
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    expect(h.state.masters[0]!.flags & F.S_DOWN).toBe(0);
  });

  it('SDOWN ends (-sdown) when a reply comes, and the script-kill flag is cleared with it', () => {
    const h = harness();
    act(h, (s, m, out, now) => {
      healthyLink(linkOfMaster(s), now);
      linkOfMaster(s).actPingTime = now - DOWN_AFTER - 1;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
      m.flags |= F.SCRIPT_KILL_SENT;
    });
    act(h, (s, m, out, now) => {
      linkOfMaster(s).actPingTime = 0;
      checkSubjectivelyDown(s, h.ctx, out, m, null, now);
    });
    expect(h.state.masters[0]!.flags & (F.S_DOWN | F.SCRIPT_KILL_SENT)).toBe(0);
    expect(events(h)).toEqual(['+sdown master mymaster 10.0.0.5 6379', '-sdown master mymaster 10.0.0.5 6379']);
  });

  it('a replica gets its event with the master named', () => {
    const h = harness();
    act(h, (s, m, out, now) => {
      const r = m.slaves[0]!;
      const l = s.links[r.linkId]!;
      healthyLink(l, now);
      l.actPingTime = now - DOWN_AFTER - 1;
      checkSubjectivelyDown(s, h.ctx, out, r, m, now);
    });
    expect(events(h)).toEqual(['+sdown slave 10.0.0.6:6379 10.0.0.6 6379 @ mymaster 10.0.0.5 6379']);
  });

  describe('a master that reports role:slave for longer than down-after + 2 info periods', () => {
    const LIMIT = DOWN_AFTER + 2 * 10_000;
    const check = (ago: number, flags = 0, role: 'master' | 'slave' = 'slave') => {
      const h = harness();
      act(h, (s, m, out, now) => {
        healthyLink(linkOfMaster(s), now);
        m.roleReported = role;
        m.roleReportedTime = now - ago;
        m.flags |= flags;
        checkSubjectivelyDown(s, h.ctx, out, m, null, now);
      });
      return h.state.masters[0]!.flags & F.S_DOWN;
    };
    it('exactly the limit: not SDOWN; 1 ms more: SDOWN', () => {
      expect(check(LIMIT)).toBe(0);
      expect(check(LIMIT + 1)).toBe(F.S_DOWN);
    });
    it('only for role slave, and only for a master', () => {
      expect(check(LIMIT + 1, 0, 'master')).toBe(0);
      const h = harness();
      act(h, (s, m, out, now) => {
        const r = m.slaves[0]!;
        healthyLink(s.links[r.linkId]!, now);
        r.roleReported = 'slave';
        r.roleReportedTime = now - LIMIT - 1;
        checkSubjectivelyDown(s, h.ctx, out, r, m, now);
      });
      expect(h.state.masters[0]!.slaves[0]!.flags & F.S_DOWN).toBe(0);
    });
  });

  describe('a master announced as rebooting (MASTER_REBOOT) for longer than master-reboot-down-after-period', () => {
    const check = (ago: number) => {
      const h = harness(2, 2, ['sentinel master-reboot-down-after-period mymaster 3000']);
      act(h, (s, m, out, now) => {
        healthyLink(linkOfMaster(s), now);
        m.flags |= F.MASTER_REBOOT;
        m.masterRebootSinceTime = now - ago;
        checkSubjectivelyDown(s, h.ctx, out, m, null, now);
      });
      return h.state.masters[0]!.flags & F.S_DOWN;
    };
    it('3000 ms: not yet; 3001 ms: SDOWN', () => {
      expect(check(3000)).toBe(0);
      expect(check(3001)).toBe(F.S_DOWN);
    });
  });
});

describe('stale links are closed (sentinelCheckSubjectivelyDown)', () => {
  const closes = (h: SentinelHarness) => h.ctx.effects.filter((e) => e.k === 'close').map((e) => (e as { conn: number }).conn);

  it('the command link: PING pending and no reply of any kind for more than half down-after', () => {
    const run = (pendingMs: number, pongMs: number, connectedMs = 60_000) => {
      const h = harness();
      act(h, (s, m, out, now) => {
        const l = linkOfMaster(s);
        healthyLink(l, now);
        l.ccConnTime = now - connectedMs;
        l.actPingTime = now - pendingMs;
        l.lastPongTime = now - pongMs;
        checkSubjectivelyDown(s, h.ctx, out, m, null, now);
      });
      return closes(h);
    };
    expect(run(1001, 1001)).toEqual([101]);
    expect(run(1000, 1001)).toEqual([]);
    expect(run(1001, 1000)).toEqual([]);
    // A link younger than the minimum reconnect period (15 s) is left alone.
    expect(run(1001, 1001, 15_000)).toEqual([]);
    expect(run(1001, 1001, 15_001)).toEqual([101]);
  });

  it('the Pub/Sub link: no traffic for more than 3 publish periods (6 s)', () => {
    const run = (idleMs: number, connectedMs = 60_000) => {
      const h = harness();
      act(h, (s, m, out, now) => {
        const l = linkOfMaster(s);
        healthyLink(l, now);
        l.pcConnTime = now - connectedMs;
        l.pcLastActivity = now - idleMs;
        checkSubjectivelyDown(s, h.ctx, out, m, null, now);
      });
      return closes(h);
    };
    expect(run(6000)).toEqual([]);
    expect(run(6001)).toEqual([102]);
    expect(run(6001, 15_000)).toEqual([]);
  });
});

describe('ODOWN: SDOWN here plus enough peers saying down', () => {
  const odown = (quorum: number, peersDown: number, sdown = true) => {
    const h = harness(quorum, 3);
    act(h, (s, m, _out, now) => {
      if (sdown) m.flags |= F.S_DOWN;
      m.sentinels.slice(0, peersDown).forEach((p) => (p.flags |= F.MASTER_DOWN));
      checkObjectivelyDown(s, h.ctx, m, now);
    });
    return { h, on: (h.state.masters[0]!.flags & F.O_DOWN) !== 0 };
  };

  it('quorum 3: two peers plus me is enough, one peer is not', () => {
    const yes = odown(3, 2);
    expect(yes.on).toBe(true);
    expect(events(yes.h)).toEqual(['+odown master mymaster 10.0.0.5 6379 #quorum 3/3']);
    expect(yes.h.state.masters[0]!.oDownSinceTime).toBe(yes.h.ctx.nowMs());
    expect(odown(3, 1).on).toBe(false);
  });

  it('quorum 1: SDOWN alone is ODOWN; without SDOWN no number of peers makes it', () => {
    expect(odown(1, 0).on).toBe(true);
    expect(odown(1, 3, false).on).toBe(false);
  });

  it('ODOWN ends with -odown when the peers stop saying down', () => {
    const { h } = odown(2, 1);
    act(h, (s, m, _out, now) => {
      for (const p of m.sentinels) p.flags &= ~F.MASTER_DOWN;
      checkObjectivelyDown(s, h.ctx, m, now);
    });
    expect(h.state.masters[0]!.flags & F.O_DOWN).toBe(0);
    expect(events(h)).toEqual(['+odown master mymaster 10.0.0.5 6379 #quorum 2/2', '-odown master mymaster 10.0.0.5 6379']);
  });
});

describe('asking the peers (sentinelAskMasterStateToOtherSentinels)', () => {
  const sent = (h: SentinelHarness) => h.ctx.effects.filter((e) => e.k === 'send').map((e) => (e as { msg: Resp }).msg);
  const argv = (r: Resp) => (r.t === 'array' ? r.items!.map((i) => (i.t === 'bulk' ? i.s : '?')) : []);

  function asked(setup: (s: SentinelState, m: Instance, now: number) => void, forced = false): string[][] {
    const h = harness(2, 2);
    act(h, (s, m, out, now) => {
      for (const p of m.sentinels) {
        healthyLink(s.links[p.linkId]!, now);
        p.lastMasterDownReplyTime = now - 5000;
      }
      m.flags |= F.S_DOWN;
      setup(s, m, now);
      askMasterStateToOtherSentinels(s, out, m, forced, now);
    });
    return sent(h).map(argv);
  }

  it('asks every linked peer, with the current epoch and * when no failover is in progress', () => {
    expect(asked(() => {})).toEqual([
      ['SENTINEL', 'is-master-down-by-addr', '10.0.0.5', '6379', '0', '*'],
      ['SENTINEL', 'is-master-down-by-addr', '10.0.0.5', '6379', '0', '*'],
    ]);
  });

  it('with a failover in progress it asks for a vote: its own run id', () => {
    const a = asked((s, m) => {
      s.currentEpoch = 7;
      m.failoverState = FS.WAIT_START;
    });
    expect(a[0]).toEqual(['SENTINEL', 'is-master-down-by-addr', '10.0.0.5', '6379', '7', MYID]);
  });

  it('not while the master is not SDOWN, not on a disconnected link', () => {
    expect(asked((_s, m) => void (m.flags &= ~F.S_DOWN))).toEqual([]);
    expect(asked((s, m) => void (s.links[m.sentinels[0]!.linkId]!.disconnected = true))).toHaveLength(1);
  });

  it('not again within an ask period (1 s) of the last reply, unless forced', () => {
    expect(asked((_s, m, now) => m.sentinels.forEach((p) => (p.lastMasterDownReplyTime = now - 999)))).toEqual([]);
    expect(asked((_s, m, now) => m.sentinels.forEach((p) => (p.lastMasterDownReplyTime = now - 1000)))).toHaveLength(2);
    expect(asked((_s, m, now) => m.sentinels.forEach((p) => (p.lastMasterDownReplyTime = now - 999)), true)).toHaveLength(2);
  });

  it("a peer's down reply and vote expire after 5 ask periods without a new reply", () => {
    const h = harness(2, 2);
    act(h, (s, m, out, now) => {
      const [p1, p2] = m.sentinels as [Instance, Instance];
      for (const p of [p1, p2]) {
        p.flags |= F.MASTER_DOWN;
        p.leader = PEER(9);
        p.leaderEpoch = 1;
      }
      p1.lastMasterDownReplyTime = now - 5000;
      p2.lastMasterDownReplyTime = now - 5001;
      askMasterStateToOtherSentinels(s, out, m, false, now);
    });
    const [p1, p2] = h.state.masters[0]!.sentinels as [Instance, Instance];
    expect([p1.flags & F.MASTER_DOWN, p1.leader]).toEqual([F.MASTER_DOWN, PEER(9)]);
    expect([p2.flags & F.MASTER_DOWN, p2.leader]).toEqual([0, null]);
  });
});

describe("a peer's is-master-down-by-addr reply", () => {
  const reply = (down: number, leader: string, epoch: number) => array([int(down), bulk(leader), int(epoch)]);
  function receive(r: Resp, before?: (p: Instance) => void) {
    const h = harness();
    act(h, (_s, m, _out, now) => {
      const p = m.sentinels[0]!;
      p.lastMasterDownReplyTime = 0;
      before?.(p);
      receiveIsMasterDownReply(h.state, h.ctx, p, r, now);
    });
    return { h, p: h.state.masters[0]!.sentinels[0]! };
  }

  it('down = 1 sets MASTER_DOWN and records the vote with its epoch; a new vote is logged', () => {
    const { h, p } = receive(reply(1, PEER(2), 3));
    expect(p.flags & F.MASTER_DOWN).toBe(F.MASTER_DOWN);
    expect([p.leader, p.leaderEpoch, p.lastMasterDownReplyTime]).toEqual([PEER(2), 3, h.ctx.nowMs()]);
    expect(h.ctx.effects.filter((e) => e.k === 'log').map((e) => (e as { text: string }).text)).toEqual([`${p.name} voted for ${PEER(2)} 3`]);
  });

  it('down = 0 clears MASTER_DOWN; * leaves the vote as it was; the same epoch again is not logged', () => {
    const { h, p } = receive(reply(0, '*', 4), (q) => {
      q.flags |= F.MASTER_DOWN;
      q.leader = PEER(3);
      q.leaderEpoch = 2;
    });
    expect(p.flags & F.MASTER_DOWN).toBe(0);
    expect([p.leader, p.leaderEpoch]).toEqual([PEER(3), 2]);
    expect(h.ctx.effects.filter((e) => e.k === 'log')).toEqual([]);
    const again = receive(reply(1, PEER(3), 2), (q) => {
      q.leader = PEER(1);
      q.leaderEpoch = 2;
    });
    expect(again.p.leader).toBe(PEER(3));
    expect(again.h.ctx.effects.filter((e) => e.k === 'log')).toEqual([]);
  });

  it('a malformed reply changes nothing, not even the reply time', () => {
    for (const bad of [array([int(1), bulk(PEER(2))]), array([bulk('1'), bulk(PEER(2)), int(1)]), array([int(1), int(2), int(1)]), array([int(1), bulk(PEER(2)), bulk('1')]), bulk('x'), array([int(1), bulk(null), int(1)])]) {
      const { p } = receive(bad);
      expect([p.flags & F.MASTER_DOWN, p.leader, p.lastMasterDownReplyTime]).toEqual([0, null, 0]);
    }
  });
});

describe('answering is-master-down-by-addr', () => {
  const ask = (setup: (s: SentinelState, m: Instance) => void, ip = '10.0.0.5', port = 6379, runid = '*', epoch = 0) => {
    const h = harness();
    const r = act(h, (s, m, out, now) => {
      setup(s, m);
      return isMasterDownByAddr(s, h.ctx, out, ip, port, epoch, runid, now);
    });
    return { h, r };
  };

  it('1 only for a master it holds SDOWN, by address and port', () => {
    expect(ask((_s, m) => void (m.flags |= F.S_DOWN)).r).toEqual({ isdown: 1, leader: null, leaderEpoch: 0 });
    expect(ask(() => {}).r.isdown).toBe(0);
    expect(ask((_s, m) => void (m.flags |= F.S_DOWN), '10.0.0.5', 6380).r.isdown).toBe(0);
    expect(ask((_s, m) => void (m.flags |= F.S_DOWN), '10.0.0.9').r.isdown).toBe(0);
  });

  it('a Sentinel in TILT answers 0 even for an SDOWN master', () => {
    expect(
      ask((s, m) => {
        m.flags |= F.S_DOWN;
        s.tilt = true;
      }).r.isdown,
    ).toBe(0);
  });

  it('with a run id it votes (and returns the vote); with * it does not', () => {
    const { h, r } = ask((_s, m) => void (m.flags |= F.S_DOWN), '10.0.0.5', 6379, PEER(2), 1);
    expect(r).toEqual({ isdown: 1, leader: PEER(2), leaderEpoch: 1 });
    expect(events(h)).toEqual(['+new-epoch 1', `+vote-for-leader ${PEER(2)} 1`]);
    const star = ask((_s, m) => void (m.flags |= F.S_DOWN), '10.0.0.5', 6379, '*', 1);
    expect(star.r.leader).toBeNull();
    expect(events(star.h)).toEqual([]);
  });
});
