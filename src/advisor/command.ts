/**
 * `sentinel-sim check` after its options are parsed (src/cli/check.ts), as a function: target and
 * options in, output and exit code out. Exit 0 when the check ran (findings are not
 * errors), 2 for bad input (file:line and the reason on stderr), 70 for an internal error.
 */
import { InputError } from '../config/errors.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { loadModel } from '../scenario/model.js';
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

export interface CheckCommandOptions {
  readonly format: 'text' | 'json';
  readonly seeds?: readonly number[];
  readonly maxPartitions?: number;
}

/** The target and options as the CLI parsed them (src/cli/check.ts): output and exit code out. */
export function runCheck(target: string, o: CheckCommandOptions, ctx: CheckCommandContext = {}): CommandOutput {
  let stdout = '';
  let stderr = '';
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
