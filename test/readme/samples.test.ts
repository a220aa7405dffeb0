import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations (scripts/ is not compiled)
import { ROOT, blockFor, runSample, samples } from '../../scripts/readme-samples.mjs';

/**
 * Every sample output in the README is what its command prints: each `<!-- sample: cmd -->` block
 * is run against dist/ (the test set-up builds it) and compared byte for byte. When the model or a
 * format changes on purpose, `npm run build && node scripts/readme-samples.mjs` rewrites them.
 */

type Sample = { command: string; body: string };
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const found: Sample[] = samples(README);

describe('README sample output', () => {
  it('covers every command whose output the README shows: run, check (with what-if columns), lint, explore', () => {
    const shown = found.map((s) => s.command.split(' ')[1]);
    expect(shown).toEqual(['run', 'check', 'check', 'lint', 'explore']);
    expect(found.some((s) => s.command.includes('--variant'))).toBe(true);
    // No sample block outside the markers: every ``` block that starts with "$ sentinel-sim" is marked.
    const unmarked = [...README.matchAll(/(?<!-->\n)```\n\$ sentinel-sim/g)];
    expect(unmarked.length).toBe(0);
  });

  it('states every seed: a run or explore gives --seed, a check gives --seeds', () => {
    for (const s of found) {
      const sub = s.command.split(' ')[1];
      if (sub === 'run' || sub === 'explore') expect(s.command, s.command).toMatch(/ --seed \d+/);
      if (sub === 'check') expect(s.command, s.command).toMatch(/ --seeds \d+(,\d+)*/);
    }
  });

  for (const s of found) {
    it(`is what it prints: ${s.command}`, () => {
      const stdout: string = runSample(s.command);
      expect(stdout.trim().length).toBeGreaterThan(0);
      expect(s.body, 'regenerate with: npm run build && node scripts/readme-samples.mjs').toBe(blockFor(s.command, stdout));
    });
  }
});
