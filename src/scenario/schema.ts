import { MAX_COMMANDS_PER_ACTION, MAX_VALUE_BYTES } from './inputLimits.js';
import * as z from 'zod';
import { PROPERTY_NAMES } from '../check/types.js';
import { DURATION_PATTERN } from './duration.js';

// zod compiles each object schema into a function (new Function) on its first parse, which pays
// off over many parses; a model and a scenario are parsed once per command, where the compiling
// cost more than it saved (start-up of `run`, ~8 ms CPU of ~235 over 21 runs).
z.config({ jitless: true });

/**
 * The model and scenario file formats as zod schemas. These validate the shape; cross-references
 * (a process naming a host that exists, a label that is defined) are checked by the loaders,
 * which know the line of every value. `schema/*.schema.json` is generated from these
 * (src/scenario/emitSchema.ts) and a test keeps the shipped files equal to the generated ones.
 */

export const Duration = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), { error: 'is not a duration: write a number and a unit (us, ms, s, m, h), e.g. 1500ms, 10s, 3m, 1m30s' })
  .describe('A duration: a number and a unit (us, ms, s, m, h), e.g. 1500ms, 10s, 3m. Negative only for clock jumps.');

export const Name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, { error: 'is not a valid name (letters, digits, "_", ".", ":", "-"; no spaces)' })
  .describe('A host, process or client name.');

const NameOrNames = z.union([Name, z.array(Name).min(1)]);

// ------------------------------------------------------------------ model

export const HostSchema = z
  .strictObject({
    name: Name,
    ip: z.string().min(1).describe('The one address of this host (IPv4 or IPv6). Processes bound to 127.0.0.1 still get this host.'),
    aliases: z.array(z.string().min(1)).optional().describe('Other hostnames that resolve to this address (e.g. redis1, localhost).'),
    description: z.string().optional(),
  })
  .describe('A machine (or container) with one address.');

export const ProcessSchema = z
  .strictObject({
    name: Name,
    kind: z.enum(['redis', 'sentinel']),
    host: Name,
    config: z.string().min(1).describe('Path of the redis.conf / sentinel.conf, relative to the model file.'),
    down: z.boolean().optional().describe('Do not start at time 0 (start it from the scenario).'),
    start: Duration.optional().describe('Start this process later than time 0.'),
  })
  .describe('A redis-server or redis-sentinel process.');

export const FailureDomainSchema = z
  .strictObject({
    name: Name,
    kind: z.string().min(1).describe('machine, rack, zone, datacenter, container, process... free text.'),
    hosts: z.array(Name).optional(),
    processes: z.array(Name).optional(),
    description: z.string().optional(),
  })
  .describe('A set of hosts and/or processes that fail together. Every host is also, implicitly, a "machine" domain of its own.');

export const LinkSchema = z
  .strictObject({
    from: Name,
    to: Name,
    latency: Duration.optional(),
    jitter: Duration.optional(),
    loss: z.number().min(0).max(1).optional(),
    'one-way': z.boolean().optional(),
  })
  .describe('Latency/jitter/loss between two hosts (both directions unless one-way).');

export const ClientSchema = z
  .strictObject({
    name: Name,
    host: Name,
    kind: z.enum(['sentinel-aware', 'direct', 'proxy']),
    master: z.string().optional().describe('sentinel-aware: the master name to ask the Sentinels for.'),
    sentinels: z.array(z.string()).optional().describe('sentinel-aware: Sentinel process names or host:port, in the order tried.'),
    resolve: z
      .enum(['every-op', 'on-reconnect'])
      .optional()
      .describe('sentinel-aware: ask the Sentinels before every round of the workload (every-op, default: what seed 003\'s app does) or only when it has no verified connection (on-reconnect: the Sentinel client spec).'),
    to: z.string().optional().describe('direct: where it connects, e.g. a proxy of the model, a Redis process, or host:port.'),
    password: z.string().optional().describe('Password for the data nodes (AUTH).'),
    every: Duration.optional().describe('sentinel-aware / direct: run the workload this often; absent: no workload.'),
    workload: z
      .enum(['set-get', 'unique'])
      .optional()
      .describe('set-get (default): SET key <seconds> then GET key; unique: SET key:<client>:<n> <n>, a new key per write, so every lost acknowledged write shows.'),
    key: z.string().optional(),
    timeout: Duration.optional().describe('Socket timeout (redis-py socket_timeout); default 100ms.'),
    port: z.number().int().min(1).max(65535).optional().describe('proxy: the port it listens on.'),
    backends: z.array(z.string()).optional().describe('proxy: Redis process names or host:port.'),
    'check-interval': Duration.optional().describe('proxy: tcp-check interval (HAProxy `inter`); default 2s (HAProxy\'s default).'),
    rise: z.number().int().min(1).optional().describe('proxy: passed checks to mark a server UP (HAProxy default 2).'),
    fall: z.number().int().min(1).optional().describe('proxy: failed checks to mark a server DOWN (HAProxy default 3).'),
    'on-marked-down': z.enum(['shutdown-sessions']).optional().describe('proxy: close the sessions of a server marked DOWN (HAProxy `on-marked-down shutdown-sessions`); default: they stay.'),
    'idle-timeout': Duration.optional().describe('proxy: close a session idle this long (HAProxy `timeout client` / `timeout server`); default: never.'),
    config: z.string().optional().describe('proxy: an haproxy.cfg in the model folder; its frontend\'s bind port, default_backend, server lines (names, addresses, check inter/rise/fall), tcp-check steps, timeouts (connect, client, server, check) and retries replace port, backends, check-interval, rise, fall and idle-timeout.'),
    start: Duration.optional().describe('Start this client (or proxy) this long after time 0; default: at time 0.'),
  })
  .describe('A simulated client: a Sentinel-aware client (as the Sentinel client guidelines on redis.io describe), a client at a fixed address (e.g. behind a proxy), or a TCP proxy with HAProxy-like tcp-check health checks.');

