/**
 * sentinelSelectSlave() and compareSlavesForPromotion() (sentinel.c 7.0.15), one filter at a time
 * and on both sides of each threshold: the tests StrykerJS showed missing for
 * src/sentinel/failover/select.ts. Every replica starts healthy (linked, answered a PING and sent
 * INFO just now, priority 100, master link up); each test spoils one thing.
 */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { compareSlavesForPromotion, selectSlaveReport, type SelectionReport } from '../../../src/sentinel/failover/select.js';
import { F, type Instance, type SentinelState } from '../../../src/sentinel/state.js';
import { SentinelHarness } from '../fakeCtx.js';

const DOWN_AFTER = 2000;
const conf = [
  `sentinel myid ${'a'.repeat(40)}`,
  'sentinel monitor mymaster 10.0.0.5 6379 2',
  `sentinel down-after-milliseconds mymaster ${DOWN_AFTER}`,
  'sentinel known-replica mymaster 10.0.0.6 6379',
  'sentinel known-replica mymaster 10.0.0.7 6379',
].join('\n');

type Spoil = (s: SentinelState, master: Instance, replica: Instance, now: number) => void;

/** Selection with both replicas healthy except what `spoil` does to the first (10.0.0.6). */
function select(spoil: Spoil, opts: { masterSdownForMs?: number } = {}): SelectionReport {
  const h = new SentinelHarness(conf);
  const now = h.ctx.nowMs();
  let report: SelectionReport | undefined;
  produce(h.state, (d) => {
    const s = d as SentinelState;
    const m = s.masters[0]!;
    if (opts.masterSdownForMs !== undefined) {
      m.flags |= F.S_DOWN;
      m.sDownSinceTime = now - opts.masterSdownForMs;
    }
    for (const sl of m.slaves) {
      const link = s.links[sl.linkId]!;
      link.disconnected = false;
      link.lastAvailTime = now;
      sl.infoRefresh = now;
      sl.slavePriority = 100;
      sl.masterLinkDownTime = 0;
      sl.runid = sl.name.endsWith('.6:6379') ? 'b'.repeat(40) : 'c'.repeat(40);
    }
    const first = m.slaves.find((x) => x.name === '10.0.0.6:6379')!;
    spoil(s, m, first, now);
    report = JSON.parse(JSON.stringify(selectSlaveReport(s, m, now))) as SelectionReport;
  });
  return report!;
}

const names = (r: SelectionReport) => r.candidates.map((c) => c.name);

describe('a healthy pair: both are candidates, the smaller run id first', () => {
  it('selects 10.0.0.6 (run id bbb… < ccc…)', () => {
    const r = select(() => {});
    expect(names(r)).toEqual(['10.0.0.6:6379', '10.0.0.7:6379']);
    expect(r.selected?.name).toBe('10.0.0.6:6379');
    expect(r.excluded).toEqual([]);
  });
});

describe('each filter alone excludes the replica, with its reason', () => {
  const cases: [string, Spoil, { why: string; detail: string }][] = [
    ['SDOWN', (_s, _m, r) => void (r.flags |= F.S_DOWN), { why: 'sdown', detail: 'subjectively down' }],
    ['ODOWN flag', (_s, _m, r) => void (r.flags |= F.O_DOWN), { why: 'sdown', detail: 'subjectively down' }],
    ['link disconnected', (s, _m, r) => void (s.links[r.linkId]!.disconnected = true), { why: 'disconnected', detail: 'link disconnected' }],
    ['last ok PING 5001 ms ago', (s, _m, r, now) => void (s.links[r.linkId]!.lastAvailTime = now - 5001), { why: 'last-ok-ping-too-old', detail: 'last ok PING reply 5001 ms ago > 5000 ms' }],
    ['replica-priority 0', (_s, _m, r) => void (r.slavePriority = 0), { why: 'priority-zero', detail: 'replica-priority 0' }],
    ['INFO 30001 ms old (master up: 3 info periods)', (_s, _m, r, now) => void (r.infoRefresh = now - 30_001), { why: 'info-too-old', detail: 'INFO 30001 ms old > 30000 ms' }],
    ['master link down longer than 10 × down-after', (_s, _m, r) => void (r.masterLinkDownTime = DOWN_AFTER * 10 + 1), { why: 'master-link-down-too-long', detail: 'master link down 20001 ms > 20000 ms' }],
  ];
  for (const [what, spoil, exclusion] of cases) {
    it(what, () => {
      const r = select(spoil);
      expect(r.excluded).toEqual([{ name: '10.0.0.6:6379', ...exclusion }]);
      expect(names(r)).toEqual(['10.0.0.7:6379']);
      expect(r.selected?.name).toBe('10.0.0.7:6379');
    });
  }

  it('the first failing filter is the one reported (SDOWN before disconnected before priority)', () => {
    const r = select((s, _m, rep) => {
      rep.flags |= F.S_DOWN;
      s.links[rep.linkId]!.disconnected = true;
      rep.slavePriority = 0;
    });
    expect(r.excluded.map((e) => e.why)).toEqual(['sdown']);
    const r2 = select((s, _m, rep, now) => {
      s.links[rep.linkId]!.disconnected = true;
      s.links[rep.linkId]!.lastAvailTime = now - 10_000;
    });
    expect(r2.excluded.map((e) => e.why)).toEqual(['disconnected']);
    const r3 = select((s, _m, rep, now) => {
      s.links[rep.linkId]!.lastAvailTime = now - 10_000;
      rep.slavePriority = 0;
    });
    expect(r3.excluded.map((e) => e.why)).toEqual(['last-ok-ping-too-old']);
    const r4 = select((_s, _m, rep, now) => {
      rep.slavePriority = 0;
      rep.infoRefresh = now - 60_000;
    });
    expect(r4.excluded.map((e) => e.why)).toEqual(['priority-zero']);
    const r5 = select((_s, _m, rep, now) => {
      rep.infoRefresh = now - 60_000;
      rep.masterLinkDownTime = 10 ** 9;
    });
    expect(r5.excluded.map((e) => e.why)).toEqual(['info-too-old']);
  });

  it('no candidate at all: selected is null', () => {
    const r = select((s, m) => {
      for (const sl of m.slaves) sl.slavePriority = 0;
    });
    expect(r.selected).toBeNull();
    expect(r.candidates).toEqual([]);
    expect(r.excluded.map((e) => e.name).sort()).toEqual(['10.0.0.6:6379', '10.0.0.7:6379']);
  });
});

