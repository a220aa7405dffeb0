import { readBoundedFile } from '../config/boundedRead.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { RedisNodeConfig, SentinelFileConfig } from '../config/types.js';
import { inputError } from '../config/errors.js';
import { strerror } from '../config/strerror.js';
import { parseDurationUs } from './duration.js';
import { ModelSchema, type ModelFileData } from './schema.js';
import { fileProblem, readYamlFile, zodToInputError, type YamlFile } from './yamlFile.js';
import { isInsideFolder, OUTSIDE_MODEL } from '../config/loader.js';
import { MAX_CLIENTS, MAX_FILE_BYTES, MAX_HOSTS, MAX_PROCESSES } from './inputLimits.js';
import { parseClients } from './clients.js';
import { optionalDurationUs as dur } from './duration.js';
import { formatUnusual, unusualDeployment } from './unusual.js';
import { loadRedisConf, loadSentinelConf } from './configs.js';
import type { CrashReportRange } from '../redis/crash.js';
import { haproxyRoute, parseHaproxyCfg, type HaproxyRoute } from '../config/haproxyCfg.js';

/**
 * A deployment model: hosts with one address each, the redis/sentinel processes on them with
 * their parsed configuration files, failure domains, link parameters and clients. Loaded from a
 * model.yaml (every error names file:line), or inferred from a folder of .conf files.
 */

export interface ModelHost {
  readonly name: string;
  readonly ip: string;
  readonly aliases: readonly string[];
  readonly line: number;
}

export interface ModelProcess {
  readonly name: string;
  readonly kind: 'redis' | 'sentinel';
  readonly host: string;
  readonly configFile: string;
  readonly redis?: RedisNodeConfig;
  readonly sentinel?: SentinelFileConfig;
  readonly port: number;
  readonly down: boolean;
  readonly startAtUs: number;
  readonly line: number;
}

export interface FailureDomain {
  readonly name: string;
  readonly kind: string;
  readonly hosts: readonly string[];
  readonly processes: readonly string[];
  /** Every host is a domain of its own (kind "host") unless the model names one for it. */
  readonly implicit: boolean;
}

export interface ModelLink {
  readonly from: string;
  readonly to: string;
  readonly latencyUs?: number;
  readonly jitterUs?: number;
  readonly loss?: number;
  readonly oneWay: boolean;
}

export interface ModelClient {
  readonly name: string;
  readonly host: string;
  readonly kind: 'sentinel-aware' | 'direct' | 'proxy';
  readonly master?: string;
  readonly sentinels: readonly string[];
  /** sentinel-aware: ask the Sentinels every round (default) or only to (re)connect. */
  readonly resolve?: 'every-op' | 'on-reconnect';
  /** direct: a proxy of the model, a Redis process, or host:port. */
  readonly to?: string;
  readonly workload?: 'set-get' | 'unique';
  readonly password?: string;
  readonly everyUs?: number;
  readonly key?: string;
  readonly timeoutUs?: number;
  readonly port?: number;
  readonly backends: readonly string[];
  readonly checkIntervalUs?: number;
  readonly rise?: number;
  readonly fall?: number;
  readonly shutdownSessionsOnDown?: boolean;
  readonly idleTimeoutUs?: number;
  /** proxy: the frontend and backend of its haproxy.cfg, when it has one (replaces port, backends, checks, timeouts). */
  readonly haproxy?: HaproxyRoute;
  /** When the client (or proxy) process starts; absent: at time 0. */
  readonly startAtUs?: number;
  readonly line: number;
}

/** Model parameters that are not in a config file (schema.ts ModelOptionsSchema). */
export interface ModelOptions {
  readonly crashReportMs?: CrashReportRange;
  readonly datasetBytes?: number;
}

