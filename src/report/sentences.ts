import { formatSeconds } from '../sim/time.js';
import type { FailoverStory, FaultCause } from './failovers.js';

/**
 * The closing sentences of a run's log, one per fault that led to failover attempts, e.g.
 * "node1 was shut down at 30.000 s; the Sentinels switched to node2 11.2 s later; clients could
 * not write for 11.9 s; 0 acknowledged writes lost".
 */

const VERB: Readonly<Record<string, (t: string) => string>> = {
  crash: (t) => `${t} crashed`,
  'debug-segfault': (t) => `${t} segfaulted`,
  shutdown: (t) => `${t} was shut down`,
  sigterm: (t) => `${t} was sent SIGTERM`,
  pause: (t) => `${t} was paused`,
  'host-down': (t) => `host ${t} went down`,
  isolate: (t) => `host ${t} was cut off from the others`,
  partition: (t) => `the network split (${t})`,
  'clock-jump': (t) => `the clock of ${t} jumped`,
};

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function causeText(c: FaultCause): string {
  return `${(VERB[c.action] ?? ((t: string) => `${c.action} ${t}`))(c.target)} at ${formatSeconds(c.atMs * 1000)} s`;
}

function sentence(group: readonly FailoverStory[]): string {
  const lead = group.find((s) => s.elected && s.to !== null) ?? group.find((s) => s.to !== null) ?? group[0]!;
  const parts: string[] = [];
  if (lead.cause) parts.push(causeText(lead.cause));
  if (lead.to !== null && lead.faultToSwitchMs !== null) parts.push(`the Sentinels switched to ${lead.to} ${seconds(lead.faultToSwitchMs)} s later`);
  // switchMs is the first +switch-master of any Sentinel, often not the leader's own (it switches at +failover-end).
  else if (lead.to !== null) parts.push(`the Sentinels switched ${lead.master} from ${lead.from ?? '?'} to ${lead.to} at ${formatSeconds(lead.switchMs! * 1000)} s${lead.leader ? ` (failover led by ${lead.leader})` : ''}`);
  else {
    const results = [...new Set(group.map((s) => s.result))].join(', ');
    parts.push(`the Sentinels did not switch the master (${plural(group.length, 'attempt', 'attempts')}: ${results})`);
  }
  if (lead.unwritableMs !== null) {
    parts.push(lead.writableAgain ? `clients could not write for ${seconds(lead.unwritableMs)} s` : `clients could still not write at the end, ${seconds(lead.unwritableMs)} s later`);
  }
  if (lead.lostWrites !== null) parts.push(`${plural(lead.lostWrites, 'acknowledged write', 'acknowledged writes')} lost`);
  return parts.join('; ');
}

/** One sentence per cause (a fault, or a failover with no fault before it), in time order. */
export function failoverSentences(stories: readonly FailoverStory[]): string[] {
  const groups = new Map<string, FailoverStory[]>();
  for (const s of stories) {
    const key = s.cause ? `${s.cause.line}@${s.cause.atMs}/${s.master}` : `none/${s.master}/${s.switchMs ?? s.startMs}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(s);
  }
  return [...groups.values()].map(sentence);
}
