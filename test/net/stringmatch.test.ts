import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient } from '../../src/conformance/resp-client.js';
import { stringmatch } from '../../src/net/stringmatch.js';

// Cases read off util.c stringmatchlen() (7.0.15); each was also checked against redis-server's KEYS.
const TABLE: [pattern: string, str: string, nocase: boolean, expected: boolean][] = [
  ['*', 'anything', false, true],
  ['h?llo', 'hallo', false, true],
  ['h*llo', 'heeeello', false, true],
  ['h[ae]llo', 'hello', false, true],
  ['h[^e]llo', 'hello', false, false],
  ['h[^e]llo', 'hallo', false, true],
  ['h[a-b]llo', 'hbllo', false, true],
  ['h[b-a]llo', 'hbllo', false, true], // reversed range
  ['h\\*llo', 'h*llo', false, true],
  ['h\\*llo', 'hello', false, false],
  ['[', '[', false, false], // an unterminated class matches nothing after the string is used up
  ['[', 'a', false, false],
  ['[a', 'a', false, true], // unterminated class: its members still count
  ['[a-', 'a', false, true],
  ['[a-', '-', false, true],
  ['[a-', 'b', false, false],
  ['[\\]]', ']', false, true],
  ['[]]', ']', false, false],
  ['((((', '((((', false, true],
  ['\\', '\\', false, true], // a lone trailing backslash is literal
  ['a\\', 'a\\', false, true],
  ['MAXMEMORY*', 'maxmemory-policy', true, true],
  ['MAXMEMORY*', 'maxmemory-policy', false, false],
  ['[A-C]x', 'bx', true, true],
  ['a*', 'a', false, true],
  ['a**', 'a', false, true],
  ['*a', '', false, false],
  ['', '', false, true],
  ['?', '', false, false],
  ['é*', 'été', false, true], // bytes: é is two bytes in UTF-8
  ['?', 'é', false, false],
  ['??', 'é', false, true],
];

describe('stringmatch(): util.c stringmatchlen()', () => {
  it.each(TABLE)('%j against %j (nocase %s) → %s', (p, s, nocase, expected) => {
    expect(stringmatch(p, s, nocase)).toBe(expected);
  });

  it('never throws on any pattern, and a pathological one returns (the skipLongerMatches cut)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.boolean(), (p, s, nc) => typeof stringmatch(p, s, nc) === 'boolean'));
    expect(stringmatch(`${'*a'.repeat(30)}b`, 'a'.repeat(60), false)).toBe(false);
  });
});

// Against the real thing: the same patterns sent to redis-server's KEYS (case-sensitive stringmatchlen).
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe.runIf(hasRedis)('stringmatch() agrees with redis-server KEYS', () => {
  let server: ChildProcess | undefined;
  let client: RespClient | undefined;

  beforeAll(async () => {
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !client; i++) {
      try {
        client = await RespClient.connect(port, '127.0.0.1', 500);
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    if (!client) throw new Error(`redis-server did not answer on port ${port}`);
  }, 20_000);

  afterAll(() => {
    client?.close();
    server?.kill('SIGKILL');
  });

  it('on 400 random patterns over a glob-heavy alphabet', async () => {
    const alphabet = ['a', 'b', 'A', '-', '[', ']', '^', '\\', '*', '?', 'é'];
    const chars = fc.constantFrom(...alphabet);
    const keys = [...new Set(fc.sample(fc.array(chars, { minLength: 1, maxLength: 5 }).map((a) => a.join('')), { numRuns: 300, seed: 15 }))];
    const patterns = fc.sample(fc.array(chars, { minLength: 1, maxLength: 8 }).map((a) => a.join('')), { numRuns: 400, seed: 16 });
    const c = client!;
    await c.command(['FLUSHALL']);
    for (const k of keys) await c.command(['SET', k, '1']);
    let compared = 0;
    for (const p of patterns) {
      const real = ((await c.command(['KEYS', p])) as string[]).slice().sort();
      const ours = keys.filter((k) => stringmatch(p, k, false)).sort();
      expect(ours, `KEYS ${JSON.stringify(p)}`).toEqual(real);
      compared++;
    }
    expect(compared).toBe(400);
  }, 60_000);
});