export interface Model {
  /** model.yaml path, or the folder when inferred. */
  readonly file: string;
  readonly dir: string;
  readonly name: string;
  readonly description?: string;
  readonly hosts: readonly ModelHost[];
  readonly processes: readonly ModelProcess[];
  readonly failureDomains: readonly FailureDomain[];
  readonly links: readonly ModelLink[];
  readonly clients: readonly ModelClient[];
  /** Where scenario commands run from. */
  readonly clientHost: { readonly name: string; readonly ip: string };
  /** Absent: every default. */
  readonly options?: ModelOptions;
  /** What was inferred (folder of .conf files without a model.yaml), one line each. */
  readonly inferred: readonly string[];
  readonly warnings: readonly string[];
}

export interface ModelReadOptions {
  /** Read configuration files outside the model's folder (a shared model may not, by default). */
  readonly allowOutsideModel?: boolean;
}

/** Load a model from a model.yaml, a folder holding one, or a folder of .conf files. */
export function loadModel(path: string, opts: ModelReadOptions = {}): Model {
  if (path === '') throw inputError('model', undefined, 'the path is empty');
  const p = resolve(path);
  let st;
  try {
    st = statSync(p);
  } catch (e) {
    const loop = (e as NodeJS.ErrnoException).code === 'ELOOP';
    throw inputError(path, undefined, loop ? 'model: symbolic link loop' : 'model not found (expected a model.yaml or a folder of .conf files)');
  }
  if (st.isDirectory()) {
    const y = join(p, 'model.yaml');
    if (existsSync(y)) return loadModelFile(join(path, 'model.yaml'), opts);
    return inferModel(path, opts);
  }
  return loadModelFile(path, opts);
}

export function loadModelFile(file: string, opts: ModelReadOptions = {}): Model {
  const y = readYamlFile(file, 'model file');
  return modelFromYaml(y, opts);
}

export function modelFromYaml(y: YamlFile, opts: ModelReadOptions = {}): Model {
  if (y.data === null || typeof y.data !== 'object' || Array.isArray(y.data)) {
    throw inputError(y.file, 1, 'a model file must be a mapping with hosts: and processes:');
  }
  const r = ModelSchema.safeParse(y.data);
  if (!r.success) throw zodToInputError(y, r.error);
  checkModelSize(y, r.data);
  return buildModel(r.data, y, dirname(y.file), opts);
}

function checkModelSize(y: YamlFile, d: ModelFileData): void {
  const limits: [keyof ModelFileData, number, string][] = [
    ['hosts', MAX_HOSTS, 'hosts'], ['processes', MAX_PROCESSES, 'processes'], ['clients', MAX_CLIENTS, 'clients'],
  ];
  for (const [key, max, what] of limits) {
    const n = (d[key] as unknown[] | undefined)?.length ?? 0;
    if (n > max) throw y.fail([key, max], `${n} ${what}; the limit is ${max}`);
  }
}

/** A model's configuration file must exist, be a file, and (unless allowed) lie in the model's folder. */
function checkConfigPath(y: YamlFile, path: PropertyKey[], dir: string, config: string, opts: ModelReadOptions): string {
  // An absolute path names that file (then it must lie inside the folder unless allowed), not dir + path.
  const cfgPath = isAbsolute(config) ? config : join(dir, config);
  if (!opts.allowOutsideModel && !isInsideFolder(dir, cfgPath)) throw y.fail(path, `configuration file ${config} is ${OUTSIDE_MODEL}`);
  const problem = fileProblem(cfgPath);
  if (problem === 'not found') throw y.fail(path, `configuration file ${cfgPath} not found`);
  if (problem) throw y.fail(path, `configuration file ${cfgPath}: ${problem}`);
  return cfgPath;
}

function checkIp(y: YamlFile, path: PropertyKey[], ip: string): void {
  if (isIP(ip) === 0) throw y.fail(path, `"${ip}" is not an IP address (a host's ip must be numeric; put names in aliases)`);
}

