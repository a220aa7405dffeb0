/**
 * Measurement scenarios on real Redis: each starts its own deployment on its own ports, applies a
 * fault, waits (by polling the logs) for the outcome, and returns timings (ms from the fault) and
 * the normalized event lists of every Sentinel. Used by the conformance tests and by the
 * measurement runner that writes test/conformance/REAL-MEASUREMENTS.md.
 */
import { RespError, type RespValue } from './resp-client.js';
import { type SentinelEvent } from './log.js';
import { RealDeployment, sleep, waitFor, withDeployment } from './real.js';
import { topology, type TopologyOptions } from './topology.js';

export interface RunResult {
  readonly scenario: string;
  /** Named delays in ms (from the fault named in the key's doc). */
  readonly timings: Record<string, number>;
  /** Facts: leader, promoted replica, final epoch, reply texts… */
  readonly facts: Record<string, string>;
  /** Normalized events per Sentinel, from the first fault on, times relative to that fault. */
  readonly events: Record<string, SentinelEvent[]>;
  /** The options the topology was built with. */
  readonly topology: TopologyOptions;
}

const isEv = (event: string, textPrefix?: string) => (e: SentinelEvent) =>
  e.event === event && (textPrefix === undefined || e.text.startsWith(textPrefix));

/** Events of each Sentinel since `sinceMs`, normalized, times relative to `sinceMs`. */
function eventsSince(d: RealDeployment, sinceMs: number): Record<string, SentinelEvent[]> {
  const out: Record<string, SentinelEvent[]> = {};
  for (const s of d.names('sentinel')) {
    out[s] = d
      .normalizedEvents(s)
      .filter((e) => e.timeMs >= sinceMs)
      .map((e) => ({ ...e, timeMs: e.timeMs - sinceMs }));
  }
  return out;
}

function firstTime(es: readonly SentinelEvent[], pred: (e: SentinelEvent) => boolean): number | undefined {
  return es.find(pred)?.timeMs;
}

function replyText(r: RespValue | Error): string {
  if (r instanceof RespError) return `-${r.message}`;
  if (r instanceof Error) return `(error) ${r.message}`;
  return JSON.stringify(r);
}

/** Stock 3 nodes + 3 Sentinels quorum 2 settings of the measurements. */
export const KILL_TOPOLOGY = { nodes: 3, sentinels: 3, quorum: 2, downAfterMs: 2000, failoverTimeoutMs: 6000, parallelSyncs: 1 } as const;

/**
 * `kill -9` of the master; wait for `+switch-master` on every Sentinel and `+sdown slave node1`
 * (the old master, now listed as a replica); then restart node1 from its config and wait until a
 * Sentinel converts it (`+convert-to-slave`) and it replicates from the new master.
 * Timings: `<sentinel>.+sdown|+odown|+switch-master` from the kill; `convert-to-slave` and
 * `<sentinel>.-sdown-old-master` from the restart.
 */
