#!/usr/bin/env node
import { formatDurationUs } from '../scenario/duration.js';
import { readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../config/errors.js';
import { runCheckCommand } from '../advisor/command.js';
import { runLintCommand } from '../lint/command.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { parseDurationUs } from '../scenario/duration.js';
import { runScenario, type RunResult } from '../scenario/runner.js';
import { loadScenario } from '../scenario/scenario.js';
import { FileTrace } from '../sim/trace.js';
import { expectationLines, jsonlLine, logLine, verdictLine } from './format.js';

/**
 * The sentinel-sim command line. `main()` takes the arguments and two writers and returns the
 * exit code, so tests run it in-process: 0 all expectations hold, 1 one failed, 2 bad input
 * (file:line on stderr), 70 an internal error (one line, never a stack trace).
 */

export interface Io {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('the seed must be a non-negative integer');
  return Number(v);
}

function parseUntil(v: string): number {
  const us = parseDurationUs(v);
  if (us === undefined || us <= 0) throw new InvalidArgumentError('expected a positive duration such as 90s, 1500ms or 3m');
  return us;
}

interface RunFlags {
  seed?: number;
  until?: number;
  format: 'log' | 'jsonl' | 'json';
  trace?: string;
  printConfig?: boolean;
}

function runCommand(file: string, flags: RunFlags, io: Io, hooks: MainHooks): number {
  const scenario = loadScenario(file);
  const m = scenario.model;
  for (const n of m.inferred) io.stderr.write(`${n}\n`);
  for (const w of m.warnings) io.stderr.write(`${w}\n`);
  const seed = flags.seed ?? scenario.seed;
  const seedNote = `seed ${seed}${flags.seed === undefined ? ' (from the scenario)' : ''}`;
  if (flags.format === 'log') io.stdout.write(`# sentinel-sim ${version()} run ${file} model=${m.name} ${seedNote.replace(/^seed /, 'seed=')}\n`);
  else io.stderr.write(`${seedNote}\n`);

  let trace: FileTrace | undefined;
  const tmp = flags.trace ? `${flags.trace}.partial` : undefined;
  if (tmp) {
    try {
      trace = new FileTrace(tmp);
    } catch (e) {
      throw new InputError(`${flags.trace}: cannot write the trace: ${(e as Error).message}`);
    }
  }
  let res: RunResult;
  try {
    res = runScenario(scenario, {
      seed, untilUs: flags.until, trace, traceDetail: trace ? 'full' : 'events', factories: hooks.factories, sentinelConfigs: flags.printConfig,
      onProgress: progressReporter(io),
    });
    trace?.close();
    if (tmp) renameSync(tmp, flags.trace!);
  } catch (e) {
    try {
      trace?.close();
    } catch {
      // already failing; the temporary file is removed below
    }
    if (tmp) rmSync(tmp, { force: true });
    throw e;
  }

  if (flags.format === 'log') {
    for (const r of res.records) {
      const l = logLine(r);
      if (l !== undefined) io.stdout.write(`${l}\n`);
    }
    io.stdout.write(`# ${verdictLine(res)}\n`);
    for (const l of expectationLines(res.expectations)) io.stdout.write(`${l}\n`);
  } else if (flags.format === 'jsonl') {
    for (const r of res.records) {
      const l = jsonlLine(r);
      if (l !== undefined) io.stdout.write(`${l}\n`);
    }
  } else {
    const summary = flags.printConfig ? { ...res.summary, sentinelConfigs: res.sentinelConfigs } : res.summary;
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }
  if (flags.printConfig && flags.format !== 'json') {
    // In jsonl mode stdout stays one JSON object per line, so the files go to stderr.
    const out = flags.format === 'log' ? io.stdout : io.stderr;
    for (const c of res.sentinelConfigs) out.write(`# ${c.process}: sentinel.conf as rewritten at the end of the run\n${c.text}`);
  }
  if (!res.ok) {
    if (flags.format !== 'log') for (const l of expectationLines(res.expectations.filter((e) => !e.pass))) io.stderr.write(`${l}\n`);
    io.stderr.write(`${verdictLine(res)} (${file}, seed ${seed})\n`);
    return EXIT_EXPECTATION_FAILED;
  }
  return EXIT_OK;
}

/**
 * A long run says how far it got: after 3 s of wall time, and then every 5 s, one line on stderr,
 * when stderr is a terminal (captured output stays byte-identical for the same seed). Wall time is
 * read here, in the CLI, never in the model.
 */
function progressReporter(io: Io): (simUs: number, endUs: number) => void {
  if (!(io.stderr as { isTTY?: boolean }).isTTY) return () => {};
  const startMs = Date.now();
  let nextMs = startMs + 3000;
  return (simUs, endUs) => {
    const now = Date.now();
    if (now < nextMs || simUs >= endUs) return;
    nextMs = now + 5000;
    const pct = ((100 * simUs) / endUs).toFixed(0);
    const rate = simUs / 1e6 / ((now - startMs) / 1000);
    const leftS = (endUs - simUs) / 1e6 / rate;
    io.stderr.write(`... simulated ${formatDurationUs(simUs)} of ${formatDurationUs(endUs)} (${pct}%), about ${leftS.toFixed(0)} s to go (Ctrl-C stops it)\n`);
  };
}

/** For tests: replace the Redis/Sentinel models with fakes. */
export interface MainHooks {
  readonly factories?: BehaviorFactories;
}

export function buildProgram(io: Io, setCode: (c: number) => void, hooks: MainHooks = {}): Command {
  const program = new Command();
  program
    .name('sentinel-sim')
    .description('A deterministic simulator of Redis 7.0 Sentinel deployments: real redis.conf/sentinel.conf files, scripted faults, checked expectations.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('run')
    .description('Run a scenario and check its expectations (exit 0: all hold, 1: one failed, 2: bad input).')
    .argument('<scenario>', 'a scenario YAML file')
    .option('--seed <n>', "seed to use instead of the scenario's own", parseSeed)
    .option('--until <time>', "stop at this simulated time (e.g. 90s) instead of the scenario's duration", parseUntil)
    .addOption(new Option('--format <format>', 'output: log lines, JSON lines of events, or a JSON summary').choices(['log', 'jsonl', 'json']).default('log'))
    .option('--trace <file>', 'also write the full JSONL trace to this file')
    .option('--print-config', "print each Sentinel's sentinel.conf as it rewrote it, at the end of the run")
    .exitOverride()
    .action((file: string, flags: RunFlags) => {
      setCode(runCommand(file, flags, io, hooks));
    });

  program
    .command('lint')
    .description('Check redis.conf / sentinel.conf files as Redis 7.0.15 would read them (see lint --help).')
    .argument('<file...>', 'redis.conf or sentinel.conf files')
    .allowUnknownOption()
    .helpOption(false)
    .action(() => {
      // Handled in main() before commander, so lint keeps its own options and help.
    });

  program
    .command('play')
    .description('The terminal player: step through a scenario (or a saved jsonl run) by event, key event or time (see play --help).')
    .argument('<scenario-or-trace>', 'a scenario YAML file, or the output of run --format jsonl')
    .allowUnknownOption()
    .helpOption(false)
    .action(() => {
      // Handled in main() before commander, like lint.
    });

  program
    .command('check')
    .description('The quorum advisor: what each failure-domain loss, Sentinel pause and partition does to a deployment (see check --help).')
    .argument('<model-or-folder>', 'a model.yaml, a folder holding one, or a folder of .conf files')
    .allowUnknownOption()
    .helpOption(false)
    .action(() => {
      // Handled in main() before commander, like lint.
    });

  return program;
}

export async function main(argv: readonly string[], io: Io, hooks: MainHooks = {}): Promise<number> {
  let code = EXIT_OK;
  try {
    const program = buildProgram(
      io,
      (c) => {
        code = c;
      },
      hooks,
    );
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_BAD_INPUT;
    }
    // The player (ink, React) is loaded only for play.
    if (argv[0] === 'play') return await (await import('../tui/command.js')).runPlayCommand(argv.slice(1), { stdin: process.stdin, stdout: io.stdout, stderr: io.stderr });
    if (argv[0] === 'lint' || argv[0] === 'check') {
      const out = argv[0] === 'lint' ? runLintCommand(argv.slice(1)) : runCheckCommand(argv.slice(1), { factories: hooks.factories });
      io.stdout.write(out.stdout);
      io.stderr.write(out.stderr);
      return out.exitCode;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_BAD_INPUT;
    }
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

if (isEntryPoint()) {
  // `sentinel-sim run … | head`: a closed pipe ends the output quietly, never with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      process.exit(e.code === 'EPIPE' ? 0 : EXIT_INTERNAL);
    });
  }
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('sentinel-sim: internal error (this is a bug; please report it)\n');
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