function buildModel(d: ModelFileData, y: YamlFile, dir: string, opts: ModelReadOptions): Model {
  const { hosts, hostByName, ipOwner } = readHosts(d, y);
  const { processes, procByName, portOwner } = readProcesses(d, y, dir, opts, hosts, hostByName);
  const domains = readDomains(d, y, hosts, hostByName, procByName);
  const links: ModelLink[] = (d.links ?? []).map((l, i) => {
    for (const k of ['from', 'to'] as const) if (!hostByName.has(l[k])) throw y.fail(['links', i, k], `unknown host "${l[k]}"`);
    return {
      from: l.from, to: l.to, oneWay: l['one-way'] ?? false, loss: l.loss,
      latencyUs: dur(y, ['links', i, 'latency'], l.latency), jitterUs: dur(y, ['links', i, 'jitter'], l.jitter),
    };
  });

  const clientHost = d.clientHost ?? { name: freeName('client', hostByName), ip: freeIp(hosts) };
  if (d.clientHost) {
    if (hostByName.has(clientHost.name)) throw y.fail(['clientHost', 'name'], `clientHost "${clientHost.name}" is also a model host`);
    checkIp(y, ['clientHost', 'ip'], clientHost.ip);
    if (ipOwner.has(clientHost.ip)) throw y.fail(['clientHost', 'ip'], `clientHost address ${clientHost.ip} belongs to host "${ipOwner.get(clientHost.ip)}"`);
  }

  const clients = parseClients(y, d.clients ?? [], {
    procs: procByName, hosts: new Set(hostByName.keys()), clientHost: clientHost.name, portOwner,
    readProxyConfig: (path, config) => readProxyConfig(y, path, dir, config, opts),
  });

  const model: Model = {
    file: y.file, dir, name: d.name ?? basename(dir), description: d.description, hosts, processes,
    failureDomains: domains, links, clients, clientHost, inferred: [], warnings: [], options: modelOptions(y, d.options),
  };
  return { ...model, warnings: crossCheck(model) };
}

function readHosts(d: ModelFileData, y: YamlFile): { hosts: ModelHost[]; hostByName: Map<string, ModelHost>; ipOwner: Map<string, string> } {
  const hosts: ModelHost[] = [];
  const hostByName = new Map<string, ModelHost>();
  const ipOwner = new Map<string, string>();
  const nameOwner = new Map<string, string>(); // every resolvable name → host
  d.hosts.forEach((h, i) => {
    if (hostByName.has(h.name)) throw y.fail(['hosts', i, 'name'], `host "${h.name}" is defined twice`);
    checkIp(y, ['hosts', i, 'ip'], h.ip);
    if (ipOwner.has(h.ip)) {
      throw y.fail(['hosts', i, 'ip'], `hosts "${ipOwner.get(h.ip)}" and "${h.name}" share the address ${h.ip}; each host needs its own address (use another loopback address such as 127.0.0.2, or one host with several processes)`);
    }
    for (const a of [h.name, ...(h.aliases ?? [])]) {
      const o = nameOwner.get(a.toLowerCase());
      if (o !== undefined && o !== h.name) throw y.fail(['hosts', i], `the name "${a}" already resolves to host "${o}"`);
      nameOwner.set(a.toLowerCase(), h.name);
    }
    ipOwner.set(h.ip, h.name);
    const mh: ModelHost = { name: h.name, ip: h.ip, aliases: h.aliases ?? [], line: y.lineOf(['hosts', i]) };
    hosts.push(mh);
    hostByName.set(h.name, mh);
  });
  return { hosts, hostByName, ipOwner };
}

type ProcessTable = { processes: ModelProcess[]; procByName: Map<string, ModelProcess>; portOwner: Map<string, string> };

function readProcesses(d: ModelFileData, y: YamlFile, dir: string, opts: ModelReadOptions, hosts: readonly ModelHost[], hostByName: ReadonlyMap<string, ModelHost>): ProcessTable {
  const t: ProcessTable = { processes: [], procByName: new Map(), portOwner: new Map() };
  d.processes.forEach((p, i) => {
    const mp = readProcess(p, i, y, dir, opts, hosts, hostByName, t);
    t.processes.push(mp);
    t.procByName.set(p.name, mp);
  });
  return t;
}

