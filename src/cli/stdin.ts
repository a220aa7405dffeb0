import { InputError } from '../config/errors.js';
import { MAX_FILE_BYTES } from '../scenario/inputLimits.js';
import type { CliContext } from './context.js';

/**
 * `-` as a file argument: the text piped into the command (`run -`, `play -`, `lint -`). It is read
 * at most once per command, is bounded like a file (`< /dev/zero` is refused, not read until memory
 * runs out), and is named `<stdin>` in every message, so an error reads `<stdin>:3: reason`.
 */

export const STDIN_NAME = '<stdin>';

/** A readable size for a limit: `1 MiB`, `256 MiB`. */
function mib(bytes: number): string {
  return `${bytes / 1024 / 1024} MiB`;
}

/**
 * All of stdin (or the test hook's text), refused past `maxBytes`. `how` completes the message
 * for a terminal on stdin, e.g. `run -: reads the scenario from stdin`: a terminal would wait for
 * typing with nothing on the screen saying so.
 */
export async function readStdinText(ctx: CliContext, how: string, example: string, maxBytes = MAX_FILE_BYTES): Promise<string> {
  return (await readStdinBytes(ctx, how, example, maxBytes)).toString('utf8');
}

/** The bytes as they came (a config reader decodes them itself, as Redis reads bytes). */
export async function readStdinBytes(ctx: CliContext, how: string, example: string, maxBytes = MAX_FILE_BYTES): Promise<Buffer> {
  const hooked = ctx.hooks.stdinText;
  if (hooked !== undefined) {
    if (Buffer.byteLength(hooked) > maxBytes) throw tooBig(maxBytes);
    return Buffer.from(hooked, 'utf8');
  }
  const stdin = ctx.io.stdin ?? process.stdin;
  if (stdin.isTTY) throw new InputError(`${how}, but stdin is a terminal (pipe a file in: ${example})`);
  const chunks: Buffer[] = [];
  let bytes = 0;
  // A test's stand-in for stdin may only say whether it is a terminal.
  const source = Symbol.asyncIterator in stdin ? (stdin as AsyncIterable<Buffer>) : (process.stdin as AsyncIterable<Buffer>);
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw tooBig(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooBig(maxBytes: number): InputError {
  return new InputError(`${STDIN_NAME}: more than ${maxBytes} bytes; the limit is ${mib(maxBytes)}`);
}
