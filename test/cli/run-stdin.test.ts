import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `sentinel-sim run -` reads the scenario from stdin (its model path relative to the working
 * directory) and prints the same log as `run FILE`, apart from the name it quotes: `-` in the header,
 * `<stdin>` in file:line references.
 */

const CLI = resolve('dist/cli/main.js');

describe.runIf(existsSync(CLI))('run - (built CLI)', () => {
  it('runs the scenario piped on stdin like the file itself', () => {
    const opts = { cwd: resolve('scenarios'), encoding: 'utf8' as const };
    const piped = spawnSync(process.execPath, [CLI, 'run', '-'], { ...opts, input: readFileSync('scenarios/zato-stop-master.yaml', 'utf8') });
    const direct = spawnSync(process.execPath, [CLI, 'run', 'zato-stop-master.yaml'], opts);
    expect(piped.status).toBe(0);
    expect(direct.status).toBe(0);
    expect(piped.stdout).toContain('PASS');
    // The header quotes the argument (-); file:line references name the input <stdin>.
    expect(piped.stdout).toBe(direct.stdout.replace('run zato-stop-master.yaml', 'run -').replaceAll('[zato-stop-master.yaml:', '[<stdin>:'));
  }, 60_000);
});