function readProcess(p: ModelFileData['processes'][number], i: number, y: YamlFile, dir: string, opts: ModelReadOptions, hosts: readonly ModelHost[], hostByName: ReadonlyMap<string, ModelHost>, t: ProcessTable): ModelProcess {
  const at = (k: PropertyKey) => ['processes', i, k];
  if (t.procByName.has(p.name)) throw y.fail(at('name'), `process "${p.name}" is defined twice`);
  if (hostByName.has(p.name) && hostByName.get(p.name)!.name !== p.host) {
    throw y.fail(at('name'), `process "${p.name}" has the name of another host; a name must mean one thing`);
  }
  if (!hostByName.has(p.host)) throw y.fail(at('host'), `unknown host "${p.host}" (hosts: ${[...hostByName.keys()].join(', ')})`);
  const cfgPath = checkConfigPath(y, at('config'), dir, p.config, opts);
  const access = { root: dir, allowOutside: opts.allowOutsideModel };
  let redis: RedisNodeConfig | undefined;
  let sentinel: SentinelFileConfig | undefined;
  if (p.kind === 'redis') {
    redis = loadRedisConf(cfgPath, access);
    if (redis.directives.some((x) => x.name === 'sentinel')) {
      throw y.fail(at('kind'), `${p.config} has "sentinel" directives: is "${p.name}" a sentinel? (kind: sentinel)`);
    }
  } else {
    sentinel = loadSentinelConf(cfgPath, (n) => resolveInModel({ hosts }, n)?.ip ?? null, access);
    if (sentinel.masters.length === 0) throw y.fail(at('config'), `${p.config} has no "sentinel monitor" line: a Sentinel must monitor a master`);
  }
  const port = redis ? redis.port : sentinel!.port;
  if (port === 0) {
    // initServer(): no TCP socket and no unix socket (not modelled) -> exit(1) at start.
    throw y.fail(at('config'), `${p.config} sets port 0: real Redis listens nowhere and exits at start ("Configured to not listen anywhere, exiting."); the simulator does not model unix sockets`);
  }
  const key = `${p.host}:${port}`;
  if (t.portOwner.has(key)) {
    const first = t.procByName.get(t.portOwner.get(key)!);
    const ip = hostByName.get(p.host)!.ip;
    throw y.fail(at('name'), `processes "${t.portOwner.get(key)}"${first ? ` (line ${first.line})` : ''} and "${p.name}" both listen on ${ip}:${port} (host "${p.host}"); real Redis refuses the second: "Could not create server TCP listening socket ${ip}:${port}: bind: Address already in use"`);
  }
  t.portOwner.set(key, p.name);
  return {
    name: p.name, kind: p.kind, host: p.host, configFile: cfgPath, redis, sentinel, port,
    down: p.down ?? false, startAtUs: dur(y, at('start'), p.start) ?? 0, line: y.lineOf(['processes', i]),
  };
}

