// Seedable randomness for the model-based tests: a run prints its seed, and JCM_SEED=<seed> replays it.

/** The first seed of a test's runs: JCM_SEED when given, else a random one (printed by the test). */
export const baseSeed = Number(process.env['JCM_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small, seedable generator, so that a printed seed reproduces a run exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