export const ModelOptionsSchema = z
  .strictObject({
    crashReportMs: z
      .union([z.number().min(0).max(60_000), z.strictObject({ min: z.number().min(0).max(60_000), max: z.number().min(0).max(60_000) })])
      .optional()
      .describe(
        'How long a segfaulting Redis (DEBUG SEGFAULT) writes its bug report, answering nothing with its sockets open, before it dies and its clients see EOF: ms, or {min, max} for a seeded uniform draw per crash. Default {min: 236, max: 334}, measured against redis-server 7.0.15 on the machine this project was built on; other machines measured 140-150 and 770-1000.',
      ),
    datasetBytes: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40)
      .optional()
      .describe('Bytes of data each Redis node holds beyond the keys the simulation writes (an RDB of that size): it lengthens every RDB save (SHUTDOWN/SIGTERM with save points), every RDB transfer of a full sync, and the replica\'s load of it (at 262 MB/s, measured for 1 KB values), during which the replica answers -LOADING. Default 0.'),
  })
  .describe('Model parameters that are not in any config file: properties of the machines the deployment runs on.');
export type ClientFileData = z.infer<typeof ClientSchema>;

export const ModelSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    hosts: z.array(HostSchema).min(1),
    processes: z.array(ProcessSchema).min(1),
    failureDomains: z.array(FailureDomainSchema).optional(),
    links: z.array(LinkSchema).optional(),
    clients: z.array(ClientSchema).optional(),
    options: ModelOptionsSchema.optional(),
    clientHost: z
      .strictObject({ name: Name, ip: z.string().min(1) })
      .optional()
      .describe('Where scenario commands (redis-cli) run from; default: a host named "client" with a free address.'),
  })
  .describe('A sentinel-sim deployment model: hosts, the processes on them with their real configuration files, failure domains, links and clients.');

export type ModelFileData = z.infer<typeof ModelSchema>;

// ------------------------------------------------------------------ scenario: timeline

const common = {
  at: Duration.describe('Simulated time of the action, from the start of the run.'),
  label: Name.optional().describe('A name for this action, for `reply` expectations.'),
};

/** A value of that many bytes ("x" repeated), as `redis-cli -x SET key < file` sends a file's content. */
const ValueOfBytes = z
  .strictObject({ bytes: z.number().int().min(0).max(MAX_VALUE_BYTES) })
  .describe('A value of this many bytes (at most 64 MiB each, 256 MiB in a scenario).');

const CommandArgs = z.array(z.union([z.string(), z.number(), ValueOfBytes])).min(1);

const ProcRef = NameOrNames.describe('A process name, or a list of them.');
const HostRef = Name.describe('A host name (a process name means its host).');

