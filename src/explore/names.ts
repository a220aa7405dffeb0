import { PROPERTY_DOCS } from '../check/propertyDocs.js';
import { PROPERTY_NAMES, type PropertyName } from '../check/types.js';
import { inputError } from '../config/errors.js';
import { formatDurationUs, parseDurationUs } from '../scenario/duration.js';

/**
 * The names explore's flags take and its --help lists: properties, fault kinds, the default
 * workload client. Kept apart from the code that runs them, with no import that reaches the model
 * or the scenario reader, so that `sentinel-sim --version` and `--help` start without them.
 */

export { PROPERTY_DOCS, PROPERTY_NAMES, type PropertyName };

export const DEFAULT_PROPERTIES: readonly PropertyName[] = ['one-leader-per-epoch', 'one-vote-per-epoch', 'config-epoch-increases', 'converges', 'fails-over', 'no-lost-writes'];

/** A property as the user picked it: single-writable-master may carry a window ("single-writable-master:2s"). */
export interface PropertyChoice {
  readonly name: PropertyName;
  readonly windowMs?: number;
}

export function parsePropertyChoice(text: string, where = '--property'): PropertyChoice {
  const [name, arg] = text.split(':', 2) as [string, string | undefined];
  if (!(PROPERTY_NAMES as readonly string[]).includes(name)) throw inputError(where, undefined, `unknown property "${name}" (known: ${PROPERTY_NAMES.join(', ')})`);
  if (arg === undefined) return { name: name as PropertyName };
  if (name !== 'single-writable-master') throw inputError(where, undefined, `${name} takes no argument (only single-writable-master:<window>)`);
  const us = parseDurationUs(arg);
  if (us === undefined || us < 0) throw inputError(where, undefined, `"${arg}" is not a duration (e.g. single-writable-master:2s)`);
  return { name, windowMs: us / 1000 };
}

export const choiceLabel = (c: PropertyChoice): string => (c.windowMs ? `${c.name}:${formatDurationUs(c.windowMs * 1000)}` : c.name);

/** The client explore adds to a model that has no workload of its own. */
export const DEFAULT_WORKLOAD_CLIENT = 'explore-writer';

export const FAULT_KINDS = ['crash', 'segfault', 'shutdown', 'pause', 'host-down', 'domain', 'isolate', 'partition', 'one-way', 'clock-jump'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What each kind does, for --help. */
export const FAULT_DOCS: Readonly<Record<FaultKind, string>> = {
  crash: 'kill -9 one process; heals by restarting it',
  segfault: 'DEBUG SEGFAULT one process (a crash report first); heals by restarting it',
  shutdown: 'SHUTDOWN one process (a Redis master waits for its replicas); heals by starting it',
  pause: 'SIGSTOP one process; heals with SIGCONT',
  'host-down': 'one host vanishes with its processes (no RSTs); heals when it boots again',
  domain: "a failure domain of the model fails together; heals when it comes back",
  isolate: 'one host is cut from every other host; heals',
  partition: 'two sides of the hosts cannot talk (hosts on neither side reach both); heals',
  'one-way': 'packets from one side to the other are dropped, not back; heals',
  'clock-jump': "one host's wall clock steps (monotonic clocks do not); nothing to heal",
};
