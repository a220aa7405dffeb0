// Computes the full-trace SHA-256 of every shipped scenario for seeds 1..20 and writes (or, with
// --check, compares against) test/scenario/trace-pins.json. A refactoring must leave every pin
// unchanged; a deliberate model change rewrites the file and says why in its commit.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenario } from '../dist/scenario/scenario.js';
import { runScenario } from '../dist/scenario/runner.js';
import { HashTrace } from '../dist/sim/trace.js';

const root = resolve('.');
const out = 'test/scenario/trace-pins.json';
const pins = {};
for (const f of readdirSync('scenarios').filter((x) => x.endsWith('.yaml')).sort()) {
  pins[f] = {};
  for (let seed = 1; seed <= 20; seed++) {
    const h = new HashTrace();
    const trace = { write: (r) => h.write(JSON.parse(JSON.stringify(r).replaceAll(root, '<repo>'))) };
    runScenario(loadScenario(`scenarios/${f}`), { seed, trace, traceDetail: 'full' });
    pins[f][seed] = h.digest();
  }
}
if (process.argv.includes('--check')) {
  const old = JSON.parse(readFileSync(out, 'utf8'));
  let bad = 0;
  for (const f of Object.keys(old)) for (const s of Object.keys(old[f])) if (old[f][s] !== pins[f]?.[s]) { bad++; console.log(`differs: ${f} seed ${s}`); }
  console.log(bad ? `${bad} pins differ` : 'all pins identical');
  process.exit(bad ? 1 : 0);
} else {
  writeFileSync(out, JSON.stringify(pins, null, 1) + '\n');
  console.log(`wrote ${out}`);
}
