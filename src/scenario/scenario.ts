import { dirname, join, isAbsolute } from 'node:path';
import { inputError, InputError } from '../config/errors.js';
import { closestEvent, SENTINEL_EVENTS } from '../check/catalogue.js';
import { compileUserPattern, PatternError, type UserPattern } from '../check/pattern.js';
import type { Expectation, PropertyName } from '../check/types.js';
import { formatDurationUs, parseDurationUs } from './duration.js';
import { loadModel, processAt, resolveInModel, type Model, type ModelLink } from './model.js';
import { ACTION_KINDS, ACTION_SCHEMAS, EXPECT_KINDS, EXPECT_SCHEMAS, ScenarioTopSchema, type ActionKind, type ExpectKind } from './schema.js';
import { MAX_ACTIONS, MAX_CLIENTS, MAX_DURATION_US, MAX_EXPECTATIONS, MAX_SCENARIO_VALUE_BYTES } from './inputLimits.js';
import { parseClients } from './clients.js';
import type { ClientFileData } from './schema.js';
import { parseYamlFile, readTextFile, zodToInputError, type YamlFile } from './yamlFile.js';

/**
 * Scenario files: a model, a seed, a duration, a timeline of actions and expectations. Loading
 * resolves every name against the model and every time to microseconds, so a scenario that loads
 * can run; any problem is an InputError naming file:line.
 */

export interface Target {
  /** The process, when the target is one of the model's. */
  readonly proc?: string;
  readonly ip: string;
  readonly port: number;
}

export type Action =
  | { readonly kind: 'crash' | 'debug-segfault' | 'sigterm' | 'restart' | 'start' | 'pause' | 'resume'; readonly procs: readonly string[] }
  | { readonly kind: 'shutdown'; readonly proc: string }
  | { readonly kind: 'host-down' | 'host-up' | 'isolate'; readonly host: string }
  | { readonly kind: 'partition'; readonly from: readonly string[]; readonly to: readonly string[]; readonly oneWay: boolean }
  | { readonly kind: 'heal' }
  | { readonly kind: 'clock-jump'; readonly host: string; readonly byUs: number }
  | { readonly kind: 'clock-drift'; readonly host: string; readonly ppm: number }
  | ({ readonly kind: 'link' } & ModelLink)
  | {
      readonly kind: 'command';
      readonly argv: readonly string[];
      /** Commands sent after argv on the same connection, each once the one before was answered. */
      readonly then?: readonly (readonly string[])[];
      /** undefined: the master, as the Sentinels report it. */
      readonly to?: Target;
      readonly client?: string;
      readonly timeoutUs: number;
    }
  | { readonly kind: 'note'; readonly text: string };

export type TimedAction = Action & { readonly atUs: number; readonly label?: string; readonly line: number };

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly model: Model;
  readonly seed: number;
  readonly durationUs: number;
  readonly timeline: readonly TimedAction[];
  readonly expectations: readonly Expectation[];
}

export interface ScenarioReadOptions {
  /** Use this model instead of loading the scenario's. */
  readonly model?: Model;
  /** Let the model read configuration files outside its folder. */
  readonly allowOutsideModel?: boolean;
}

export function loadScenario(file: string, opts: ScenarioReadOptions = {}): Scenario {
  return parseScenario(readTextFile(file, 'scenario file'), file, opts);
}

