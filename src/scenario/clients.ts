import type { ClientFileData } from './schema.js';
import { optionalDurationUs as dur } from './duration.js';
import type { ModelClient, ModelProcess } from './model.js';
import type { YamlFile } from './yamlFile.js';
import type { HaproxyRoute } from '../config/haproxyCfg.js';

/**
 * The `clients:` list, as a model.yaml declares it or, for a folder of .conf files (which has no
 * model.yaml), as a scenario does: every name resolved against the model's processes and hosts.
 */

export interface ClientContext {
  readonly procs: ReadonlyMap<string, ModelProcess>;
  readonly hosts: ReadonlySet<string>;
  /** The scenario's client host (a client may run there too). */
  readonly clientHost: string;
  /** "host:port" → who listens there; a proxy's port is added. */
  readonly portOwner: Map<string, string>;
  /** Names clients may not take (the model's own clients, for a scenario's). */
  readonly taken?: ReadonlySet<string>;
  /** Proxies declared elsewhere (the model's, for a scenario's clients). */
  readonly proxies?: ReadonlySet<string>;
  /** Reads a proxy's haproxy.cfg (a model's folder rules apply); absent: `config:` is refused. */
  readonly readProxyConfig?: (path: PropertyKey[], config: string) => HaproxyRoute;
}

interface ProxyPort {
  readonly port?: number;
  readonly haproxy?: HaproxyRoute;
}

function checkEndpointRef(y: YamlFile, path: PropertyKey[], ref: string, procs: ReadonlyMap<string, ModelProcess>, kind: 'redis' | 'sentinel'): void {
  const p = procs.get(ref);
  if (p) {
    if (p.kind !== kind) throw y.fail(path, `"${ref}" is a ${p.kind} process, expected a ${kind}`);
    return;
  }
  if (!/^[^\s]+:\d+$/.test(ref)) throw y.fail(path, `"${ref}" is neither a ${kind} process of this model nor host:port`);
}

function checkClient(y: YamlFile, c: ClientFileData, i: number, all: readonly ClientFileData[], cx: ClientContext): ProxyPort {
  const at = (k: PropertyKey) => ['clients', i, k];
  if (!cx.hosts.has(c.host) && c.host !== cx.clientHost) throw y.fail(at('host'), `unknown host "${c.host}" (hosts: ${[...cx.hosts, cx.clientHost].join(', ')})`);
  if (c.kind === 'sentinel-aware') {
    if (!c.master) throw y.fail(['clients', i], `a sentinel-aware client needs "master" (the name the Sentinels monitor)`);
    if (!c.sentinels || c.sentinels.length === 0) throw y.fail(['clients', i], `a sentinel-aware client needs "sentinels"`);
    c.sentinels.forEach((s, j) => checkEndpointRef(y, ['clients', i, 'sentinels', j], s, cx.procs, 'sentinel'));
    return { port: c.port };
  }
  if (c.kind === 'direct') {
    if (!c.to) throw y.fail(['clients', i], `a direct client needs "to" (a proxy of the model, a Redis process or host:port)`);
    const proxyFirst = all.some((o) => o.kind === 'proxy' && o.name === c.to) || cx.proxies?.has(c.to) === true;
    if (!proxyFirst) checkEndpointRef(y, at('to'), c.to, cx.procs, 'redis');
    return { port: c.port };
  }
  return checkProxy(y, c, i, cx);
}

/** A proxy: its own port and backends, or those of its haproxy.cfg (`config:`), never both. */
function checkProxy(y: YamlFile, c: ClientFileData, i: number, cx: ClientContext): ProxyPort {
  const at = (k: PropertyKey) => ['clients', i, k];
  let haproxy: HaproxyRoute | undefined;
  if (c.config !== undefined) {
    for (const k of ['port', 'backends', 'check-interval', 'rise', 'fall', 'on-marked-down', 'idle-timeout'] as const) {
      if (c[k] !== undefined) throw y.fail(at(k), `"${k}" comes from the proxy's config (${c.config}): set it there`);
    }
    if (!cx.readProxyConfig) throw y.fail(at('config'), `a proxy's haproxy.cfg is read only for a model's proxies (declare it in model.yaml)`);
    haproxy = cx.readProxyConfig(at('config'), c.config);
    haproxy.backend.servers.forEach((sv) => checkEndpointRef(y, at('config'), `${sv.host}:${sv.port}`, cx.procs, 'redis'));
  } else {
    if (c.port === undefined) throw y.fail(['clients', i], `a proxy needs "port" (or "config", an haproxy.cfg)`);
    if (!c.backends || c.backends.length === 0) throw y.fail(['clients', i], `a proxy needs "backends" (or "config", an haproxy.cfg)`);
    c.backends.forEach((s, j) => checkEndpointRef(y, ['clients', i, 'backends', j], s, cx.procs, 'redis'));
  }
  const port = haproxy ? haproxy.port : c.port;
  const key = `${c.host}:${port}`;
  if (cx.portOwner.has(key)) throw y.fail(at(haproxy ? 'config' : 'port'), `port ${port} of host "${c.host}" is already used by "${cx.portOwner.get(key)}"`);
  cx.portOwner.set(key, c.name);
  return { port, haproxy };
}

export function parseClients(y: YamlFile, list: readonly ClientFileData[], cx: ClientContext): ModelClient[] {
  const names = new Set<string>();
  return list.map((c, i) => {
    const at = (k: PropertyKey) => ['clients', i, k];
    if (names.has(c.name) || cx.procs.has(c.name) || cx.taken?.has(c.name)) throw y.fail(at('name'), `the name "${c.name}" is already used`);
    names.add(c.name);
    const { port, haproxy } = checkClient(y, c, i, list, cx);
    return {
      name: c.name, host: c.host, kind: c.kind, master: c.master, sentinels: c.sentinels ?? [], password: c.password,
      everyUs: dur(y, at('every'), c.every), key: c.key, timeoutUs: dur(y, at('timeout'), c.timeout), port,
      ...(haproxy ? { haproxy } : {}),
      backends: c.backends ?? [], checkIntervalUs: dur(y, at('check-interval'), c['check-interval']), line: y.lineOf(['clients', i]),
      ...(c.resolve ? { resolve: c.resolve } : {}), ...(c.to ? { to: c.to } : {}), ...(c.workload ? { workload: c.workload } : {}),
      ...(c.rise !== undefined ? { rise: c.rise } : {}), ...(c.fall !== undefined ? { fall: c.fall } : {}),
      ...(c.start !== undefined ? { startAtUs: dur(y, at('start'), c.start) } : {}),
      ...(c['on-marked-down'] ? { shutdownSessionsOnDown: true } : {}), ...(c['idle-timeout'] ? { idleTimeoutUs: dur(y, at('idle-timeout'), c['idle-timeout']) } : {}),
    };
  });
}
