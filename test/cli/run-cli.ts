import { main, type MainHooks } from '../../src/cli/main.js';

/** A subcommand run in-process, with the shape the old per-command functions returned. */
export async function runSubcommand(name: string, argv: readonly string[], hooks: MainHooks = {}): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const exitCode = await main([name, ...argv], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, hooks);
  return { stdout, stderr, exitCode };
}
