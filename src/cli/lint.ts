import { Option, type Command } from 'commander';
import type { CliContext } from './context.js';

/** `sentinel-sim lint <file...>`: would Redis 7.0.15 accept these config files? */

interface LintFlags {
  mode?: 'redis' | 'sentinel';
  format: 'text' | 'json';
  strict: boolean;
  onThisHost: boolean;
}

export function registerLint(program: Command, ctx: CliContext): void {
  program
    .command('lint')
    .description('Would Redis 7.0.15 accept these config files, and do they mean what you think?')
    .argument('<path...>', "redis.conf / sentinel.conf files (- reads one from stdin), folders of them, or models (a model.yaml or a folder holding one: every process's config, judged for its host in the model)")
    .addOption(new Option('--mode <mode>', 'read as redis-server (redis) or redis-server --sentinel (sentinel); default: from the file').choices(['redis', 'sentinel']))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'warnings fail too (exit 1)', false)
    .option('--on-this-host', "also check what only this machine can answer: dir/logfile paths, script permissions, a writable Sentinel config, bind against this machine's interfaces (by default a file is judged for the host it is written for)", false)
    .action(async (files: string[], o: LintFlags) => {
      const { runLint } = await import('../lint/command.js');
      const { paintFor, paintText } = await import('./colour.js');
      const stdinBytes = files.includes('-') ? await (await import('./stdin.js')).readStdinBytes(ctx, 'lint -: reads a config file from stdin', 'lint - < redis.conf') : undefined;
      const r = runLint(files, o, { cwd: ctx.hooks.cwd, stdinBytes });
      const colour = o.format === 'text' ? paintFor(ctx.io.stdout, ctx.hooks.env) : undefined;
      ctx.io.stdout.write(colour ? paintText(r.stdout, colour) : r.stdout);
      ctx.io.stderr.write(paintText(r.stderr, paintFor(ctx.io.stderr, ctx.hooks.env)));
      ctx.setCode(r.exitCode);
    });
}
