import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from './helpers.js';

/**
 * SIGHUP / SIGINT / SIGTERM during `sentinel-sim run`, sent to the built CLI (dist/, built by `npm ci` /
 * `npm run build`): the .partial trace is removed, stderr says how far the run got in simulated
 * time, and the exit code is 129 / 130 / 143.
 */

const CLI = resolve('dist/cli/main.js');
const SCENARIO = resolve('scenarios/zato-stop-master.yaml');

function runUntilTraceGrows(sig: 'SIGHUP' | 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; signal: string | null; stderr: string; dir: string }> {
  const dir = tempTree({});
  const trace = join(dir, 'run.jsonl');
  // Ten simulated hours: far longer than the test waits; the signal comes once the trace exists.
  const child = spawn(process.execPath, [CLI, 'run', SCENARIO, '--until', '10h', '--trace', trace], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((res, rej) => {
    const poll = setInterval(() => {
      if (existsSync(`${trace}.partial`)) {
        clearInterval(poll);
        setTimeout(() => child.kill(sig), 300);
      }
    }, 50);
    child.on('error', rej);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      res({ code, signal, stderr, dir });
    });
  });
}

describe.runIf(existsSync(CLI))('signals during a run (built CLI)', () => {
  it.each([
    // SIGHUP: the terminal running it closed; the run must not leave its .partial behind either.
    ['SIGHUP', 129],
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exit %i, the .partial trace removed, how far the run got on stderr', async (sig, code) => {
    const r = await runUntilTraceGrows(sig);
    expect(r.stderr).toMatch(new RegExp(`^sentinel-sim: ${sig}: stopped at simulated time \\d+(\\.\\d+)?s of 36000s \\(\\d+%\\); removed .*run\\.jsonl\\.partial\\n$`));
    expect(r.code).toBe(code);
    expect(readdirSync(r.dir)).toEqual([]);
  }, 60_000);
});

it('the built CLI exists (npm run build): the signal tests above need it', () => {
  expect(existsSync(CLI)).toBe(true);
});
