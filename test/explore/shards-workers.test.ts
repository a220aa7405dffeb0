import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

/**
 * --workers and --shard change no result; explore merge; bad input; --help.
 */

const tmp = mkdtempSync(join(tmpdir(), 'explore-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const out = (name: string) => join(tmp, name);

describe('workers and shards change no result', () => {
  const base = ['explore', 'models/two-node', '--runs', '12', '--seed', '7', '--format', 'json', '--max-shrinks', '20'];

  it('shards 1/2 and 2/2, merged, give exactly the unsharded JSON; each shard takes its own runs', async () => {
    const dir = out('shards');
    const whole = await cli([...base, '--out', dir]);
    const s1 = await cli([...base, '--out', dir, '--shard', '1/2']);
    const s2 = await cli([...base, '--out', dir, '--shard', '2/2']);
    expect(JSON.parse(s1.stdout).runs.map((r: { index: number }) => r.index)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(JSON.parse(s2.stdout).runs.map((r: { index: number }) => r.index)).toEqual([1, 3, 5, 7, 9, 11]);
    const f1 = join(tmp, 's1.json');
    const f2 = join(tmp, 's2.json');
    writeFileSync(f1, s1.stdout);
    writeFileSync(f2, s2.stdout);
    const merged = await cli(['explore', 'merge', f2, f1]);
    expect(merged.stdout).toBe(whole.stdout);
    expect(merged.code).toBe(whole.code);
    expect(JSON.parse(whole.stdout).runs.some((r: { verdict: string }) => r.verdict === 'fail')).toBe(true);
  });

  it('--workers 2 gives the same JSON and the same scenario files as --workers 1', async () => {
    const one = await cli([...base, '--out', out('w1')]);
    const two = await cli([...base, '--out', out('w2'), '--workers', '2']);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout.replaceAll(out('w2'), 'OUT')).toBe(one.stdout.replaceAll(out('w1'), 'OUT'));
    const files = readdirSync(out('w1')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(out('w2'), f), 'utf8').replaceAll(out('w2'), 'OUT')).toBe(readFileSync(join(out('w1'), f), 'utf8').replaceAll(out('w1'), 'OUT'));
  });
});

describe('bad input: exit 2, a reason on stderr, nothing written', () => {
  const cases: [string[], RegExp][] = [
    [['--property', 'no-such'], /unknown property "no-such"/],
    [['--property', 'converges:2s'], /converges takes no argument/],
    [['--faults', 'crash,meteor'], /unknown fault kind "meteor"/],
    [['--shard', '3/2'], /expected k\/n/],
    [['--runs', '0'], /--runs <n>.*expected an integer from 1/],
    [['--duration', '10s'], /at least 1m/],
    [['--seed', '-1'], /./],
  ];
  for (const [extra, msg] of cases) {
    it(`${extra.join(' ')}`, async () => {
      const dir = out(`bad-${extra.join('')}`);
      const r = await cli(['explore', 'models/two-node', '--out', dir, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(dir)).toBe(false);
    });
  }
  it('a missing model names the path', async () => {
    const r = await cli(['explore', 'models/nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^models\/nope: model not found/);
  });
  it('a fault kind the model has no target for', async () => {
    const r = await cli(['explore', 'test/advisor/fixtures/inferred', '--faults', 'partition']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no target for partition/);
  });
  it('merge refuses shards of different seeds, and files that are not explore JSON', async () => {
    const a = join(tmp, 'a.json');
    const b = join(tmp, 'b.json');
    writeFileSync(a, JSON.stringify({ seed: 1, runs: [], violations: [] }));
    writeFileSync(b, JSON.stringify({ seed: 2, runs: [], violations: [] }));
    expect((await cli(['explore', 'merge', a, b])).stderr).toMatch(/different seeds/);
    writeFileSync(b, '{"runs": 3}');
    const r = await cli(['explore', 'merge', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/b\.json: not the JSON of explore/);
  });
});

describe('--help', () => {
  it('says which properties are on by default and why, and documents each', async () => {
    const r = await cli(['explore', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/on by default: one-leader-per-epoch, one-vote-per-epoch, config-epoch-increases, converges, fails-over, no-lost-writes/);
    expect(r.stdout).toMatch(/single-writable-master is off/);
    for (const p of ['one-leader-per-epoch', 'one-vote-per-epoch', 'config-epoch-increases', 'converges', 'fails-over', 'no-lost-writes', 'single-writable-master']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${p} +(\\[default\\] )?\\S`, 'm'));
    }
  });
});
