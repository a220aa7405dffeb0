/**
 * `sentinel-sim check <model-or-folder> [--format text|json] [--seeds 1,2,3] [--max-partitions N]`
 * as a function: argv in, output and exit code out. Exit 0 when the check ran (findings are not
 * errors), 2 for bad input (file:line and the reason on stderr), 70 for an internal error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../config/errors.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { loadModel } from '../scenario/model.js';
import { MAX_PARTITIONS } from './cases.js';
import { formatJson, formatText } from './format.js';
import { checkModel, DEFAULT_SEEDS } from './report.js';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface CheckCommandContext {
  /** For tests: other Redis/Sentinel models (the real ones by default). */
  readonly factories?: BehaviorFactories;
}

function parseSeeds(v: string): number[] {
  const parts = v.split(',').map((x) => x.trim());
  if (parts.length === 0 || parts.some((x) => !/^\d+$/.test(x) || !Number.isSafeInteger(Number(x)))) {
    throw new InvalidArgumentError('expected non-negative integers separated by commas, e.g. 1,2,3,4,5');
  }
  const seeds = parts.map(Number);
  if (new Set(seeds).size !== seeds.length) throw new InvalidArgumentError('a seed is listed twice');
  return seeds;
}

function parseCount(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 0 || Number(v) > 1000) throw new InvalidArgumentError('expected an integer from 0 to 1000');
  return Number(v);
}

/** `argv`: the words after `check`, e.g. `['models/zato', '--format', 'json']`. */
export function runCheckCommand(argv: readonly string[], ctx: CheckCommandContext = {}): CommandOutput {
  let stdout = '';
  let stderr = '';
  const cmd = new Command('check')
    .description('The quorum advisor: run every single and double failure-domain loss, Sentinel pause and host partition of a deployment over several seeds, and flag classic Sentinel mistakes.')
    .argument('<model-or-folder>', 'a model.yaml, a folder holding one, or a folder of redis.conf/sentinel.conf files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--seeds <list>', `seeds, comma-separated (default ${DEFAULT_SEEDS.join(',')})`, parseSeeds)
    .option('--max-partitions <n>', `run at most this many host partitions (default ${MAX_PARTITIONS})`, parseCount)
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) })
    .allowExcessArguments(false);
  let target = '';
  try {
    cmd.action((t: string) => {
      target = t;
    });
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return { stdout, stderr, exitCode: ok ? 0 : 2 };
    }
    return { stdout, stderr: `${stderr}check: ${(e as Error)?.message ?? String(e)}\n`, exitCode: 2 };
  }
  const o = cmd.opts<{ format: 'text' | 'json'; seeds?: number[]; maxPartitions?: number }>();
  try {
    const model = loadModel(target);
    for (const n of model.inferred) stderr += `${n}\n`;
    const seeds = o.seeds ?? [...DEFAULT_SEEDS];
    stderr += `check: seeds ${seeds.join(' ')}\n`;
    const report = checkModel(model, { seeds, factories: ctx.factories, maxPartitions: o.maxPartitions });
    stdout += o.format === 'json' ? formatJson(report) : formatText(report);
    return { stdout, stderr, exitCode: 0 };
  } catch (e) {
    if (e instanceof InputError) return { stdout, stderr: `${stderr}${e.message}\n`, exitCode: 2 };
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { stdout, stderr: `${stderr}sentinel-sim check: internal error: ${msg.split('\n')[0]} (this is a bug; please report it with the model)\n`, exitCode: 70 };
  }
}
