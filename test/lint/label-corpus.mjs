#!/usr/bin/env node
/**
 * Labels test/lint/corpus/*.conf with what the real redis-server 7.0.15 does with each file, and
 * writes test/lint/corpus/labels.json (committed; lint.test.ts reads it and needs no server).
 *
 *   node test/lint/label-corpus.mjs            # relabel everything
 *   node test/lint/label-corpus.mjs --check    # relabel into memory, report differences, exit 1 if any
 *
 * Mode: a file named sentinel-*.conf or seedNNN-sentinel*.conf runs as `redis-server <file> --sentinel`, others as
 * `redis-server <file>`. Every run happens in a fresh copy of the whole corpus directory (Sentinel
 * rewrites its config file, and `include` paths are relative to the working directory), with that
 * copy as the working directory, on 127.0.0.1 ports chosen by the files themselves.
 * A run is "accepted" when the server reports it is serving ("Ready to accept connections",
 * "Sentinel ID is") or is still alive after 3 s; it is then killed (only the process started here).
 * Without a redis-server 7.0.15 on PATH the script says so and exits 0 without touching the labels.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CORPUS = join(import.meta.dirname, 'corpus');
const LABELS = join(CORPUS, 'labels.json');

const ver = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
if (ver.error || !/v=7\.0\.15\b/.test(ver.stdout)) {
  console.log('SKIP: redis-server 7.0.15 is not on PATH (apt-get install redis-server); labels left as they are.');
  process.exit(0);
}

function runOne(name, sentinel) {
  const dir = mkdtempSync(join(tmpdir(), 'lint-label-'));
  cpSync(CORPUS, dir, { recursive: true });
  const args = [name, ...(sentinel ? ['--sentinel'] : [])];
  return new Promise((resolve) => {
    const child = spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let settled = false;
    const finish = (how, code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (how === 'ready' || how === 'timeout') child.kill('SIGKILL');
      setTimeout(() => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ how, code, out, err });
      }, 100);
    };
    const ready = () => /Ready to accept connections|Sentinel ID is/.test(out);
    child.stdout.on('data', (d) => {
      out += d;
      if (ready()) finish('ready');
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => finish('exit', code));
    const timer = setTimeout(() => finish('timeout'), 3000);
  });
}

/** Redis's own words: the FATAL report, or the last warning it logged before exit(1). */
function verdict(r) {
  if (r.how !== 'exit' || r.code === 0) return { accepted: true };
  const fatal = /\*\*\* FATAL CONFIG FILE ERROR \(Redis [^)]*\) \*\*\*\n(?:Reading the configuration file, at line (\d+)\n>>> '(.*)'\n)?(.*)\n/.exec(r.err);
  if (fatal) {
    return {
      accepted: false,
      stage: 'config',
      ...(fatal[1] ? { line: Number(fatal[1]), lineText: fatal[2] } : {}),
      reason: fatal[3],
    };
  }
  const logLines = (r.out + r.err).split('\n').filter((l) => / # /.test(l)).map((l) => l.replace(/^.*? # /, ''));
  const reason = logLines[logLines.length - 1] ?? '';
  const warning = logLines.filter((l) => l.startsWith('Warning: ')).pop();
  return { accepted: false, stage: 'startup', reason, ...(warning ? { detail: warning } : {}) };
}

const files = readdirSync(CORPUS).filter((f) => f.endsWith('.conf')).sort();
const labels = {};
for (const f of files) {
  const mode = /^(sentinel-|seed\d+-sentinel)/.test(f) ? 'sentinel' : 'redis';
  const r = await runOne(f, mode === 'sentinel');
  labels[f] = { mode, ...verdict(r) };
  console.log(f.padEnd(48), JSON.stringify(labels[f]));
}

if (process.argv.includes('--check')) {
  const old = JSON.parse(readFileSync(LABELS, 'utf8')).files;
  const diff = Object.keys(labels).filter((f) => JSON.stringify(old[f]) !== JSON.stringify(labels[f]));
  console.log(diff.length ? `DIFFERENT: ${diff.join(', ')}` : 'labels unchanged');
  process.exit(diff.length ? 1 : 0);
}
writeFileSync(
  LABELS,
  JSON.stringify({ redis: ver.stdout.trim(), generatedBy: 'test/lint/label-corpus.mjs', files: labels }, null, 2) + '\n',
);
console.log(`wrote ${Object.keys(labels).length} labels to ${LABELS}`);
