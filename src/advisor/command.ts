/**
 * `sentinel-sim check` after its options are parsed (src/cli/check.ts), as a function: target and
 * options in, output and exit code out. Exit 0 when the deployment meets the bar the requirements
 * name, 1 when it misses it, 2 for bad input (file:line and the reason on stderr), 70 for an
 * internal error.
 */
import { InputError } from '../config/errors.js';
import type { BehaviorFactories } from '../scenario/behaviors.js';
import { loadModel } from '../scenario/model.js';
import { checkWritableFolder } from '../scenario/outputFolder.js';
import { formatJson, formatSideBySide, formatText, type Checked } from './format.js';
import { DEFAULT_WIDTH } from './layout.js';
import { isEmptyVariant, type Variant } from './options.js';
import { defaultWorkers, runJobs, type PlanJob } from './pool.js';
import { assembleReport, DEFAULT_SEEDS, planCheck } from './report.js';
import { DEFAULT_REQUIREMENTS, verdictOf, type Requirement } from './require.js';
import { saveScenarios } from './save.js';
import { applyVariant } from './whatif.js';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface CheckCommandContext {
  /** For tests: other Redis/Sentinel models (the real ones by default); they run in this thread. */
  readonly factories?: BehaviorFactories;
  /** Text width: COLUMNS when stdout is a terminal; undefined: 100. */
  readonly columns?: number;
  /** Called after each run (or batch of runs) with how many are done of how many. */
  readonly onRun?: (done: number, total: number) => void;
}

export interface CheckCommandOptions {
  readonly format: 'text' | 'json';
  readonly seeds?: readonly number[];
  readonly maxPartitions?: number;
  /** Default: single-failure. */
  readonly require?: readonly Requirement[];
  /** The deployment as given, with the what-if flags applied (the column the exit code follows). */
  readonly base?: Variant;
  /** More columns, side by side. */
  readonly variants?: readonly Variant[];
  /** Default: every core. */
  readonly workers?: number;
  readonly width?: number;
  readonly save?: string;
  /** Let the model read configuration files outside its folder (as run --allow-outside-model). */
  readonly allowOutsideModel?: boolean;
}

const AS_CONFIGURED: Variant = { label: 'as configured' };

/** The target and options as the CLI parsed them (src/cli/check.ts): output and exit code out. */
export async function runCheck(target: string, o: CheckCommandOptions, ctx: CheckCommandContext = {}): Promise<CommandOutput> {
  const io = { stdout: '', stderr: '' };
  try {
    const model = loadModel(target, { allowOutsideModel: o.allowOutsideModel });
    // As `run` does: what was inferred, then each unusual trait as file:line: warning (they are flags too).
    for (const n of [...model.inferred, ...model.warnings]) io.stderr += `${n}\n`;
    const seeds = o.seeds ?? [...DEFAULT_SEEDS];
    const required = o.require ?? [...DEFAULT_REQUIREMENTS];
    if (o.save !== undefined) checkWritableFolder(o.save, 'the scenarios (--save)');
    io.stderr += `check: seeds ${seeds.join(' ')}\n`;
    const base = o.base ?? AS_CONFIGURED;
    const variants = [base, ...(o.variants ?? []).map((v) => ({ ...base, ...v, label: v.label }))];
    const applied = variants.map((v) => {
      if (isEmptyVariant(v)) return { variant: v, model, added: [], changes: [] as string[] };
      try {
        return applyVariant(model, v);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(`what-if ${v.label}: ${e.message}`);
        throw new InputError(`check: what-if ${v.label}: ${(e as Error).message}`);
      }
    });
    const jobs: PlanJob[] = applied.map((a) => ({
      plan: planCheck(a.model, { seeds, maxPartitions: o.maxPartitions }),
      source: {
        modelPath: target, variant: a.variant, ...(o.maxPartitions !== undefined ? { maxPartitions: o.maxPartitions } : {}),
        ...(o.allowOutsideModel ? { allowOutsideModel: true } : {}),
      },
    }));
    const outcomes = await runJobs(jobs, o.workers ?? defaultWorkers(), ctx.factories, ctx.onRun);
    const checked: Checked[] = jobs.map((j, i) => {
      const report = assembleReport(j.plan, outcomes[i]!);
      return { label: applied[i]!.variant.label, report, verdict: verdictOf(report, required), changes: applied[i]!.changes, added: applied[i]!.added };
    });
    if (o.save !== undefined) io.stderr += saveScenarios(o.save, target, jobs, checked, applied);
    const width = o.width ?? ctx.columns ?? DEFAULT_WIDTH;
    if (o.format === 'json') io.stdout += formatJson(checked);
    else io.stdout += checked.length === 1 ? formatText(checked[0]!, width) : formatSideBySide(checked, width);
    return { ...io, exitCode: checked[0]!.verdict.pass ? 0 : 1 };
  } catch (e) {
    if (e instanceof InputError) return { stdout: '', stderr: `${io.stderr}${e.message}\n`, exitCode: 2 };
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { stdout: '', stderr: `${io.stderr}sentinel-sim check: internal error: ${msg.split('\n')[0]} (this is a bug; please report it with the model)\n`, exitCode: 70 };
  }
}
