import type { JudgedExpectation } from '../report/reached.js';
import type { RunResult } from '../scenario/runner.js';
import type { Scenario } from '../scenario/scenario.js';
import type { WritabilityChange } from '../report/writability.js';
import { expectationLines, verdictLine } from './format.js';
import { writeOutputFile } from './output.js';
import { storiesOf } from './runOutput.js';

/** `run --html FILE`: the run's picture, one self-contained page (vega is loaded only here). */
export async function writeHtml(path: string, scenario: Scenario, res: RunResult, judged: readonly JudgedExpectation[], writability: readonly WritabilityChange[] = []): Promise<void> {
  const page = await htmlPageText(scenario, res, judged, writability);
  writeOutputFile(path, page, 'page');
}

/** The page itself (also a run folder's index.html). */
export async function htmlPageText(scenario: Scenario, res: RunResult, judged: readonly JudgedExpectation[], writability: readonly WritabilityChange[] = []): Promise<string> {
  const { timelineData } = await import('../report/timeline.js');
  const { htmlPage, timelineSvg } = await import('../report/html.js');
  const { failoverSentences } = await import('../report/sentences.js');
  const svg = await timelineSvg(timelineData(res.records, scenario.model, res.endUs, res.summary.lostWrites, writability));
  return htmlPage({
    title: `${scenario.name}: ${verdictLine(res, judged, res.endUs)}`,
    subtitle: `model ${scenario.model.name}, seed ${res.seed}, ${(res.endUs / 1e6).toFixed(3)} s simulated`,
    sentences: failoverSentences(storiesOf(scenario, res)),
    verdicts: expectationLines(judged),
    svg,
  });
}
