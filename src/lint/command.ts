/**
 * `sentinel-sim lint` after its options are parsed (src/cli/lint.ts), as a function tests call
 * without a process: files and options in, output and exit code out.
 */
import { failureWhere, formatJson, formatText } from './format.js';
import { lintFiles } from './lint.js';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface LintCommandContext {
  /** Working directory for relative paths (and Redis's own relative paths); default process.cwd(). */
  readonly cwd?: string;
  /** What `-` reads: the bytes piped into the command. */
  readonly stdinBytes?: Buffer;
}

export interface LintCommandOptions {
  readonly mode?: 'redis' | 'sentinel';
  readonly format: 'text' | 'json';
  readonly strict: boolean;
  /** Add the checks only this machine can answer (paths, interfaces); default: judge for the file's own host. */
  readonly onThisHost?: boolean;
}

/** `files` and options as the CLI parsed them (src/cli/lint.ts): output and exit code out. */
export function runLint(files: readonly string[], o: LintCommandOptions, ctx: LintCommandContext = {}): CommandOutput {
  let stdout = '';
  let stderr = '';
  const r = lintFiles([...files], { mode: o.mode, strict: o.strict, cwd: ctx.cwd, onThisHost: o.onThisHost === true, stdinBytes: ctx.stdinBytes });
  stdout += o.format === 'json' ? formatJson(r) : formatText(r);
  for (const f of r.failures) stderr += `sentinel-sim lint: ${failureWhere(f)}: ${f.message}\n`;
  return { stdout, stderr, exitCode: r.exitCode };
}
