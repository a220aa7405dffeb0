/**
 * Failures Redis 7.0.15 meets only after the config has loaded, while starting (`main()` →
 * `sentinelCheckConfigFile()`, `initServer()` → `listenToPort()`, `moduleLoadFromQueue()`), in the
 * order it meets them, with the words it logs. Name resolution for `bind` uses /etc/hosts only
 * (plus the loopback names), so the answer does not depend on DNS being reachable.
 */
import * as nodefs from 'node:fs';
import * as os from 'node:os';
import * as nodepath from 'node:path';
import { numericHost } from '../config/cparse.js';
import type { ConfigHost, LoadedConfig } from '../config/loader.js';

export interface StartupFailure {
  readonly reason: string;
  readonly detail?: string;
}

/** Addresses of this host's interfaces, plus the wildcard ones. */
function localAddresses(): Set<string> {
  const out = new Set<string>(['0.0.0.0', '::']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) out.add(a.address.split('%')[0]!);
  }
  return out;
}

/** /etc/hosts lookup (getaddrinfo's "files" source). */
export function hostsFileLookup(name: string, hostsPath = '/etc/hosts'): string[] {
  let text = '';
  try {
    text = nodefs.readFileSync(hostsPath, 'utf8');
  } catch {
    /* no hosts file */
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [ip, ...names] = line.split(/\s+/);
    if (ip && names.some((n) => n.toLowerCase() === name.toLowerCase())) out.push(ip);
  }
  if (out.length === 0 && /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$/i.test(name)) {
    out.push('127.0.0.1');
  }
  return out;
}

/**
 * Would `anetTcpServer(port, addr)` bind on this machine? null if yes, else the errno text after
 * "bind: " etc. Only for `lint --on-this-host`: a file is usually written for another host.
 */
export function localBindError(addr: string, local: Set<string> = localAddresses()): string | null {
  if (addr === '*' || addr === '::*') return null;
  const ip = numericHost(addr);
  if (ip !== null) {
    if (local.has(ip) || ip.startsWith('127.')) return null;
    return 'bind: Cannot assign requested address';
  }
  const ips = hostsFileLookup(addr);
  if (ips.length === 0) return 'Name or service not known';
  return ips.some((i) => local.has(numericHost(i) ?? i) || i.startsWith('127.')) ? null : 'bind: Cannot assign requested address';
}

function num(l: LoadedConfig, name: string, dflt: number): number {
  const v = l.values.get(name);
  return typeof v === 'bigint' ? Number(v) : dflt;
}

/** The first start-up failure Redis would log, or null when it would start serving. */
export function startupFailure(
  l: LoadedConfig,
  o: {
    sentinelMode: boolean;
    /** undefined: the config came on stdin (`redis-server -`), so there is no file. */
    configPath: string | undefined;
    cwd: string;
    host: ConfigHost;
    /** Check that this machine could write the Sentinel's config file (a local check). */
    checkConfigWritable: boolean;
    /** Would the address bind on the file's host? undefined: that host is unknown, skip. */
    bindError?: (addr: string) => string | null;
  },
): StartupFailure | null {
  if (o.sentinelMode && o.checkConfigWritable) {
    // sentinelCheckConfigFile(): a config file at all, then access(configfile, W_OK).
    if (o.configPath === undefined) return { reason: 'Sentinel needs config file on disk to save state. Exiting...' };
    const e = o.host.writableError(nodepath.resolve(o.cwd, o.configPath));
    if (e) return { reason: `Sentinel config file ${nodepath.resolve(o.cwd, o.configPath)} is not writable: ${e}. Exiting...` };
  }
  const port = num(l, 'port', o.sentinelMode ? 26379 : 6379);
  const tlsPort = num(l, 'tls-port', 0);
  const binds = l.bind ?? ['*', '-::*'];
  for (const [p, kind] of [
    [port, 'TCP'],
    [tlsPort, 'TLS'],
  ] as const) {
    if (p === 0) continue;
    for (const b of binds) {
      const optional = b.startsWith('-');
      const addr = optional ? b.slice(1) : b;
      const err = o.bindError ? o.bindError(addr) : null;
      if (err === null) continue;
      // listenToPort(): an optional ('-') address is skipped only for EADDRNOTAVAIL.
      if (optional && err.startsWith('bind:')) continue;
      return {
        reason: `Failed listening on port ${p} (${kind}), aborting.`,
        detail: `Warning: Could not create server ${kind} listening socket ${addr}:${p}: ${err}`,
      };
    }
  }
  const unixsocket = l.values.get('unixsocket');
  // listenToPort() opens no TCP socket at all when the bind list is empty (`bind ""`), whatever the port.
  const tcp = binds.length > 0 && (port !== 0 || tlsPort !== 0);
  if (!tcp && (typeof unixsocket !== 'string' || unixsocket === '')) {
    return { reason: 'Configured to not listen anywhere, exiting.' };
  }
  if (!o.sentinelMode) {
    // moduleLoadFromQueue(): module configs (name.with.dot) need a loadmodule that applies them.
    const modCfg = l.directives.some((d) => d.name.includes('.'));
    const loadmodule = l.directives.some((d) => d.name === 'loadmodule');
    if (modCfg && !loadmodule) {
      return { reason: 'Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting' };
    }
  }
  return null;
}

/** A host of a deployment model, as lint sees it: its one address and the names that resolve to it. */
export interface ModelBindHost {
  readonly name: string;
  readonly ip: string;
  readonly aliases: readonly string[];
}

/**
 * Would `bind addr` succeed on `host` of a model? The host owns its address, the loopback
 * addresses and the wildcards; a name resolves as the model's resolver does (host names,
 * aliases, localhost).
 */
export function modelBindError(addr: string, host: ModelBindHost, hosts: readonly ModelBindHost[]): string | null {
  if (addr === '*' || addr === '::*') return null;
  let ip = numericHost(addr);
  if (ip === null) {
    const n = addr.toLowerCase();
    if (/^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$/.test(n)) return null;
    const owner = hosts.find((h) => h.name.toLowerCase() === n || h.aliases.some((a) => a.toLowerCase() === n));
    if (!owner) return 'Name or service not known';
    ip = owner.ip;
  }
  if (ip === host.ip || ip === '0.0.0.0' || ip === '::' || ip === '::1' || ip.startsWith('127.')) return null;
  return 'bind: Cannot assign requested address';
}
