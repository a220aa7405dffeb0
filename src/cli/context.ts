import { readFileSync } from 'node:fs';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import type { Env } from './colour.js';

/** What every subcommand is handed: where to write, and the hooks tests use. */

export interface OutStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** The player's keyboard, and `run -`'s scenario; process.stdin when absent. */
  readonly stdin?: NodeJS.ReadStream | { readonly isTTY?: boolean };
}

/** For tests: replace the Redis/Sentinel models with fakes, or the environment, or the working directory. */
export interface MainHooks {
  readonly factories?: BehaviorFactories;
  /** Environment for NO_COLOR / FORCE_COLOR / COLUMNS; process.env by default. */
  readonly env?: Env;
  /** Working directory for relative paths; process.cwd() by default. */
  readonly cwd?: string;
  /** What `-` reads instead of stdin. */
  readonly stdinText?: string;
  /** `run` answers SIGHUP/SIGINT/SIGTERM between slices of the run (signals.ts); set by the real entry point only. */
  readonly handleSignals?: boolean;
}

export interface CliContext {
  readonly io: Io;
  readonly hooks: MainHooks;
  /** The exit code the whole command returns. */
  setCode(code: number): void;
}

export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
/** The run was stopped: past the event cap (run --max-events) or stuck at one simulated instant. */
export const EXIT_RUN_STOPPED = 3;
export const EXIT_INTERNAL = 70;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