/** The declared failure domains, then one implicit domain per host that none names alone. */
function readDomains(d: ModelFileData, y: YamlFile, hosts: readonly ModelHost[], hostByName: ReadonlyMap<string, ModelHost>, procByName: ReadonlyMap<string, ModelProcess>): FailureDomain[] {
  const domains: FailureDomain[] = [];
  const domainNames = new Set<string>();
  (d.failureDomains ?? []).forEach((fd, i) => {
    if (domainNames.has(fd.name)) throw y.fail(['failureDomains', i, 'name'], `failure domain "${fd.name}" is defined twice`);
    domainNames.add(fd.name);
    if ((fd.hosts ?? []).length + (fd.processes ?? []).length === 0) throw y.fail(['failureDomains', i], `failure domain "${fd.name}" lists no hosts and no processes`);
    (fd.hosts ?? []).forEach((h, j) => {
      if (!hostByName.has(h)) throw y.fail(['failureDomains', i, 'hosts', j], `unknown host "${h}" in failure domain "${fd.name}"`);
    });
    (fd.processes ?? []).forEach((pn, j) => {
      if (!procByName.has(pn)) throw y.fail(['failureDomains', i, 'processes', j], `unknown process "${pn}" in failure domain "${fd.name}"`);
    });
    domains.push({ name: fd.name, kind: fd.kind, hosts: fd.hosts ?? [], processes: fd.processes ?? [], implicit: false });
  });
  for (const h of hosts) {
    const named = domains.some((fd) => fd.hosts.length === 1 && fd.hosts[0] === h.name && fd.processes.length === 0);
    if (!named && !domainNames.has(h.name)) domains.push({ name: h.name, kind: 'host', hosts: [h.name], processes: [], implicit: true });
  }
  return domains;
}

/** A proxy's haproxy.cfg: in the model folder (unless allowed), bounded, read as HAProxy would. */
function readProxyConfig(y: YamlFile, path: PropertyKey[], dir: string, config: string, opts: ModelReadOptions): HaproxyRoute {
  const cfgPath = checkConfigPath(y, path, dir, config, opts);
  const buf = readBoundedFile(cfgPath, MAX_FILE_BYTES);
  if (!Buffer.isBuffer(buf)) throw inputError(cfgPath, undefined, buf.error);
  return haproxyRoute(parseHaproxyCfg(buf.toString('utf8'), cfgPath));
}

function freeName(base: string, taken: Map<string, unknown>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** An address for the scenario's client host that reads naturally next to the model's. */
export function freeIp(hosts: readonly { ip: string }[]): string {
  const used = new Set(hosts.map((h) => h.ip));
  const v4 = hosts.map((h) => h.ip).filter((ip) => isIP(ip) === 4);
  const prefix = v4.length === 0 || v4.every((ip) => ip.startsWith('127.')) ? '127.0.0' : v4[0]!.split('.').slice(0, 3).join('.');
  for (let last = 250; last > 1; last--) {
    const ip = `${prefix}.${last}`;
    if (!used.has(ip)) return ip;
  }
  return '192.0.2.250';
}

/** Resolve a hostname or IP as the model's resolver does (names, aliases, IPs; localhost). */
export function resolveInModel(model: Pick<Model, 'hosts'>, name: string): ModelHost | undefined {
  const n = name.toLowerCase();
  return model.hosts.find((h) => h.ip === name || h.name.toLowerCase() === n || h.aliases.some((a) => a.toLowerCase() === n));
}

/** The process listening at host:port (host a name or an address), if any. */
export function processAt(model: Pick<Model, 'hosts' | 'processes'>, host: string, port: number, from?: string): ModelProcess | undefined {
  let h = resolveInModel(model, host);
  if (!h && (host === '127.0.0.1' || host === '::1' || host.toLowerCase() === 'localhost') && from) h = model.hosts.find((x) => x.name === from);
  if (!h) return undefined;
  return model.processes.find((p) => p.host === h!.name && p.port === port);
}

/** Warnings that do not stop a run (unusual.ts): unknown addresses, replicaof cycles, two masters, unreachable quorums. */
function crossCheck(m: Model): string[] {
  return unusualDeployment(m).map(formatUnusual);
}

// ------------------------------------------------------------------ inference from .conf files

interface Conf {
  readonly file: string;
  readonly name: string;
  readonly redis?: RedisNodeConfig;
  readonly sentinel?: SentinelFileConfig;
  readonly port: number;
  readonly bind?: string;
}

/** The folder's *.conf names, sorted; a folder that cannot be listed is the user's `file: reason`. */
function confFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.conf')).sort();
  } catch (e) {
    throw inputError(dir, undefined, `cannot list the folder: ${strerror((e as NodeJS.ErrnoException).code)}`);
  }
}

