import { Option, type Command } from 'commander';
import type { CliContext } from './context.js';
import { parsePositiveDurationUs, parseSeed } from './options.js';

/**
 * `sentinel-sim play <scenario | trace>`: the terminal player. ink and React are imported only
 * when play runs, so every other command starts without them.
 */

interface PlayFlags {
  seed?: number;
  until?: number;
  frameEvery?: number;
  stats?: boolean;
  allLogs?: boolean;
}

export function registerPlay(program: Command, ctx: CliContext): void {
  program
    .command('play')
    .description('The terminal player: step through a scenario (or a saved run) by event, key event or time.')
    .argument('<scenario-or-trace>', 'a scenario YAML file, or a saved run (run --format jsonl, or run --trace); - reads either from stdin (then the plain log is printed: stdin is not a keyboard)')
    .option('--seed <n>', "seed to use instead of the scenario's own", parseSeed)
    .option('--until <time>', "stop at this simulated time (e.g. 90s, 1m30s) instead of the scenario's duration", parsePositiveDurationUs)
    .option('--frame-every <time>', 'keep a state frame at least this often between trace records (default 100ms)', parsePositiveDurationUs)
    .option('--stats', "record, print the recording's time and memory figures, and exit")
    .addOption(new Option('--all-logs', 'start with every log line shown, not only Sentinel events'))
    .addHelpText(
      'after',
      '\nA scenario is simulated once, then played back at any speed, forwards and backwards; a saved run\nshows the event log and timeline only. When stdout is not a terminal, play prints the plain log.\n',
    )
    .action(async (file: string, f: PlayFlags) => {
      const { runPlay } = await import('../tui/command.js');
      const io = { stdin: ctx.io.stdin ?? process.stdin, stdout: ctx.io.stdout, stderr: ctx.io.stderr };
      // `-`: the scenario or saved run piped in, bounded as a saved run is (a scenario's own 1 MiB is checked once it is known to be one).
      const text = file === '-' ? await readPlayStdin(ctx) : undefined;
      const args = { file: text === undefined ? file : '<stdin>', text, seed: f.seed, untilUs: f.until, frameEveryMs: f.frameEvery === undefined ? undefined : f.frameEvery / 1000, stats: !!f.stats, allLogs: !!f.allLogs };
      ctx.setCode(await runPlay(args, io));
    });
}

async function readPlayStdin(ctx: CliContext): Promise<string> {
  const { readStdinText } = await import('./stdin.js');
  const { MAX_TRACE_FILE_BYTES } = await import('../recording/traceFile.js');
  return readStdinText(ctx, 'play -: reads a scenario or a saved run from stdin', 'play - < run.jsonl', MAX_TRACE_FILE_BYTES);
}
