import { argvOf, array, bulk, error, int, NULL_BULK, OK, status } from '../../src/net/resp.js';
import type { Behavior } from '../../src/sim/process.js';
import type { BehaviorFactories } from '../../src/scenario/behaviors.js';

/**
 * Small stand-ins for the Redis and Sentinel models, enough to exercise the scenario layer:
 * a key-value node that knows its configured role, and a Sentinel that reports the configured
 * master, logs +monitor at boot and, after `down-after`, +sdown when the master refuses.
 */
interface FakeRedis {
  data: Record<string, string>;
  authed: Record<number, boolean>;
}

export function fakeRedis(port: number, replicaOf: { host: string; port: number } | undefined, password?: string): Behavior<FakeRedis> {
  return {
    kind: 'redis',
    init: () => ({ data: {}, authed: {} }),
    listenPorts: () => [port],
    onTimer() {},
    onNet(d, ev, ctx) {
      if (ev.k !== 'data') return;
      const argv = argvOf(ev.msg) ?? [];
      const cmd = (argv[0] ?? '').toUpperCase();
      if (cmd === 'AUTH') {
        if (argv[1] === password) {
          d.authed[ev.conn] = true;
          ctx.send(ev.conn, OK);
        } else ctx.send(ev.conn, error('WRONGPASS invalid username-password pair or user is disabled.'));
        return;
      }
      if (password && !d.authed[ev.conn]) return ctx.send(ev.conn, error('NOAUTH Authentication required.'));
      switch (cmd) {
        case 'PING':
          return ctx.send(ev.conn, status('PONG'));
        case 'ROLE':
          return ctx.send(
            ev.conn,
            replicaOf ? array([bulk('slave'), bulk(replicaOf.host), int(replicaOf.port), bulk('connected'), int(0)]) : array([bulk('master'), int(0), array([])]),
          );
        case 'SET':
          if (replicaOf) return ctx.send(ev.conn, error("READONLY You can't write against a read only replica."));
          d.data[argv[1]!] = argv[2]!;
          return ctx.send(ev.conn, OK);
        case 'GET':
          return ctx.send(ev.conn, d.data[argv[1]!] === undefined ? NULL_BULK : bulk(d.data[argv[1]!]!));
        case 'SHUTDOWN':
          ctx.log('warning', 'User requested shutdown...');
          ctx.exit(0);
          return;
        default:
          return ctx.send(ev.conn, error(`ERR unknown command '${argv[0]}'`));
      }
    },
  };
}

interface FakeSentinel {
  conn: number | null;
  downSinceMs: number | null;
  sdown: boolean;
}

export function fakeSentinel(port: number, master: { name: string; ip: string; port: number; downAfterMs: number }): Behavior<FakeSentinel> {
  const id = `master ${master.name} ${master.ip} ${master.port}`;
  return {
    kind: 'sentinel',
    init: (ctx) => {
      ctx.event('warning', '+monitor', `${id} quorum 2`);
      ctx.timer('ping', 100);
      return { conn: null, downSinceMs: null, sdown: false };
    },
    listenPorts: () => [port],
    onTimer(d, key, ctx) {
      if (key !== 'ping') return;
      ctx.timer('ping', 100);
      if (d.conn === null) d.conn = ctx.connect({ ip: master.ip, port: master.port });
      if (d.downSinceMs !== null && !d.sdown && ctx.monoMs() - d.downSinceMs >= master.downAfterMs) {
        d.sdown = true;
        ctx.event('warning', '+sdown', id);
      }
    },
    onNet(d, ev, ctx) {
      if (ev.k === 'connected') {
        d.downSinceMs = null;
        if (d.sdown) {
          d.sdown = false;
          ctx.event('warning', '-sdown', id);
        }
      } else if (ev.k === 'connectFailed' || ev.k === 'closed') {
        if (ev.conn === d.conn) {
          d.conn = null;
          d.downSinceMs ??= ctx.monoMs();
        }
      } else if (ev.k === 'data') {
        const argv = argvOf(ev.msg) ?? [];
        if (argv[0]?.toUpperCase() === 'SENTINEL' && argv[1]?.toLowerCase() === 'get-master-addr-by-name') {
          ctx.send(ev.conn, argv[2] === master.name ? array([bulk(master.ip), bulk(String(master.port))]) : array(null));
        } else ctx.send(ev.conn, error('ERR unknown command'));
      }
    },
  };
}

export const fakeFactories: BehaviorFactories = {
  redis: (cfg) => fakeRedis(cfg.port, cfg.replicaof, cfg.requirepass),
  sentinel: (cfg, p) => {
    const m = cfg.masters[0]!;
    // Resolve the monitored host the simple way the fixtures need: they use IPs.
    return fakeSentinel(cfg.port, { name: m.name, ip: m.host, port: m.port, downAfterMs: m.downAfterMs });
    void p;
  },
};
