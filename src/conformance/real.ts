/**
 * Runs a deployment on real redis-server / redis-sentinel processes (Debian's packages, 7.0.15) on
 * 127.0.0.1: each process in its own temp dir with its own copy of its config, `daemonize no`,
 * logging to `<dir>/log.txt`. Faults are applied by PID or by command; every process the harness
 * started is stopped by PID in stop(), and by a process-exit hook if the caller never gets there.
 *
 * Times: the harness's t0 is the wall clock (Date.now()) when start() began; Sentinel log lines are
 * parsed to ms relative to t0 (children run with TZ=UTC), and every fault is recorded with its own
 * relative time, so delays are `event.timeMs - fault.timeMs`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { flatMap, parseInfo, redisCall, RespError, type RespValue } from './resp-client.js';
import { logLines, Normalizer, sentinelEvents, type AddressName, type SentinelEvent } from './log.js';
import { segments, WallShift, type LogSegment } from './wallshift.js';

export const HOST = '127.0.0.1';
/** The one host every process runs on, as the simulated model names it. */
export const HOST_NAME = 'local';

export interface ProcessSpec {
  /** Model name, e.g. `node1`, `sentinel2`. */
  readonly name: string;
  readonly port: number;
  /**
   * Config text. The harness appends `port`, `bind 127.0.0.1`, `daemonize no`, `logfile`, `dir`
   * (and drops any earlier lines of those directives), so the text may come straight from a model.
   */
  readonly config: string;
}

export interface DeploymentSpec {
  readonly nodes: readonly ProcessSpec[];
  readonly sentinels: readonly ProcessSpec[];
  /** The monitored master's name (for health checks and helpers). */
  readonly masterName: string;
  /** Run every process on one wall clock the drive can step (clockJump(); wallshift.ts). */
  readonly wallShift?: boolean;
  /** Keep the temp dirs after stop() (for debugging); default: keep only if KEEP_CONFORMANCE_DIRS is set. */
  readonly keepDirs?: boolean;
}

export type FaultKind =
  | 'kill9'
  | 'shutdown-nosave'
  | 'debug-segfault'
  | 'sigterm'
  | 'sigstop'
  | 'sigcont'
  | 'restart'
  | 'sentinel-failover'
  | 'sentinel-debug'
  | 'clock-jump'
  | 'command';

/**
 * A Sentinel event the drive waited for before a fault. The fault came because of it, so the
 * simulator replays the fault at the same lag after its own such event (compare.ts), not at the
 * same offset from the origin: a failover a few tens of ms slower would otherwise move every later
 * fault against the phases it set (e.g. the reconnection period of a restarted node's links).
 */
export interface EventWait {
  readonly what: string;
  readonly pred: (e: SentinelEvent) => boolean;
  /** The first matching event of any of these counts. */
  readonly sentinels: readonly string[];
  /** Only events at or after this time (ms since t0, as FaultRecord.timeMs); -Infinity: any. */
  readonly sinceMs: number;
}

export interface FaultRecord {
  readonly timeMs: number;
  readonly kind: FaultKind;
  readonly target: string;
  readonly detail?: string;
  /** Every wait since the previous fault: the fault followed the last of them to be met. */
  readonly waits?: readonly EventWait[];
  /**
   * A restart only: when the server came up (ms since t0), from its own `Server initialized` log
   * line: listenToPort() runs in initServer(), just before that line. timeMs is when the harness
   * spawned it, 10-20 ms earlier on an idle machine and more under load.
   */
  readonly upMs?: number;
}

/** When a fault took effect (ms since t0): a restart when the server came up, any other when applied. */
export function appliedAtMs(f: FaultRecord): number {
  return f.upMs ?? f.timeMs;
}

/**
 * The time (ms since t0) of the last `Server initialized` line at or after `sinceMs` in a
 * redis-server log, or undefined (a Sentinel does not log it).
 */
export function serverInitializedMs(logText: string, t0WallMs: number, sinceMs: number): number | undefined {
  let up: number | undefined;
  for (const l of logLines(logText, '', t0WallMs)) if (l.timeMs >= sinceMs && l.message === 'Server initialized') up = l.timeMs;
  return up;
}

interface Proc {
  readonly spec: ProcessSpec;
  readonly kind: 'redis' | 'sentinel';
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  child?: ChildProcess;
  pid?: number;
  exited?: Promise<void>;
  alive: boolean;
  paused: boolean;
}

