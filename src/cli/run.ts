import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RunResult } from '../scenario/runner.js';
import type { Scenario } from '../scenario/scenario.js';
import type { FileTrace, TraceSink } from '../sim/trace.js';
import { DEFAULT_MAX_EVENTS, RunStoppedError } from '../scenario/limits.js';
import { EXIT_EXPECTATION_FAILED, EXIT_OK, EXIT_RUN_STOPPED, version, type CliContext, type Io } from './context.js';
import { LineBuffer } from './lineBuffer.js';
import { parseOutputPath, parsePositiveDurationUs, parseSeed } from './options.js';
import { formatDurationUs } from '../scenario/duration.js';
import { nextTurn, SIGNAL_CODES, StoppedBySignal, watchSignals, type SignalWatch } from './signals.js';

/** `sentinel-sim run <scenario>`: run a scenario, print its log (or JSON), check its expectations. */

export interface RunFlags {
  seed?: number;
  until?: number;
  format: 'log' | 'jsonl' | 'json';
  events?: boolean;
  trace?: string;
  html?: string;
  out?: string;
  printConfig?: boolean;
  maxEvents?: number;
  allowOutsideModel?: boolean;
}

function parseMaxEvents(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) === 0) throw new InvalidArgumentError('expected a positive whole number of events');
  return Number(v);
}

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('Run a scenario and check its expectations (exit 0: all hold, 1: one failed, 2: bad input, 3: stopped by the event cap or no progress of simulated time).')
    .argument('<scenario>', 'a scenario YAML file, or - to read it from stdin (model paths then relative to the working directory)')
    .option('--seed <n>', "seed to use instead of the scenario's own", parseSeed)
    .option('--until <time>', "stop at this simulated time (e.g. 90s, 1m30s) instead of the scenario's duration; expectations past it are 'not reached'", parsePositiveDurationUs)
    .addOption(new Option('--format <format>', 'output: log lines, JSON lines of events, or a JSON summary').choices(['log', 'jsonl', 'json']).default('log'))
    .option('--events', 'log only Sentinel events and the scenario actions (no Redis log lines, no replies)')
    .option('--trace <file>', 'also write the full JSONL trace to this file', parseOutputPath)
    .option('--html <file>', 'also write the run as one self-contained HTML page with an SVG timeline', parseOutputPath)
    .option('--out <dir>', 'also write a run folder: trace.jsonl, summary.json, history.edn (Jepsen) and index.html', parseOutputPath)
    .option('--print-config', "print each Sentinel's sentinel.conf as it rewrote it, at the end of the run")
    .option('--max-events <n>', `stop the run (exit 3) past this many events (default ${DEFAULT_MAX_EVENTS})`, parseMaxEvents)
    .option('--allow-outside-model', "let the model read configuration files outside its folder (a model someone shared may not, by default)")
    .action(async (file: string, flags: RunFlags) => {
      try {
        ctx.setCode(await runCommand(file, flags, ctx));
      } catch (e) {
        if (!(e instanceof RunStoppedError) && !(e instanceof StoppedBySignal)) throw e;
        ctx.io.stderr.write(`sentinel-sim: ${e.message}\n`);
        ctx.setCode(e instanceof StoppedBySignal ? SIGNAL_CODES[e.signal] : EXIT_RUN_STOPPED);
      }
    });
}

async function readScenario(file: string, flags: RunFlags, ctx: CliContext): Promise<Scenario> {
  const { loadScenario, parseScenario } = await import('../scenario/scenario.js');
  const opts = { allowOutsideModel: flags.allowOutsideModel };
  if (file !== '-') return loadScenario(file, opts);
  const { readStdinText, STDIN_NAME } = await import('./stdin.js');
  const text = await readStdinText(ctx, 'run -: reads the scenario from stdin', 'run - < scenario.yaml');
  // The name has no folder, so the scenario's model path is taken from the working directory.
  return parseScenario(text, STDIN_NAME, opts);
}

