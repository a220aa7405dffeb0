import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from './helpers.js';

/**
 * Where the CLI writes (run --trace/--html, check --save, explore --out): a path that cannot work
 * is `path: reason` and exit 2, before the work when it can be known then; a FIFO, a device or a
 * symbolic link given as an output is written through, never renamed over or removed. Each case
 * runs the built CLI in a child with a hard timeout: the regressions here are a run blocked
 * forever in open() or a replaced /dev/null, which an in-process test would not survive.
 */

const CLI = resolve('dist/cli/main.js');
const SCENARIO = resolve('scenarios/zato-stop-master.yaml');
const runCli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

function mkfifo(path: string): string {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  return path;
}

function expectRefused(r: ReturnType<typeof runCli>, message: RegExp | string): void {
  expect(r.signal, r.stderr).toBeNull();
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.status).toBe(2);
}

describe('run --trace / --html: FIFOs, devices and links are written through, never replaced', () => {
  it('a FIFO nobody reads: refused at once (not blocked in open), and still a FIFO', () => {
    const fifo = mkfifo(join(tempTree({}), 'trace.fifo'));
    const r = runCli(['run', SCENARIO, '--until', '1s', '--trace', fifo]);
    expectRefused(r, `${fifo}: cannot write the trace: it is a FIFO and nothing is reading it`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a FIFO with a reader: the reader gets the whole trace, the FIFO stays a FIFO', async () => {
    const dir = tempTree({});
    const fifo = mkfifo(join(dir, 'trace.fifo'));
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${join(dir, 'got.jsonl')}"`]);
    const readerDone = new Promise((res) => reader.on('exit', res));
    // The reader's open() returns only once a writer opens the FIFO; give the shell time to get there.
    spawnSync('sleep', ['0.3']);
    const r = runCli(['run', SCENARIO, '--until', '2s', '--trace', fifo]);
    // A regression (the FIFO renamed over) leaves the reader waiting for good: end it, then fail below.
    const stuck = setTimeout(() => reader.kill(), 10_000);
    await readerDone;
    clearTimeout(stuck);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.status).toBe(0); // expectations past 2 s are "not reached", not failed
    const lines = readFileSync(join(dir, 'got.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ seed: 1 });
    expect(lines.length).toBeGreaterThan(100);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a character device: written to, not renamed over (as root, a rename would replace the device)', () => {
    // As root, a device node of our own (the null device) in a temp folder: a regression then
    // replaces that node, never the machine's /dev/null. Others cannot replace /dev/null anyway.
    const root = process.getuid?.() === 0;
    const dev = root ? join(tempTree({}), 'null') : '/dev/null';
    if (root) expect(spawnSync('mknod', ['-m', '666', dev, 'c', '1', '3']).status).toBe(0);
    const r = runCli(['run', SCENARIO, '--until', '1s', '--trace', dev, '--html', dev]);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.status).toBe(0);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
  });

  it('a symbolic link: its target gets the trace, the link stays a link', () => {
    const dir = tempTree({ 'real.jsonl': 'old\n' });
    const link = join(dir, 'link.jsonl');
    symlinkSync('real.jsonl', link);
    const r = runCli(['run', SCENARIO, '--until', '1s', '--trace', link]);
    expect(r.status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.jsonl');
    expect(readFileSync(join(dir, 'real.jsonl'), 'utf8')).toMatch(/^\{"/);
  });

  it('an empty --trace / --html / --out: refused (it used to be read as "no output")', () => {
    for (const flag of ['--trace', '--html', '--out']) {
      expectRefused(runCli(['run', SCENARIO, '--until', '1s', flag, '']), `option '${flag} <`);
    }
  });

  it('--html where the page cannot be created: path: reason, exit 2 (was an internal error after the run)', () => {
    // As root no permission bit stops a write; /proc refuses new files to anyone.
    const root = process.getuid?.() === 0;
    const dir = tempTree({});
    if (!root) chmodSync(dir, 0o555);
    const page = root ? '/proc/sentinel-sim-test.html' : join(dir, 'page.html');
    const r = runCli(['run', SCENARIO, '--until', '1s', '--html', page]);
    expectRefused(r, new RegExp(`^${page.replace(/[.]/g, '\\.')}: cannot write the page: `, 'm'));
  });
});

describe('check --save / explore --out / explore --duration: refused before the work', () => {
  it('check --save onto a file: refused before any case runs', () => {
    const dir = tempTree({ 'taken': 'x' });
    const r = runCli(['check', 'models/two-node', '--save', join(dir, 'taken'), '--seeds', '1', '--max-partitions', '0']);
    expectRefused(r, `${join(dir, 'taken')}: cannot write the scenarios (--save): ${join(dir, 'taken')} exists and is not a folder`);
    expect(r.stderr).not.toContain('check: seeds');
  });

  it('explore --out below a file: refused before the search', () => {
    const dir = tempTree({ 'taken': 'x' });
    const out = join(dir, 'taken', 'sub');
    const r = runCli(['explore', 'models/two-node', '--out', out, '--runs', '1']);
    expectRefused(r, `${out}: cannot write the scenario files (--out): ${join(dir, 'taken')} exists and is not a folder`);
  });

  it('explore --duration past a simulated day: refused (one run would take minutes, printing nothing)', () => {
    expectRefused(runCli(['explore', 'models/two-node', '--duration', '25h']), 'at most 24h');
  });
});

describe('paths as messages show them', () => {
  it('a blank path is quoted, so the message still starts with the file', () => {
    const r = runCli(['run', ' ']);
    expectRefused(r, /^" ": scenario file not found$/m);
    const l = runCli(['lint', ' ']);
    expect(l.stderr).toMatch(/^sentinel-sim lint: " ": can't read it/m);
  });
});

describe('an unprivileged user (as nobody when the tests run as root)', () => {
  const asUser = (args: string[]) =>
    process.getuid?.() === 0
      ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 60_000 })
      : runCli(args);

  it('a model folder that cannot be listed: path: reason, exit 2 (was an internal error)', () => {
    const dir = tempTree({ 's.yaml': 'model: m\nseed: 1\nduration: 1s\n', 'm/a.conf': 'port 6379\n' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 's.yaml'), 0o644);
    chmodSync(join(dir, 'm'), 0o311); // enter, not list
    const r = asUser(['run', join(dir, 's.yaml')]);
    expectRefused(r, 'm: cannot list the folder: Permission denied');
    const l = asUser(['lint', join(dir, 'm')]);
    expect(l.stderr).toContain("can't list the folder: Permission denied");
    expect(l.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(l.status).toBe(2);
  });

  it('an unreadable scenario: the errno in words, not its code', () => {
    const dir = tempTree({ 's.yaml': 'model: m\nseed: 1\nduration: 1s\n' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 's.yaml'), 0o000);
    expectRefused(asUser(['run', join(dir, 's.yaml')]), 's.yaml: cannot read scenario file: Permission denied');
  });

  it('check --save in a folder it cannot write: refused before any case runs', () => {
    const dir = tempTree({});
    mkdirSync(join(dir, 'ro'));
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'ro'), 0o555);
    writeFileSync(join(dir, 'unused'), '');
    const r = asUser(['check', resolve('models/two-node'), '--save', join(dir, 'ro', 'cases')]);
    expectRefused(r, `cannot write the scenarios (--save): ${join(dir, 'ro')}: Permission denied`);
  });
});