export const ACTION_SCHEMAS = {
  crash: z.strictObject({ ...common, crash: ProcRef }).describe('kill -9: connections are reset, nothing is saved.'),
  'debug-segfault': z.strictObject({ ...common, 'debug-segfault': ProcRef }).describe('DEBUG SEGFAULT: the process dies at once, as after a crash.'),
  sigterm: z
    .strictObject({ ...common, sigterm: ProcRef })
    .describe('kill -TERM: Redis and Sentinel shut down gracefully at their next serverCron (a master first waits up to shutdown-timeout for its replicas, then saves if configured), with their own log lines; peers see FIN.'),
  shutdown: z.strictObject({ ...common, shutdown: Name }).describe('SHUTDOWN sent by redis-cli: the process saves (if configured) and exits.'),
  restart: z.strictObject({ ...common, restart: ProcRef }).describe('Start a stopped process again (a running one is killed first).'),
  start: z.strictObject({ ...common, start: ProcRef }).describe('Start a process that is down.'),
  pause: z.strictObject({ ...common, pause: ProcRef }).describe('SIGSTOP (docker pause).'),
  resume: z.strictObject({ ...common, resume: ProcRef }).describe('SIGCONT (docker unpause).'),
  'host-down': z.strictObject({ ...common, 'host-down': HostRef }).describe('The machine vanishes: processes die, no RSTs.'),
  'host-up': z.strictObject({ ...common, 'host-up': HostRef }).describe('The machine is back and its processes start.'),
  partition: z
    .strictObject({
      ...common,
      partition: z.strictObject({
        from: z.array(Name).min(1),
        to: z.array(Name).min(1),
        'one-way': z.boolean().optional().describe('Block only from → to.'),
      }),
    })
    .describe('Cut the network between two groups of hosts (process names mean their host).'),
  isolate: z.strictObject({ ...common, isolate: HostRef }).describe('Partition one host from every other host.'),
  heal: z.strictObject({ ...common, heal: z.union([z.literal(true), z.literal('all')]) }).describe('Remove every partition.'),
  'clock-jump': z
    .strictObject({ ...common, 'clock-jump': z.strictObject({ host: HostRef, by: Duration }) })
    .describe("Step a host's wall clock (monotonic clocks do not jump)."),
  'clock-drift': z
    .strictObject({ ...common, 'clock-drift': z.strictObject({ host: HostRef, ppm: z.number() }) })
    .describe("Set a host's clock drift in parts per million."),
  link: z
    .strictObject({
      ...common,
      link: z.strictObject({
        from: HostRef,
        to: HostRef,
        latency: Duration.optional(),
        jitter: Duration.optional(),
        loss: z.number().min(0).max(1).optional(),
        'one-way': z.boolean().optional(),
      }),
    })
    .describe('Change latency/jitter/loss between two hosts.'),
  command: z
    .strictObject({
      ...common,
      command: z
        .union([CommandArgs, z.array(CommandArgs).min(1).max(MAX_COMMANDS_PER_ACTION)])
        .describe(
          'The command and its arguments, e.g. [SET, greeting, hello], or [SET, big, { bytes: 100000 }] for a large value; or a list of commands sent in order on one connection, each after the reply to the one before (as redis-cli does with commands on its stdin), e.g. [[SET, k, v], [WAIT, 1, 1000]]: its reply is the list of their replies.',
        ),
      to: z.string().optional().describe('A process name or host:port; absent: the current master as the Sentinels report it.'),
      client: Name.optional().describe('Which client sends it (default: the scenario\'s redis-cli).'),
      timeout: Duration.optional().describe('Give up waiting for the reply (for a list: the last reply) after this long (default 5s).'),
    })
    .describe('A client command; its reply is recorded.'),
  sentinel: z
    .strictObject({
      ...common,
      sentinel: z.array(z.union([z.string(), z.number()])).min(1).describe('SENTINEL subcommand and arguments, e.g. [failover, mymaster].'),
      to: Name.optional().describe('The Sentinel process (default: the first one in the model).'),
      timeout: Duration.optional(),
    })
    .describe('A SENTINEL command; its reply is recorded.'),
  note: z.strictObject({ ...common, note: z.string() }).describe('A note written to the trace and the log.'),
} as const;

export type ActionKind = keyof typeof ACTION_SCHEMAS;
export const ACTION_KINDS = Object.keys(ACTION_SCHEMAS) as ActionKind[];

// ------------------------------------------------------------------ scenario: expectations

const exName = { name: z.string().optional().describe('How the expectation is called in reports.') };

const CountSchema = z.union([
  z.number().int().min(0),
  z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }),
]);