async function runCommand(file: string, flags: RunFlags, ctx: CliContext): Promise<number> {
  const { io, hooks } = ctx;
  // Only when the process is the CLI's own (the real entry point), never inside a caller's.
  if (hooks.handleSignals) (await import('./heapGrowth.js')).limitHeapGrowth();
  const { runScenarioSteps } = await import('../scenario/runner.js');
  const { expectationLines, jsonlLine, logLine, verdictLine } = await import('./format.js');
  // The trace writer pulls in the config reader (strerror): loaded here, not by `--version` or `--help`.
  const { discardPartial, finishOutput, openTrace, partialPathFor } = await import('./output.js');
  const { TeeTrace } = await import('../sim/trace.js');
  const { paintFor, paintText } = await import('./colour.js');
  const err = paintFor(io.stderr, hooks.env);
  const scenario = await readScenario(file, flags, ctx);
  await checkOutputs(flags);
  const m = scenario.model;
  for (const n of m.inferred) io.stderr.write(`${n}\n`);
  for (const w of m.warnings) io.stderr.write(`${paintText(w, err)}\n`);
  if (hooks.handleSignals) {
    const { budgetForRun, setInterruptBudget } = await import('./jitBudget.js');
    setInterruptBudget(budgetForRun(flags.until ?? scenario.durationUs));
  }
  const seed = flags.seed ?? scenario.seed;
  const seedNote = `seed ${seed}${flags.seed === undefined ? ' (from the scenario)' : ''}`;
  if (flags.format === 'log') io.stdout.write(`# sentinel-sim ${version()} run ${file} model=${m.name} ${seedNote.replace(/^seed /, 'seed=')}\n`);
  else io.stderr.write(`${seedNote}\n`);

  const { runHeader } = await import('./runHeader.js');
  let trace: FileTrace | undefined;
  const tmp = flags.trace !== undefined ? partialPathFor(flags.trace) : undefined;
  if (tmp) {
    trace = openTrace(flags.trace!, tmp, runHeader(file, scenario, seed, 'all'));
  }
  let folder: import('./runFolder.js').RunFolder | undefined;
  try {
    if (flags.out) folder = (await import('./runFolder.js')).RunFolder.open(flags.out, runHeader(file, scenario, seed, 'all'));
  } catch (e) {
    trace?.close();
    if (tmp) discardPartial(tmp, flags.trace!);
    throw e;
  }
  const sinks = [trace, folder?.sink].filter((x): x is TraceSink => x !== undefined);
  const report = progressReporter(io);
  // The log (or the jsonl events) goes out as the run produces it, flushed every simulated minute.
  const lines = new LineBuffer(io.stdout);
  if (flags.format === 'jsonl') lines.line(JSON.stringify(runHeader(file, scenario, seed, 'events')));
  const view = flags.events ? 'events' : 'all';
  const lineOf = flags.format === 'log' ? (r: Parameters<typeof logLine>[0]) => logLine(r, view) : flags.format === 'jsonl' ? jsonlLine : undefined;
  let res: RunResult;
  // The page's writability lane needs each master's good-replica count, which no record carries.
  const writability = flags.html || flags.out ? (await import('../report/writability.js')).watchWritability(m) : undefined;
  const signals = hooks.handleSignals ? watchSignals() : undefined;
  try {
    res = await drive(runScenarioSteps(scenario, {
      seed, untilUs: flags.until, trace: sinks.length > 1 ? new TeeTrace(sinks) : sinks[0], traceDetail: sinks.length > 0 ? 'full' : 'events', factories: hooks.factories,
      sentinelConfigs: flags.printConfig,
      maxEvents: flags.maxEvents, onWorld: writability?.attach,
      // Memory flat over a long run; the page (--html, or the run folder's) draws every write, so it keeps every record.
      keep: flags.html || flags.out ? 'all' : 'checks',
      onRecord: lineOf && ((r) => {
        const l = lineOf(r);
        if (l !== undefined) lines.line(l);
      }),
      onProgress: (simUs, endUs) => {
        lines.flush();
        report(simUs, endUs);
      },
    }), signals, flags.until ?? scenario.durationUs);
    lines.flush();
    trace?.close();
    if (tmp) finishOutput(tmp, flags.trace!, 'trace');
  } catch (e) {
    lines.flush();
    try {
      trace?.close();
    } catch {
      // already failing; the temporary file is removed below
    }
    if (tmp) discardPartial(tmp, flags.trace!);
    folder?.abort();
    if (e instanceof StoppedBySignal && tmp && tmp !== flags.trace) e.message += `; removed ${tmp}`;
    throw e;
  } finally {
    signals?.dispose();
  }

  const { judgeAtCut } = await import('../report/reached.js');
  const judged = judgeAtCut(scenario.expectations, res.expectations, res.records, scenario.timeline, res.endUs, scenario.durationUs, res.acked);
  const { writeRunOutput } = await import('./runOutput.js');
  try {
    writeRunOutput({ scenario, res, judged, flags, ctx });
    if (flags.html) await (await import('./htmlOutput.js')).writeHtml(flags.html, scenario, res, judged, writability?.changes);
    await folder?.finish({ scenario, res, judged, flags, writability: writability?.changes });
  } catch (e) {
    folder?.abort();
    throw e;
  }

  if (judged.some((e) => e.verdict === 'fail')) {
    if (flags.format !== 'log') for (const l of expectationLines(judged.filter((e) => e.verdict === 'fail'))) io.stderr.write(`${paintText(l, err)}\n`);
    io.stderr.write(`${err.fail(verdictLine(res, judged, res.endUs))} (${file}, seed ${seed})\n`);
    return EXIT_EXPECTATION_FAILED;
  }
  return EXIT_OK;
}

/** Every output, checked once the inputs are read (none may replace one) and before anything is printed. */
async function checkOutputs(flags: RunFlags): Promise<void> {
  const { checkDistinctOutputs, checkOutputPath } = await import('./output.js');
  if (flags.trace !== undefined) checkOutputPath(flags.trace, 'trace');
  if (flags.html) checkOutputPath(flags.html, 'page');
  checkDistinctOutputs([['--trace', flags.trace], ['--html', flags.html]]);
  if (flags.out) (await import('./runFolder.js')).checkRunFolder(flags.out);
}

/**
 * Runs the scenario slice by slice. With signals watched, the event loop gets a turn between
 * slices, and a caught SIGHUP/SIGINT/SIGTERM stops the run there (the model itself never sees real time).
 */
async function drive(steps: Generator<number, RunResult, void>, signals: SignalWatch | undefined, endUs: number): Promise<RunResult> {
  let reachedUs = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    reachedUs = r.value;
    if (!signals) continue;
    await nextTurn();
    const sig = signals.caught();
    if (sig) throw new StoppedBySignal(sig, reachedUs, endUs);
  }
}

/**
 * A long run says how far it got: after 3 s of wall time, and then every 5 s, one line on stderr,
 * when stderr is a terminal (captured output stays byte-identical for the same seed). Wall time is
 * read here, in the CLI, never in the model.
 */
function progressReporter(io: Io): (simUs: number, endUs: number) => void {
  if (!io.stderr.isTTY) return () => {};
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
