import { array, bulk, int, NULL_BULK, type Resp } from '../../net/resp.js';
import { unsubscribeConn } from '../clients.js';
import type { Call } from './types.js';

/** pubsub.c: SUBSCRIBE, UNSUBSCRIBE, PUBLISH (channels only). */

export function subscribeCmd(x: Call): void {
  const d = x.n.d;
  for (const ch of x.argv.slice(1)) {
    if (!x.c.channels.includes(ch)) {
      x.c.channels.push(ch);
      (d.pubsub[ch] ??= []).push(x.c.id);
    }
    x.out.push(array([bulk('subscribe'), bulk(ch), int(x.c.channels.length)]));
  }
}

export function unsubscribeCmd(x: Call): void {
  const chans = x.argv.length > 1 ? x.argv.slice(1) : [...x.c.channels];
  if (chans.length === 0) {
    x.out.push(array([bulk('unsubscribe'), NULL_BULK, int(0)]));
    return;
  }
  for (const ch of chans) {
    const i = x.c.channels.indexOf(ch);
    if (i >= 0) {
      x.c.channels.splice(i, 1);
      unsubscribeConn(x.n, ch, x.c.id);
    }
    x.out.push(array([bulk('unsubscribe'), bulk(ch), int(x.c.channels.length)]));
  }
}

const MESSAGE = bulk('message');
/**
 * The pushed ["message", channel, payload] per channel and payload, made once: a Sentinel publishes
 * the same hello to every instance, every 2 s, until something changes, and replicas deliver it
 * again. Values are immutable, so every world (and worker) may share them; bounded by clearing.
 */
const pushedMessages = new Map<string, Map<string, Resp>>();
const MAX_CACHED_CHANNELS = 64;
const MAX_CACHED_PAYLOADS = 256;

function pushedMessage(channel: string, message: string): Resp {
  let byPayload = pushedMessages.get(channel);
  if (byPayload === undefined) {
    if (pushedMessages.size >= MAX_CACHED_CHANNELS) pushedMessages.clear();
    byPayload = new Map();
    pushedMessages.set(channel, byPayload);
  }
  let msg = byPayload.get(message);
  if (msg === undefined) {
    if (byPayload.size >= MAX_CACHED_PAYLOADS) byPayload.clear();
    msg = array([MESSAGE, bulk(channel), bulk(message)]);
    byPayload.set(message, msg);
  }
  return msg;
}

/** pubsubPublishMessage(): deliver to this node's subscribers; returns how many got it. */
export function publishLocal(x: Call, channel: string, message: string): number {
  const subs = x.n.d.pubsub[channel];
  if (!subs) return 0;
  const msg = pushedMessage(channel, message);
  for (const id of subs) x.n.ctx.send(id, msg);
  return subs.length;
}

/**
 * pubsub.c: publishCommand() — forceCommandPropagation(c, PROPAGATE_REPL): on a master the PUBLISH
 * enters the replication stream (and advances master_repl_offset); a replica re-delivers it.
 */
export function publishCmd(x: Call): void {
  const receivers = publishLocal(x, x.argv[1]!, x.argv[2]!);
  x.prop.push(x.argv);
  x.out.push(int(receivers));
}
