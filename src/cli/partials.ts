import { rmSync } from 'node:fs';

/**
 * The partial outputs (a `.partial` trace, a run folder's hidden temporary folder) that exist while
 * a run goes. `sentinel-sim run --trace t.jsonl | head -1` ends the process at the first write
 * after head exits (EPIPE -> process.exit): the 'exit' hook removes what is still partial, so no
 * half-written file stays behind.
 */

const live = new Set<string>();
let hooked = false;

export function trackPartial(path: string): void {
  live.add(path);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeLivePartials);
  }
}

export function untrackPartial(path: string): void {
  live.delete(path);
}

function removeLivePartials(): void {
  for (const p of live) rmSync(p, { recursive: true, force: true });
  live.clear();
}
