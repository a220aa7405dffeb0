/**
 * `sentinel-sim lint <file>... [--mode redis|sentinel] [--format text|json] [--strict]` as a
 * function, so the CLI wires it in one line and tests need no process: argv in, output and exit
 * code out. Argument parsing is commander's, with its exits turned into exit code 2.
 */
import { Command, CommanderError, Option } from 'commander';
import { formatJson, formatText } from './format.js';
import { lintFiles } from './lint.js';

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface LintCommandContext {
  /** Working directory for relative paths (and Redis's own relative paths); default process.cwd(). */
  readonly cwd?: string;
}

/** `argv`: the words after `lint`, e.g. `['a.conf', '--mode', 'sentinel']`. */
export function runLintCommand(argv: readonly string[], ctx: LintCommandContext = {}): CommandOutput {
  let stdout = '';
  let stderr = '';
  const cmd = new Command('lint')
    .description('Would Redis 7.0.15 accept these config files, and do they mean what you think?')
    .argument('<file...>', 'redis.conf or sentinel.conf files')
    .addOption(new Option('--mode <mode>', 'read as redis-server (redis) or redis-server --sentinel (sentinel); default: from the file').choices(['redis', 'sentinel']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'warnings fail too (exit 1)', false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (stdout += s),
      writeErr: (s) => (stderr += s),
    })
    .allowExcessArguments(false);
  let files: string[] = [];
  try {
    cmd.action((f: string[]) => {
      files = f;
    });
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are successes; every usage error is "lint could not run".
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return { stdout, stderr, exitCode: ok ? 0 : 2 };
    }
    return { stdout, stderr: stderr + `lint: ${(e as Error)?.message ?? String(e)}\n`, exitCode: 2 };
  }
  const o = cmd.opts<{ mode?: 'redis' | 'sentinel'; format: 'text' | 'json'; strict: boolean }>();
  const r = lintFiles(files, { mode: o.mode, strict: o.strict, cwd: ctx.cwd });
  if (o.format === 'json') stdout += formatJson(r);
  else {
    const text = formatText(r);
    stdout += text;
  }
  for (const f of r.failures) stderr += `sentinel-sim lint: ${f.message}\n`;
  return { stdout, stderr, exitCode: r.exitCode };
}
