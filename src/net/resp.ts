/**
 * What travels over a simulated connection: RESP values, kept structured (no byte parsing on the
 * hot path). Commands are arrays of bulk strings, as a real client sends them. Byte counts, where
 * they matter (the replication offset), come from respCommandBytes().
 */
export type Resp =
  | { readonly t: 'status'; readonly s: string }
  | { readonly t: 'error'; readonly s: string }
  | { readonly t: 'int'; readonly n: number }
  | { readonly t: 'bulk'; readonly s: string | null }
  | { readonly t: 'array'; readonly items: readonly Resp[] | null };

export const status = (s: string): Resp => ({ t: 'status', s });
export const error = (s: string): Resp => ({ t: 'error', s });
/** Replies like PUBLISH's receiver count are small integers: one shared value each (values are immutable). */
const SMALL_INTS: readonly Resp[] = Array.from({ length: 64 }, (_, n): Resp => ({ t: 'int', n }));
export const int = (n: number): Resp => ((n | 0) === n && n >= 0 && n < 64 && (n !== 0 || 1 / n > 0) ? SMALL_INTS[n]! : { t: 'int', n });
export const bulk = (s: string | null): Resp => ({ t: 'bulk', s });
export const array = (items: readonly Resp[] | null): Resp => ({ t: 'array', items });
export const OK = status('OK');
/** PING's reply, shared: Sentinels PING every instance every second. */
export const PONG = status('PONG');
export const NULL_BULK = bulk(null);

export function command(...argv: string[]): Resp {
  return commandOf(argv);
}

/** command() of an argv array, for callers that hold one (no spread, no map callback per word). */
export function commandOf(argv: readonly string[]): Resp {
  const items = new Array<Resp>(argv.length);
  for (let i = 0; i < argv.length; i++) items[i] = { t: 'bulk', s: argv[i]! };
  return { t: 'array', items };
}

const oneWordCommands = new Map<string, Resp>();

/**
 * A one-word command (PING, INFO...), made once per name and shared: values are immutable, and a
 * Sentinel sends a few of these per instance every second.
 */
export function oneWordCommand(name: string): Resp {
  let c = oneWordCommands.get(name);
  if (c === undefined) {
    c = commandOf([name]);
    oneWordCommands.set(name, c);
  }
  return c;
}

/** argv of a command array, or undefined if the value is not an array of bulk strings. */
export function argvOf(v: Resp): string[] | undefined {
  if (v.t !== 'array' || v.items === null) return undefined;
  const items = v.items;
  // Sized once: pushing onto [] would allocate room for 17 words per command.
  const out = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.t !== 'bulk' || it.s === null) return undefined;
    out[i] = it.s;
  }
  return out;
}

/** A character that UTF-8 encodes in more than one byte (a lone surrogate included). */
const NON_ASCII = /[^\x00-\x7f]/;

function utf8Len(s: string): number {
  // ASCII is the common case for keys, values and Sentinel payloads: one byte per character. The
  // regex scan is native and about 2.5x cheaper than the loop below on a hello's 85 characters,
  // and every replicated word is measured up to three times (master feed, replica apply, replica feed).
  if (!NON_ASCII.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Bytes of `*<argc>\r\n` then `$<len>\r\n<arg>\r\n` per argument: what replicationFeedSlaves() adds to the backlog and master_repl_offset for a command. */
export function respCommandBytes(argv: readonly string[]): number {
  let n = 1 + digits(argv.length) + 2;
  for (let i = 0; i < argv.length; i++) {
    const len = utf8Len(argv[i]!);
    n += 1 + digits(len) + 2 + len + 2;
  }
  return n;
}

/** Decimal digits of a length (a non-negative integer), without making its string: this runs for every replicated word. */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/**
 * Bytes of a value's RESP2 encoding, for the socket buffers (network.ts). Strings count one byte per
 * UTF-16 unit, exact for ASCII, so that sizing a segment costs O(1) per element, not per character.
 */
export function respWireBytes(v: Resp): number {
  switch (v.t) {
    case 'status':
    case 'error':
      return v.s.length + 3;
    case 'int':
      return String(v.n).length + 3;
    case 'bulk':
      return v.s === null ? 5 : digits(v.s.length) + v.s.length + 5;
    case 'array': {
      if (v.items === null) return 5;
      let n = digits(v.items.length) + 3;
      for (const it of v.items) n += respWireBytes(it);
      return n;
    }
  }
}

/** Longer bulk strings are shortened in traces: a value of megabytes is one line, not megabytes. */
const TRACE_BULK_MAX_CHARS = 65_536;

/** A compact one-line rendering for traces and test failures, e.g. `+PONG`, `["SET","k","v"]`. */
export function respToString(v: Resp): string {
  switch (v.t) {
    case 'status':
      return `+${v.s}`;
    case 'error':
      return `-${v.s}`;
    case 'int':
      return `:${v.n}`;
    case 'bulk':
      if (v.s === null) return '(nil)';
      if (v.s.length > TRACE_BULK_MAX_CHARS) return `${JSON.stringify(v.s.slice(0, 32))}…(${v.s.length} chars)`;
      return JSON.stringify(v.s);
    case 'array':
      return v.items === null ? '(nil array)' : `[${v.items.map(respToString).join(',')}]`;
  }
}

/** Plain JS view of a reply, for scenario expectations and JSON output. */
export function respToJs(v: Resp): unknown {
  switch (v.t) {
    case 'status':
      return v.s;
    case 'error':
      return { error: v.s };
    case 'int':
      return v.n;
    case 'bulk':
      return v.s;
    case 'array':
      return v.items === null ? null : v.items.map(respToJs);
  }
}