/**
 * No model.yaml: read every *.conf in the folder (sorted by name). A file with a `sentinel`
 * directive is a Sentinel, any other a Redis node. Hosts come from, in order: the first `bind`
 * address that is not a wildcard; the address a `sentinel monitor` / `known-replica` /
 * `replicaof` line gives for that port (masters first, then replicas in address order); and,
 * when nothing says, one shared host "localhost" (127.0.0.1) if the ports do not collide, else a
 * host per Redis node with each Sentinel placed next to the Redis node of the same rank.
 */
export function inferModel(folder: string, opts: ModelReadOptions = {}): Model {
  const dir = folder;
  const files = confFilesIn(dir);
  if (files.length === 0) throw inputError(folder, undefined, 'no model.yaml and no .conf files in this folder');
  if (files.length > MAX_PROCESSES) throw inputError(folder, undefined, `${files.length} .conf files; the limit is ${MAX_PROCESSES} processes`);
  const notes: string[] = [];
  const confs = readConfs(dir, files, opts);
  notes.push(`inferred a model from ${confs.length} .conf files in ${folder} (no model.yaml): ${confs.filter((c) => c.redis).length} Redis nodes, ${confs.filter((c) => c.sentinel).length} Sentinels`);
  const p: Placing = { confs, placed: new Map(), hosts: new InferredHosts(notes), notes };
  placeByBind(p);
  placeByGivenAddress(p);
  placeTheRest(p);
  const processes: ModelProcess[] = confs.map((c) => ({
    name: c.name, kind: c.sentinel ? 'sentinel' : 'redis', host: p.placed.get(c)!, configFile: c.file, redis: c.redis,
    sentinel: c.sentinel, port: c.port, down: false, startAtUs: 0, line: 1,
  }));
  const seen = new Set<string>();
  for (const proc of processes) {
    const k = `${proc.host}:${proc.port}`;
    if (seen.has(k)) throw inputError(proc.configFile, undefined, `cannot infer a model: two files listen on port ${proc.port} of the same host; write a model.yaml`);
    seen.add(k);
  }
  const mh: ModelHost[] = p.hosts.list.map((h) => ({ ...h, line: 0 }));
  const model: Model = {
    file: folder, dir, name: basename(resolve(folder)), hosts: mh, processes,
    failureDomains: mh.map((h) => ({ name: h.name, kind: 'host', hosts: [h.name], processes: [], implicit: true })),
    links: [], clients: [], clientHost: { name: freeName('client', new Map(mh.map((h) => [h.name, h]))), ip: freeIp(mh) },
    inferred: notes, warnings: [],
  };
  return { ...model, warnings: crossCheck(model) };
}

/** Each file read as what it is: a Sentinel if it has a `sentinel monitor` line, else a Redis node. */
function readConfs(dir: string, files: readonly string[], opts: ModelReadOptions): Conf[] {
  const access = { root: dir, allowOutside: opts.allowOutsideModel };
  return files.map((f) => {
    const path = join(dir, f);
    if (!opts.allowOutsideModel && !isInsideFolder(dir, path)) throw inputError(path, undefined, `a link to a file ${OUTSIDE_MODEL}`);
    const problem = fileProblem(path);
    if (problem) throw inputError(path, undefined, problem);
    const text = readFileText(path);
    const isSentinel = /^\s*sentinel\s+monitor\s/im.test(text);
    const name = f.replace(/\.conf$/, '');
    if (isSentinel) {
      const s = loadSentinelConf(path, undefined, access);
      return { file: path, name, sentinel: s, port: s.port, bind: firstBind(s.bind) };
    }
    const r = loadRedisConf(path, access);
    return { file: path, name, redis: r, port: r.port, bind: firstBind(r.bind) };
  });
}

/** The hosts an inferred model is given, in the order first met. */
class InferredHosts {
  readonly list: { name: string; ip: string; aliases: string[] }[] = [];

  constructor(private readonly notes: string[]) {}

