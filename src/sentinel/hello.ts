import type { Resp } from '../net/resp.js';
import type { Ctx } from '../net/process.js';
import { sentinelEvent } from './events.js';
import { atoi } from './atoi.js';
import { addrEqualsHostname, closeLinkConnection, createAddr, createInstance, linkOf, masterByName, releaseInstance, resetMasterAndChangeAddress, tryConnectionSharing } from './instances.js';
import type { Out } from './out.js';
import type { Instance, SentinelState } from './state.js';

/** Hello messages: discovery of other Sentinels and configuration propagation: sentinelSendHello(), sentinelProcessHelloMessage(). */

/** sentinelForceHelloUpdateForMaster(): make every record of this master due for a hello next tick. */
export function forceHelloUpdateForMaster(s: SentinelState, master: Instance): void {
  const back = s.tun.publishPeriodMs + 1;
  const force = (ri: Instance) => {
    if (ri.lastPubTime >= back) ri.lastPubTime -= back;
  };
  force(master);
  master.sentinels.forEach(force);
  master.slaves.forEach(force);
}

/** sentinelReceiveHelloMessages(): anything on the Pub/Sub link proves it alive; only `message`s count. */
export function receiveHelloMessage(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, msg: Resp, now: number): void {
  const link = linkOf(s, ri);
  link.pcLastActivity = now;
  if (msg.t !== 'array' || msg.items === null || msg.items.length !== 3) return;
  const [a, , c] = msg.items as [Resp, Resp, Resp];
  if (a.t !== 'bulk' || msg.items[1]!.t !== 'bulk' || c.t !== 'bulk' || a.s !== 'message' || c.s === null) return;
  if (c.s.includes(s.myid)) return; // our own hello, echoed back
  processHelloMessage(s, ctx, out, c.s, now);
}

function getSentinelByAddrAndRunid(s: SentinelState, list: readonly Instance[], ip: string | null, port: number, runid: string | null): Instance | undefined {
  for (let i = 0; i < list.length; i++) {
    const ri = list[i]!;
    if (runid !== null && ri.runid === null) continue;
    const addrOk = ip === null || ((s.announceHostnames ? ri.addr.hostname : ri.addr.ip) === ip && ri.addr.port === port);
    if ((runid === null || ri.runid === runid) && addrOk) return ri;
  }
  return undefined;
}

/** removeMatchingSentinelFromMaster() */
function removeMatchingSentinel(s: SentinelState, out: Out, master: Instance, runid: string): number {
  let removed = 0;
  master.sentinels = master.sentinels.filter((ri) => {
    if (ri.runid !== null && ri.runid === runid) {
      releaseInstance(s, out, ri);
      removed++;
      return false;
    }
    return true;
  });
  return removed;
}

/** sentinelUpdateSentinelAddressInAllMasters() */
function updateSentinelAddressInAllMasters(s: SentinelState, ctx: Ctx, out: Out, ri: Instance, master: Instance): void {
  let reconfigured = 0;
  for (const m of s.masters) {
    const match = getSentinelByAddrAndRunid(s, m.sentinels, null, 0, ri.runid);
    if (!match) continue;
    const link = linkOf(s, match);
    closeLinkConnection(s, out, link, 'cc');
    closeLinkConnection(s, out, link, 'pc');
    if (match === ri) continue;
    match.addr = { ...ri.addr };
    reconfigured++;
  }
  if (reconfigured) sentinelEvent(s, ctx, 'notice', '+sentinel-address-update', ri, master, `%@ ${reconfigured} additional matching instances`);
}

