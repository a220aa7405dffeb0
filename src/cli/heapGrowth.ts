import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC found alive, for a `run` that
 * owns its process. By default V8 picks the factor from its GC and allocation speeds, and a
 * simulation allocates fast enough to get the most, 4x: a 24-hour soak whose live heap is about
 * 45 MB then peaks near 250 MB of RSS, most of it garbage waiting for a GC. 1.3x keeps that soak
 * near 175 MB for a few per cent more CPU (`npm run bench`). The flag is read at every full GC, so
 * setting it once the process runs takes effect (unlike --max-old-space-size, fixed at start-up).
 */
export const HEAP_GROWING_PERCENT = 30;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
