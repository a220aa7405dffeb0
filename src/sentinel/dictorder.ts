/**
 * Redis dicts hash keys with SipHash under a random per-process key, so iteration order is a
 * pseudo-random permutation that is stable for the life of the process (dict.c's dictGenHashFunction() with the key set by
 * dictSetHashFunctionSeed() at startup). It decides,
 * e.g., vote tie-breaks and which replica gets SLAVEOF first. We emulate it with a seeded
 * per-process hash of the key and keep every dict-like array sorted by it.
 */
export function dictRank(seed: number, key: string): number {
  // FNV-1a over the key, mixed with the per-process seed; good enough to scatter short keys.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h >>> 0;
}

/**
 * A copy of the array with `item` inserted in dict order (ties by key, so the order is total). A
 * copy, never in place: sentinelTimer() walks these lists while its handlers may add to them,
 * and walking a list that is only ever replaced sees the same records as walking a snapshot.
 */
export function dictInserted<T extends { dictRank: number; name: string }>(arr: readonly T[], item: T): T[] {
  let i = arr.length;
  while (i > 0) {
    const prev = arr[i - 1]!;
    if (prev.dictRank < item.dictRank || (prev.dictRank === item.dictRank && prev.name < item.name)) break;
    i--;
  }
  const out = arr.slice(0, i);
  out.push(item);
  for (let j = i; j < arr.length; j++) out.push(arr[j]!);
  return out;
}
