import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseVariant, parseSetting, variantOfFlags, VARIANT_KEYS, WHAT_IF_HELP, type Variant } from '../advisor/options.js';
import { DEFAULT_REQUIREMENTS, parseRequirements, requirementsHelp, type Requirement } from '../advisor/require.js';
import { MAX_CHECK_SEEDS, MAX_CHECK_VARIANTS } from '../scenario/inputLimits.js';
import type { CliContext, OutStream } from './context.js';
import { parseIntIn, parseSeedList } from './options.js';

/** `sentinel-sim check <model-or-folder>`: the quorum advisor, with a verdict CI can gate on. */

interface CheckFlags {
  format: 'text' | 'json';
  seeds?: number[];
  maxPartitions?: number;
  require?: Requirement[];
  variant?: Variant[];
  workers?: number;
  width?: number;
  save?: string;
  allowOutsideModel?: boolean;
  [whatIf: string]: unknown;
}

/** Errors of the advisor's parsers, as commander's usage errors (exit 2, "error: option ..."). */
function usage<T>(f: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return f(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

/** One more `--variant`: each column runs every case and seed again, so their number is bounded. */
function addVariant(v: string, prev: Variant[] = []): Variant[] {
  if (prev.length >= MAX_CHECK_VARIANTS) throw new InvalidArgumentError(`more than ${MAX_CHECK_VARIANTS} variants; the limit is ${MAX_CHECK_VARIANTS} (each runs every case and seed again)`);
  return [...prev, usage(parseVariant)(v)];
}

/** COLUMNS (or the terminal's width) when stdout is a terminal; undefined otherwise (100 then). */
function terminalColumns(ctx: CliContext): number | undefined {
  if (!ctx.io.stdout.isTTY) return undefined;
  const env = ctx.hooks.env ?? process.env;
  const cols = Number(env.COLUMNS);
  return Number.isInteger(cols) && cols > 0 ? cols : ctx.io.stdout.columns;
}

/**
 * A long check says how far it got, as `run` does: after 3 s of wall time and then every 5 s, one
 * line on stderr when it is a terminal (captured output is the same bytes). A big model's check
 * can take minutes; without this it looked like a hang. Wall time is read here, never in the advisor.
 */
export function checkProgress(stderr: OutStream, nowMs: () => number = Date.now): ((done: number, total: number) => void) | undefined {
  if (!stderr.isTTY) return undefined;
  const startMs = nowMs();
  let nextMs = startMs + 3000;
  return (done, total) => {
    const now = nowMs();
    if (now < nextMs || done >= total) return;
    nextMs = now + 5000;
    const leftS = ((now - startMs) / 1000) * ((total - done) / done);
    stderr.write(`check: ${done} of ${total} runs, about ${Math.ceil(leftS)} s to go (Ctrl-C stops it)\n`);
  };
}

export function registerCheck(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('check')
    .description('The quorum advisor: run every single and double failure-domain loss, Sentinel pause and host partition of a deployment over several seeds, flag classic Sentinel mistakes, and exit 1 when it misses the bar --require names.')
    .argument('<model-or-folder>', 'a model.yaml, a folder holding one, or a folder of redis.conf/sentinel.conf files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--seeds <list>', `seeds, comma-separated (default 1,2,3,4,5; at most ${MAX_CHECK_SEEDS})`, parseSeedList)
    .option('--max-partitions <n>', 'run at most this many host partitions (default 31)', parseIntIn(0, 1000))
    .option('--require <names>', `the bar for exit 0, comma-separated (default ${DEFAULT_REQUIREMENTS.join(',')}; see below)`, usage(parseRequirements))
    .option('--variant <settings>', `a what-if column next to the deployment, e.g. "sentinels=5,quorum=3" (repeatable, at most ${MAX_CHECK_VARIANTS})`, addVariant)
    .option('--workers <n>', 'worker threads (default: every core); the output is the same bytes for any number', parseIntIn(1, 256))
    .option('--width <columns>', 'text width (default: COLUMNS on a terminal, else 100)', parseIntIn(40, 1000))
    .option('--save <dir>', 'write every case as a scenario file (model, seed, timeline, expectations) that run replays and play opens')
    .option('--allow-outside-model', 'let the model read configuration files outside its folder (a model someone shared may not, by default)');
  for (const [name, s] of Object.entries(VARIANT_KEYS)) {
    cmd.option(`--${name} <${s.ms ? 'ms' : 'n'}>`, `what-if: ${s.what}`, usage((v: string) => parseSetting(name, v)));
  }
  cmd
    .addHelpText('after', `${WHAT_IF_HELP}\n\nRequirements (--require a,b; default ${DEFAULT_REQUIREMENTS.join(',')}):\n${requirementsHelp()}\n\nExit codes: 0 the requirements hold, 1 they do not, 2 bad input, 70 internal error.`)
    .action(async (target: string, o: CheckFlags) => {
      const { runCheck } = await import('../advisor/command.js');
      const { paintFor, paintText } = await import('./colour.js');
      const r = await runCheck(
        target,
        { format: o.format, seeds: o.seeds, maxPartitions: o.maxPartitions, require: o.require, base: variantOfFlags(o), variants: o.variant, workers: o.workers, width: o.width, save: o.save, allowOutsideModel: o.allowOutsideModel },
        { factories: ctx.hooks.factories, columns: terminalColumns(ctx), onRun: checkProgress(ctx.io.stderr) },
      );
      const colour = o.format === 'text' ? paintFor(ctx.io.stdout, ctx.hooks.env) : undefined;
      ctx.io.stdout.write(colour ? paintText(r.stdout, colour) : r.stdout);
      ctx.io.stderr.write(r.stderr);
      ctx.setCode(r.exitCode);
    });
}
