import { Option, type Command } from 'commander';
import { paintFor, paintText } from './colour.js';
import type { CliContext } from './context.js';
import { parseIntIn, parseSeedList } from './options.js';

/** `sentinel-sim check <model-or-folder>`: the quorum advisor. */

interface CheckFlags {
  format: 'text' | 'json';
  seeds?: number[];
  maxPartitions?: number;
}

export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('The quorum advisor: run every single and double failure-domain loss, Sentinel pause and host partition of a deployment over several seeds, and flag classic Sentinel mistakes.')
    .argument('<model-or-folder>', 'a model.yaml, a folder holding one, or a folder of redis.conf/sentinel.conf files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--seeds <list>', 'seeds, comma-separated (default 1,2,3,4,5)', parseSeedList)
    .option('--max-partitions <n>', 'run at most this many host partitions (default 31)', parseIntIn(0, 1000))
    .action(async (target: string, o: CheckFlags) => {
      const { runCheck } = await import('../advisor/command.js');
      const r = runCheck(target, o, { factories: ctx.hooks.factories });
      const colour = o.format === 'text' ? paintFor(ctx.io.stdout, ctx.hooks.env) : undefined;
      ctx.io.stdout.write(colour ? paintText(r.stdout, colour) : r.stdout);
      ctx.io.stderr.write(r.stderr);
      ctx.setCode(r.exitCode);
    });
}
