import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Document, isMap, isSeq, parseDocument, stringify } from 'yaml';
import { formatDurationUs } from '../scenario/duration.js';
import { modelFromYaml, type Model } from '../scenario/model.js';
import { parseScenario, type Scenario } from '../scenario/scenario.js';
import { parseYamlFile } from '../scenario/yamlFile.js';
import { expectationItems, runDurationMs, type PropertyChoice } from './properties.js';
import { describeFault, scheduleTimeline, sortedFaults, type Schedule } from './schedule.js';
import { sentinelsOf } from './timers.js';

/**
 * A schedule as a scenario file: the model, the seed, the timeline and the expectations. Explore
 * parses this very text to run a schedule, so the file it writes replays exactly what it ran.
 *
 * A model without a workload client gets a default one (a Sentinel-aware client writing a new
 * key every second from the client host), written as a model file of its own next to the
 * scenarios, so the scenario replays it too.
 */

import { DEFAULT_WORKLOAD_CLIENT } from './names.js';

export { DEFAULT_WORKLOAD_CLIENT };

const posix = (p: string) => p.split(sep).join('/');

export function hasWorkload(model: Model): boolean {
  return model.clients.some((c) => c.kind !== 'proxy' && c.everyUs !== undefined && c.everyUs > 0);
}

/** Where the model with the default workload goes under the output folder. */
export function workloadModelPath(model: Model, outDir: string): string {
  return join(resolve(outDir), `${model.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.explore-model`, 'model.yaml');
}

/**
 * The model to run: the model itself when it has a workload client, else the text of a model
 * file (for `workloadModelPath`) that adds the default one, and that model loaded.
 */
export function modelForExplore(model: Model, outDir: string): { model: Model; file: string; text?: string; copies?: { path: string; text: string }[] } {
  if (hasWorkload(model) || sentinelsOf(model).length === 0) return { model, file: model.file };
  const file = workloadModelPath(model, outDir);
  const dir = dirname(file);
  // The written model holds copies of the configuration files (a model reads nothing outside its
  // folder); explore itself reads the originals, which are the same bytes.
  const copyName = (f: string) => basename(f);
  const copies = model.processes.map((p) => ({ path: join(dir, copyName(p.configFile)), text: readFileSync(p.configFile, 'utf8') }));
  if (new Set(copies.map((c) => c.path)).size !== copies.length) throw new Error(`two configuration files of model ${model.name} share a name`);
  const text = workloadModelText(model, (f) => copyName(f));
  const reading = workloadModelText(model, (f) => posix(relative(dir, resolve(f))));
  return { model: modelFromYaml(parseYamlFile(reading, file), { allowOutsideModel: true }), file, text, copies };
}

function defaultClient(model: Model): Record<string, unknown> {
  const sentinels = sentinelsOf(model);
  const pass = model.processes.find((p) => p.kind === 'redis' && p.redis?.requirepass)?.redis?.requirepass;
  return {
    name: DEFAULT_WORKLOAD_CLIENT, host: model.clientHost.name, kind: 'sentinel-aware', master: sentinels[0]!.sentinel!.masters[0]!.name,
    sentinels: sentinels.map((s) => s.name), every: '1s', workload: 'unique', key: 'explore', ...(pass ? { password: pass } : {}),
  };
}

function workloadModelText(model: Model, rel: (configFile: string) => string): string {
  const header = `# Written by sentinel-sim explore: the model ${posix(model.file)} with a default workload client (${DEFAULT_WORKLOAD_CLIENT}),\n# so that acknowledged writes can be checked. The configuration files are the model's own.\n`;
  const isYaml = /\.ya?ml$/.test(model.file);
  if (isYaml) {
    const doc = parseDocument(readFileSync(model.file, 'utf8'));
    const procs = doc.get('processes');
    if (isSeq(procs)) for (const p of procs.items) if (isMap(p)) p.set('config', rel(join(model.dir, String(p.get('config')))));
    const clients = doc.get('clients');
    if (isSeq(clients)) clients.add(doc.createNode(defaultClient(model)));
    else doc.set('clients', [defaultClient(model)]);
    if (!doc.has('clientHost')) doc.set('clientHost', { ...model.clientHost });
    // The schema hint's relative path would point nowhere from here.
    return header + doc.toString({ lineWidth: 0, flowCollectionPadding: true }).replace(/^# yaml-language-server:.*\n/m, '');
  }
  // An inferred model (a folder of .conf files): write down what was inferred.
  return (
    header +
    stringify({
      name: model.name,
      hosts: model.hosts.map((h) => ({ name: h.name, ip: h.ip, ...(h.aliases.length ? { aliases: [...h.aliases] } : {}) })),
      processes: model.processes.map((p) => ({ name: p.name, kind: p.kind, host: p.host, config: rel(p.configFile) })),
      clients: [defaultClient(model)],
      clientHost: { ...model.clientHost },
    })
  );
}

export interface ScenarioText {
  readonly name: string;
  readonly seed: number;
  readonly schedule: Schedule;
  readonly properties: readonly PropertyChoice[];
  readonly durationMs: number;
}

/** The scenario file text for a schedule; `file` is where it will be (model paths are relative to it). */
export function scheduleYaml(model: Model, modelFile: string, file: string, s: ScenarioText): string {
  let modelRef = posix(relative(dirname(resolve(file)), resolve(modelFile)));
  if (modelRef === '') modelRef = '.';
  const faults = sortedFaults(s.schedule);
  const lines = [
    `# Found by sentinel-sim explore. Replay: sentinel-sim run ${posix(file)}   Watch: sentinel-sim play ${posix(file)}`,
    `# ${faults.length} fault(s): ${faults.map(describeFault).join('; ')}`,
  ];
  const body = {
    name: s.name,
    model: modelRef,
    seed: s.seed,
    duration: formatDurationUs(runDurationMs(model, s.schedule, s.durationMs) * 1000),
    timeline: scheduleTimeline(s.schedule),
    expect: expectationItems(model, s.schedule, s.properties),
  };
  const doc = new Document(body);
  // One line per timeline entry and per expectation, as the shipped scenarios are written.
  for (const key of ['timeline', 'expect']) {
    const seq = doc.get(key);
    if (isSeq(seq)) for (const item of seq.items) if (isMap(item)) item.flow = true;
  }
  return `${lines.join('\n')}\n${doc.toString({ flowCollectionPadding: true, lineWidth: 0 })}`;
}

/** The scenario explore runs for a schedule: the same text it would write, parsed against the loaded model. */
export function scheduleScenario(model: Model, modelFile: string, file: string, s: ScenarioText): { text: string; scenario: Scenario } {
  const text = scheduleYaml(model, modelFile, file, s);
  return { text, scenario: parseScenario(text, file, { model }) };
}
