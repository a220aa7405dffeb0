import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderCycles, importsOf, layeringViolations, repoImports, type ImportEdge } from './imports.js';

const ROOT = resolve(import.meta.dirname, '../..');

const edge = (file: string, spec: string, target: string | undefined, dynamic = false): ImportEdge => ({ file, line: 1, spec, target, dynamic });

describe('imports point one way between the folders of src/', () => {
  const edges = repoImports(ROOT);

  it('reads the imports of the whole tree', () => {
    // A parser that reads nothing would pass everything: the engine alone has dozens of imports.
    expect(edges.filter((e) => e.file.startsWith('src/sim/')).length).toBeGreaterThan(20);
    expect(edges.some((e) => e.file === 'src/scenario/runner.ts' && e.target === 'src/faults/index.ts')).toBe(true);
  });

  it('no import goes against the direction sim <- net <- redis, sentinel, clients <- faults, check <- scenario <- … <- tui, cli', () => {
    expect(layeringViolations(edges)).toEqual([]);
  });

  it('no cycle between folders', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('the engine imports no other folder and knows no protocol', () => {
    const out = edges.filter((e) => e.file.startsWith('src/sim/') && e.target !== undefined && !e.target.startsWith('src/sim/'));
    expect(out).toEqual([]);
  });
});

describe('the layering check itself', () => {
  it('flags an import against the direction, with file and line', () => {
    const bad = [edge('src/sim/world.ts', '../net/resp.js', 'src/net/resp.ts'), edge('src/net/links.ts', '../sim/rng.js', 'src/sim/rng.ts')];
    const v = layeringViolations(bad);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(/^src\/sim\/world\.ts:1: sim imports net .*sim may import nothing of src\//);
  });

  it('flags an import between two folders of the same rank (a Redis node knows nothing of Sentinels)', () => {
    expect(layeringViolations([edge('src/redis/info.ts', '../sentinel/state.js', 'src/sentinel/state.ts')])).toHaveLength(1);
    expect(layeringViolations([edge('src/tui/record.ts', '../cli/format.js', 'src/cli/format.ts')])).toHaveLength(1);
  });

  it('allows a dynamic import (lazy loading), a downward import, and a package', () => {
    const ok = [
      edge('src/cli/play.ts', '../tui/command.js', 'src/tui/command.ts', true),
      edge('src/scenario/runner.ts', '../faults/index.js', 'src/faults/index.ts'),
      edge('src/scenario/yamlFile.ts', 'yaml', undefined),
      edge('src/tui/app.tsx', 'ink', undefined),
    ];
    expect(layeringViolations(ok)).toEqual([]);
  });

  it('flags a screen package outside the player and a folder the layering does not know', () => {
    expect(layeringViolations([edge('src/sentinel/view.ts', 'ink', undefined)])).toHaveLength(1);
    expect(layeringViolations([edge('src/newthing/a.ts', '../sim/rng.js', 'src/sim/rng.ts')])[0]).toMatch(/has no place in the layering/);
  });

  it('finds a cycle between folders, and not one inside a folder', () => {
    const cyc = [
      edge('src/a/x.ts', '../b/y.js', 'src/b/y.ts'),
      edge('src/b/y.ts', '../c/z.js', 'src/c/z.ts'),
      edge('src/c/z.ts', '../a/x.js', 'src/a/x.ts'),
      edge('src/d/x.ts', '../d/y.js', 'src/d/y.ts'),
      edge('src/d/y.ts', '../d/x.js', 'src/d/x.ts'),
    ];
    expect(folderCycles(cyc)).toEqual(['cycle between folders: a, b, c']);
    expect(folderCycles(cyc.slice(0, 2))).toEqual([]);
  });

  it('reads imports from the syntax, not from text that looks like one', () => {
    const src = [
      "import type { A } from '../net/resp.js';",
      "export { b } from './b.js';",
      "// import { c } from '../cli/format.js';",
      "const s = \"import { d } from '../tui/app.js'\";",
      "const m = await import('../tui/command.js');",
    ].join('\n');
    const got = importsOf(resolve(ROOT, 'src/sim/x.ts'), src, ROOT).map((e) => [e.target, e.line, e.dynamic]);
    expect(got).toEqual([
      ['src/net/resp.ts', 1, false],
      ['src/sim/b.ts', 2, false],
      ['src/tui/command.ts', 5, true],
    ]);
  });
});