/** Every PID any deployment of this process started and has not seen exit. */
const LIVE = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of LIVE) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export class MissingBinaryError extends Error {}

function which(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Paths of redis-server and redis-sentinel; throws naming the Debian packages when missing. */
export function findBinaries(): { server: string; sentinel: string } {
  const server = which('redis-server');
  const sentinel = which('redis-sentinel');
  if (!server || !sentinel) {
    const missing = [!server && 'redis-server', !sentinel && 'redis-sentinel'].filter(Boolean).join(' and ');
    throw new MissingBinaryError(
      `${missing} not found on PATH: the conformance harness needs Debian's packages ` +
        '`redis-server` and `redis-sentinel` (Redis 7.0.15): apt-get install -y redis-server redis-sentinel redis-tools',
    );
  }
  return { server, sentinel };
}

/** `redis-server --version` output, e.g. `Redis server v=7.0.15 sha=… malloc=jemalloc-5.3.0 bits=64 build=…`. */
export function redisVersion(): string {
  const { server } = findBinaries();
  return spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

const OVERRIDDEN = new Set(['port', 'bind', 'daemonize', 'logfile', 'dir', 'pidfile', 'supervised']);

export function finalConfig(text: string, port: number, dir: string): string {
  const kept = text
    .split('\n')
    .filter((l) => !OVERRIDDEN.has(l.trim().split(/\s+/)[0]?.toLowerCase() ?? ''));
  return [
    ...kept,
    '# --- added by the sentinel-sim conformance harness ---',
    `port ${port}`,
    `bind ${HOST}`,
    'daemonize no',
    `dir ${dir}`,
    `logfile ${join(dir, 'log.txt')}`,
    '',
  ].join('\n');
}

/** Thrown from a waitFor() condition to stop waiting at once (e.g. the process died). */
export class AbortWait extends Error {}
class FatalStart extends AbortWait {}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `cond` every `everyMs` until it returns a truthy value or `timeoutMs` passes (then throw). */
export async function waitFor<T>(
  what: string,
  cond: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as T;
    } catch (e) {
      if (e instanceof AbortWait) throw e;
      lastErr = e;
    }
    if (Date.now() > end) {
      const why = lastErr instanceof Error ? ` (last error: ${lastErr.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(everyMs);
  }
}

export interface HealthOptions {
  /** Default: all nodes but the first are replicas of the first. */
  readonly master?: string;
  readonly replicas?: readonly string[];
  readonly sentinels?: readonly string[];
  readonly timeoutMs?: number;
}

export class RealDeployment {
  /** Wall clock (ms since epoch) of t0. */
  readonly t0: number;
  readonly faults: FaultRecord[] = [];
  private pendingWaits: EventWait[] = [];
  /** Sentinel name → run id (filled when the sentinels are up). */
  readonly runIds: Record<string, string> = {};
  private readonly procs = new Map<string, Proc>();
  private readonly bins: { server: string; sentinel: string };
  private readonly root: string;
  private readonly shift: WallShift | undefined;
  private stopped = false;

  private constructor(readonly spec: DeploymentSpec) {
    this.bins = findBinaries();
    installExitHook();
    this.t0 = Date.now();
    this.root = mkdtempSync(join(tmpdir(), 'sentinel-sim-real-'));
    this.shift = spec.wallShift ? WallShift.create(join(this.root, 'wallshift')) : undefined;
    const names = new Set<string>();
    for (const [kind, list] of [
      ['redis', spec.nodes],
      ['sentinel', spec.sentinels],
    ] as const) {
      for (const p of list) {
        if (names.has(p.name)) throw new Error(`duplicate process name ${p.name}`);
        names.add(p.name);
        const dir = join(this.root, p.name);
        const configPath = join(dir, kind === 'sentinel' ? 'sentinel.conf' : 'redis.conf');
        this.procs.set(p.name, { spec: p, kind, dir, configPath, logPath: join(dir, 'log.txt'), alive: false, paused: false });
      }
    }
  }

  /**
   * Start every node (waiting for each to answer PING), then every Sentinel. Does not wait for
   * health: call waitHealthy(). On any failure everything started is stopped before rethrowing.
   */
  static async start(spec: DeploymentSpec): Promise<RealDeployment> {
    const d = new RealDeployment(spec);
    try {
      for (const n of spec.nodes) await d.launch(n.name, true);
      // Let replicas attach before Sentinels take their first INFO of the master, so replica
      // discovery doesn't wait for the next 10 s INFO period.
      if (spec.nodes.length > 1) {
        await waitFor(
          'replicas to attach before starting the sentinels',
          async () => {
            const info = parseInfo(await d.call(spec.nodes[0].name, ['INFO', 'replication']));
            return info.role === 'master' && Number(info.connected_slaves ?? 0) >= spec.nodes.length - 1;
          },
          30_000,
        ).catch(() => undefined); // a topology without replicaof lines is legal; health checks decide
      }
      for (const s of spec.sentinels) await d.launch(s.name, true);
      for (const s of spec.sentinels) {
        const id = await d.call(s.name, ['SENTINEL', 'MYID']);
        if (typeof id === 'string') d.runIds[s.name] = id;
      }
      return d;
    } catch (e) {
      await d.stop();
      throw e;
    }
  }

  /** Ms since t0. */
  now(): number {
    return Date.now() - this.t0;
  }

  port(name: string): number {
    return this.proc(name).spec.port;
  }
  dir(name: string): string {
    return this.proc(name).dir;
  }
  pid(name: string): number | undefined {
    return this.proc(name).pid;
  }
  isAlive(name: string): boolean {
    return this.proc(name).alive;
  }
  names(kind?: 'redis' | 'sentinel'): string[] {
    return [...this.procs.values()].filter((p) => !kind || p.kind === kind).map((p) => p.spec.name);
  }

  private proc(name: string): Proc {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process named ${name}`);
    return p;
  }

  private async launch(name: string, firstTime: boolean): Promise<void> {
    const p = this.proc(name);
    if (p.alive) throw new Error(`${name} is already running (pid ${p.pid})`);
    if (firstTime) {
      spawnSync('mkdir', ['-p', p.dir]);
      writeFileSync(p.configPath, finalConfig(p.spec.config, p.spec.port, p.dir));
    }
    const errPath = join(p.dir, 'stderr.txt');
    const errFd = openSync(errPath, 'a');
    const bin = p.kind === 'sentinel' ? this.bins.sentinel : this.bins.server;
    let child: ChildProcess;
    try {
      child = spawn(bin, [p.configPath], {
        cwd: p.dir,
        stdio: ['ignore', errFd, errFd],
        env: { ...process.env, TZ: 'UTC', ...this.shift?.env() },
      });
    } finally {
      closeSync(errFd);
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${bin} for ${name}`);
    p.child = child;
    p.pid = pid;
    p.alive = true;
    p.paused = false;
    LIVE.add(pid);
    p.exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        LIVE.delete(pid);
        if (p.pid === pid) {
          p.alive = false;
          p.paused = false;
        }
        resolve();
      });
    });
    child.once('error', () => undefined);
    await waitFor(
      `${name} (${p.kind}, port ${p.spec.port}) to answer PING`,
      async () => {
        if (!p.alive) {
          const err = existsSync(errPath) ? readFileSync(errPath, 'utf8').trim() : '';
          const log = existsSync(p.logPath) ? readFileSync(p.logPath, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
          throw new FatalStart(`${name} exited during startup:\n${err}\n${log}`);
        }
        const r = await redisCall(p.spec.port, ['PING'], 1000);
        return r === 'PONG';
      },
      20_000,
    );
  }

  /** Send a command to a process (connect, send, close). */
  async call(name: string, argv: readonly string[], timeoutMs = 2000): Promise<RespValue> {
    return redisCall(this.proc(name).spec.port, argv, timeoutMs);
  }

  private record(kind: FaultKind, target: string, detail?: string): FaultRecord {
    const waits = this.pendingWaits;
    this.pendingWaits = [];
    const f: FaultRecord = { timeMs: this.now(), kind, target, ...(detail !== undefined ? { detail } : {}), ...(waits.length ? { waits } : {}) };
    this.faults.push(f);
    return f;
  }

  /**
   * Sleep until `timeMs` (ms since t0). The next fault is then timed from the previous fault, not
   * from the waits in between: use it where the drive means "N ms after that fault".
   */
  async sleepUntil(timeMs: number): Promise<void> {
    this.pendingWaits = [];
    await new Promise((r) => setTimeout(r, Math.max(0, timeMs - this.now())));
  }

  private async awaitExit(name: string, timeoutMs: number): Promise<void> {
    const p = this.proc(name);
    if (!p.exited) return;
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), timeoutMs)));
    const r = await Promise.race([p.exited.then(() => 'exited' as const), timeout]);
    clearTimeout(t);
    if (r === 'timeout') throw new Error(`${name} (pid ${p.pid}) did not exit within ${timeoutMs} ms`);
  }

  /** `kill -9`. */
  async kill9(name: string): Promise<FaultRecord> {
    const p = this.proc(name);
    if (!p.alive || p.pid === undefined) throw new Error(`${name} is not running`);
    const f = this.record('kill9', name);
    process.kill(p.pid, 'SIGKILL');
    await this.awaitExit(name, 10_000);
    return f;
  }

  /** `SHUTDOWN NOSAVE` (the connection closes without a reply). */
  async shutdownNoSave(name: string): Promise<FaultRecord> {
    const f = this.record('shutdown-nosave', name);
    await this.call(name, ['SHUTDOWN', 'NOSAVE'], 5000).catch(() => undefined);
    await this.awaitExit(name, 15_000);
    return f;
  }

  /** `DEBUG SEGFAULT` (needs `enable-debug-command yes|local` in the node's config). */
  async debugSegfault(name: string): Promise<FaultRecord> {
    const f = this.record('debug-segfault', name);
    const r = await this.call(name, ['DEBUG', 'SEGFAULT'], 5000).catch(() => undefined);
    if (r instanceof RespError) throw new Error(`DEBUG SEGFAULT refused by ${name}: ${r.message}`);
    await this.awaitExit(name, 20_000);
    return f;
  }

  /** kill -TERM: a graceful shutdown (waits for the process to exit). */
  async sigterm(name: string): Promise<FaultRecord> {
    const p = this.proc(name);
    if (!p.alive || p.pid === undefined) throw new Error(`${name} is not running`);
    const f = this.record('sigterm', name);
    process.kill(p.pid, 'SIGTERM');
    await this.awaitExit(name, 20_000);
    return f;
  }

  /** SIGSTOP. */
  pause(name: string): FaultRecord {
    const p = this.proc(name);
    if (!p.alive || p.pid === undefined) throw new Error(`${name} is not running`);
    const f = this.record('sigstop', name);
    process.kill(p.pid, 'SIGSTOP');
    p.paused = true;
    return f;
  }

  /** SIGCONT. */
  resume(name: string): FaultRecord {
    const p = this.proc(name);
    if (!p.alive || p.pid === undefined) throw new Error(`${name} is not running`);
    const f = this.record('sigcont', name);
    process.kill(p.pid, 'SIGCONT');
    p.paused = false;
    return f;
  }

  /**
   * Step the wall clock of every process by `byMs` (a host's clock stepped; monotonic clocks run
   * on). The deployment must have been started with `wallShift`.
   */
  clockJump(byMs: number): FaultRecord {
    if (!this.shift) throw new Error('clockJump() needs a deployment started with wallShift');
    const f = this.record('clock-jump', HOST_NAME, String(byMs));
    this.shift.step(byMs, new Map([...this.procs.values()].map((p) => [p.spec.name, p.logPath])));
    return f;
  }

  /**
   * Start a stopped process again from its (possibly rewritten) config file; waits for PING. The
   * record also says when the server came up (upMs): a Sentinel's reconnection attempt between the
   * spawn and the listen fails, so that is the instant a simulated restart stands for.
   */
  async restart(name: string): Promise<FaultRecord> {
    const f = this.record('restart', name);
    await this.launch(name, false);
    const ups = this.logSegments(name).map((g) => serverInitializedMs(g.text, this.t0 + g.offsetMs, f.timeMs));
    const upMs = ups.filter((u) => u !== undefined).pop();
    if (upMs === undefined) return f;
    const up: FaultRecord = { ...f, upMs };
    this.faults[this.faults.indexOf(f)] = up;
    return up;
  }

  /** `SENTINEL FAILOVER <master>` on a Sentinel; throws on an error reply. */
  async sentinelFailover(sentinel: string, master = this.spec.masterName): Promise<FaultRecord> {
    const f = this.record('sentinel-failover', sentinel, master);
    const r = await this.call(sentinel, ['SENTINEL', 'FAILOVER', master]);
    if (r instanceof RespError) throw new Error(`SENTINEL FAILOVER on ${sentinel}: ${r.message}`);
    return f;
  }

  /** `SENTINEL DEBUG <k> <v> …` on the given Sentinels (default all running ones). */
  async sentinelDebug(params: Readonly<Record<string, number>>, sentinels = this.names('sentinel').filter((s) => this.isAlive(s))): Promise<void> {
    const argv = Object.entries(params).flatMap(([k, v]) => [k, String(v)]);
    for (const s of sentinels) {
      this.record('sentinel-debug', s, argv.join(' '));
      const r = await this.call(s, ['SENTINEL', 'DEBUG', ...argv]);
      if (r instanceof RespError) throw new Error(`SENTINEL DEBUG on ${s}: ${r.message}`);
    }
  }

  /** A client command (SET/GET/…), recorded with its reply. */
  async command(name: string, argv: readonly string[], timeoutMs = 2000): Promise<{ fault: FaultRecord; reply: RespValue | Error }> {
    const fault = this.record('command', name, argv.join(' '));
    try {
      return { fault, reply: await this.call(name, argv, timeoutMs) };
    } catch (e) {
      return { fault, reply: e as Error };
    }
  }

  // ---------------------------------------------------------------- inspection

  async sentinelMaster(sentinel: string, master = this.spec.masterName): Promise<Record<string, string>> {
    return flatMap(await this.call(sentinel, ['SENTINEL', 'MASTER', master]));
  }
  async sentinelList(sentinel: string, what: 'REPLICAS' | 'SENTINELS', master = this.spec.masterName): Promise<Record<string, string>[]> {
    const r = await this.call(sentinel, ['SENTINEL', what, master]);
    return Array.isArray(r) ? r.map(flatMap) : [];
  }
  async info(name: string, section = 'replication'): Promise<Record<string, string>> {
    return parseInfo(await this.call(name, ['INFO', section]));
  }
  async masterAddr(sentinel: string, master = this.spec.masterName): Promise<string | undefined> {
    const r = await this.call(sentinel, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master]);
    return Array.isArray(r) && r.length === 2 ? `${String(r[0])}:${String(r[1])}` : undefined;
  }
  /** Model name of the address a Sentinel reports as master. */
  async masterName(sentinel: string): Promise<string | undefined> {
    const a = await this.masterAddr(sentinel);
    return a ? this.nameOfAddr(a) : undefined;
  }
  nameOfAddr(addr: string): string | undefined {
    for (const p of this.procs.values()) if (`${HOST}:${p.spec.port}` === addr) return p.spec.name;
    return undefined;
  }

  /**
   * Healthy: the master reports every replica online; every replica's link is up; every Sentinel
   * sees the master with flags exactly `master`, knows every replica (flags `slave`, link ok) and
   * every other Sentinel (flags `sentinel`).
   */
  async waitHealthy(opts: HealthOptions = {}): Promise<void> {
    const master = opts.master ?? this.spec.nodes[0].name;
    const replicas = opts.replicas ?? this.spec.nodes.map((n) => n.name).filter((n) => n !== master);
    const sentinels = opts.sentinels ?? this.spec.sentinels.map((s) => s.name);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const mport = this.port(master);
    let why = '';
    await waitFor(
      'a healthy topology',
      async () => {
        const mi = await this.info(master);
        if (mi.role !== 'master') return !(why = `${master} is not a master`);
        const online = Object.entries(mi).filter(([k, v]) => /^slave\d+$/.test(k) && v.includes('state=online')).length;
        if (online < replicas.length) return !(why = `${master} has ${online}/${replicas.length} replicas online`);
        for (const r of replicas) {
          const ri = await this.info(r);
          if (ri.master_port !== String(mport) || ri.master_link_status !== 'up') return !(why = `${r} not replicating from ${master}`);
        }
        for (const s of sentinels) {
          const m = await this.sentinelMaster(s);
          if (m.port !== String(mport) || m.flags !== 'master') return !(why = `${s} sees master ${m.ip}:${m.port} flags ${m.flags}`);
          const reps = await this.sentinelList(s, 'REPLICAS');
          const okReps = reps.filter((x) => x.flags === 'slave' && x['master-link-status'] === 'ok' && replicas.some((r) => String(this.port(r)) === x.port));
          if (okReps.length < replicas.length) return !(why = `${s} knows ${okReps.length}/${replicas.length} healthy replicas`);
          const sents = await this.sentinelList(s, 'SENTINELS');
          const okS = sents.filter((x) => x.flags === 'sentinel' && sentinels.some((o) => String(this.port(o)) === x.port));
          if (okS.length < sentinels.length - 1) return !(why = `${s} knows ${okS.length}/${sentinels.length - 1} other sentinels`);
        }
        return true;
      },
      timeoutMs,
      200,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last check: ${why}`);
    });
  }

  // ---------------------------------------------------------------- logs

  log(name: string): string {
    const p = this.proc(name);
    return existsSync(p.logPath) ? readFileSync(p.logPath, 'utf8') : '';
  }

  /** The log in pieces, each with the wall-clock offset its stamps carry (all of it at 0 unless stepped). */
  private logSegments(name: string): LogSegment[] {
    const p = this.proc(name);
    const log = existsSync(p.logPath) ? readFileSync(p.logPath) : Buffer.alloc(0);
    return segments(log, name, this.shift?.steps ?? []);
  }

  /** One Sentinel's events, times relative to t0 on the harness's clock. */
  private sentinelEventsOf(name: string): SentinelEvent[] {
    return this.logSegments(name).flatMap((g) => sentinelEvents(g.text, name, this.t0 + g.offsetMs));
  }

  /** Sentinel events of one Sentinel (or all), raw text, times relative to t0. */
  events(name?: string): SentinelEvent[] {
    const names = name ? [name] : this.names('sentinel');
    const all: SentinelEvent[] = [];
    for (const n of names) all.push(...this.sentinelEventsOf(n));
    return all.sort((a, b) => a.timeMs - b.timeMs);
  }

  /** Address and run-id normalizer for this deployment's names. */
  normalizer(): Normalizer {
    const addrs: AddressName[] = [...this.procs.values()].map((p) => ({ ip: HOST, port: p.spec.port, name: p.spec.name }));
    return new Normalizer(addrs, Object.fromEntries(Object.entries(this.runIds).map(([n, id]) => [id, n])));
  }

  /** Normalized events. */
  normalizedEvents(name?: string): SentinelEvent[] {
    return this.normalizer().events(this.events(name));
  }

  /** Poll the Sentinel logs until an event matching `pred` appears (after `sinceMs`); returns it. */
  async waitForEvent(
    what: string,
    pred: (e: SentinelEvent) => boolean,
    timeoutMs: number,
    opts: { sentinels?: readonly string[]; sinceMs?: number } = {},
  ): Promise<SentinelEvent> {
    const since = opts.sinceMs ?? -Infinity;
    const names = opts.sentinels ?? this.names('sentinel');
    const found = await waitFor(
      what,
      () => {
        for (const n of names) {
          const e = this.normalizer()
            .events(this.sentinelEventsOf(n))
            .find((x) => x.timeMs >= since && pred(x));
          if (e) return e;
        }
        return undefined;
      },
      timeoutMs,
      100,
    );
    this.pendingWaits.push({ what, pred, sentinels: names, sinceMs: since });
    return found;
  }

  /** Wait until every listed Sentinel has logged a matching event; returns one per Sentinel. */
  async waitForEventOnEach(
    what: string,
    pred: (e: SentinelEvent) => boolean,
    timeoutMs: number,
    opts: { sentinels?: readonly string[]; sinceMs?: number } = {},
  ): Promise<Record<string, SentinelEvent>> {
    const names = opts.sentinels ?? this.names('sentinel');
    const out: Record<string, SentinelEvent> = {};
    const end = Date.now() + timeoutMs;
    for (const n of names) {
      out[n] = await this.waitForEvent(`${what} on ${n}`, pred, Math.max(1, end - Date.now()), { sentinels: [n], sinceMs: opts.sinceMs });
    }
    return out;
  }

  // ---------------------------------------------------------------- teardown

  /**
   * Stop every process this deployment started (SIGKILL by PID, SIGCONT first for paused ones),
   * wait for each to exit, remove the temp dirs unless kept. Safe to call more than once.
   */
  async stop(): Promise<void> {
    for (const p of this.procs.values()) {
      if (p.alive && p.pid !== undefined) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    for (const p of this.procs.values()) {
      if (p.exited) {
        await Promise.race([p.exited, sleep(10_000)]);
      }
    }
    this.stopped = true;
    const keep = this.spec.keepDirs ?? Boolean(process.env.KEEP_CONFORMANCE_DIRS);
    if (!keep) rmSync(this.root, { recursive: true, force: true });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The temp root holding one dir per process. */
  get rootDir(): string {
    return this.root;
  }
}


/**
 * Run `body` with a started deployment and always stop it (try/finally), also when body throws.
 */
export async function withDeployment<T>(spec: DeploymentSpec, body: (d: RealDeployment) => Promise<T>): Promise<T> {
  const d = await RealDeployment.start(spec);
  try {
    return await body(d);
  } finally {
    await d.stop();
  }
}
