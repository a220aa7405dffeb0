import { describe, expect, it } from 'vitest';
import { redisConfig } from './helpers/config.js';
import { addClient, clientState, redisWorld, S } from './helpers/world.js';

const M = { ip: '10.0.0.1', port: 6379 };

describe('CONFIG GET patterns go through stringmatchlen(), never a JS RegExp', () => {
  it('malformed globs ("[", "[a-", "((((") answer an empty list instead of crashing the simulator', () => {
    const { world } = redisWorld([{ pid: 'r1', host: 'h1', ip: M.ip, cfg: redisConfig({}) }]);
    addClient(world, 'c', 'h1', { m: M }, [
      { atMs: 100, conn: 'm', argv: ['CONFIG', 'GET', '['] },
      { atMs: 101, conn: 'm', argv: ['CONFIG', 'GET', '[a-'] },
      { atMs: 102, conn: 'm', argv: ['CONFIG', 'GET', '(((('] },
      { atMs: 103, conn: 'm', argv: ['CONFIG', 'GET', 'repl-[s-u]imeout'] },
      { atMs: 104, conn: 'm', argv: ['CONFIG', 'GET', 'REPL-TIME\\OUT'] },
    ]);
    world.runUntil(1 * S);
    const r = clientState(world, 'c').log.map((e) => e.reply);
    expect(r).toEqual([[], [], [], ['repl-timeout', '60'], ['repl-timeout', '60']]);
  });
});
