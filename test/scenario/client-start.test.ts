import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/scenario/model.js';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';

/** models/zato with its workload client starting at `start` (inserted after `every: 1s`). */
function zatoWithClientStart(start: string) {
  const dir = mkdtempSync(join(tmpdir(), 'client-start-'));
  cpSync('models/zato', dir, { recursive: true });
  const text = readFileSync('models/zato/model.yaml', 'utf8');
  expect(text).toContain('    every: 1s\n');
  writeFileSync(join(dir, 'model.yaml'), text.replace('    every: 1s\n', `    every: 1s\n    start: ${start}\n`));
  return dir;
}

describe('a client that starts later than time 0 (model clients: start)', () => {
  it('sends nothing before its start, then runs its workload', () => {
    const model = loadModel(zatoWithClientStart('12500ms'));
    expect(model.clients.find((c) => c.name === 'zato')!.startAtUs).toBe(12_500_000);
    const sc = parseScenario('model: x\nseed: 2\nduration: 20s\n', 'inline.yaml', { model });
    const ops = runScenario(sc).records.filter((r) => r.k === 'op' && r.p === 'zato');
    expect(ops.length).toBeGreaterThan(5);
    expect(Math.min(...ops.map((r) => r.t))).toBeGreaterThanOrEqual(12_500_000);
  });

  it('a start that is not a duration is refused with its line', () => {
    expect(() => loadModel(zatoWithClientStart('soon'))).toThrow(/model\.yaml:\d+: .*start.*not a duration/);
  });
});
