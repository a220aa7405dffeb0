import { describe, expect, it } from 'vitest';
import type { ReplyRecord } from '../../src/check/expectations.js';
import { loadModel } from '../../src/scenario/model.js';
import { parseScenario } from '../../src/scenario/scenario.js';
import { runScenario } from '../../src/scenario/runner.js';

/**
 * `command:` given a list of commands: they go in order on one connection, as a Redis user types
 * SET then WAIT in one redis-cli session, so WAIT counts the acknowledgements of that SET (on a
 * fresh connection WAIT has no write of its own to wait for and answers at once).
 */
const zato = loadModel('models/zato');

function run(timeline: string, expect = '', seed = 1) {
  const sc = parseScenario(`model: x\nseed: ${seed}\nduration: 25s\ntimeline:\n${timeline}${expect ? `expect:\n${expect}` : ''}`, 'inline.yaml', { model: zato });
  const r = runScenario(sc);
  const replies = r.records.filter((x): x is ReplyRecord => x.k === 'reply' && !(x as ReplyRecord).probe);
  return { r, replies };
}

describe('a command list runs on one connection (SET then WAIT)', () => {
  it('WAIT answers with the replicas that acknowledged the SET before it, within a LAN round trip', () => {
    for (const seed of [1, 2, 3]) {
      const { r, replies } = run(
        '  - { at: 20s, command: [[SET, k, v], [WAIT, 2, 1000]], to: node1, label: w }\n',
        '  - { reply: w, equals: [OK, 2] }\n',
        seed,
      );
      const w = replies.find((x) => x.label === 'w')!;
      expect(w.reply).toEqual(['OK', 2]);
      expect(w.cmd).toBe('SET k v; WAIT 2 1000');
      expect(w.text).toBe('OK; (integer) 2');
      expect(w.error).toBe(false);
      expect(w.t - 20_000_000).toBeLessThan(20_000);
      expect(r.expectations.map((e) => e.pass)).toEqual([true]);
      expect(r.ok).toBe(true);
    }
  });

  it('with a replica stopped, WAIT times out after its timeout and answers how many did acknowledge', () => {
    const { replies } = run(
      '  - { at: 15s, pause: node3 }\n  - { at: 20s, command: [[SET, k, v], [WAIT, 2, 500]], to: node1, label: w }\n',
    );
    const w = replies.find((x) => x.label === 'w')!;
    expect(w.reply).toEqual(['OK', 1]);
    // The SET's round trip, the 500 ms timeout, then the loop's next wake-up (a 100 ms serverCron
    // loop, or an ACK or PING arriving): real 7.0.15 answered after 580 ms.
    expect(w.t - 20_000_000).toBeGreaterThan(501_000);
    expect(w.t - 20_000_000).toBeLessThan(605_000);
  });

  it('on a fresh connection (a flat command) WAIT has nothing to wait for: 2 at once', () => {
    const { replies } = run('  - { at: 15s, pause: node3 }\n  - { at: 20s, command: [WAIT, 2, 500], to: node1, label: w }\n');
    const w = replies.find((x) => x.label === 'w')!;
    expect(w.reply).toBe(2);
    expect(w.t - 20_000_000).toBeLessThan(20_000);
  });

  it('an error reply does not stop the list (redis-cli goes on); the list reply shows it', () => {
    const { replies } = run('  - { at: 20s, command: [[WAIT, 1, 100], [SET, k], [GET, k]], to: node2, label: w }\n');
    const w = replies.find((x) => x.label === 'w')!;
    expect(w.reply).toEqual([{ error: expect.stringMatching(/^ERR WAIT cannot be used with replica/) }, { error: "ERR wrong number of arguments for 'set' command" }, null]);
    expect(w.error).toBe(true);
  });

  it('the timeout covers the whole list: a list cut short ends with the timeout', () => {
    const { replies } = run('  - { at: 15s, pause: node3 }\n  - { at: 20s, command: [[SET, k, v], [WAIT, 2, 0]], to: node1, timeout: 300ms, label: w }\n');
    const w = replies.find((x) => x.label === 'w')!;
    expect(w.reply).toEqual(['OK', { error: 'timeout' }]);
    expect(w.t - 20_000_000).toBe(300_000);
  });

  it('a list mixing commands and plain arguments is refused with its line', () => {
    expect(() => run('  - { at: 20s, command: [[SET, k, v], WAIT], to: node1 }\n')).toThrow(/inline\.yaml:5: /);
  });
});
