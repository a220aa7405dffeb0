import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

/**
 * `-` means stdin for every command that takes a file: `run -`, `lint -`, `play -`. Each names it
 * `<stdin>` in its messages, refuses a terminal on stdin (it would wait for typing, silently) and
 * bounds what it reads. Before, `lint -` and `play -` looked for a file called "-".
 */

const CLI = resolve('dist/cli/main.js');
const BAD = /internal error|\n\s+at |RangeError|TypeError/;

/** The built CLI as a child process, `input` piped on its stdin. */
function piped(args: string[], input: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lint -', () => {
  it('judges the config piped in, its errors at <stdin>:line, as redis-server - does', () => {
    const r = piped(['lint', '-'], 'port 6380\nfoo bar\n');
    expect(r.stderr).not.toMatch(BAD);
    expect(r.stdout).toContain("<stdin>:2: refused (config error): Bad directive or wrong number of arguments");
    expect(r.stdout).toContain(">>> 'foo bar'");
    expect(r.status).toBe(1);
    const ok = piped(['lint', '-'], 'port 6380\n');
    expect(ok.stdout).toBe('<stdin>: accepted by redis-server 7.0.15\n');
    expect(ok.status).toBe(0);
  });

  it('reads the bytes as a file\'s are read: the same verdict as the file, bytes that are not UTF-8 and a NUL included', () => {
    const bytes = Buffer.concat([Buffer.from('port 6380\nrequirepass '), Buffer.from([0xff, 0xfe]), Buffer.from('\nfoo\0 bar\nbaz\n')]);
    const dir = tempTree({});
    writeFileSync(join(dir, 'r.conf'), bytes);
    const file = spawnSync(process.execPath, [CLI, 'lint', 'r.conf'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    const r = piped(['lint', '-'], bytes);
    expect(file.stdout).toContain('r.conf:3: refused');
    expect(r.stdout).toBe(file.stdout.replaceAll('r.conf', '<stdin>'));
    expect(r.status).toBe(file.status);
  });

  it('lints stdin next to files, in argument order; the mode comes from the text', async () => {
    const dir = tempTree({ 'a.conf': 'port 6379\n' });
    const r = await cli(['lint', join(dir, 'a.conf'), '-'], { stdinText: 'port 26379\nsentinel monitor m 10.0.0.1 6379 2\n', cwd: dir });
    expect(r.stdout).toBe(`${join(dir, 'a.conf')}: accepted by redis-server 7.0.15\n<stdin>: accepted by redis-server --sentinel 7.0.15\n`);
    expect(r.code).toBe(0);
  });

  it('--on-this-host: a Sentinel on stdin has no config file to save its state in, as real redis-sentinel says', async () => {
    const r = await cli(['lint', '-', '--on-this-host'], { stdinText: 'port 29510\nsentinel monitor m 127.0.0.1 6379 2\n' });
    expect(r.stdout).toContain('Sentinel needs config file on disk to save state. Exiting...');
    expect(r.code).toBe(1);
  });

  it('a terminal on stdin is refused at once; /dev/zero past 1 MiB', async () => {
    let out = '';
    let err = '';
    const { main } = await import('../../src/cli/main.js');
    const code = await main(['lint', '-'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: { isTTY: true } });
    expect(err).toBe('lint -: reads a config file from stdin, but stdin is a terminal (pipe a file in: lint - < redis.conf)\n');
    expect(out).toBe('');
    expect(code).toBe(2);
    const fd = openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(process.execPath, [CLI, 'lint', '-'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('<stdin>: more than 1048576 bytes; the limit is 1 MiB\n');
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
  });
});

describe('play -', () => {
  const scenario = `model: ${BASIC}\nseed: 3\nduration: 2s\ntimeline:\n  - { at: 500ms, crash: a }\n`;

  it('plays a scenario piped in: the same log as the file', async () => {
    const dir = tempTree({ 's.yaml': scenario });
    const file = await cli(['play', join(dir, 's.yaml')]);
    const r = await cli(['play', '-'], { stdinText: scenario });
    expect(r.stderr).not.toMatch(BAD);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toBe('');
    expect(r.stdout).toBe(file.stdout);
  });

  it('plays a saved run piped in', async () => {
    const dir = tempTree({ 's.yaml': scenario });
    const trace = join(dir, 't.jsonl');
    expect((await cli(['run', join(dir, 's.yaml'), '--trace', trace])).code).toBe(0);
    const file = await cli(['play', trace]);
    const r = await cli(['play', '-'], { stdinText: readFileSync(trace, 'utf8') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(file.stdout);
  });

  it('names <stdin> in a scenario error, with its line', async () => {
    const r = await cli(['play', '-'], { stdinText: scenario.replace('crash: a', 'crash: zz') });
    expect(r.stderr).toMatch(/^<stdin>:5: unknown process "zz"/);
    expect(r.code).toBe(2);
  });

  it('a terminal on stdin is refused at once', async () => {
    let err = '';
    const { main } = await import('../../src/cli/main.js');
    const code = await main(['play', '-'], { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) }, stdin: { isTTY: true } });
    expect(err).toBe('play -: reads a scenario or a saved run from stdin, but stdin is a terminal (pipe a file in: play - < run.jsonl)\n');
    expect(code).toBe(2);
  });

  it('a scenario piped in is held to the scenario limit of 1 MiB', async () => {
    const big = `${scenario}# ${'x'.repeat(1024 * 1024)}\n`;
    const r = await cli(['play', '-'], { stdinText: big });
    expect(r.stderr).toMatch(/^<stdin>: scenario file is \d+ bytes; the limit is 1048576 \(1 MiB\)\n$/);
    expect(r.code).toBe(2);
  });
});

describe('play of a saved run past 1 MiB (the README says saved runs up to 256 MiB)', () => {
  it('a 1.2 MB trace of the zato drill plays (it was refused as "more than 1 MiB")', async () => {
    const dir = tempTree({});
    const trace = join(dir, 'zato.jsonl');
    expect((await cli(['run', resolve('scenarios/zato-stop-master.yaml'), '--trace', trace])).code).toBe(0);
    expect(statSync(trace).size).toBeGreaterThan(1024 * 1024);
    const r = await cli(['play', trace]);
    expect(r.stderr).not.toMatch(/limit/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+switch-master');
  });

  it('a scenario file past 1 MiB is still refused, as a scenario', async () => {
    const dir = tempTree({ 'big.yaml': `model: ${BASIC}\nseed: 1\nduration: 1s\n# ${'x'.repeat(1024 * 1024)}\n` });
    const r = await cli(['play', join(dir, 'big.yaml')]);
    expect(r.stderr).toMatch(/big\.yaml: scenario file is \d+ bytes; the limit is 1048576 \(1 MiB\)\n$/);
    expect(r.code).toBe(2);
  });
});
