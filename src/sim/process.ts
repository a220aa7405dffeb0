import type { Draft } from 'immer';
import type { Rng } from './rng.js';

/**
 * The contract between the run loop and every simulated process (Redis node, Sentinel, client,
 * proxy). Messages are opaque to the loop: `M` is whatever the processes of a world exchange (RESP
 * values for the Redis model, see net/process.ts); the loop only carries them. A process is a pure state machine: the loop hands it one input at a time (a network
 * event or a timer) together with a Ctx; the handler changes its own state (an immer recipe over a
 * draft) and asks for effects through the Ctx, its only way to act on the world. The loop performs
 * each effect as it is asked for (no effect objects are built on the way), but nothing the handler
 * reads through the Ctx shows its own effects: unsentBytes() leaves out its own sends, and an exit
 * takes effect after the handler returns. A handler never reads real time, real randomness or
 * anything outside its state and the Ctx.
 *
 * The recipe runs under immer's produce when the World keeps snapshots, and directly on the
 * current state otherwise (WorldOptions.snapshots). So a handler must work in both: never keep a
 * reference to part of its state anywhere that outlives the event (copy what must outlive it,
 * e.g. an RDB image), and put only plain values, not pieces of the draft, into effects.
 */

export type ConnId = number;

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

export type CloseReason =
  /** the peer process died and its kernel answered with RST */
  | 'reset'
  /** the peer closed the connection (FIN) */
  | 'closed'
  /** data stayed unacknowledged past the retransmission give-up time of the network */
  | 'timeout';

export type NetEvent<M = unknown> =
  /** a peer connected to one of our listening ports */
  | { readonly k: 'accepted'; readonly conn: ConnId; readonly local: Endpoint; readonly remote: Endpoint }
  /** our connect() completed; `local` is our side's address (what a Sentinel announces in hellos) */
  | { readonly k: 'connected'; readonly conn: ConnId; readonly local: Endpoint }
  | { readonly k: 'connectFailed'; readonly conn: ConnId; readonly reason: 'refused' | 'timeout' }
  | { readonly k: 'data'; readonly conn: ConnId; readonly msg: M }
  | { readonly k: 'closed'; readonly conn: ConnId; readonly reason: CloseReason };

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

export type Effect<M = unknown> =
  | { readonly k: 'send'; readonly conn: ConnId; readonly msg: M }
  | { readonly k: 'connect'; readonly conn: ConnId; readonly to: Endpoint }
  | { readonly k: 'close'; readonly conn: ConnId }
  /** (Re)arm timer `key` to fire after `delayMs` of this host's monotonic time. */
  | { readonly k: 'timer'; readonly key: string; readonly delayMs: number; readonly freezeWhilePaused?: boolean }
  | { readonly k: 'cancelTimer'; readonly key: string }
  | { readonly k: 'log'; readonly level: LogLevel; readonly text: string }
  /** A Sentinel event as sentinelEvent() logs it: `event` is the type, `text` the rest of the line. */
  | { readonly k: 'event'; readonly level: LogLevel; readonly event: string; readonly text: string }
  /** A state change worth a trace record (role change, failover state, flags). */
  | { readonly k: 'state'; readonly data: Readonly<Record<string, unknown>> }
  /** Write what survives a restart (an RDB/AOF, a rewritten sentinel.conf). */
  | { readonly k: 'persist'; readonly data: unknown }
  /** The process exits by itself (SHUTDOWN, SENTINEL SIMULATE-FAILURE). */
  | { readonly k: 'exit'; readonly code: number };

export interface Ctx<M = unknown> {
  readonly pid: string;
  readonly hostName: string;
  /** This host's wall clock in ms, as Redis's mstime(). */
  nowMs(): number;
  /** This host's wall clock in µs, as ustime(). */
  nowUs(): number;
  /** This host's monotonic clock in ms. */
  monoMs(): number;
  /** This process incarnation's own seeded stream (`<pid>#<incarnation>`). */
  readonly rng: Rng;
  /** A named sub-stream of this process, stable across code changes elsewhere (e.g. `hz`). */
  stream(name: string): Rng;
  /** What the simulated resolver returns for a hostname or IP (undefined: unresolvable). */
  resolve(host: string): string | undefined;
  send(conn: ConnId, msg: M): void;
  /** Start a non-blocking connect; the id is usable at once (data queued until established). */
  connect(to: Endpoint): ConnId;
  close(conn: ConnId): void;
  /**
   * Bytes this process wrote on `conn` that its kernel has not taken yet (the peer stopped reading
   * and both socket buffers are full): what the process itself still holds for that connection
   * (Redis's per-client output buffer). Effects asked for in the current handler are not counted.
   */
  unsentBytes(conn: ConnId): number;
  /**
   * `freezeWhilePaused`: the time left is kept while the process is SIGSTOPped and runs on after
   * SIGCONT, for work a process counts in its own loop iterations (Redis's run_with_period() in
   * serverCron), instead of firing as soon as the process runs again.
   */
  timer(key: string, delayMs: number, opts?: { readonly freezeWhilePaused?: boolean }): void;
  cancelTimer(key: string): void;
  log(level: LogLevel, text: string): void;
  event(level: LogLevel, event: string, text: string): void;
  state(data: Readonly<Record<string, unknown>>): void;
  persist(data: unknown): void;
  exit(code: number): void;
}

export interface Behavior<S, M = unknown> {
  readonly kind: string;
  /** A fresh start (boot or restart). `disk` is the last thing persisted, if anything. */
  init(ctx: Ctx<M>, disk: unknown): S;
  /** TCP ports this process accepts connections on, on every address of its host. */
  listenPorts(state: S): readonly number[];
  onNet(draft: Draft<S>, ev: NetEvent<M>, ctx: Ctx<M>): void;
  onTimer(draft: Draft<S>, key: string, ctx: Ctx<M>): void;
  /**
   * A signal sent from outside (SIGTERM, SIGINT), handled like an input. Absent: the signal's
   * default action, which for these is to die at once as after an exit.
   */
  onSignal?(draft: Draft<S>, signal: string, ctx: Ctx<M>): void;
}
