// The tests' and benches' seeded random numbers: mulberry32, small and good enough to pick members, kill points and
// mutations. Every run prints its seed; the same seed gives the same sequence, so a failure replays.

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