export function parseScenario(text: string, file: string, opts: ScenarioReadOptions = {}): Scenario {
  const y = parseYamlFile(text, file);
  if (y.data === null || typeof y.data !== 'object' || Array.isArray(y.data)) {
    throw inputError(file, 1, 'a scenario file must be a mapping with model:, seed:, duration: (and timeline:, expect:)');
  }
  const top = ScenarioTopSchema.safeParse(y.data);
  if (!top.success) throw zodToInputError(y, top.error);
  const d = top.data;
  for (const [key, max] of [['timeline', MAX_ACTIONS], ['expect', MAX_EXPECTATIONS], ['clients', MAX_CLIENTS]] as const) {
    const n = d[key]?.length ?? 0;
    if (n > max) throw y.fail([key, max], `${n} ${key === 'timeline' ? 'actions' : key === 'expect' ? 'expectations' : 'clients'}; the limit is ${max}`);
  }
  const durationUs = mustDur(y, ['duration'], d.duration);
  if (durationUs <= 0) throw y.fail(['duration'], 'duration must be greater than 0');
  if (durationUs > MAX_DURATION_US) throw y.fail(['duration'], `duration ${d.duration} is longer than the limit of 720h (30 days)`);
  const modelPath = isAbsolute(d.model) ? d.model : join(dirname(file), d.model);
  let model: Model;
  try {
    model = opts.model ?? loadModel(modelPath, { allowOutsideModel: opts.allowOutsideModel });
  } catch (e) {
    if (e instanceof InputError && e.file === modelPath && e.line === undefined) throw y.fail(['model'], `model ${modelPath}: ${e.message.replace(/^[^:]*: /, '')}`);
    throw e;
  }
  if (d.clients?.length) model = withScenarioClients(y, model, d.clients);
  const cx = new Ctx(y, model, durationUs);
  const timeline = (d.timeline ?? []).map((item, i) => cx.action(item, i));
  // Stable sort by time; same-time actions keep file order.
  const sorted = timeline.map((a, i) => [a, i] as const).sort((a, b) => a[0].atUs - b[0].atUs || a[1] - b[1]).map(([a]) => a);
  const labels = new Map<string, TimedAction>();
  for (const a of timeline) if (a.label) labels.set(a.label, a);
  const expectations = (d.expect ?? []).map((item, i) => cx.expectation(item, i, labels));
  return {
    file, name: d.name ?? file.replace(/^.*\//, '').replace(/\.ya?ml$/, ''), description: d.description, model, seed: d.seed,
    durationUs, timeline: sorted, expectations,
  };
}

/** The scenario's clients: (a folder of .conf files has no model.yaml to declare them in). */
function withScenarioClients(y: YamlFile, model: Model, list: readonly ClientFileData[]): Model {
  const portOwner = new Map<string, string>();
  for (const p of model.processes) portOwner.set(`${p.host}:${p.port}`, p.name);
  for (const c of model.clients) if (c.kind === 'proxy') portOwner.set(`${c.host}:${c.port}`, c.name);
  const clients = parseClients(y, list, {
    procs: new Map(model.processes.map((p) => [p.name, p])), hosts: new Set(model.hosts.map((h) => h.name)),
    clientHost: model.clientHost.name, portOwner, taken: new Set(model.clients.map((c) => c.name)),
    proxies: new Set(model.clients.filter((c) => c.kind === 'proxy').map((c) => c.name)),
  });
  return { ...model, clients: [...model.clients, ...clients] };
}

function mustDur(y: YamlFile, path: PropertyKey[], v: string): number {
  const us = parseDurationUs(v);
  if (us === undefined) throw y.fail(path, `"${v}" is not a duration`);
  return us;
}

function oneKindKey<K extends string>(y: YamlFile, path: PropertyKey[], item: unknown, kinds: readonly K[], what: string): K {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw y.fail(path, `each ${what} must be a mapping`);
  const keys = Object.keys(item);
  const found = kinds.filter((k) => keys.includes(k));
  if (found.length === 0) {
    const unknown = keys.filter((k) => !['at', 'label', 'name', 'to', 'client', 'timeout'].includes(k));
    const hint = unknown.length > 0 ? `unknown ${what} "${unknown[0]}"; ` : '';
    return (() => {
      throw inputError(y.file, unknown.length > 0 ? y.keyLineOf([...path, unknown[0]!]) : y.lineOf(path), `${hint}expected one of: ${kinds.join(', ')}`);
    })();
  }
  if (found.length > 1) throw inputError(y.file, y.keyLineOf([...path, found[1]!]), `one ${what} per entry: found both "${found[0]}" and "${found[1]}"`);
  return found[0]!;
}

class Ctx {
  private valueBytes = 0;
  private readonly values = new Map<number, string>();

  constructor(
    private readonly y: YamlFile,
    private readonly model: Model,
    private readonly durationUs: number,
  ) {}

  private proc(path: PropertyKey[], name: string, kind?: 'redis' | 'sentinel'): string {
    const p = this.model.processes.find((x) => x.name === name);
    if (!p) {
      const names = this.model.processes.map((x) => x.name).join(', ');
      throw this.y.fail(path, `unknown process "${name}" (the model has: ${names})`);
    }
    if (kind && p.kind !== kind) throw this.y.fail(path, `"${name}" is a ${p.kind} process, expected a ${kind}`);
    return p.name;
  }

  private procs(path: PropertyKey[], v: string | string[], kind?: 'redis' | 'sentinel'): string[] {
    return (Array.isArray(v) ? v : [v]).map((n, i) => this.proc(Array.isArray(v) ? [...path, i] : path, n, kind));
  }

  /** A host name, a process name (its host), or an alias. */
  private host(path: PropertyKey[], name: string): string {
    if (name === this.model.clientHost.name) return name;
    const h = this.model.hosts.find((x) => x.name === name);
    if (h) return h.name;
    const p = this.model.processes.find((x) => x.name === name);
    if (p) return p.host;
    const a = resolveInModel(this.model, name);
    if (a) return a.name;
    throw this.y.fail(path, `unknown host "${name}" (the model has: ${this.model.hosts.map((x) => x.name).join(', ')})`);
  }

  /** `{ bytes: n }`: one shared string per size, within the scenario's total (inputLimits.ts). */
  private valueOfBytes(path: PropertyKey[], n: number): string {
    this.valueBytes += n;
    if (this.valueBytes > MAX_SCENARIO_VALUE_BYTES) {
      throw this.y.fail(path, `{ bytes } values add up to more than ${MAX_SCENARIO_VALUE_BYTES} bytes (256 MiB), the limit for a scenario`);
    }
    let v = this.values.get(n);
    if (v === undefined) {
      v = 'x'.repeat(n);
      this.values.set(n, v);
    }
    return v;
  }

  private time(path: PropertyKey[], v: string, allowNegative = false): number {
    const us = parseDurationUs(v);
    if (us === undefined) throw this.y.fail(path, `"${v}" is not a duration`);
    if (us < 0 && !allowNegative) throw this.y.fail(path, `"${v}": a time cannot be negative`);
    return us;
  }

  private inRun(path: PropertyKey[], us: number, what: string): number {
    if (us > this.durationUs) throw this.y.fail(path, `${what} ${formatDurationUs(us)} is after the end of the run (duration ${formatDurationUs(this.durationUs)})`);
    return us;
  }

  private target(path: PropertyKey[], to: string): Target {
    const p = this.model.processes.find((x) => x.name === to);
    if (p) return { proc: p.name, ip: this.model.hosts.find((h) => h.name === p.host)!.ip, port: p.port };
    const m = /^(.+):(\d+)$/.exec(to);
    if (!m) throw this.y.fail(path, `"${to}" is neither a process of the model nor host:port`);
    const h = resolveInModel(this.model, m[1]!);
    if (!h) throw this.y.fail(path, `unknown host "${m[1]}" in "${to}"`);
    const port = Number(m[2]);
    return { proc: processAt(this.model, h.ip, port)?.name, ip: h.ip, port };
  }

  action(item: unknown, i: number): TimedAction {
    const path: PropertyKey[] = ['timeline', i];
    const kind = oneKindKey(this.y, path, item, ACTION_KINDS, 'action');
    const r = (ACTION_SCHEMAS[kind] as any).safeParse(item);
    if (!r.success) throw zodToInputError(this.y, r.error, path);
    const d = r.data as any;
    const at = (k: PropertyKey) => [...path, k];
    const atUs = this.inRun(at('at'), this.time(at('at'), d.at), 'at');
    const base = { atUs, label: d.label as string | undefined, line: this.y.lineOf(path) };
    const a = this.actionBody(kind, d, at);
    return { ...a, ...base } as TimedAction;
  }

  private actionBody(kind: ActionKind, d: any, at: (k: PropertyKey) => PropertyKey[]): Action {
    switch (kind) {
      case 'crash':
      case 'debug-segfault':
      case 'sigterm':
      case 'restart':
      case 'start':
      case 'pause':
      case 'resume':
        return { kind, procs: this.procs(at(kind), d[kind]) };
      case 'shutdown':
        return { kind, proc: this.proc(at(kind), d.shutdown) };
      case 'host-down':
      case 'host-up':
      case 'isolate':
        return { kind, host: this.host(at(kind), d[kind]) };
      case 'partition': {
        const from = d.partition.from.map((n: string, j: number) => this.host([...at('partition'), 'from', j], n));
        const to = d.partition.to.map((n: string, j: number) => this.host([...at('partition'), 'to', j], n));
        const both = from.find((h: string) => to.includes(h));
        if (both) throw this.y.fail(at('partition'), `host "${both}" is on both sides of the partition`);
        return { kind, from, to, oneWay: d.partition['one-way'] ?? false };
      }
      case 'heal':
        return { kind };
      case 'clock-jump':
        return { kind, host: this.host([...at(kind), 'host'], d[kind].host), byUs: this.time([...at(kind), 'by'], d[kind].by, true) };
      case 'clock-drift': {
        const ppm = d[kind].ppm as number;
        if (Math.abs(ppm) >= 1_000_000) throw this.y.fail([...at(kind), 'ppm'], `drift of ${ppm} ppm would stop or reverse the clock (|ppm| must be below 1000000)`);
        return { kind, host: this.host([...at(kind), 'host'], d[kind].host), ppm };
      }
      case 'link': {
        const l = d.link;
        const from = this.host([...at('link'), 'from'], l.from);
        const to = this.host([...at('link'), 'to'], l.to);
        if (l.latency === undefined && l.jitter === undefined && l.loss === undefined) {
          throw this.y.fail(at('link'), 'a link change needs latency, jitter or loss');
        }
        return {
          kind, from, to, oneWay: l['one-way'] ?? false, loss: l.loss,
          latencyUs: l.latency === undefined ? undefined : this.time([...at('link'), 'latency'], l.latency),
          jitterUs: l.jitter === undefined ? undefined : this.time([...at('link'), 'jitter'], l.jitter),
        };
      }
      case 'command':
      case 'sentinel':
        return this.commandAction(kind, d, at);
      case 'note':
        return { kind, text: d.note };
    }
  }

  /** `command:` or `sentinel:` (a SENTINEL command to one of the model's Sentinels). */
  private commandAction(kind: 'command' | 'sentinel', d: any, at: (k: PropertyKey) => PropertyKey[]): Action {
    type Arg = string | number | { bytes: number };
    const toArgv = (list: Arg[], path: PropertyKey[]) => list.map((a) => (typeof a === 'object' ? this.valueOfBytes(path, a.bytes) : String(a)));
    // A list of lists is a sequence of commands on one connection; a flat list is one command.
    const given = d[kind] as Arg[] | Arg[][];
    const sequence = kind === 'command' && Array.isArray(given[0]) ? (given as Arg[][]).map((c, k) => toArgv(c, [...at(kind), k])) : undefined;
    let argv = sequence ? sequence[0]! : toArgv(given as Arg[], at(kind));
    let to: Target | undefined;
    if (kind === 'sentinel') {
      const sentinels = this.model.processes.filter((p) => p.kind === 'sentinel');
      if (sentinels.length === 0) throw this.y.fail(at(kind), 'the model has no Sentinel to send this to');
      const name = d.to === undefined ? sentinels[0]!.name : this.proc(at('to'), d.to, 'sentinel');
      to = this.target(at('to'), name);
      argv = ['SENTINEL', ...argv];
    } else if (d.to !== undefined) to = this.target(at('to'), d.to);
    if (d.client !== undefined && !this.model.clients.some((c) => c.name === d.client)) {
      throw this.y.fail(at('client'), `unknown client "${d.client}"`);
    }
    if (d.client !== undefined) throw this.y.fail(at('client'), `sending commands through model clients is not supported yet; omit "client"`);
    if (to === undefined && !this.model.processes.some((p) => p.kind === 'sentinel')) {
      throw this.y.fail(at(kind), 'no "to:" and no Sentinel in the model to ask for the master');
    }
    const timeoutUs = d.timeout === undefined ? 5_000_000 : this.time(at('timeout'), d.timeout);
    return { kind: 'command', argv, ...(sequence && sequence.length > 1 ? { then: sequence.slice(1) } : {}), to, client: d.client, timeoutUs };
  }

  expectation(item: unknown, i: number, labels: Map<string, TimedAction>): Expectation {
    const path: PropertyKey[] = ['expect', i];
    const kind: ExpectKind = oneKindKey(this.y, path, item, EXPECT_KINDS, 'expectation');
    const r = (EXPECT_SCHEMAS[kind] as any).safeParse(item);
    if (!r.success) throw zodToInputError(this.y, r.error, path);
    const d = r.data as any;
    const where = `${this.y.file}:${this.y.lineOf(path)}`;
    switch (kind) {
      case 'event':
        return this.eventExpectation(d, path, where);
      case 'master':
        return this.masterExpectation(d, path, where);
      case 'key': {
        const at = (k: PropertyKey) => [...path, k];
        const atUs = this.inRun(at('at'), this.time(at('at'), d.at), 'at');
        const on = d.on === undefined || d.on === 'master' ? 'master' : this.proc(at('on'), d.on, 'redis');
        const value = d.value === null ? null : String(d.value);
        return { kind, where, name: d.name ?? `${d.key} = ${JSON.stringify(value)} on ${on} at ${formatDurationUs(atUs)}`, key: d.key, value, atUs, on };
      }
      case 'reply':
        return this.replyExpectation(d, path, where, labels);
      case 'lostWrites':
        return this.lostWritesExpectation(d, path, where);
      case 'writes':
        return this.writesExpectation(d, path, where);
      case 'property':
        return this.property(d, path, where);
    }
  }

  /** `never: true`, `count: N` or `count: {min, max}` as a range; at least once by default. */
  private countRange(d: any, path: PropertyKey[]): { min: number; max: number } {
    const at = (k: PropertyKey) => [...path, k];
    if (d.never) {
      if (d.count !== undefined) throw this.y.fail(at('never'), 'use either "never" or "count", not both');
      return { min: 0, max: 0 };
    }
    if (typeof d.count === 'number') return { min: d.count, max: d.count };
    if (!d.count) return { min: 1, max: Infinity };
    const min = d.count.min ?? 0;
    const max = d.count.max ?? Infinity;
    if (min > max) throw this.y.fail(at('count'), `count min ${min} is greater than max ${max}`);
    return { min, max };
  }

  /** `after:` and `before:`: the window, checked to start no later than it ends. */
  private window(d: any, path: PropertyKey[]): { fromUs: number; toUs: number } {
    const at = (k: PropertyKey) => [...path, k];
    const fromUs = d.after === undefined ? 0 : this.inRun(at('after'), this.time(at('after'), d.after), 'after');
    let toUs = d.before === undefined ? Infinity : this.time(at('before'), d.before);
    if (d.within !== undefined) {
      if (d.before !== undefined) throw this.y.fail(at('within'), 'use either "before" or "within", not both');
      toUs = fromUs + this.time(at('within'), d.within);
    }
    if (toUs < fromUs) throw this.y.fail(at('before'), `the window ends (${formatDurationUs(toUs)}) before it starts (${formatDurationUs(fromUs)})`);
    return { fromUs, toUs };
  }

  private eventExpectation(d: any, path: PropertyKey[], where: string): Expectation {
    const at = (k: PropertyKey) => [...path, k];
    if (!SENTINEL_EVENTS.includes(d.event)) {
      const c = closestEvent(d.event);
      throw this.y.fail(at('event'), `unknown Sentinel event "${d.event}"${c ? ` (did you mean "${c}"?)` : ''}`);
    }
    const processes = d.process === undefined ? undefined : this.procs(at('process'), d.process);
    const text: UserPattern | undefined = d.text === undefined ? undefined : this.regex(at('text'), d.text);
    const { fromUs, toUs } = this.window(d, path);
    const { min, max } = this.countRange(d, path);
    if (d.each && !processes) throw this.y.fail(at('each'), '"each" needs a list of processes in "process"');
    const win = `${fromUs > 0 ? ` after ${formatDurationUs(fromUs)}` : ''}${toUs !== Infinity ? ` by ${formatDurationUs(toUs)}` : ''}`;
    const who = processes ? ` from ${processes.join('/')}` : '';
    const what = max === 0 ? `no ${d.event}` : min === max ? `${min}× ${d.event}` : max === Infinity && min === 1 ? d.event : `${d.event} ${min}..${max === Infinity ? '' : max} times`;
    return {
      kind: 'event', where, name: d.name ?? `${what}${who}${d.text ? ` matching /${d.text}/` : ''}${win}`, event: d.event, processes, text, fromUs,
      toUs, min, max, each: d.each ?? false,
    };
  }

  private masterExpectation(d: any, path: PropertyKey[], where: string): Expectation {
    const at = (k: PropertyKey) => [...path, k];
    const allowed = this.procs(at('master'), d.master, 'redis');
    const atUs = this.inRun(at('at'), this.time(at('at'), d.at), 'at');
    const names = [...new Set(this.model.processes.flatMap((p) => p.sentinel?.masters.map((m) => m.name) ?? []))];
    let of = d.of as string | undefined;
    if (of === undefined) {
      if (names.length !== 1 && d.source !== 'roles') throw this.y.fail(path, `say which master with "of:" (the Sentinels monitor ${names.length === 0 ? 'none' : names.join(', ')})`);
      of = names[0] ?? '';
    } else if (!names.includes(of)) throw this.y.fail(at('of'), `no Sentinel monitors a master named "${of}"`);
    const source = d.source ?? (names.length === 0 ? 'roles' : 'both');
    if (source !== 'roles' && names.length === 0) throw this.y.fail(at('source'), 'the model has no Sentinels to ask');
    return { kind: 'master', where, name: d.name ?? `master is ${allowed.join(' or ')} at ${formatDurationUs(atUs)}`, allowed, atUs, of, source };
  }

  private replyExpectation(d: any, path: PropertyKey[], where: string, labels: Map<string, TimedAction>): Expectation {
    const at = (k: PropertyKey) => [...path, k];
    if (!labels.has(d.reply)) {
      throw this.y.fail(at('reply'), `no command in the timeline has label "${d.reply}"${labels.size ? ` (labels: ${[...labels.keys()].join(', ')})` : ''}`);
    }
    if (labels.get(d.reply)!.kind !== 'command') throw this.y.fail(at('reply'), `"${d.reply}" labels a ${labels.get(d.reply)!.kind} action, which has no reply`);
    const hasEquals = Object.prototype.hasOwnProperty.call(d, 'equals');
    if (!hasEquals && d.matches === undefined && d.error === undefined) throw this.y.fail(path, 'say what the reply should be: equals, matches or error');
    return {
      kind: 'reply', where, name: d.name ?? `reply to ${d.reply}`, label: d.reply, hasEquals, equals: d.equals,
      matches: d.matches === undefined ? undefined : this.regex(at('matches'), d.matches), error: d.error,
    };
  }

  private lostWritesExpectation(d: any, path: PropertyKey[], where: string): Expectation {
    const at = (k: PropertyKey) => [...path, k];
    const workloads = this.model.clients.filter((c) => c.kind !== 'proxy' && c.everyUs !== undefined && c.everyUs > 0);
    if (workloads.length === 0) throw this.y.fail(at('lostWrites'), 'the model has no client with a workload ("every:"), so no write is ever acknowledged (declare clients: in the model.yaml, or in the scenario)');
    if (d.client !== undefined && !workloads.some((c) => c.name === d.client)) {
      throw this.y.fail(at('client'), `"${d.client}" is not a workload client of the model (${workloads.map((c) => c.name).join(', ')})`);
    }
    const lw = d.lostWrites;
    let min = 0;
    let max = Infinity;
    if (typeof lw === 'number') min = max = lw;
    else {
      if (lw.min !== undefined && lw.atLeast !== undefined) throw this.y.fail(at('lostWrites'), 'use either "min" or "atLeast", not both');
      min = lw.min ?? lw.atLeast ?? 0;
      max = lw.max ?? Infinity;
      if (lw.min === undefined && lw.atLeast === undefined && lw.max === undefined) throw this.y.fail(at('lostWrites'), 'say how many: a number, {max: N} or {atLeast: N}');
      if (min > max) throw this.y.fail(at('lostWrites'), `min ${min} is greater than max ${max}`);
    }
    const what = min === max ? `${min}` : max === Infinity ? `at least ${min}` : min === 0 ? `at most ${max}` : `${min}..${max}`;
    return { kind: 'lostWrites', where, name: d.name ?? `${what} acknowledged writes lost${d.client ? ` (${d.client})` : ''}`, ...(d.client ? { client: d.client } : {}), min, max };
  }

  private writesExpectation(d: any, path: PropertyKey[], where: string): Expectation {
    const at = (k: PropertyKey) => [...path, k];
    const c = this.model.clients.find((x) => x.name === d.writes);
    if (!c || c.kind === 'proxy') throw this.y.fail(at('writes'), `unknown workload client "${d.writes}"${this.model.clients.length ? ` (clients: ${this.model.clients.filter((x) => x.kind !== 'proxy').map((x) => x.name).join(', ')})` : ''}`);
    if (c.everyUs === undefined || c.everyUs <= 0) throw this.y.fail(at('writes'), `client "${d.writes}" has no workload ("every:")`);
    const by = d.by === undefined ? undefined : this.proc(at('by'), d.by, 'redis');
    const { fromUs, toUs } = this.window(d, path);
    const { min, max } = this.countRange(d, path);
    const win = `${fromUs > 0 ? ` after ${formatDurationUs(fromUs)}` : ''}${toUs !== Infinity ? ` by ${formatDurationUs(toUs)}` : ''}`;
    return {
      kind: 'writes', where, name: d.name ?? `${max === 0 ? 'no' : 'some'} writes of ${d.writes} acknowledged${by ? ` by ${by}` : ''}${win}`, client: d.writes,
      ...(by ? { by } : {}), fromUs, toUs, min, max,
    };
  }

  private property(d: any, path: PropertyKey[], where: string): Expectation {
    const at = (k: PropertyKey) => [...path, k];
    const p = d.property as PropertyName;
    const only = (k: string, props: PropertyName[]) => {
      if (d[k] !== undefined && !props.includes(p)) throw this.y.fail(at(k), `"${k}" does not apply to ${p}`);
    };
    only('at', ['converges']);
    only('of', ['converges']);
    only('after', ['fails-over']);
    only('within', ['fails-over']);
    only('window', ['single-writable-master']);
    if (p === 'fails-over' && (d.after === undefined || d.within === undefined)) throw this.y.fail(path, 'fails-over needs "after" (when the master failed) and "within"');
    const fromUs = d.at !== undefined ? this.inRun(at('at'), this.time(at('at'), d.at), 'at')
      : d.after !== undefined ? this.inRun(at('after'), this.time(at('after'), d.after), 'after') : this.durationUs;
    const toUs = d.within !== undefined ? fromUs + this.time(at('within'), d.within) : fromUs;
    const names = [...new Set(this.model.processes.flatMap((x) => x.sentinel?.masters.map((m) => m.name) ?? []))];
    if (['one-leader-per-epoch', 'one-vote-per-epoch', 'config-epoch-increases', 'converges', 'fails-over'].includes(p) && names.length === 0) {
      throw this.y.fail(at('property'), `${p} needs Sentinels, and the model has none`);
    }
    if (d.of !== undefined && !names.includes(d.of)) throw this.y.fail(at('of'), `no Sentinel monitors a master named "${d.of}"`);
    if (p === 'converges' && d.of === undefined && names.length !== 1) throw this.y.fail(path, `say which master with "of:" (the Sentinels monitor ${names.join(', ')})`);
    const windowUs = d.window === undefined ? 0 : this.time(at('window'), d.window);
    const when = p === 'converges' ? ` at ${formatDurationUs(fromUs)}` : p === 'fails-over' ? ` between ${formatDurationUs(fromUs)} and ${formatDurationUs(toUs)}` : windowUs > 0 ? ` (window ${formatDurationUs(windowUs)})` : '';
    return { kind: 'property', where, name: d.name ?? `${p}${when}`, property: p, fromUs, toUs, windowUs, of: d.of ?? names[0] ?? '' };
  }

  /** A user's pattern, in RE2 syntax (linear time: no pattern can hang a run). */
  private regex(path: PropertyKey[], src: string): UserPattern {
    try {
      return compileUserPattern(src);
    } catch (e) {
      if (e instanceof PatternError) throw this.y.fail(path, `bad regular expression (RE2 syntax): ${e.message}`);
      throw e;
    }
  }
}