export async function killMasterFailover(base: number, opts: { restart?: boolean } = {}): Promise<RunResult> {
  const topo: TopologyOptions = { base, ...KILL_TOPOLOGY };
  return withDeployment(topology(topo), async (d) => {
    await d.waitHealthy();
    await d.call('node1', ['SET', 'drill-key', 'drill-value']);
    await waitFor('the key on every replica', async () => (await d.call('node2', ['GET', 'drill-key'])) === 'drill-value' && (await d.call('node3', ['GET', 'drill-key'])) === 'drill-value', 10_000);
    const kill = await d.kill9('node1');
    await d.waitForEventOnEach('+switch-master', isEv('+switch-master'), 60_000, { sinceMs: kill.timeMs });
    await d.waitForEventOnEach('+sdown slave node1', isEv('+sdown', 'slave node1 '), 30_000, { sinceMs: kill.timeMs });
    const timings: Record<string, number> = {};
    const facts: Record<string, string> = {};
    const after = eventsSince(d, kill.timeMs);
    for (const [s, es] of Object.entries(after)) {
      for (const [key, pred] of [
        ['+sdown', isEv('+sdown', 'master ')],
        ['+odown', isEv('+odown')],
        ['+switch-master', isEv('+switch-master')],
        ['+failover-end', isEv('+failover-end')],
        ['+sdown-old-master-as-slave', isEv('+sdown', 'slave node1 ')],
      ] as const) {
        const t = firstTime(es, pred);
        if (t !== undefined) timings[`${s}.${key}`] = t;
      }
      if (es.some(isEv('+elected-leader'))) facts.leader = s;
    }
    const sw = Object.values(after)[0].find(isEv('+switch-master'));
    facts.promoted = sw ? sw.text.split(' ')[2] : '?';
    // The epoch of the failover that won: the leader's last +new-epoch before its +elected-leader.
    const les = facts.leader ? after[facts.leader] : [];
    const elected = les.findIndex(isEv('+elected-leader'));
    facts.epoch = les.slice(0, elected).filter(isEv('+new-epoch')).pop()?.text ?? '?';
    // A split vote (every Sentinel voted for itself) aborts and retries after 2 × failover-timeout.
    facts.abortsNotElected = String(Object.values(after).flat().filter(isEv('-failover-abort-not-elected')).length);
    const promoted = facts.promoted;
    facts.keyOnNewMaster = replyText(await d.call(promoted, ['GET', 'drill-key']));
    if (opts.restart === false) return { scenario: 'kill-master', timings, facts, events: after, topology: topo };

    const restart = await d.restart('node1');
    const conv = await d.waitForEvent('+convert-to-slave of node1', isEv('+convert-to-slave', 'slave node1 '), 60_000, { sinceMs: restart.timeMs });
    timings['convert-to-slave'] = conv.timeMs - restart.timeMs;
    facts.convertedBy = conv.process;
    await waitFor(
      'node1 replicating from the new master',
      async () => {
        const i = await d.info('node1');
        return i.role === 'slave' && i.master_port === String(d.port(promoted)) && i.master_link_status === 'up';
      },
      30_000,
    );
    facts.keyOnOldMaster = replyText(await d.call('node1', ['GET', 'drill-key']));
    // Let the other Sentinels see node1 as a replica before collecting (their -sdown and role).
    await d.waitForEventOnEach('-sdown slave node1', isEv('-sdown', 'slave node1 '), 30_000, { sinceMs: restart.timeMs });
    await sleep(1500);
    const all = eventsSince(d, kill.timeMs);
    for (const [s, es] of Object.entries(all)) {
      const t = firstTime(es, (e) => e.timeMs >= restart.timeMs - kill.timeMs && isEv('-sdown', 'slave node1 ')(e));
      if (t !== undefined) timings[`${s}.-sdown-old-master`] = t - (restart.timeMs - kill.timeMs);
    }
    timings['restart-after-kill'] = restart.timeMs - kill.timeMs;
    return { scenario: 'kill-master+restart', timings, facts, events: all, topology: topo };
  });
}

/**
 * SIGSTOP every Sentinel for `pauseMs`, then SIGCONT: each enters TILT and leaves it after the
 * TILT period. Timings from the SIGCONT of each Sentinel: `<s>.+tilt`, `<s>.-tilt`.
 */
export async function tiltAfterPause(base: number, opts: { pauseMs?: number; tiltPeriodMs?: number } = {}): Promise<RunResult> {
  const topo: TopologyOptions = { base, ...KILL_TOPOLOGY };
  const pauseMs = opts.pauseMs ?? 5000;
  return withDeployment(topology(topo), async (d) => {
    await d.waitHealthy();
    if (opts.tiltPeriodMs !== undefined) await d.sentinelDebug({ 'tilt-period': opts.tiltPeriodMs });
    const sents = d.names('sentinel');
    const stops = sents.map((s) => d.pause(s));
    await sleep(pauseMs); // the fault itself: the processes are stopped for this long
    const conts = sents.map((s) => d.resume(s));
    const period = opts.tiltPeriodMs ?? 30_000;
    await d.waitForEventOnEach('-tilt', isEv('-tilt'), period + 30_000, { sinceMs: conts[0].timeMs });
    await sleep(1000);
    const timings: Record<string, number> = {};
    const events = eventsSince(d, stops[0].timeMs);
    const contRel = (i: number) => conts[i].timeMs - stops[0].timeMs;
    sents.forEach((s, i) => {
      const plus = firstTime(events[s], isEv('+tilt'));
      const minus = firstTime(events[s], isEv('-tilt'));
      if (plus !== undefined) timings[`${s}.+tilt`] = plus - contRel(i);
      if (minus !== undefined) timings[`${s}.-tilt`] = minus - contRel(i);
      if (plus !== undefined && minus !== undefined) timings[`${s}.tilt-duration`] = minus - plus;
    });
    timings['pause'] = contRel(0);
    const facts: Record<string, string> = {
      tiltPeriodMs: String(period),
      masterAfter: (await d.masterName('sentinel1')) ?? '?',
      tiltCount: sents.map((s) => `${s}:${events[s].filter(isEv('+tilt')).length}`).join(' '),
    };
    return { scenario: `tilt(pause ${pauseMs} ms, tilt-period ${period})`, timings, facts, events, topology: topo };
  });
}

