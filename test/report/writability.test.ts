import { cpSync, mkdtempSync, appendFileSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';
import { timelineData, type Span } from '../../src/report/timeline.js';
import { watchWritability } from '../../src/report/writability.js';
import { cli } from '../cli/helpers.js';

/**
 * The page's writability lane follows min-replicas: a master with both replicas paused past
 * min-replicas-max-lag answers -NOREPLICAS, so it is drawn as refusing writes, not as writable.
 */

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'writability-'));
  cpSync(resolve('models/zato'), join(dir, 'zato'), { recursive: true });
  appendFileSync(join(dir, 'zato/node1.conf'), '\nmin-replicas-to-write 1\nmin-replicas-max-lag 3\n');
  writeFileSync(join(dir, 'pause-replicas.yaml'), [
    'model: zato', 'seed: 1', 'duration: 60s', 'timeline:',
    '  - { at: 20s, pause: [node2, node3] }',
    '  - { at: 40s, resume: [node2, node3] }',
    '  - { at: 30s, command: [SET, k, v], to: node1, label: during }',
    'expect:', '  - { reply: during, matches: NOREPLICAS }', '',
  ].join('\n'));
  return join(dir, 'pause-replicas.yaml');
}

const node1 = (spans: readonly Span[]) => spans.filter((s) => s.lane === 'node1').map((s) => `${s.state} ${s.from.toFixed(1)}-${s.to.toFixed(1)}`);

describe('writability lane and min-replicas', () => {
  it('a master without enough good replicas is drawn refusing writes, then writable again', () => {
    const scenario = loadScenario(fixture());
    const watch = watchWritability(scenario.model);
    const res = runScenario(scenario, { onWorld: watch.attach });
    expect(res.ok, JSON.stringify(res.expectations)).toBe(true);
    const lanes = node1(timelineData(res.records, scenario.model, res.endUs, res.summary.lostWrites, watch.changes).spans);
    // Refusing at boot until a replica acknowledges, writable, refusing from 20 s + max-lag (3 s) until the resume.
    const refusing = lanes.filter((l) => l.startsWith('master (refusing writes)'));
    expect(refusing.length).toBe(2);
    expect(lanes[0]).toMatch(/^master \(refusing writes\) 0\.0-/);
    const [from, to] = refusing[1]!.replace(/^[^0-9]*/, '').split('-').map(Number) as [number, number];
    expect(from).toBeGreaterThanOrEqual(23);
    expect(from).toBeLessThan(25);
    expect(to).toBeGreaterThanOrEqual(40);
    expect(to).toBeLessThan(42);
    expect(lanes[lanes.length - 1]).toMatch(/^master \(writable\) 4[01]\.\d-60\.0$/);
    // Without the watcher the lane cannot know: it says writable throughout (what the page used to draw).
    expect(node1(timelineData(res.records, scenario.model, res.endUs).spans)).toEqual(['master (writable) 0.0-60.0']);
  });

  it('run --html draws the refusal (the page\'s bar for node1 says so)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'writability-html-')), 'run.html');
    const r = await cli(['run', fixture(), '--html', file]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    const bars = [...html.matchAll(/aria-label="[^"]*lane: node1; to: [^"]*; state: ([^;"]+)/g)].map((m) => m[1]);
    expect(bars).toEqual(['master (refusing writes)', 'master (writable)', 'master (refusing writes)', 'master (writable)']);
  });
});