describe('thresholds: just inside is a candidate, just outside is not', () => {
  it('last ok PING exactly 5 ping periods ago is still fine', () => {
    expect(select((s, _m, r, now) => void (s.links[r.linkId]!.lastAvailTime = now - 5000)).excluded).toEqual([]);
  });

  it('master up: INFO may be 3 info periods (30 s) old, not older', () => {
    expect(select((_s, _m, r, now) => void (r.infoRefresh = now - 30_000)).excluded).toEqual([]);
    expect(select((_s, _m, r, now) => void (r.infoRefresh = now - 30_001)).excluded.map((e) => e.why)).toEqual(['info-too-old']);
  });

  it('master SDOWN: INFO comes every second, so it may be only 5 ping periods (5 s) old', () => {
    expect(select((_s, _m, r, now) => void (r.infoRefresh = now - 5000), { masterSdownForMs: 0 }).excluded).toEqual([]);
    const r = select((_s, _m, rep, now) => void (rep.infoRefresh = now - 5001), { masterSdownForMs: 0 });
    expect(r.excluded).toEqual([{ name: '10.0.0.6:6379', why: 'info-too-old', detail: 'INFO 5001 ms old > 5000 ms' }]);
  });

  it('master up: master link down for exactly 10 × down-after is fine', () => {
    expect(select((_s, _m, r) => void (r.masterLinkDownTime = DOWN_AFTER * 10)).excluded).toEqual([]);
  });

  it('master SDOWN: the time it has been down is added to the allowed master-link-down time', () => {
    const sdownFor = 7000;
    expect(select((_s, _m, r) => void (r.masterLinkDownTime = DOWN_AFTER * 10 + sdownFor), { masterSdownForMs: sdownFor }).excluded).toEqual([]);
    const r = select((_s, _m, rep) => void (rep.masterLinkDownTime = DOWN_AFTER * 10 + sdownFor + 1), { masterSdownForMs: sdownFor });
    expect(r.excluded).toEqual([{ name: '10.0.0.6:6379', why: 'master-link-down-too-long', detail: 'master link down 27001 ms > 27000 ms' }]);
  });
});

describe('compareSlavesForPromotion()', () => {
  const inst = (slavePriority: number, slaveReplOffset: number, runid: string | null) => ({ slavePriority, slaveReplOffset, runid }) as Instance;

  it('lower priority first, whatever the offset', () => {
    expect(compareSlavesForPromotion(inst(10, 0, 'b'), inst(100, 999, 'a'))).toBeLessThan(0);
    expect(compareSlavesForPromotion(inst(100, 999, 'a'), inst(10, 0, 'b'))).toBeGreaterThan(0);
  });

  it('equal priority: larger offset first', () => {
    expect(compareSlavesForPromotion(inst(100, 500, 'z'), inst(100, 499, 'a'))).toBe(-1);
    expect(compareSlavesForPromotion(inst(100, 499, 'a'), inst(100, 500, 'z'))).toBe(1);
  });

  it('equal priority and offset: smaller run id first, case-insensitively; no run id last', () => {
    expect(compareSlavesForPromotion(inst(100, 5, 'AB'), inst(100, 5, 'ac'))).toBe(-1);
    expect(compareSlavesForPromotion(inst(100, 5, 'ac'), inst(100, 5, 'AB'))).toBe(1);
    expect(compareSlavesForPromotion(inst(100, 5, 'Ab'), inst(100, 5, 'aB'))).toBe(0);
    expect(compareSlavesForPromotion(inst(100, 5, null), inst(100, 5, 'a'))).toBe(1);
    expect(compareSlavesForPromotion(inst(100, 5, 'a'), inst(100, 5, null))).toBe(-1);
    expect(compareSlavesForPromotion(inst(100, 5, null), inst(100, 5, null))).toBe(0);
  });

  it('sorts a mixed list the way sentinelSelectSlave() does', () => {
    const list = [inst(100, 5, null), inst(100, 5, 'b'), inst(100, 9, 'z'), inst(50, 0, 'y'), inst(100, 5, 'a')];
    expect([...list].sort(compareSlavesForPromotion).map((i) => `${i.slavePriority}/${i.slaveReplOffset}/${i.runid}`)).toEqual(['50/0/y', '100/9/z', '100/5/a', '100/5/b', '100/5/null']);
  });
});