/**
 * `SENTINEL FAILOVER mymaster` on sentinel1 with a healthy master; wait for every Sentinel's
 * `+switch-master`, then for the still-running old master to be converted. Timings from the command.
 */
export async function manualFailover(base: number): Promise<RunResult> {
  const topo: TopologyOptions = { base, ...KILL_TOPOLOGY };
  return withDeployment(topology(topo), async (d) => {
    await d.waitHealthy();
    const f = await d.sentinelFailover('sentinel1');
    await d.waitForEventOnEach('+switch-master', isEv('+switch-master'), 60_000, { sinceMs: f.timeMs });
    const conv = await d.waitForEvent('+convert-to-slave of node1', isEv('+convert-to-slave', 'slave node1 '), 60_000, { sinceMs: f.timeMs });
    const promotedAddr = (await d.masterName('sentinel1')) ?? '?';
    await waitFor(
      'node1 replicating from the new master',
      async () => {
        const i = await d.info('node1');
        return i.role === 'slave' && i.master_port === String(d.port(promotedAddr)) && i.master_link_status === 'up';
      },
      30_000,
    );
    await sleep(1500);
    const events = eventsSince(d, f.timeMs);
    const timings: Record<string, number> = { 'convert-to-slave': conv.timeMs - f.timeMs };
    for (const [s, es] of Object.entries(events)) {
      const t = firstTime(es, isEv('+switch-master'));
      if (t !== undefined) timings[`${s}.+switch-master`] = t;
      const p = firstTime(es, isEv('+promoted-slave'));
      if (p !== undefined) timings[`${s}.+promoted-slave`] = p;
    }
    const facts = { leader: 'sentinel1', promoted: promotedAddr, convertedBy: conv.process, epoch: events.sentinel1.find(isEv('+new-epoch'))?.text ?? '?' };
    return { scenario: 'manual-failover', timings, facts, events, topology: topo };
  });
}

/**
 * Quorum 3 of 3 Sentinels with sentinel3 killed: after the master is killed, sentinel1 and
 * sentinel2 reach SDOWN but never ODOWN (2 < 3), so no failover. Observes for `observeMs` after
 * the last `+sdown`.
 */
