// Mutation testing (StrykerJS, stryker.config.json) scoped one source file per Stryker run, so a
// run fits a shared 2-core machine and a re-run only retests what changed. Each file keeps its own
// incremental report in reports/stryker-incremental/ (committed): Stryker rewrites its incremental
// file with only the files of the current run, so one shared file would forget every other file.
//
//   npm run mutate                                   every target file, one after another
//   npm run mutate -- --mutate src/sentinel/election.ts   one file (or a folder; repeatable)
//   npm run mutate -- --summary                      scores from the committed reports, no run
//   npm run mutate -- --force --concurrency 1 ...    retest everything / fewer workers
//
// Adding a folder (e.g. src/explore's properties once it exists): add it to TARGETS below and to
// the include list of vitest.stryker.config.ts with the tests that exercise it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TARGETS = ['src/sentinel', 'src/redis/replication'];
const REPORTS = 'reports/stryker-incremental';

/** Every .ts file under a file or folder, sorted so runs and summaries are in a stable order. */
function tsFiles(path) {
  if (!existsSync(path)) throw new Error(`${path}: no such file or folder`);
  if (statSync(path).isFile()) return path.endsWith('.ts') ? [path] : [];
  return readdirSync(path).sort().flatMap((f) => tsFiles(join(path, f)));
}

const reportOf = (file) => join(REPORTS, file.replaceAll('/', '__') + '.json');

function parseArgs(argv) {
  const o = { mutate: [], concurrency: '2', force: false, summary: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mutate' || a === '-m') o.mutate.push(argv[++i]);
    else if (a === '--concurrency' || a === '-c') o.concurrency = argv[++i];
    else if (a === '--force') o.force = true;
    else if (a === '--summary') o.summary = true;
    else if (!a.startsWith('-')) o.mutate.push(a);
    else throw new Error(`${a}: unknown flag (use --mutate <file|folder>, --concurrency N, --force, --summary)`);
  }
  if (!/^[1-9][0-9]*$/.test(o.concurrency)) throw new Error(`--concurrency ${o.concurrency}: expected a positive integer`);
  return o;
}

/** Counts of one incremental report, by Stryker's status names. */
function counts(file) {
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  if (!existsSync(reportOf(file))) return null;
  const report = JSON.parse(readFileSync(reportOf(file), 'utf8'));
  for (const f of Object.values(report.files)) for (const m of f.mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  return c;
}

/** Stryker's mutation score: detected (killed, timed out) over valid (detected + survived + no coverage). */
function score(c) {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return { detected, valid, pct: valid ? (100 * detected) / valid : 100 };
}

function summary(files) {
  const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  console.log('file                                      killed timeout survived nocov  score');
  for (const f of files) {
    const c = counts(f);
    if (!c) { console.log(`${f.padEnd(42)} (not run yet)`); continue; }
    for (const k of Object.keys(total)) total[k] += c[k];
    const s = score(c);
    console.log(`${f.padEnd(42)}${String(c.Killed).padStart(6)}${String(c.Timeout).padStart(8)}${String(c.Survived).padStart(9)}${String(c.NoCoverage).padStart(6)}${s.pct.toFixed(1).padStart(7)} %`);
  }
  const s = score(total);
  console.log(`${'overall'.padEnd(42)}${String(total.Killed).padStart(6)}${String(total.Timeout).padStart(8)}${String(total.Survived).padStart(9)}${String(total.NoCoverage).padStart(6)}${s.pct.toFixed(1).padStart(7)} %`);
}

function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`mutate: ${e.message}`);
    process.exit(2);
  }
  let files;
  try {
    files = [...new Set((o.mutate.length ? o.mutate : TARGETS).flatMap(tsFiles))];
  } catch (e) {
    console.error(`mutate: ${e.message}`);
    process.exit(2);
  }
  if (!o.summary) {
    for (const f of files) {
      console.log(`== stryker on ${f}`);
      const args = ['-n', '10', 'npx', 'stryker', 'run', '--mutate', f, '--incrementalFile', reportOf(f), '--concurrency', o.concurrency];
      if (o.force) args.push('--force');
      const r = spawnSync('nice', args, { stdio: 'inherit' });
      if (r.status !== 0) {
        console.error(`mutate: stryker failed on ${f} (exit ${r.status})`);
        process.exit(1);
      }
    }
  }
  summary(files);
}

main();