  /** The host with this address or name, added if new: loopback is "localhost", a hostname gets a loopback address of its own. */
  hostFor(addr: string): string {
    const isNum = isIP(addr) !== 0;
    let h = this.list.find((x) => x.ip === addr || x.name === addr || x.aliases.includes(addr));
    if (h) return h.name;
    if (isNum) {
      h = { name: addr === '127.0.0.1' || addr === '::1' ? 'localhost' : addr, ip: addr, aliases: addr === '127.0.0.1' || addr === '::1' ? ['localhost'] : [] };
    } else if (addr.toLowerCase() === 'localhost') {
      h = { name: 'localhost', ip: '127.0.0.1', aliases: ['localhost'] };
    } else {
      let n = 1;
      while (this.list.some((x) => x.ip === `127.0.0.${n}`)) n++;
      h = { name: addr, ip: `127.0.0.${n}`, aliases: [] };
      this.notes.push(`hostname "${addr}" is not an address; gave it 127.0.0.${n}`);
    }
    this.list.push(h);
    return h.name;
  }
}

/** Where each file's process runs, as far as decided; every decision is noted. */
interface Placing {
  readonly confs: readonly Conf[];
  readonly placed: Map<Conf, string>;
  readonly hosts: InferredHosts;
  readonly notes: string[];
}

function placeByBind(p: Placing): void {
  for (const c of p.confs) {
    if (c.bind) {
      p.placed.set(c, p.hosts.hostFor(c.bind));
      p.notes.push(`${c.name}: on host ${p.placed.get(c)} (from "bind ${c.bind}"), port ${c.port}`);
    }
  }
}

interface Addr {
  readonly host: string;
  readonly port: number;
}

function uniqueAddrs(xs: Addr[]): Addr[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(`${x.host}:${x.port}`) ? false : (seen.add(`${x.host}:${x.port}`), true)));
}

/** Addresses other files give for Redis nodes: masters (monitor, replicaof lines), then the other replicas in address order. */
function givenAddresses(confs: readonly Conf[]): { masters: Addr[]; replicas: Addr[] } {
  const masterAddrs: Addr[] = [];
  const replicaAddrs: Addr[] = [];
  for (const c of confs) {
    for (const m of c.sentinel?.masters ?? []) {
      masterAddrs.push({ host: m.host, port: m.port });
      for (const kr of m.knownReplicas) replicaAddrs.push({ host: kr.host, port: kr.port });
    }
    if (c.redis?.replicaof) masterAddrs.push({ host: c.redis.replicaof.host, port: c.redis.replicaof.port });
  }
  const masters = uniqueAddrs(masterAddrs);
  const replicas = uniqueAddrs(replicaAddrs)
    .filter((r) => !masters.some((m) => m.host === r.host && m.port === r.port))
    .sort((a, b) => ipKey(a.host).localeCompare(ipKey(b.host)) || a.port - b.port);
  return { masters, replicas };
}

/** A Redis node with no bind goes where another file says a node of its port and role is (loopback says nothing). */
function placeByGivenAddress(p: Placing): void {
  const { masters: mAddrs, replicas: rAddrs } = givenAddresses(p.confs);
  const taken = (a: Addr) =>
    [...p.placed.entries()].some(([c, h]) => c.port === a.port && (h === a.host || p.hosts.list.find((x) => x.name === h)?.ip === a.host));
  for (const c of p.confs) {
    if (!c.redis || p.placed.has(c)) continue;
    const pool = c.redis.replicaof ? [...rAddrs, ...mAddrs] : [...mAddrs, ...rAddrs];
    const a = pool.find((x) => x.port === c.port && !taken(x));
    if (a && !(a.host === 'localhost' || a.host === '127.0.0.1' || a.host === '::1')) {
      p.placed.set(c, p.hosts.hostFor(a.host));
      p.notes.push(`${c.name}: on host ${p.placed.get(c)} (the address ${a.host}:${a.port} another file gives for a ${c.redis.replicaof ? 'replica' : 'master'}), port ${c.port}`);
    }
  }
}

