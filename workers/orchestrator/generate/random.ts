/**
 * Seeded pseudo-random numbers. Agents must be deterministic for a given seed, so nothing here
 * touches Math.random; every agent derives its own stream from (seed, agent, operation) so that
 * adding an operation to a spec does not reshuffle the cases of the others.
 */

/** FNV-1a over UTF-16 code units: a cheap, stable 32-bit string hash. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A sub-seed for one stream, e.g. deriveSeed(seed, "stateful", "getPet"). */
export function deriveSeed(seed: number, ...parts: string[]): number {
  let h = hashString(String(seed >>> 0));
  for (const part of parts) h = hashString("\u0000" + part, h);
  return h;
}

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [min, max] inclusive */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** a shuffled copy (Fisher-Yates) */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** a fresh stream derived from this one (stable for the same call order) */
  fork(label: string): Rng {
    return new Rng(hashString(label, (this.next() * 4294967296) >>> 0));
  }

  /** lowercase hex of n characters */
  hex(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += "0123456789abcdef"[this.int(0, 15)];
    return out;
  }

  /** alphanumeric of n characters */
  alnum(n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += this.alnumLetter();
    return out;
  }

  /** One letter or digit, as alnum draws each. */
  alnumLetter(): string {
    return ALNUM[this.int(0, ALNUM.length - 1)];
  }
}
