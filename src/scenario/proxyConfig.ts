import type { ProxyConfig } from '../clients/proxy.js';
import type { ModelClient } from './model.js';

/**
 * What a proxy client of the model runs with: its haproxy.cfg when it has one (names, addresses,
 * checks, timeouts and retries as configured there), else the model's own fields.
 * `endpoint` resolves a backend reference (a process name or host:port) in the model.
 */
export function proxyConfigOf(c: ModelClient, endpoint: (ref: string) => { ip: string; port: number; name?: string }): ProxyConfig {
  const ms = (us: number | undefined) => (us === undefined ? undefined : us / 1000);
  if (!c.haproxy) {
    return {
      port: c.port!, servers: c.backends.map((b) => { const e = endpoint(b); return { name: e.name ?? b, ip: e.ip, port: e.port }; }),
      interMs: ms(c.checkIntervalUs), rise: c.rise, fall: c.fall, shutdownSessionsOnDown: c.shutdownSessionsOnDown, idleTimeoutMs: ms(c.idleTimeoutUs),
    };
  }
  const { frontend: fe, backend: be, port } = c.haproxy;
  const idle = [fe.clientMs, be.serverMs].filter((x): x is number => x !== undefined);
  return {
    frontend: fe.name, backend: be.name, port,
    servers: be.servers.map((sv) => {
      const e = endpoint(`${sv.host}:${sv.port}`);
      return { name: sv.name, ip: e.ip, port: e.port, interMs: sv.interMs, rise: sv.rise, fall: sv.fall, shutdownSessionsOnDown: sv.shutdownSessionsOnDown };
    }),
    ...(be.tcpCheck && be.tcpCheck.length > 0 ? { steps: be.tcpCheck } : {}),
    checkTimeoutMs: be.checkMs, connectTimeoutMs: be.connectMs, retries: be.retries,
    idleTimeoutMs: idle.length > 0 ? Math.min(...idle) : undefined,
  };
}