/** The processes nothing placed: all on "localhost" if their ports allow, else on hosts of their own. */
function placeTheRest(p: Placing): void {
  const rest = p.confs.filter((c) => !p.placed.has(c));
  if (rest.length === 0) return;
  const ports = rest.map((c) => c.port);
  const usedOnLocal = [...p.placed.entries()].filter(([, h]) => h === 'localhost').map(([c]) => c.port);
  const collide = new Set([...ports, ...usedOnLocal]).size !== ports.length + usedOnLocal.length;
  if (collide) {
    placeOnOwnHosts(p, rest);
    return;
  }
  const h = p.hosts.hostFor('127.0.0.1');
  for (const c of rest) p.placed.set(c, h);
  p.notes.push(`${rest.map((c) => c.name).join(', ')}: no bind address and distinct ports: all on one host "localhost" (127.0.0.1)`);
}

/** Ports collide: each Redis node on a new host, each Sentinel next to the Redis node of the same rank when its port is free there. */
function placeOnOwnHosts(p: Placing, rest: readonly Conf[]): void {
  const redisHosts = [...p.placed.entries()].filter(([c]) => c.redis).map(([, h]) => h);
  // New addresses next to the ones the files mention (same /24), else 10.0.0.x.
  const known = p.hosts.list.map((h) => h.ip).find((ip) => isIP(ip) === 4 && !ip.startsWith('127.'));
  const prefix = known ? known.split('.').slice(0, 3).join('.') : '10.0.0';
  let n = 1;
  const fresh = () => {
    while (p.hosts.list.some((x) => x.ip === `${prefix}.${n}`)) n++;
    return p.hosts.hostFor(`${prefix}.${n}`);
  };
  for (const c of rest.filter((x) => x.redis)) {
    p.placed.set(c, fresh());
    redisHosts.push(p.placed.get(c)!);
    p.notes.push(`${c.name}: nothing says where it runs and ports collide: own host ${p.placed.get(c)}`);
  }
  rest.filter((x) => x.sentinel).forEach((c, i) => {
    const candidate = redisHosts[i];
    const free = candidate && ![...p.placed.entries()].some(([o, h]) => h === candidate && o.port === c.port);
    p.placed.set(c, free ? candidate! : fresh());
    p.notes.push(`${c.name}: placed on host ${p.placed.get(c)}${free ? ' (next to the Redis node of the same rank)' : ''}`);
  });
}

function readFileText(path: string): string {
  const bytes = readBoundedFile(path, MAX_FILE_BYTES);
  if (!Buffer.isBuffer(bytes)) throw inputError(path, undefined, `cannot read: ${bytes.error}`);
  return bytes.toString('utf8');
}

/** Sort key for addresses: IPv4 numerically, anything else as written. */
function ipKey(host: string): string {
  return isIP(host) === 4 ? host.split('.').map((x) => x.padStart(3, '0')).join('.') : host;
}

function firstBind(bind: readonly string[]): string | undefined {
  return bind.find((b) => !b.startsWith('-') && b !== '*' && b !== '0.0.0.0' && b !== '::' && b !== '::*');
}


function modelOptions(y: YamlFile, o: ModelFileData['options']): ModelOptions {
  if (!o) return {};
  const out: { crashReportMs?: CrashReportRange; datasetBytes?: number } = {};
  if (o.datasetBytes !== undefined) out.datasetBytes = o.datasetBytes;
  const c = o.crashReportMs;
  if (c !== undefined) {
    const r = typeof c === 'number' ? { minMs: c, maxMs: c } : { minMs: c.min, maxMs: c.max };
    if (r.minMs > r.maxMs) throw y.fail(['options', 'crashReportMs'], `min (${r.minMs}) is above max (${r.maxMs})`);
    out.crashReportMs = r;
  }
  return out;
}
