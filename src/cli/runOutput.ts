import type { JudgedExpectation } from '../report/reached.js';
import { failoverStories, type FailoverStory } from '../report/failovers.js';
import { failoverSentences } from '../report/sentences.js';
import type { RunResult, RunSummary } from '../scenario/runner.js';
import type { Scenario } from '../scenario/scenario.js';
import { paintFor, paintText } from './colour.js';
import type { CliContext } from './context.js';
import { expectationLines, verdictLine } from './format.js';
import type { RunFlags } from './run.js';

/** What `run` prints on stdout once the run is over: after the log, the verdicts and the story; or the JSON summary. */

export interface RunOutput {
  readonly scenario: Scenario;
  readonly res: RunResult;
  readonly judged: readonly JudgedExpectation[];
  readonly flags: RunFlags;
  readonly ctx: CliContext;
}

export function storiesOf(scenario: Scenario, res: RunResult): FailoverStory[] {
  return failoverStories({
    records: res.records, acked: res.acked, failovers: res.summary.failovers, timeline: scenario.timeline, model: scenario.model, endUs: res.endUs, lostWrites: res.summary.lostWrites,
  });
}

/** The JSON summary: each failover told with its cause, and each expectation with its verdict. */
export function summaryJson(o: Pick<RunOutput, 'scenario' | 'res' | 'judged'>, stories: readonly FailoverStory[]): RunSummary & Record<string, unknown> {
  const s = o.res.summary;
  return {
    ...s,
    failovers: stories,
    story: failoverSentences(stories),
    expectations: s.expectations.map((e, i) => ({ ...e, verdict: o.judged[i]!.verdict })),
    passed: o.judged.filter((e) => e.verdict === 'pass').length,
    failed: o.judged.filter((e) => e.verdict === 'fail').length,
    notReached: o.judged.filter((e) => e.verdict === 'not reached').length,
  };
}

/** What `--format json` prints (and a run folder's summary.json holds). */
export function jsonSummary(o: Pick<RunOutput, 'scenario' | 'res' | 'judged' | 'flags'>, stories = storiesOf(o.scenario, o.res)): Record<string, unknown> {
  const summary = summaryJson(o, stories);
  return o.flags.printConfig ? { ...summary, sentinelConfigs: o.res.sentinelConfigs } : summary;
}

export function writeRunOutput(o: RunOutput): void {
  const { res, flags, ctx } = o;
  const io = ctx.io;
  const stories = storiesOf(o.scenario, res);
  // The log lines and jsonl events went out as the run went (run.ts); what follows them:
  if (flags.format === 'log') {
    const out = paintFor(io.stdout, ctx.hooks.env);
    io.stdout.write(`# ${verdictLine(res, o.judged, res.endUs)}\n`);
    for (const l of expectationLines(o.judged)) io.stdout.write(`${paintText(l, out)}\n`);
    for (const l of failoverSentences(stories)) io.stdout.write(`# ${l}\n`);
  } else if (flags.format === 'json') {
    io.stdout.write(`${JSON.stringify(jsonSummary(o, stories), null, 2)}\n`);
  }
  if (flags.printConfig && flags.format !== 'json') {
    // In jsonl mode stdout stays one JSON object per line, so the files go to stderr.
    const dest = flags.format === 'log' ? io.stdout : io.stderr;
    for (const c of res.sentinelConfigs) dest.write(`# ${c.process}: sentinel.conf as rewritten at the end of the run\n${c.text}`);
  }
}
