import seedrandom from 'seedrandom';

/**
 * Seeded random streams. Each stream is derived from (run seed, stable name), e.g.
 * `sentinel-2/hz`, so adding a process or a new use of randomness never shifts another stream.
 * The seed is always explicit: nothing here ever falls back to an entropy source.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** 40 lowercase hex chars, like a Redis run id (CONFIG_RUN_ID_SIZE). */
  hex40(): string;
  /** A stream of its own that goes on from this one's point: what a forked world (src/advisor/fork.ts) draws from. */
  fork(): Rng;
}

export function rngStream(seed: number | string, name: string): Rng {
  // alea is seedrandom's fastest generator with a full-period state; never `global`. `state: true`
  // only adds prng.state(), which fork() reads: the numbers drawn are the same.
  return streamOf(seedrandom.alea(`${seed}/${name}`, { state: true }));
}

function streamOf(prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>): Rng {
  return {
    next: () => prng(),
    int: (n: number) => Math.floor(prng() * n),
    hex40: () => {
      let s = '';
      for (let i = 0; i < 40; i++) s += HEX[Math.floor(prng() * 16)];
      return s;
    },
    fork: () => streamOf(seedrandom.alea('', { state: prng.state() })),
  };
}

const HEX = '0123456789abcdef';
