import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64, constantTimeEqual, newId, randomBase62, sha256Hex } from "./encoding";

describe("encoding", () => {
  it("round-trips base64 including large inputs and URL-safe text", () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7919) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes("-_8")).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(() => base64ToBytes("not base64!!")).toThrow();
  });
  it("hashes with SHA-256", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("compares bytes", () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(a, new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(), new Uint8Array())).toBe(true);
    expect(constantTimeEqual(new Uint8Array(), a)).toBe(false);
  });
  it("makes random base62 ids", () => {
    const s = randomBase62(40);
    expect(s).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(randomBase62(40)).not.toBe(s);
    expect(newId("spec")).toMatch(/^spec_[0-9A-Za-z]{16}$/);
  });
});
