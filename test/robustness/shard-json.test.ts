import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { tempTree } from './helpers.js';

/**
 * `explore merge` of a file that is not JSON: one line naming the file (and the line, when JSON.parse
 * gives a position). Before, JSON.parse's excerpt of the text went to stderr as it was: a binary
 * file's bytes, newlines and control characters included.
 */

describe('explore merge of a file that is not a shard', () => {
  it('a binary file: one printable line, none of its bytes echoed', async () => {
    const dir = tempTree({});
    const bytes = Buffer.from([0x0f, 0xc3, 0x28, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0x00, 0x0a, 0x41]);
    writeFileSync(join(dir, 'bin.json'), bytes);
    const r = await cli(['explore', 'merge', join(dir, 'bin.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^${join(dir, 'bin.json')}: not JSON: [\\x20-\\x7e]*\\n$`));
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\ufffd');
  });

  it('text after the JSON value: the line it is on', async () => {
    const dir = tempTree({ 'two.json': '{"seed": 1}\n{"seed": 2}\n' });
    const r = await cli(['explore', 'merge', join(dir, 'two.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${join(dir, 'two.json')}:2: not JSON: Unexpected non-whitespace character after JSON\n`);
  });
});
