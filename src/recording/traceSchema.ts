import { z } from 'zod';
import { TRACE_SCHEMA, TRACE_VERSION } from './traceCodec.js';

/**
 * The one vocabulary of sentinel-sim's saved runs (schema "sentinel-sim/trace", version 1): the
 * lines of `run --trace FILE`, of `run --format jsonl` and of a run folder's trace.jsonl. Each
 * line is one JSON object; the first is a header, every other one a record with `timeMs`
 * (simulated time) and `kind`. The zod schemas below are the single source: schema/trace.v1.schema.json
 * is generated from them (npm run schema) and the tests validate real output against them.
 * Objects are strict: a key the writer adds without documenting it here fails the schema test.
 */

export { TRACE_SCHEMA, TRACE_VERSION };

const timeMs = z.number().nonnegative().describe('simulated time of the record, in ms since the start of the run (µs precision, up to 3 decimals); one global clock for all hosts, not a host clock');
const proc = z.string().describe('name of the process (as in the model) the record is about');
const conn = z.number().int().describe('connection id, unique within the run');
const text = z.string();
const level = z.enum(['debug', 'verbose', 'notice', 'warning']).describe('Redis log level');

const rec = <K extends string, S extends z.ZodRawShape>(kind: K, description: string, shape: S) =>
  z.strictObject({ timeMs, kind: z.literal(kind), ...shape }).describe(description);

export const HeaderSchema = z
  .strictObject({
    kind: z.literal('header'),
    schema: z.literal(TRACE_SCHEMA),
    version: z.literal(TRACE_VERSION).describe('schema version; a reader refuses a newer one'),
    simulator: z.literal('sentinel-sim'),
    simulatorVersion: z.string().describe('version of sentinel-sim that wrote the file (package.json)'),
    scenario: z.string().describe('the scenario file as given on the command line ("-" for run -, as the log header quotes it)'),
    model: z.string().describe("the model's name"),
    modelHash: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 (hex) over the model's files: each file's path relative to the model folder and its contents, in path order"),
    seed: z.number().int().describe('the seed the run used'),
    records: z.enum(['all', 'events']).describe('"all": every record of the run (--trace, trace.jsonl); "events": only Sentinel events (--format jsonl)'),
  })
  .describe('first line of every file');

const TimerSchema = rec('timer', 'a timer fired in a process', { process: proc, key: z.string().describe('which timer') });

const MsgSchema = rec('msg', 'a message was delivered to a process', {
  conn,
  to: proc,
  message: z.string().describe('the message as the receiving protocol reads it (RESP, shortened)'),
});

const NetSchema = rec('net', 'a connection event seen by a process', {
  conn,
  process: proc,
  what: z.string().describe('accepted, connected, connectFailed or closed'),
  reason: z.string().optional(),
});

const endpoints = z.union([z.string(), z.array(z.string())]);
const FaultSchema = rec('fault', 'a fault, a process start or exit, or a scenario note (applied from outside the model)', {
  what: z.string().describe('start, exit, kill, pause, resume, host-down, host-up, partition, partition-one-way, heal, clock-jump, clock-drift, link, wipe-disk, skipped, note, ...'),
  process: proc.optional(),
  host: z.string().optional().describe('the host a host fault applies to'),
  from: endpoints.optional().describe('partition: the hosts on one side; link: the host it starts at'),
  to: endpoints.optional().describe('partition: the hosts on the other side; link: the host it ends at'),
  code: z.number().int().optional().describe('exit: the exit code'),
  action: z.string().optional().describe('skipped: the action that was not applied'),
  why: z.string().optional(),
  text: z.string().optional().describe('note: its text'),
  ms: z.number().optional().describe('clock-jump: how far the host clock jumped, in ms'),
  ppm: z.number().optional().describe('clock-drift: the host clock rate error, in parts per million'),
  latencyUs: z.number().optional().describe('link: one-way base latency, µs'),
  jitterUs: z.number().optional().describe('link: extra latency drawn from [0, jitterUs), µs'),
  loss: z.number().optional().describe('link: probability a segment is lost'),
});

const LogSchema = rec('log', 'a process wrote a log line', { process: proc, level, text });

