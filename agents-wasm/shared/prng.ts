/** Deterministic PRNG (mulberry32) and string hashing, so every case follows from the seed. */

export class Rng {
  constructor(public state: u32) {}

  next(): u32 {
    this.state += 0x6d2b79f5;
    let t = this.state;
    t = (t ^ (t >>> 15)) * (t | 1);
    t ^= t + (t ^ (t >>> 7)) * (t | 61);
    return t ^ (t >>> 14);
  }

  /** Uniform-enough integer in [0, n). */
  below(n: i32): i32 {
    if (n <= 1) return 0;
    return <i32>(this.next() % <u32>n);
  }
}

/** FNV-1a over UTF-16 code units: mixes an operation's identity into its own stream. */
export function hashString(s: string): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= <u32>s.charCodeAt(i);
    h *= 0x01000193;
  }
  return h;
}
