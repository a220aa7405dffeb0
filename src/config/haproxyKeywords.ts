/**
 * The keywords HAProxy accepts in a proxy section (`defaults`, `frontend`, `backend`, `listen`): the
 * union of the proxy keywords matrix of configuration.txt in HAProxy 1.5.0 (the seed deployment's
 * 1.5.12), 2.8.0 and 3.0.0. HAProxy refuses any other word there (cfg_parse_listen(): "unknown
 * keyword '%s' in '%s' section", a fatal alert), so a typo is not read past as a setting we do not
 * model. A keyword of one version only is accepted: the reader judges the file, not the version.
 */

/** First words of proxy-section lines (`timeout`, `option`, `tcp-check` take a second word, below). */
export const PROXY_KEYWORDS: ReadonlySet<string> = new Set(
  [
    'acl appsession backlog balance bind bind-process block capture clitcpka-cnt clitcpka-idle ',
    'clitcpka-intvl clitimeout compression contimeout cookie declare default-server default_backend ',
    'description disabled dispatch email-alert enabled error-log-format errorfile errorfiles errorloc ',
    'errorloc302 errorloc303 external-check filter force-persist fullconn grace guid hash-balance-factor ',
    'hash-key hash-type http-after-response http-check http-error http-request http-response http-reuse ',
    'http-send-name-header id ignore-persist load-server-state-from-file log log-format log-format-sd ',
    'log-tag max-keep-alive-queue max-session-srv-conns maxconn mode monitor monitor-net monitor-uri ',
    'option persist rate-limit redirect redisp redispatch reqadd reqallow reqdel reqdeny reqiallow ',
    'reqidel reqideny reqipass reqirep reqisetbe reqitarpit reqpass reqrep reqsetbe reqtarpit retries ',
    'retry-on rspadd rspdel rspdeny rspidel rspideny rspirep rsprep server server-state-file-name ',
    'server-template source srvtcpka-cnt srvtcpka-idle srvtcpka-intvl srvtimeout stats stick stick-table ',
    'tcp-check tcp-request tcp-response timeout transparent unique-id-format unique-id-header ',
    'use-fcgi-app use-server use_backend',
  ]
    .join('')
    .split(' '),
);

/** `option <name>` (also after `no` or `default`): "unknown option '%s'." otherwise. */
export const PROXY_OPTIONS: ReadonlySet<string> = new Set(
  [
    'abortonclose accept-invalid-http-request accept-invalid-http-response allbackups checkcache clitcpka ',
    'contstats disable-h2-upgrade dontlog-normal dontlognull external-check forceclose forwarded ',
    'forwardfor h1-case-adjust-bogus-client h1-case-adjust-bogus-server http-buffer-request ',
    'http-ignore-probes http-keep-alive http-no-delay http-pretend-keepalive http-restrict-req-hdr-names ',
    'http-server-close http-tunnel http-use-proxy-header http_proxy httpchk httpclose httplog httpslog ',
    'idle-close-on-response independent-streams ldap-check log-health-checks log-separate-errors logasap ',
    'mysql-check nolinger originalto persist pgsql-check prefer-last-server redis-check redispatch ',
    'smtpchk socket-stats splice-auto splice-request splice-response spop-check srvtcpka ssl-hello-chk ',
    'tcp-check tcp-smart-accept tcp-smart-connect tcpka tcplog transparent',
  ]
    .join('')
    .split(' '),
);

/** `timeout <name>`: "'timeout' supports 'client', 'server', 'connect', …" otherwise. */
export const PROXY_TIMEOUTS: ReadonlySet<string> = new Set(
  [
    'check client client-fin client-hs connect http-keep-alive http-request queue server server-fin ',
    'tarpit tunnel',
  ]
    .join('')
    .split(' '),
);

/**
 * Section headers. A line starting with one begins a new section; the ones this reader does not
 * model (userlist, peers, resolvers, …) are read past to the next header, as their keywords are theirs.
 */
export const SECTION_KEYWORDS: ReadonlySet<string> = new Set(
  [
    'global defaults frontend backend listen userlist peers mailers resolvers program http-errors ring ',
    'log-forward cache fcgi-app crt-store namespace_list ruleset spoe-agent spoe-group spoe-message',
  ]
    .join('')
    .split(' '),
);
