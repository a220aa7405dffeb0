import { describe, expect, it } from 'vitest';
import { haproxyRoute, haproxyTimeMs, haproxyWords, parseHaproxyCfg } from '../../src/config/haproxyCfg.js';
import { InputError } from '../../src/config/errors.js';

const SEED = `defaults REDIS
  mode tcp
  timeout connect 3s
  timeout server 6s
  timeout client 6s
frontend ft_redis
  bind *:6378 name redis
  default_backend bk_redis
backend bk_redis
  option tcp-check
  tcp-check send info\\ replication\\r\\n
  tcp-check expect string role:master
  server redis_6379 localhost:6379 check inter 1s
  server redis_6380 localhost:6380 check inter 1s rise 3 fall 2 on-marked-down shutdown-sessions
`;

function fails(text: string): string {
  try {
    haproxyRoute(parseHaproxyCfg(text, 'haproxy.cfg'));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('haproxy.cfg reader', () => {
  it('reads words with HAProxy escapes and comments', () => {
    expect(haproxyWords('  tcp-check send info\\ replication\\r\\n  # a comment')).toEqual(['tcp-check', 'send', 'info replication\r\n']);
    expect(haproxyWords('server a\\#b 1.2.3.4:1')).toEqual(['server', 'a#b', '1.2.3.4:1']);
  });

  it('reads times in ms by default, or with a unit', () => {
    expect([haproxyTimeMs('3000'), haproxyTimeMs('3s'), haproxyTimeMs('500ms'), haproxyTimeMs('2m'), haproxyTimeMs('1500us')]).toEqual([3000, 3000, 500, 120_000, 1.5]);
    expect(haproxyTimeMs('3 s')).toBeNull();
    expect(haproxyTimeMs('-1')).toBeNull();
  });

  it('routes the frontend to its default backend; defaults apply to the sections after them', () => {
    const r = haproxyRoute(parseHaproxyCfg(SEED, 'haproxy.cfg'));
    expect(r.port).toBe(6378);
    expect(r.frontend).toMatchObject({ name: 'ft_redis', clientMs: 6000 });
    expect(r.backend).toMatchObject({ name: 'bk_redis', connectMs: 3000, serverMs: 6000, retries: 3 });
    expect(r.backend.checkMs).toBeUndefined();
    expect(r.backend.tcpCheck).toEqual([{ k: 'send', text: 'info replication' }, { k: 'expect', string: 'role:master' }]);
    expect(r.backend.servers[1]).toMatchObject({ name: 'redis_6380', host: 'localhost', port: 6380, check: true, interMs: 1000, rise: 3, fall: 2, shutdownSessionsOnDown: true });
    const later = haproxyRoute(parseHaproxyCfg(`frontend f\n bind :1\n default_backend b\nbackend b\n retries 1\n timeout check 2s\n server s h:2\n`, 'x.cfg'));
    expect(later.backend).toMatchObject({ retries: 1, checkMs: 2000 });
    expect(later.backend.connectMs).toBeUndefined();
  });

  it('a listen section is both frontend and backend', () => {
    const r = haproxyRoute(parseHaproxyCfg('listen redis\n bind 127.0.0.1:7000\n server a 127.0.0.1:6379 check\n', 'x.cfg'));
    expect([r.port, r.frontend.name, r.backend.name, r.backend.servers[0]!.name]).toEqual([7000, 'redis', 'redis', 'a']);
  });

  it('bad input is file:line: reason', () => {
    expect(fails('backend b\n timeout connect soon\n')).toBe("haproxy.cfg:2: 'timeout connect' expects a time (e.g. 3s, 500ms), got 'soon'");
    expect(fails('backend b\n server s nowhere\n')).toBe("haproxy.cfg:2: server 's': expected address:port, got 'nowhere'");
    expect(fails('backend b\n server s h:1 inter 0\n')).toBe("haproxy.cfg:2: 'inter' expects a time (e.g. 1s), got '0'");
    expect(fails('backend b\n server s h:1 rise x\n')).toBe("haproxy.cfg:2: server 's': 'rise' expects a positive integer, got 'x'");
    expect(fails('backend b\n tcp-check expect rstring ^x\n')).toMatch(/^haproxy\.cfg:2: 'tcp-check expect rstring \^x': only/);
    expect(fails('frontend f\n bind *:6378\n default_backend nope\n')).toBe("haproxy.cfg:1: default_backend 'nope' is not defined");
    expect(fails('backend b\n server s h:1\n')).toBe("haproxy.cfg: no frontend or listen section with a 'bind' port");
    expect(fails('frontend f\n bind *:99999\n')).toBe("haproxy.cfg:2: 'bind' expects [address]:port, got '*:99999'");
  });
});

describe('haproxy.cfg: words HAProxy refuses are refused, at their line (cfg_parse_listen())', () => {
  const withLine = (after: string, line: string) => SEED.replace(after, `${after}\n${line}`);

  it('a typo of a keyword in a proxy section was read past; HAProxy stops on it', () => {
    expect(fails(withLine('  default_backend bk_redis', '  defualt_backend bk_other'))).toBe("haproxy.cfg:9: unknown keyword 'defualt_backend' in 'frontend' section");
    expect(fails(withLine('  timeout client 6s', '  retires 3'))).toBe("haproxy.cfg:6: unknown keyword 'retires' in 'defaults' section");
    expect(fails(withLine('\nbackend bk_redis', '  serveur r 10.0.0.1:6379'))).toBe("haproxy.cfg:10: unknown keyword 'serveur' in 'backend' section");
  });

  it('unknown options, timeouts and proxy modes', () => {
    expect(fails(withLine('\nbackend bk_redis', '  option tcp-chek'))).toBe("haproxy.cfg:10: unknown option 'tcp-chek'");
    expect(fails(withLine('  timeout client 6s', '  timeout cilent 6s'))).toMatch(/^haproxy\.cfg:6: 'timeout' supports 'client', .* \(got 'cilent'\)$/);
    expect(fails(SEED.replace('mode tcp', 'mode tpc'))).toBe("haproxy.cfg:2: unknown proxy mode 'tpc'");
  });

  it('a line before any section, and bind/server in defaults', () => {
    expect(fails(`maxconn 100\n${SEED}`)).toBe("haproxy.cfg:1: unknown keyword 'maxconn' out of section");
    expect(fails(withLine('  timeout client 6s', '  server r 10.0.0.1:6379'))).toBe("haproxy.cfg:6: 'server' not allowed in 'defaults' section");
    expect(fails(withLine('  timeout client 6s', '  bind *:6379'))).toBe("haproxy.cfg:6: 'bind' not allowed in 'defaults' section");
  });

  it('what HAProxy accepts still reads: other keywords, no/default prefixes, 1.5 keywords, sections no proxy reads', () => {
    const text = `global\n  daemon\n  maxconn 256\n  anything-global goes\nuserlist admins\n  user admin insecure-password x\nresolvers dns\n  nameserver ns1 10.0.0.53:53\n${withLine('  timeout client 6s', '  no option redispatch\n  default option httplog\n  option tcplog\n  log global\n  maxconn 100\n  balance roundrobin\n  timeout queue 10s\n  contimeout 3000\n  mode health')}`;
    const route = haproxyRoute(parseHaproxyCfg(text, 'haproxy.cfg'));
    expect(route.port).toBe(6378);
    expect(route.backend.servers.map((s) => s.name)).toEqual(['redis_6379', 'redis_6380']);
  });
});