export const EXPECT_SCHEMAS = {
  event: z
    .strictObject({
      ...exName,
      event: z.string().min(1).describe('Sentinel event type, e.g. +switch-master, +sdown, +tilt; or a log line pattern with `log: true`.'),
      process: ProcRef.optional().describe('Only events from these processes (default: any).'),
      text: z.string().optional().describe('A regular expression (RE2 syntax: no lookarounds or backreferences; at most 1000 characters) the rest of the line must match somewhere.'),
      after: Duration.optional().describe('Window start (inclusive).'),
      before: Duration.optional().describe('Window end (inclusive).'),
      within: Duration.optional().describe('Window length from `after` (or from 0).'),
      never: z.boolean().optional().describe('The event must not occur in the window.'),
      count: CountSchema.optional().describe('Exact count, or {min, max}, in the window.'),
      each: z.boolean().optional().describe('Check the expectation for each listed process separately.'),
    })
    .describe('A Sentinel event occurs (or never occurs, or occurs N times) in a time window.'),
  master: z
    .strictObject({
      ...exName,
      master: ProcRef.describe('The Redis process(es) allowed to be the master.'),
      at: Duration,
      of: z.string().optional().describe('The monitored master name (default: the one every Sentinel monitors).'),
      source: z.enum(['sentinels', 'roles', 'both']).optional().describe('Ask the Sentinels (get-master-addr-by-name), the nodes (ROLE), or both (default).'),
    })
    .describe('At a time, the master is one of a set.'),
  key: z
    .strictObject({
      ...exName,
      key: z.string(),
      value: z.union([z.string(), z.number(), z.null()]).describe('Expected value (null: the key does not exist).'),
      at: Duration,
      on: Name.optional().describe('A Redis process, or "master" (default): the node(s) that report role master.'),
    })
    .describe('At a time, a key has a value.'),
  reply: z
    .strictObject({
      ...exName,
      reply: Name.describe('The label of a `command` or `sentinel` action.'),
      equals: z.unknown().optional().describe('The reply as plain data: OK, "value", 3, [ip, port], null, {error: "..."}.'),
      matches: z.string().optional().describe('A regular expression (RE2 syntax: no lookarounds or backreferences; at most 1000 characters) over the reply as text.'),
      error: z.boolean().optional().describe('The reply must (true) or must not (false) be an error.'),
    })
    .describe('The reply to a labelled command.'),
  lostWrites: z
    .strictObject({
      ...exName,
      lostWrites: z
        .union([
          z.number().int().min(0),
          z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional(), atLeast: z.number().int().min(0).optional() }),
        ])
        .describe('How many acknowledged writes the final master no longer holds: an exact number, or {max}, {min} / {atLeast}.'),
      client: Name.optional().describe('Only this workload client (default: all).'),
    })
    .describe('Acknowledged writes lost by the end of the run (checked against the final master).'),
  writes: z
    .strictObject({
      ...exName,
      writes: Name.describe('A workload client of the model.'),
      by: Name.optional().describe('Only writes this Redis process acknowledged (through a proxy: the backend of the session).'),
      after: Duration.optional().describe('Window start (inclusive).'),
      before: Duration.optional().describe('Window end (inclusive).'),
      count: CountSchema.optional().describe('Exact count, or {min, max}; default at least 1.'),
      never: z.boolean().optional().describe('No such write in the window.'),
    })
    .describe('A workload client got writes acknowledged in a window (e.g. by the new master, after a failover).'),
  property: z
    .strictObject({
      ...exName,
      property: z.enum(PROPERTY_NAMES).describe('A named property of the run, as `explore` checks it.'),
      at: Duration.optional().describe('converges: when every Sentinel and node must agree (default: the end of the run).'),
      after: Duration.optional().describe('fails-over: window start (the master failed).'),
      within: Duration.optional().describe('fails-over: window length.'),
      window: Duration.optional().describe('single-writable-master: the longest allowed time with two writable masters (default 0).'),
      of: z.string().optional().describe('converges: the monitored master name (default: the one every Sentinel monitors).'),
    })
    .describe('A named property of the whole run (what explore checks): one-leader-per-epoch, one-vote-per-epoch, config-epoch-increases, converges, fails-over, no-lost-writes, single-writable-master.'),
} as const;

export type ExpectKind = keyof typeof EXPECT_SCHEMAS;
export const EXPECT_KINDS = Object.keys(EXPECT_SCHEMAS) as ExpectKind[];

export const ScenarioSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    model: z.string().min(1).describe('Path of a model.yaml, or of a folder with one (or with only .conf files), relative to this file.'),
    seed: z.number().int().min(0).max(2 ** 53 - 1).describe('The seed; the CLI uses it unless --seed is given.'),
    duration: Duration.describe('How long to simulate.'),
    timeline: z.array(z.union(Object.values(ACTION_SCHEMAS) as any)).optional(),
    expect: z.array(z.union(Object.values(EXPECT_SCHEMAS) as any)).optional(),
    clients: z
      .array(ClientSchema)
      .optional()
      .describe("Clients added to the model for this scenario, as a model.yaml's clients: (the way to give clients to a folder of .conf files, which has no model.yaml). Hosts are the model's (inferred ones are printed on stderr) or the scenario's client host."),
  })
  .describe('A sentinel-sim scenario: a model, a seed, a timeline of actions and expectations.');

/** The top level without the list items (they are checked one by one for precise errors). */
export const ScenarioTopSchema = ScenarioSchema.extend({
  timeline: z.array(z.unknown()).optional(),
  expect: z.array(z.unknown()).optional(),
});

export function modelJsonSchema(): unknown {
  return { title: 'sentinel-sim model', ...(z.toJSONSchema(ModelSchema) as object) };
}
export function scenarioJsonSchema(): unknown {
  return { title: 'sentinel-sim scenario', ...(z.toJSONSchema(ScenarioSchema, { unrepresentable: 'any' }) as object) };
}
