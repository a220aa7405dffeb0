import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from './helpers.js';

/**
 * `sentinel-sim run … --trace T --out O | head -1`: head exits after the first line, the next write
 * gets EPIPE and the CLI ends quietly (exit 0, no stack trace). Before, that exit skipped every
 * clean-up and left T.partial and O's hidden temporary folder on disk; now nothing half-written
 * stays. Runs the built CLI through sh in a child with a hard timeout.
 */

const CLI = resolve('dist/cli/main.js');
const SCENARIO = resolve('scenarios/zato-stop-master.yaml');

describe('a closed stdout pipe mid-run', () => {
  it('ends quietly and leaves no partial trace or run folder', () => {
    const dir = tempTree({});
    const trace = join(dir, 't.jsonl');
    const out = join(dir, 'o');
    // Four simulated hours: seconds of work, far past head's first line.
    const cmd = `"${process.execPath}" "${CLI}" run "${SCENARIO}" --until 4h --trace "${trace}" --out "${out}" | head -1`;
    const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 120_000 });
    expect(r.signal).toBeNull();
    expect(r.stdout).toMatch(/^# sentinel-sim /);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at |EPIPE/);
    expect(existsSync(`${trace}.partial`)).toBe(false);
    expect(existsSync(trace)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('run - with an endless stdin', () => {
  it('/dev/zero on stdin: refused past the scenario size limit (was RangeError, exit 70)', () => {
    const fd = openSync('/dev/zero', 'r');
    try {
      const r = spawnSync(process.execPath, [CLI, 'run', '-'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60_000 });
      expect(r.signal).toBeNull();
      expect(r.stderr).toContain('<stdin>: more than 1048576 bytes; the limit is 1 MiB');
      expect(r.stderr).not.toMatch(/internal error|RangeError|\n\s+at /);
      expect(r.status).toBe(2);
    } finally {
      closeSync(fd);
    }
  });
});
