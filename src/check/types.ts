import type { UserPattern } from './pattern.js';

/** Expectations as the runner checks them (times in global µs, names resolved). */
export type Expectation = EventExpectation | MasterExpectation | KeyExpectation | ReplyExpectation | LostWritesExpectation | WritesExpectation | PropertyExpectation;

interface Base {
  /** What reports call it. */
  readonly name: string;
  /** file:line of the expectation, for messages. */
  readonly where: string;
}

export interface EventExpectation extends Base {
  readonly kind: 'event';
  readonly event: string;
  /** undefined: any process. */
  readonly processes?: readonly string[];
  readonly text?: UserPattern;
  readonly fromUs: number;
  /** Inclusive; Infinity: to the end of the run. */
  readonly toUs: number;
  readonly min: number;
  readonly max: number;
  readonly each: boolean;
}

export interface MasterExpectation extends Base {
  readonly kind: 'master';
  readonly allowed: readonly string[];
  readonly atUs: number;
  /** The monitored master name. */
  readonly of: string;
  readonly source: 'sentinels' | 'roles' | 'both';
}

export interface KeyExpectation extends Base {
  readonly kind: 'key';
  readonly key: string;
  readonly value: string | null;
  readonly atUs: number;
  /** A Redis process name, or 'master'. */
  readonly on: string;
}

export interface ReplyExpectation extends Base {
  readonly kind: 'reply';
  readonly label: string;
  readonly hasEquals: boolean;
  readonly equals?: unknown;
  readonly matches?: UserPattern;
  readonly error?: boolean;
}

/** How many acknowledged writes were lost by the end (src/check/lost-writes.ts). */
export interface LostWritesExpectation extends Base {
  readonly kind: 'lostWrites';
  /** Only this client's writes (default: every workload client). */
  readonly client?: string;
  readonly min: number;
  readonly max: number;
}

/** How many writes of a client were acknowledged in a window (optionally: by one node). */
export interface WritesExpectation extends Base {
  readonly kind: 'writes';
  readonly client: string;
  /** A Redis process: only writes that node acknowledged (through a proxy: its backend). */
  readonly by?: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly min: number;
  readonly max: number;
}

/** The names of the properties `explore` checks (src/check/properties.ts says what each one means). */
export const PROPERTY_NAMES = [
  'one-leader-per-epoch',
  'one-vote-per-epoch',
  'config-epoch-increases',
  'converges',
  'fails-over',
  'no-lost-writes',
  'single-writable-master',
] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** A named property of the whole run, as `explore` checks it (src/check/properties.ts). */
export interface PropertyExpectation extends Base {
  readonly kind: 'property';
  readonly property: PropertyName;
  /** converges: when every Sentinel and node must agree. fails-over: window start. */
  readonly fromUs: number;
  /** fails-over: window end (inclusive). */
  readonly toUs: number;
  /** single-writable-master: the longest allowed window with two writable masters (0: none at all). */
  readonly windowUs: number;
  /** The monitored master name (converges asks the Sentinels for it). */
  readonly of: string;
}

export interface ExpectationResult {
  readonly name: string;
  readonly where: string;
  readonly kind: Expectation['kind'];
  readonly pass: boolean;
  /** Simulated time the verdict refers to (µs), when there is one. */
  readonly atUs?: number;
  /** One or more lines explaining the verdict. */
  readonly evidence: readonly string[];
}