export async function quorumNotReached(base: number, opts: { observeMs?: number } = {}): Promise<RunResult> {
  const topo: TopologyOptions = { base, ...KILL_TOPOLOGY, quorum: 3 };
  return withDeployment(topology(topo), async (d) => {
    await d.waitHealthy();
    const ks = await d.kill9('sentinel3');
    const alive = ['sentinel1', 'sentinel2'];
    await d.waitForEventOnEach('+sdown sentinel sentinel3', isEv('+sdown', 'sentinel sentinel3 '), 30_000, { sentinels: alive, sinceMs: ks.timeMs });
    const km = await d.kill9('node1');
    await d.waitForEventOnEach('+sdown master', isEv('+sdown', 'master '), 30_000, { sentinels: alive, sinceMs: km.timeMs });
    // Absence can only be observed over a window: 4× down-after past the last +sdown.
    await sleep(opts.observeMs ?? 8000);
    const all = eventsSince(d, ks.timeMs);
    const events: Record<string, SentinelEvent[]> = { sentinel1: all.sentinel1, sentinel2: all.sentinel2 };
    const timings: Record<string, number> = {};
    for (const s of alive) {
      const sd = firstTime(events[s], isEv('+sdown', 'sentinel sentinel3 '));
      if (sd !== undefined) timings[`${s}.+sdown-sentinel3`] = sd;
      const sm = firstTime(events[s], isEv('+sdown', 'master '));
      if (sm !== undefined) timings[`${s}.+sdown-master`] = sm - (km.timeMs - ks.timeMs);
    }
    const facts = {
      odown: String(alive.some((s) => events[s].some(isEv('+odown')))),
      failoverStarted: String(alive.some((s) => events[s].some(isEv('+try-failover')))),
      masterAfter: (await d.masterName('sentinel1')) ?? '?',
      ckquorum: replyText(await d.call('sentinel1', ['SENTINEL', 'CKQUORUM', 'mymaster'])),
      infoStatus: (await d.info('sentinel1', 'sentinel')).master0 ?? '?',
    };
    return { scenario: 'quorum-3-one-sentinel-down', timings, facts, events, topology: topo };
  });
}

/** SET every 50 ms until node1 refuses one: when (ms of the harness clock), the last OK before it, and the error. */
async function setUntilRefused(d: RealDeployment, timeoutMs: number): Promise<{ refusedAt: number; lastOkAt: number; refusal: string }> {
  const out = { refusedAt: -1, lastOkAt: -1, refusal: '' };
  await waitFor(
    'the master to refuse writes',
    async () => {
      const r = await d.command('node1', ['SET', 'k', 'during']);
      if (r.reply === 'OK') out.lastOkAt = r.fault.timeMs;
      if (r.reply instanceof RespError) {
        out.refusedAt = r.fault.timeMs;
        out.refusal = r.reply.message;
        return true;
      }
      return false;
    },
    timeoutMs,
    50,
  );
  return out;
}

/** SET every 50 ms until node1 accepts one: when (ms of the harness clock). */
async function setUntilAccepted(d: RealDeployment): Promise<number> {
  let okAgainAt = -1;
  await waitFor(
    'the master to accept writes again',
    async () => {
      const r = await d.command('node1', ['SET', 'k', 'after']);
      if (r.reply === 'OK') okAgainAt = r.fault.timeMs;
      return r.reply === 'OK';
    },
    20_000,
    50,
  );
  return okAgainAt;
}

/** Each Sentinel's +sdown of a stopped replica from the SIGSTOP, and its -sdown from the SIGCONT (`pauseMs` later). */
function replicaSdownTimings(events: Record<string, SentinelEvent[]>, pauseMs: number, timings: Record<string, number>): void {
  for (const [s, es] of Object.entries(events)) {
    for (const n of ['node2', 'node3']) {
      const t = firstTime(es, isEv('+sdown', `slave ${n} `));
      if (t !== undefined) timings[`${s}.+sdown-${n}`] = t;
      const u = firstTime(es, isEv('-sdown', `slave ${n} `));
      if (u !== undefined) timings[`${s}.-sdown-${n}`] = u - pauseMs;
    }
  }
}

/**
 * node1 with `min-replicas-to-write 1` and `min-replicas-max-lag <lag>`: SIGSTOP both replicas,
 * then SET every 50 ms until `-NOREPLICAS`; SIGCONT, SET until OK again.
 * Timings: `noreplicas` from the SIGSTOP, `writable-again` from the SIGCONT, `<s>.+sdown-node2|3`.
 */
