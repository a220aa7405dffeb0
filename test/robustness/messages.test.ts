import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { BASIC, tempTree } from './helpers.js';

const head = `model: ${BASIC}\nseed: 1\nduration: 10s\n`;
const confs = { 'm/a.conf': 'port 6379\n', 'm/s.conf': 'port 26379\nsentinel monitor mm 10.9.0.1 6379 1\n' };
const model = (aConfig = 'a.conf') =>
  `hosts:\n  - { name: h1, ip: 10.9.0.1 }\nprocesses:\n  - { name: a, kind: redis, host: h1, config: ${aConfig} }\n  - { name: s, kind: sentinel, host: h1, config: s.conf }\n`;
const scenarioOn = (m: string) => `model: ${m}\nseed: 1\nduration: 5s\n`;

async function run(files: Record<string, string>, extra: string[] = [], setup?: (dir: string) => void) {
  const dir = tempTree(files);
  setup?.(dir);
  const r = await cli(['run', join(dir, 's.yaml'), ...extra]);
  return { ...r, dir };
}

describe('messages that used to mislead', () => {
  it('5,000 nested [ : "nested too deeply" at the line, not a stack overflow', async () => {
    const r = await run({ 's.yaml': `${head}expect:\n  - { reply: x, equals: ${'['.repeat(5000)} }\n` });
    expect(r.stderr).toMatch(/s\.yaml:5: nested too deeply \(more than 64 levels of lists and mappings\)\n$/);
    expect(r.code).toBe(2);
  });

  it('1,000 nested block mappings: "nested too deeply" at the 65th level', async () => {
    const deep = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const r = await run({ 's.yaml': `${deep} 1\n` });
    expect(r.stderr).toMatch(/s\.yaml:65: nested too deeply/);
    expect(r.code).toBe(2);
  });

  it('an alias that contains itself is a clean error', async () => {
    const r = await run({ 's.yaml': `${head}expect:\n  - { reply: x, equals: &a [1, *a] }\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a "%s" key is a clean unknown-key message', async (key) => {
    const r = await run({ 's.yaml': `${head}${key}: { a: 1 }\n` });
    expect(r.stderr).toBe(`${join(r.dir, 's.yaml')}:4: unknown key "${key}"\n`);
    expect(r.code).toBe(2);
  });

  it('a symbolic link loop is called one', async () => {
    const r = await run({}, [], (dir) => symlinkSync(join(dir, 's.yaml'), join(dir, 's.yaml')));
    expect(r.stderr).toBe(`${join(r.dir, 's.yaml')}: scenario file: symbolic link loop\n`);
    expect(r.code).toBe(2);
  });

  it('a model path that is a symbolic link loop', async () => {
    const r = await run({ 's.yaml': scenarioOn('loop') }, [], (dir) => symlinkSync(join(dir, 'loop'), join(dir, 'loop')));
    expect(r.stderr).toMatch(/s\.yaml:1: model .*loop: model: symbolic link loop\n$/);
    expect(r.code).toBe(2);
  });

  it('a config path that is a directory: file:line "is a directory"', async () => {
    const r = await run({ ...confs, 'm/model.yaml': model('confdir'), 's.yaml': scenarioOn('m') }, [], (dir) => mkdirSync(join(dir, 'm', 'confdir')));
    expect(r.stderr).toMatch(/m\/model\.yaml:4: configuration file .*confdir: is a directory, expected a file\n$/);
    expect(r.code).toBe(2);
  });
});

describe('files outside the model', () => {
  const secret = 'root:x:0:0:root:/root:/bin/bash';
  const outside = (mconf: string, aConfText = 'port 6379\n') =>
    ({ 'secret/passwd': `${secret}\n`, 'secret/x.conf': `${secret}\n`, 'm/a.conf': aConfText, 'm/s.conf': confs['m/s.conf'], 'm/model.yaml': model(mconf), 's.yaml': scenarioOn('m') });

  it('config: ../secret/passwd is refused without reading it', async () => {
    const r = await run(outside('../secret/passwd'));
    expect(r.stderr).toMatch(/m\/model\.yaml:4: configuration file \.\.\/secret\/passwd is outside the model's folder \(pass --allow-outside-model to read it\)\n$/);
    expect(r.stderr).not.toContain('root:x');
    expect(r.code).toBe(2);
  });

  it('a symbolic link inside the model to a file outside it is outside', async () => {
    const r = await run(outside('link.conf'), [], (dir) => symlinkSync(join(dir, 'secret', 'passwd'), join(dir, 'm', 'link.conf')));
    expect(r.stderr).toMatch(/is outside the model's folder/);
    expect(r.code).toBe(2);
  });

  it('include of files outside the model is refused, and names no content', async () => {
    const r = await run(outside('a.conf', 'port 6379\ninclude ../secret/*.conf\n'));
    expect(r.stderr).toMatch(/a\.conf:2: Fatal error, can't open config file '.*secret\/x\.conf': outside the model's folder \(pass --allow-outside-model to read it\)\n$/);
    expect(r.stderr).not.toContain('root:x');
    expect(r.code).toBe(2);
  });

  it('with --allow-outside-model the file is read, but an error in it never echoes its line', async () => {
    const r = await run(outside('../secret/passwd'), ['--allow-outside-model']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/passwd:1: Bad directive or wrong number of arguments/);
    expect(r.stderr).toContain(">>> '(not shown: the file is outside the model's folder)'");
    expect(r.stderr).not.toContain('root:x');
  });

  it('a file inside the model still gets Redis\'s own >>> echo', async () => {
    const r = await run(outside('a.conf', 'port 6379\nbogus directive\n'));
    expect(r.stderr).toContain(">>> 'bogus directive'");
    expect(r.code).toBe(2);
  });
});

describe('size limits', () => {
  it('a scenario file over 1 MiB is refused before parsing', async () => {
    const r = await run({ 's.yaml': `${head}timeline:\n${'  - { at: 1s, note: hello }\n'.repeat(40_000)}` });
    expect(r.stderr).toMatch(/s\.yaml: scenario file is \d+ bytes; the limit is 1048576 \(1 MiB\)\n$/);
    expect(r.code).toBe(2);
  });

  it('more than 10,000 actions are refused at the first one over', async () => {
    const r = await run({ 's.yaml': `${head}timeline:\n${'  - {at: 1s, heal: true}\n'.repeat(10_001)}` });
    expect(r.stderr).toMatch(/s\.yaml:10005: 10001 actions; the limit is 10000\n$/);
    expect(r.code).toBe(2);
  });

  it('more than 500 processes are refused', async () => {
    const procs = Array.from({ length: 501 }, (_, i) => `  - { name: p${i}, kind: redis, host: h1, config: a.conf }\n`).join('');
    const r = await run({ 'm/a.conf': 'port 6379\n', 'm/model.yaml': `hosts:\n  - { name: h1, ip: 10.9.0.1 }\nprocesses:\n${procs}`, 's.yaml': scenarioOn('m') });
    expect(r.stderr).toMatch(/model\.yaml:504: 501 processes; the limit is 500\n$/);
    expect(r.code).toBe(2);
  });
});