const EventSchema = rec('event', 'a Sentinel event (sentinelEvent()): what Sentinel logs and publishes', {
  process: proc,
  level,
  event: z.string().describe('the event name, e.g. +sdown, +switch-master'),
  text: text.describe('the rest of the line as Sentinel writes it'),
});

const StateSchema = rec('state', 'a state change a Redis node, a proxy or a client reports', {
  process: proc,
  what: z.string().optional().describe('Redis: boot, role, sync, link'),
  runId: z.string().optional(),
  replid: z.string().optional(),
  role: z.string().optional().describe('master or slave'),
  keys: z.number().int().optional().describe('number of keys'),
  offset: z.number().optional().describe('replication offset, bytes'),
  syncKind: z.enum(['full', 'partial']).optional().describe('sync: full or partial resynchronization'),
  side: z.enum(['master', 'replica']).optional(),
  replica: z.string().optional(),
  master: z.string().optional().describe('host:port of the master'),
  masterHost: z.string().optional(),
  masterPort: z.number().int().optional(),
  flushedKeys: z.number().int().optional(),
  loadedKeys: z.number().int().optional(),
  bytes: z.number().int().optional().describe('partial sync: backlog bytes sent'),
  status: z.string().optional().describe('link: up/down; proxy server: UP/DOWN'),
  proxy: z.string().optional().describe('a proxy: server, check-failed, session, retry, session-end, rejected'),
  client: z.string().optional().describe('a workload client: connected, disconnected, no-master, wrong-role'),
  conn: conn.optional(),
  server: z.string().optional(),
  from: z.string().optional().describe('ip:port a proxy session came from'),
  to: z.string().optional().describe('the node a client connected to'),
  health: z.number().int().optional().describe('proxy health-check counter'),
  attempt: z.number().int().optional().describe('proxy retry: the number of the connection attempt about to be made (2 is the first retry)'),
  reason: z.string().optional(),
  why: z.string().optional(),
  errors: z.array(z.string()).optional(),
});

const ReplySchema = rec('reply', "a reply to one of the scenario's or a client's commands", {
  process: proc,
  job: z.number().int().describe('the command number in its client'),
  label: z.string().optional(),
  probe: z.boolean().optional().describe('sent by the runner to check an expectation, not by the scenario'),
  to: z.string().describe('the node it was sent to'),
  cmd: z.string().describe('the command, words joined by spaces'),
  reply: z.unknown().describe('the reply as JSON (RESP nil is null, arrays are arrays)'),
  error: z.boolean(),
  text: z.string().describe('the reply as redis-cli prints it'),
});

const OpSchema = rec('op', "a workload client's operation (history: invoke, then ok, fail or info)", {
  process: proc,
  n: z.number().int().describe('operation number within the client'),
  phase: z.enum(['invoke', 'ok', 'fail', 'info']),
  f: z.enum(['SET', 'GET']),
  key: z.string(),
  value: z.string().optional().describe('SET: the value written'),
  read: z.unknown().optional().describe('GET ok: the value read (null: no such key)'),
  to: z.string().optional().describe('the node the command went to'),
  conn: conn.optional(),
  error: z.string().optional(),
});

export const RECORD_SCHEMAS = [TimerSchema, MsgSchema, NetSchema, FaultSchema, LogSchema, EventSchema, StateSchema, ReplySchema, OpSchema] as const;

export const TraceRecordSchema = z.discriminatedUnion('kind', RECORD_SCHEMAS);

/** Any line of a file: the header or a record. */
export const TraceLineSchema = z.discriminatedUnion('kind', [HeaderSchema, ...RECORD_SCHEMAS]);


/** JSON Schema of one line (schema/trace.v1.schema.json). */
export function traceJsonSchema(): unknown {
  return {
    title: `${TRACE_SCHEMA} v${TRACE_VERSION}: one line of a trace or jsonl file`,
    ...(z.toJSONSchema(TraceLineSchema, { unrepresentable: 'any' }) as object),
  };
}

/** Every key documented for each kind (the README's tables are checked against it). */
export function documentedKeys(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of [HeaderSchema, ...RECORD_SCHEMAS]) out[s.shape.kind.value] = Object.keys(s.shape);
  return out;
}
