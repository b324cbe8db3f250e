import { build } from "esbuild";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeHistogram, encodeHistogram, encodeWindowHistogram, HDR_CONFIG, mergeHistograms, newHistogram, recordMs, summarize } from "./histogram";

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe("HDR histograms", () => {
  it("merging per-window histograms equals one histogram over all samples", () => {
    const rand = seeded(7);
    const all = newHistogram();
    const parts = Array.from({ length: 13 }, () => newHistogram());
    for (let i = 0; i < 50_000; i++) {
      // a long-tailed mix: most fast, some slow, a few very slow
      const r = rand();
      const ms = r < 0.9 ? 5 + rand() * 10 : r < 0.99 ? 40 + rand() * 30 : 200 + rand() * 2000;
      recordMs(all, ms);
      recordMs(parts[i % parts.length], ms);
    }
    // through the wire format, as windows travel
    const merged = mergeHistograms(parts.map(encodeHistogram));
    expect(merged.totalCount).toBe(all.totalCount);
    expect(summarize(merged)).toEqual(summarize(all));
    for (const p of [1, 25, 50, 75, 90, 99, 99.9, 99.99]) expect(merged.getValueAtPercentile(p)).toBe(all.getValueAtPercentile(p));
  });

  it("averaging percentiles would be wrong where merging is right", () => {
    const fast = newHistogram();
    const slow = newHistogram();
    for (let i = 0; i < 990; i++) recordMs(fast, 10);
    for (let i = 0; i < 10; i++) recordMs(slow, 1000);
    const merged = summarize(mergeHistograms([fast, slow]));
    expect(merged.p99).toBeCloseTo(10, 1);
    expect(merged.p999).toBeGreaterThan(990);
    expect((summarize(fast).p99 + summarize(slow).p99) / 2).toBeGreaterThan(500);
  });

  it("round-trips through compressed base64 and keeps the fleet-wide configuration", () => {
    const h = newHistogram();
    for (const ms of [0.2, 1, 12.5, 300, 119_000, 500_000]) recordMs(h, ms);
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(6);
    expect(summarize(back)).toEqual(summarize(h));
    expect(summarize(back).max).toBeLessThanOrEqual((HDR_CONFIG.highestUs / 1000) * 1.001); // clamped, not thrown
    expect(() => decodeHistogram("not a histogram")).toThrow();
  });

  it("windows travel in the plain V2 encoding: the same counts as the compressed form, decoded alike, merged with it", () => {
    const rand = seeded(11);
    const h = newHistogram();
    for (let i = 0; i < 5_000; i++) recordMs(h, rand() < 0.95 ? 2 + rand() * 20 : 100 + rand() * 5000);
    const plain = encodeWindowHistogram(h);
    const back = decodeHistogram(plain);
    expect(back.totalCount).toBe(h.totalCount);
    for (const p of [0, 50, 90, 99, 99.9, 100]) expect(back.getValueAtPercentile(p)).toBe(h.getValueAtPercentile(p));
    // the plain bytes are what the compressed form deflates (same V2 payload, cookie one apart)
    const compressedBack = decodeHistogram(encodeHistogram(h));
    expect(summarize(compressedBack)).toEqual(summarize(back));
    expect(summarize(mergeHistograms([plain, encodeHistogram(h)])).p99).toBe(summarize(h).p99);
    // small: a window of thousands of samples is a few hundred bytes to a few KB
    expect(plain.length).toBeLessThan(8_000);
    // the scratch buffer is reused: an empty histogram after a big one encodes to an empty one
    const empty = decodeHistogram(encodeWindowHistogram(newHistogram()));
    expect(empty.totalCount).toBe(0);
    expect(decodeHistogram(plain).totalCount).toBe(5_000);
  });

  it("keeps 3 significant digits (0.1%)", () => {
    const h = newHistogram();
    recordMs(h, 123.456);
    expect(Math.abs(summarize(h).p50 - 123.456) / 123.456).toBeLessThan(0.001);
  });

  it("bundles for Workers without the WebAssembly build of hdr-histogram-js", async () => {
    const out = await build({
      entryPoints: [new URL("./histogram.ts", import.meta.url).pathname],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      logLevel: "silent",
    });
    const code = out.outputFiles[0].text;
    expect(code).not.toContain("WebAssembly");
    expect(code).not.toContain("generated-wasm");
    expect(code).toContain("encodeIntoCompressedBase64");
    // and the bundle works (esbuild's CommonJS interop differs from Vite's)
    const dir = mkdtempSync(path.join(tmpdir(), "hdr-"));
    writeFileSync(path.join(dir, "h.mjs"), code);
    const mod = (await import(pathToFileURL(path.join(dir, "h.mjs")).href)) as typeof import("./histogram");
    const h = mod.newHistogram();
    mod.recordMs(h, 12);
    expect(mod.summarize(mod.decodeHistogram(mod.encodeHistogram(h))).p50).toBeCloseTo(12, 1);
    expect(mod.summarize(mod.decodeHistogram(mod.encodeWindowHistogram(h))).p50).toBeCloseTo(12, 1);
  });
});
