/** Randomness, injected (style.md rule 3): tests use seededRandom for repeatable runs. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

export const systemRandom: Random = { next: () => Math.random() };

/** Deterministic generator (mulberry32) for tests and reproducible plans. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random.next() * n);
}

/** A lowercase hex string of the given length (AWS-style ids: i-0abc..., ami-...). */
export function randomHex(random: Random, length: number): string {
  let s = '';
  while (s.length < length) s += randomInt(random, 16).toString(16);
  return s;
}