/** sentinelProcessHelloMessage(). */
export function processHelloMessage(s: SentinelState, ctx: Ctx, out: Out, hello: string, now: number): void {
  const parsed = parseHello(hello);
  const token = parsed.token;
  if (token.length !== 8) return;
  const master = masterByName(s, token[4]!);
  if (!master) return;
  const { port, masterPort, currentEpoch, masterConfigEpoch } = parsed;
  let si = getSentinelByAddrAndRunid(s, master.sentinels, token[0]!, port, token[2]!);

  if (!si) {
    // Same run id at another address: the Sentinel moved. Drop the old record, re-add it below.
    const removed = removeMatchingSentinel(s, out, master, token[2]!);
    if (removed) {
      sentinelEvent(s, ctx, 'notice', '+sentinel-address-switch', master, null, `%@ ip ${token[0]} port ${port} for ${token[2]}`);
    } else {
      // Another run id at the same address: that Sentinel was replaced (restarted with a new id).
      const other = getSentinelByAddrAndRunid(s, master.sentinels, token[0]!, port, null);
      if (other) {
        sentinelEvent(s, ctx, 'notice', '+sentinel-invalid-addr', other, master, '%@');
        const obsolete = other.runid;
        if (obsolete !== null) for (const m of s.masters) removeMatchingSentinel(s, out, m, obsolete);
      }
    }
    const addr = createAddr(s, ctx, token[0]!, port, false);
    if (typeof addr !== 'string' && !master.sentinels.some((x) => x.name === token[2])) {
      si = createInstance(s, 'sentinel', token[2]!, addr, master, now, { quorum: master.quorum });
      if (!removed) sentinelEvent(s, ctx, 'notice', '+sentinel', si, master, '%@');
      si.runid = token[2]!;
      tryConnectionSharing(s, out, si);
      if (removed) updateSentinelAddressInAllMasters(s, ctx, out, si, master);
      out.flushConfigNow();
    }
  }

  if (currentEpoch > s.currentEpoch) {
    s.currentEpoch = currentEpoch;
    out.flushConfigNow();
    sentinelEvent(s, ctx, 'warning', '+new-epoch', master, null, String(s.currentEpoch));
  }

  if (si && master.configEpoch < masterConfigEpoch) {
    master.configEpoch = masterConfigEpoch;
    if (masterPort !== master.addr.port || !addrEqualsHostname(s, ctx, master.addr, token[5]!)) {
      sentinelEvent(s, ctx, 'warning', '+config-update-from', si, master, '%@');
      const host = s.announceHostnames ? master.addr.hostname : master.addr.ip;
      sentinelEvent(s, ctx, 'warning', '+switch-master', master, null, `${master.name} ${host} ${master.addr.port} ${token[5]} ${masterPort}`);
      const newAddr = createAddr(s, ctx, token[5]!, masterPort, false);
      if (typeof newAddr !== 'string') resetMasterAndChangeAddress(s, ctx, out, master, newAddr, now);
    }
  }
  if (si) si.lastHelloTime = now;
}

/**
 * A hello's fields, and its numbers as sentinelProcessHelloMessage() reads them (atoi(), strtoull()).
 * Each Sentinel repeats the same hello every 2 s to every instance, so the same few strings come
 * back thousands of times an hour: they are parsed once and the (read-only) result kept, up to
 * HELLO_CACHE_MAX distinct hellos (then the cache starts over). A pure function of its argument,
 * so sharing it between worlds changes nothing.
 */
function parseHello(hello: string): ParsedHello {
  let p = helloCache.get(hello);
  if (p === undefined) {
    if (helloCache.size >= HELLO_CACHE_MAX) helloCache.clear();
    const token = hello.split(',');
    p = token.length !== 8 ? { token, port: 0, masterPort: 0, currentEpoch: 0, masterConfigEpoch: 0 }
      : { token, port: atoi(token[1]!), masterPort: atoi(token[6]!), currentEpoch: strtoull(token[3]!), masterConfigEpoch: strtoull(token[7]!) };
    helloCache.set(hello, p);
  }
  return p;
}
interface ParsedHello {
  readonly token: readonly string[];
  readonly port: number;
  readonly masterPort: number;
  readonly currentEpoch: number;
  readonly masterConfigEpoch: number;
}
const HELLO_CACHE_MAX = 256;
const helloCache = new Map<string, ParsedHello>();

/** strtoull(): leading digits, 0 when there are none. */
function strtoull(str: string): number {
  // Fast path for what hellos carry (plain digits), exact up to 15 digits; the regex otherwise.
  let n = 0;
  let i = 0;
  for (; i < str.length && i < 15; i++) {
    const c = str.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (i > 0 && (i === str.length || (i < 15 && !isDigit(str.charCodeAt(i))))) return n;
  const m = /^\s*\+?(\d+)/.exec(str);
  return m ? Number(m[1]) : 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

