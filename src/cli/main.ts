#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../config/errors.js';
import { registerCheck } from './check.js';
import { registerExplore } from './explore.js';
import { PROGRAM_BUDGET_BYTES, setInterruptBudget } from './jitBudget.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, version, type CliContext, type Io, type MainHooks } from './context.js';
import { registerLint } from './lint.js';
import { registerPlay } from './play.js';
import { registerRun } from './run.js';

/**
 * The sentinel-sim command line: one commander program, one file per subcommand. `main()` takes
 * the arguments and the streams and returns the exit code, so tests run it in-process: 0 all
 * expectations hold, 1 one failed, 2 bad input (file:line on stderr), 3 the run was stopped (the
 * event cap, or no progress of simulated time), 70 an internal error (one line, never a stack trace). Each subcommand imports its heavy modules only when it runs.
 */

export { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_RUN_STOPPED, version, type Io, type MainHooks } from './context.js';

export function buildProgram(io: Io, setCode: (c: number) => void, hooks: MainHooks = {}): Command {
  const program = new Command();
  program
    .name('sentinel-sim')
    .description('A deterministic simulator of Redis 7.0 Sentinel deployments: real redis.conf/sentinel.conf files, scripted faults, checked expectations.')
    .version(version(), '-v, --version', 'print the version')
    // -V too, as older releases printed the version with it.
    .addOption(new Option('-V').hideHelp())
    .on('option:V', () => {
      io.stdout.write(`${version()}\n`);
      throw new CommanderError(0, 'commander.version', version());
    })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const ctx: CliContext = { io, hooks, setCode };
  registerRun(program, ctx);
  registerPlay(program, ctx);
  registerCheck(program, ctx);
  registerLint(program, ctx);
  registerExplore(program, ctx);
  // Every subcommand inherits the output, error and exit settings set above.
  for (const sub of program.commands) sub.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError('(run with --help for usage)');
  return program;
}

const QUIET_CODES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

export async function main(argv: readonly string[], io: Io, hooks: MainHooks = {}): Promise<number> {
  let code = EXIT_OK;
  try {
    const program = buildProgram(io, (c) => (code = c), hooks);
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_BAD_INPUT;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return QUIET_CODES.has(e.code) ? EXIT_OK : EXIT_BAD_INPUT;
    if (e instanceof InputError) {
      io.stderr.write(`${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    io.stderr.write(`sentinel-sim: internal error: ${msg.split('\n')[0]} (this is a bug; please report it with the command line and the scenario)\n`);
    return EXIT_INTERNAL;
  }
}

function isEntryPoint(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Runs the program as its own process: sets the process-wide V8 and stream settings, then main().
 * Called when this file is the entry point, and by the start-up snapshot's main (snapshot.ts).
 */
export function startProgram(argv: readonly string[]): void {
  // A short program spends much of its CPU in TurboFan otherwise (jitBudget.ts). Set by the program only: tests that call main() keep their own process's settings.
  setInterruptBudget(PROGRAM_BUDGET_BYTES);
  // `sentinel-sim run … | head`: a closed pipe ends the output quietly, never with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      process.exit(e.code === 'EPIPE' ? 0 : EXIT_INTERNAL);
    });
  }
  // stdin is left out: process.stdin is built on first use (the player, `run -`), not by every command.
  const io: Io = { stdout: process.stdout, stderr: process.stderr };
  // `run` answers SIGHUP/SIGINT/SIGTERM between slices of simulated time, in this thread (signals.ts).
  main(argv, io, { handleSignals: true }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('sentinel-sim: internal error (this is a bug; please report it)\n');
      process.exitCode = EXIT_INTERNAL;
    },
  );
}

if (isEntryPoint()) startProgram(process.argv.slice(2));
