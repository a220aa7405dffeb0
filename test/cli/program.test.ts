import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type MainHooks } from '../../src/cli/main.js';
import { colourEnabled, paintFor, paintText } from '../../src/cli/colour.js';
import { fakeFactories } from '../scenario/fakes.js';

const BASIC = 'test/scenario/fixtures/basic.yaml';
const ESC = '\x1b[';

async function cli(args: string[], hooks: MainHooks = {}, tty = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s), isTTY: tty }, stderr: { write: (s: string) => (stderr += s), isTTY: tty } }, hooks);
  return { code, stdout, stderr };
}

describe('one commander program for every subcommand', () => {
  it("every subcommand's help names the program", async () => {
    for (const [sub, usage] of [
      ['run', 'Usage: sentinel-sim run [options] <scenario>'],
      ['play', 'Usage: sentinel-sim play [options] <scenario-or-trace>'],
      ['check', 'Usage: sentinel-sim check [options] <model-or-folder>'],
      ['lint', 'Usage: sentinel-sim lint [options] <path...>'],
    ] as const) {
      const r = await cli([sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.stdout, sub).toContain(usage);
    }
  });

  it('-v, -V and --version print the version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['-v', '-V', '--version']) {
      const r = await cli([flag]);
      expect(r.code, flag).toBe(0);
      expect(r.stdout, flag).toBe(`${pkg.version}\n`);
    }
  });

  it('one seed parser: run, play and check refuse a bad seed with the same words, exit 2', async () => {
    for (const args of [['run', BASIC, '--seed', 'x'], ['play', BASIC, '--seed', 'x'], ['check', 'models/zato', '--seeds', 'x']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error: option '--seeds? <[a-z]+>' argument 'x' is invalid\. /);
      expect(r.stderr).toMatch(/non-negative integer/);
    }
  });

  it('compound durations are read by every duration flag', async () => {
    const r = await cli(['run', BASIC, '--until', '0m12s'], { factories: fakeFactories });
    const s = await cli(['run', BASIC, '--until', '12s'], { factories: fakeFactories });
    expect(r.stdout).toBe(s.stdout);
    expect(r.stdout).not.toMatch(/^1[3-9]\.\d{3} /m);
    const bad = await cli(['play', BASIC, '--frame-every', '30s1m']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('1m30s');
  });

  it('each action imports ink, React and vega lazily, so other commands start without them', () => {
    const dir = 'src/cli';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/^import [^;]*from '(ink|react|vega|vega-lite|\.\.\/tui\/[^']*|\.\.\/report\/html[^']*)'/m);
    }
  });
});

describe('colour', () => {
  it('on a terminal, off in a pipe; NO_COLOR turns it off, FORCE_COLOR on (and wins)', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('PASS, FAIL and warnings are coloured, and nothing else changes', () => {
    const p = paintFor({ isTTY: true }, {});
    const text = 'PASS  a  [x]\nFAIL  b  [y]\n    Warning: something\nplain line\n';
    const painted = paintText(text, p);
    expect(painted).not.toBe(text);
    expect(painted.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
    expect(painted.split('\n')[3]).toBe('plain line');
  });

  it('run: colour on a terminal, none with NO_COLOR, forced in a pipe with FORCE_COLOR', async () => {
    const tty = await cli(['run', BASIC], { factories: fakeFactories, env: {} }, true);
    expect(tty.stdout).toContain(`${ESC}32mPASS`);
    const noColor = await cli(['run', BASIC], { factories: fakeFactories, env: { NO_COLOR: '1' } }, true);
    expect(noColor.stdout).not.toContain(ESC);
    const forced = await cli(['run', BASIC], { factories: fakeFactories, env: { FORCE_COLOR: '1' } }, false);
    expect(forced.stdout).toContain(`${ESC}32mPASS`);
    const piped = await cli(['run', BASIC], { factories: fakeFactories, env: {} }, false);
    expect(piped.stdout).not.toContain(ESC);
    expect(forced.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(piped.stdout);
  });

  it('lint colours refusals on a terminal', async () => {
    const r = await cli(['lint', 'test/lint/corpus/redis-unknown-directive.conf'], { env: {} }, true);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(ESC);
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toContain('refused (config error)');
  });
});

describe('LICENSE', () => {
  it("is the licence package.json names", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
    expect(pkg.license).toBe('MIT');
    const text = readFileSync('LICENSE', 'utf8');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toContain('Permission is hereby granted, free of charge');
  });
});
