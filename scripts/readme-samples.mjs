// The README's sample output, produced by the commands it shows. Each sample is marked
//
//   <!-- sample: sentinel-sim run scenarios/zato-stop-master.yaml --seed 1 | grep ... -->
//   ```
//   $ sentinel-sim run scenarios/zato-stop-master.yaml --seed 1 | grep ...
//   (what that command line prints on stdout)
//   ```
//   <!-- /sample -->
//
// and the command line is run as a shell would run it (bash, pipefail off: the exit code of a
// check that fails is not the point), with `sentinel-sim` being this checkout's dist/cli/main.js,
// from a scratch folder that sees the repository's models/, scenarios/ and test/ (so files a
// command writes, such as explore-out/, land there), without colour, at the default width.
//
//   node scripts/readme-samples.mjs           rewrite every marked block from the command (after npm run build)
//   node scripts/readme-samples.mjs --check   exit 1 when a block differs from what its command prints
//
// test/readme/samples.test.ts runs the same check, one test per block.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '..');
const MARK = /<!-- sample: (.+?) -->\n```\n([\s\S]*?)```\n<!-- \/sample -->/g;

/** Every marked block of `text`: its command line, its body as written, and where it sits. */
export function samples(text) {
  return [...text.matchAll(MARK)].map((m) => ({ command: m[1], body: m[2], start: m.index, end: m.index + m[0].length }));
}

/** The block a command line gives: the line itself after `$ `, then its standard output. */
export function blockFor(command, stdout) {
  const out = stdout.endsWith('\n') || stdout === '' ? stdout : `${stdout}\n`;
  return `$ ${command}\n${out}`;
}

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'readme-samples-'));
  for (const d of ['models', 'scenarios', 'test']) symlinkSync(join(ROOT, d), join(dir, d));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sentinel-sim'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/cli/main.js')}" "$@"\n`);
  chmodSync(join(bin, 'sentinel-sim'), 0o755);
  return { dir, bin };
}

/** What `command` prints on stdout, run from a scratch folder as described above. */
export function runSample(command) {
  const { dir, bin } = sandbox();
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  for (const k of ['FORCE_COLOR', 'COLUMNS', 'CI']) delete env[k];
  try {
    return execFileSync('bash', ['-c', command], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    // A command that exits non-zero (check below the bar, explore finding a violation) still printed its sample.
    if (typeof e.stdout === 'string' && e.stdout !== '') return e.stdout;
    throw new Error(`${command}: ${e.message}\n${e.stderr ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const file = join(ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const found = samples(text);
  if (found.length === 0) throw new Error('README.md has no <!-- sample: ... --> block');
  let out = '';
  let at = 0;
  let differ = 0;
  for (const s of found) {
    const want = blockFor(s.command, runSample(s.command));
    if (want !== s.body) {
      differ++;
      console.log(`${process.argv.includes('--check') ? 'differs' : 'rewrote'}: ${s.command}`);
    }
    out += `${text.slice(at, s.start)}<!-- sample: ${s.command} -->\n\`\`\`\n${want}\`\`\`\n<!-- /sample -->`;
    at = s.end;
  }
  out += text.slice(at);
  if (process.argv.includes('--check')) {
    console.log(differ ? `${differ} of ${found.length} samples differ: run node scripts/readme-samples.mjs` : `all ${found.length} samples match`);
    process.exit(differ ? 1 : 0);
  }
  if (out !== text) writeFileSync(file, out);
  console.log(`${found.length} samples, ${differ} rewritten`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
