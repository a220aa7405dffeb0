import { loadScenario } from '../../src/scenario/scenario.js';
import { recordScenario } from '../../src/recording/record.js';
import type { Recording } from '../../src/recording/recording.js';

/** Recordings of the small fixture scenarios, simulated once per test file. */
const cache = new Map<string, Recording>();

export function recording(name: 'zato-crash' | 'zato-tilt' | 'four-split-vote'): Recording {
  let r = cache.get(name);
  if (!r) {
    r = recordScenario(loadScenario(`test/tui/fixtures/${name}.yaml`));
    cache.set(name, r);
  }
  return r;
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
