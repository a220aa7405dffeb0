/**
 * `sentinel-sim explore <model-or-folder>` and `sentinel-sim explore merge <shard.json...>`. Exit
 * 0 no property violated, 1 a violation (its scenario written under --out), 2 bad input. Wall
 * time is read here only, for progress lines on a terminal; nothing printed on stdout depends on
 * it, nor on --workers or --shard.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readBoundedFile } from '../config/boundedRead.js';
import { InputError } from '../config/errors.js';
import { parseDurationUs } from '../scenario/duration.js';
// Names and docs only: the model and the scenario reader load when the command runs.
import {
  choiceLabel, DEFAULT_PROPERTIES, DEFAULT_WORKLOAD_CLIENT, FAULT_DOCS, FAULT_KINDS, parsePropertyChoice, PROPERTY_DOCS, PROPERTY_NAMES, type FaultKind, type PropertyChoice,
} from '../explore/names.js';
import { version, type CliContext, type Io } from './context.js';
import { parseIntIn, parseSeed } from './options.js';

export const DEFAULT_SEED = 1;
const MAX_DURATION_US = 24 * 3_600_000_000;

function parseDurationMs(v: string): number {
  const us = parseDurationUs(v);
  // Each run is one simulation of this length: past a simulated day a single run takes minutes
  // with nothing printed, which reads as a hang (a 24 h soak is `run`'s job, with progress).
  if (us === undefined || us < 60_000_000 || us > MAX_DURATION_US) throw new InvalidArgumentError('expected a duration of at least 1m and at most 24h, e.g. 5m or 300s');
  return Math.round(us / 1000);
}

function parseKinds(v: string): FaultKind[] {
  const ks = v.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = ks.find((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (bad !== undefined || ks.length === 0) throw new InvalidArgumentError(`unknown fault kind "${bad ?? ''}" (known: ${FAULT_KINDS.join(', ')})`);
  return ks as FaultKind[];
}

function parseProperties(v: string, prev: PropertyChoice[] | undefined): PropertyChoice[] {
  try {
    return [...(prev ?? []), ...v.split(',').filter(Boolean).map((x) => parsePropertyChoice(x.trim()))];
  } catch (e) {
    throw new InvalidArgumentError(e instanceof InputError ? e.message.replace(/^--property: /, '') : String(e));
  }
}

function parseShard(v: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InvalidArgumentError('expected k/n with 1 <= k <= n, e.g. 2/4');
  return { k: Number(m[1]), n: Number(m[2]) };
}

const HELP_AFTER = `
Properties (${PROPERTY_NAMES.length}); on by default: ${DEFAULT_PROPERTIES.join(', ')}.
${PROPERTY_NAMES.map((p) => `  ${p.padEnd(24)}${DEFAULT_PROPERTIES.includes(p) ? '[default] ' : ''}${PROPERTY_DOCS[p]}`).join('\n')}
  The first five are what real Sentinel promises: a violation is a bug in Sentinel's model or a
  deployment outside the promise's conditions. no-lost-writes is on because losing acknowledged
  writes is what breaks an application, though Sentinel does not promise it (replication is
  asynchronous): a violation points at the deployment (persistence, min-replicas-to-write).
  single-writable-master is off: every failover whose old master comes back violates it for a few
  seconds; pick it with a window, e.g. --property single-writable-master:15s.

Faults (--faults; default: every kind the model has targets for):
${FAULT_KINDS.map((k) => `  ${k.padEnd(12)}${FAULT_DOCS[k]}`).join('\n')}

The seed defaults to ${DEFAULT_SEED} and is always printed. Run i's schedule and simulation seed depend on
the seed and i only, so --workers and --shard never change a result. A model without a workload
client gets one (${DEFAULT_WORKLOAD_CLIENT}, a new key every second), written under --out.
Exit: 0 nothing violated, 1 a violation (a scenario file written), 2 bad input.`;

interface Flags {
  runs: number;
  seed?: number;
  duration: number;
  faults?: FaultKind[];
  property?: PropertyChoice[];
  maxFaults: number;
  maxShrinks: number;
  workers: number;
  shard?: { k: number; n: number };
  out: string;
  format: 'text' | 'json';
}

export function registerExplore(program: Command, ctx: CliContext): void {
  const explore = program
    .command('explore')
    .description('Search fault schedules for what breaks a deployment; shrink each violated property to a scenario file that run replays (see explore --help).')
    .argument('<model-or-folder>', 'a model.yaml, a folder holding one, or a folder of .conf files')
    .option('--runs <n>', 'schedules to try', parseIntIn(1, 1_000_000), 100)
    .option('--seed <n>', `the search seed (default ${DEFAULT_SEED}, always printed)`, parseSeed)
    .addOption(new Option('--duration <time>', 'simulated length of each run (longer when converges needs time after the last heal)').argParser(parseDurationMs).default(300_000, '5m'))
    .option('--faults <kinds>', 'fault kinds, comma-separated (see below)', parseKinds)
    .option('--property <p...>', 'properties to check, repeatable or comma-separated (see below)', parseProperties)
    .option('--max-faults <n>', 'at most this many faults per schedule', parseIntIn(1, 20), 3)
    .option('--max-shrinks <n>', 'simulations a shrink may spend', parseIntIn(1, 100_000), 200)
    .option('--workers <n>', 'worker threads', parseIntIn(1, 256), 1)
    .option('--shard <k/n>', 'run only share k of n (runs i with i mod n = k-1); combine with explore merge', parseShard)
    .option('--out <dir>', 'where scenario files go', 'explore-out')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP_AFTER)
    .action(async (target: string, f: Flags) => ctx.setCode(await exploreCommand(target, f, ctx)));
  explore
    .command('merge')
    .description("Combine the JSON of explore's shards (--shard k/n --format json) into the whole search's result.")
    .argument('<shard.json...>', "the shards' JSON files")
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('json'))
    .action(async (files: string[], o: { format: 'text' | 'json' }) => ctx.setCode(await mergeCommand(files, o.format, ctx.io)));
}

async function exploreCommand(target: string, f: Flags, ctx: CliContext): Promise<number> {
  const { loadModel } = await import('../scenario/model.js');
  const { applicableKinds } = await import('../explore/arbitraries.js');
  const { explore } = await import('../explore/explore.js');
  const { formatExploreJson, formatExploreText } = await import('../explore/report.js');
  const { hasWorkload } = await import('../explore/scenarioFile.js');
  const io = ctx.io;
  const factories = ctx.hooks.factories;
  const model = loadModel(target);
  for (const n of model.inferred) io.stderr.write(`${n}\n`);
  const usable = applicableKinds(model);
  const kinds = f.faults ?? usable;
  const unusable = kinds.filter((k) => !usable.includes(k));
  if (unusable.length > 0) throw new InputError(`--faults: model ${model.name} has no target for ${unusable.join(', ')} (usable: ${usable.join(', ')})`);
  (await import('../scenario/outputFolder.js')).checkWritableFolder(f.out, 'the scenario files (--out)');
  if (f.workers > 1 && factories) throw new InputError('--workers: replaced Redis/Sentinel models run in this thread only; use --workers 1');
  const properties = f.property ?? DEFAULT_PROPERTIES.map((name) => ({ name }));
  const seed = f.seed ?? DEFAULT_SEED;
  const shard = f.shard ? ` shard=${f.shard.k}/${f.shard.n}` : '';
  const head = `explore ${target} model=${model.name} seed=${seed}${f.seed === undefined ? ' (default)' : ''} runs=${f.runs}${shard} duration=${f.duration / 1000}s faults=${kinds.join(',')} properties=${properties.map(choiceLabel).join(',')}`;
  if (f.format === 'text') {
    io.stdout.write(`# sentinel-sim ${version()} ${head}\n`);
    if (!hasWorkload(model)) io.stdout.write(`# the model has no workload client: explore adds ${DEFAULT_WORKLOAD_CLIENT} (a new key every second, through the Sentinels)\n`);
  } else io.stderr.write(`seed ${seed}${f.seed === undefined ? ' (default)' : ''}\n`);
  const r = await explore({
    modelPath: target, model, outDir: f.out, seed, durationMs: f.duration, kinds, properties, maxFaults: f.maxFaults, maxShrinks: f.maxShrinks,
    runs: f.runs, shard: f.shard, workers: f.workers, factories, onRun: progress(io),
  });
  io.stdout.write(f.format === 'json' ? formatExploreJson(r) : formatExploreText(r));
  return r.violations.length > 0 ? 1 : 0;
}

/** Runs done, runs/s, violations so far and time left, on stderr when it is a terminal. */
function progress(io: Io): ((done: number, total: number, violations: number) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  const startMs = Date.now();
  let nextMs = startMs + 1000;
  return (done, total, violations) => {
    const now = Date.now();
    if (now < nextMs && done < total) return;
    nextMs = now + 1000;
    const rate = done / Math.max(0.001, (now - startMs) / 1000);
    io.stderr.write(`explore: ${done}/${total} runs, ${rate.toFixed(1)} runs/s, ${violations} violating so far, about ${Math.ceil((total - done) / rate)} s left\n`);
  };
}

/** An explore result (JSON) given to merge: far above any shard's, like a saved run's bound. */
const MAX_EXPLORE_JSON_BYTES = 256 * 1024 * 1024;

async function mergeCommand(files: readonly string[], format: 'text' | 'json', io: Io): Promise<number> {
  const { mergeResults } = await import('../explore/explore.js');
  const { formatExploreJson, formatExploreText, parseExploreJson } = await import('../explore/report.js');
  const parts = files.map((file) => {
    // Only a regular file of bounded size: a FIFO or /dev/zero would block or never end.
    const bytes = readBoundedFile(file, MAX_EXPLORE_JSON_BYTES);
    if (!Buffer.isBuffer(bytes)) throw new InputError(`${file}: cannot read: ${bytes.error}`);
    return parseExploreJson(bytes.toString('utf8'), file);
  });
  const merged = mergeResults(parts);
  io.stdout.write(format === 'json' ? formatExploreJson(merged) : formatExploreText(merged));
  return merged.violations.length > 0 ? 1 : 0;
}