export async function minReplicasRefuse(base: number, opts: { maxLagSec?: number } = {}): Promise<RunResult> {
  const lag = opts.maxLagSec ?? 3;
  const topo: TopologyOptions = {
    base,
    ...KILL_TOPOLOGY,
    nodeExtra: { node1: ['min-replicas-to-write 1', `min-replicas-max-lag ${lag}`] },
  };
  return withDeployment(topology(topo), async (d) => {
    await d.waitHealthy();
    const first = await d.command('node1', ['SET', 'k', 'before']);
    const stop = d.pause('node2');
    d.pause('node3');
    const { refusedAt, lastOkAt, refusal } = await setUntilRefused(d, lag * 1000 + 20_000);
    const get = await d.command('node1', ['GET', 'k']);
    const ping = await d.command('node1', ['PING']);
    // Give the Sentinels time to mark the stopped replicas SDOWN (down-after 2000) before resuming.
    await d.waitForEventOnEach('+sdown slave node2', isEv('+sdown', 'slave node2 '), 30_000, { sinceMs: stop.timeMs });
    await d.waitForEventOnEach('+sdown slave node3', isEv('+sdown', 'slave node3 '), 30_000, { sinceMs: stop.timeMs });
    const cont = d.resume('node2');
    d.resume('node3');
    const okAgainAt = await setUntilAccepted(d);
    await d.waitForEventOnEach('-sdown slave node2', isEv('-sdown', 'slave node2 '), 30_000, { sinceMs: cont.timeMs });
    await d.waitForEventOnEach('-sdown slave node3', isEv('-sdown', 'slave node3 '), 30_000, { sinceMs: cont.timeMs });
    await sleep(500);
    const events = eventsSince(d, stop.timeMs);
    const timings: Record<string, number> = {
      noreplicas: refusedAt - stop.timeMs,
      'last-ok-write': lastOkAt - stop.timeMs,
      'writable-again': okAgainAt - cont.timeMs,
      pause: cont.timeMs - stop.timeMs,
    };
    replicaSdownTimings(events, cont.timeMs - stop.timeMs, timings);
    const facts = {
      maxLagSec: String(lag),
      firstWrite: replyText(first.reply),
      refusal: `-${refusal}`,
      readDuringRefusal: replyText(get.reply),
      pingDuringRefusal: replyText(ping.reply),
      failover: String(Object.values(events).some((es) => es.some(isEv('+switch-master')))),
    };
    return { scenario: `min-replicas-to-write 1 (max-lag ${lag})`, timings, facts, events, topology: topo };
  });
}

/**
 * Seed 002 (HAProxy write-up): master + one replica, ONE Sentinel with quorum 1, down-after 3000,
 * failover-timeout 6000. `DEBUG SEGFAULT` the master, wait for `+switch-master`, restart the old
 * master and wait for `+convert-to-slave`. Timings from the segfault / the restart.
 */
export async function segfaultSingleSentinel(base: number): Promise<RunResult> {
  const topo: TopologyOptions = { base, nodes: 2, sentinels: 1, quorum: 1, downAfterMs: 3000, failoverTimeoutMs: 6000, parallelSyncs: 1 };
  return withDeployment(topology(topo), async (d) => {
    await d.waitHealthy();
    const f = await d.debugSegfault('node1');
    await d.waitForEvent('+switch-master', isEv('+switch-master'), 60_000, { sinceMs: f.timeMs });
    await d.waitForEvent('+sdown slave node1', isEv('+sdown', 'slave node1 '), 30_000, { sinceMs: f.timeMs });
    const restart = await d.restart('node1');
    const conv = await d.waitForEvent('+convert-to-slave', isEv('+convert-to-slave', 'slave node1 '), 60_000, { sinceMs: restart.timeMs });
    await sleep(500);
    const events = eventsSince(d, f.timeMs);
    const es = events.sentinel1;
    const timings: Record<string, number> = { 'convert-to-slave': conv.timeMs - restart.timeMs, 'restart-after-segfault': restart.timeMs - f.timeMs };
    for (const [k, p] of [
      ['+sdown', isEv('+sdown', 'master ')],
      ['+odown', isEv('+odown')],
      ['+promoted-slave', isEv('+promoted-slave')],
      ['+switch-master', isEv('+switch-master')],
    ] as const) {
      const t = firstTime(es, p);
      if (t !== undefined) timings[`sentinel1.${k}`] = t;
    }
    const facts = { leader: 'sentinel1', promoted: es.find(isEv('+switch-master'))?.text.split(' ')[2] ?? '?', odown: es.find(isEv('+odown'))?.text ?? '?' };
    return { scenario: 'seed-002 DEBUG SEGFAULT, 1 Sentinel quorum 1', timings, facts, events, topology: topo };
  });
}
