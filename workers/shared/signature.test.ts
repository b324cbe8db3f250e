import { describe, expect, it } from "vitest";
import { signGeneric, signGithub, timingSafeEqual, verifyGenericSignature, verifyGithubSignature } from "./signature";

const enc = (s: string) => new TextEncoder().encode(s);

describe("GitHub signatures", () => {
  it("accepts the signature GitHub computes and refuses others", async () => {
    // Known vector from GitHub's webhook documentation.
    const body = "Hello, World!";
    const header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verifyGithubSignature("It's a Secret to Everybody", enc(body), header)).toBe(true);
    expect(await verifyGithubSignature("wrong", enc(body), header)).toBe(false);
    expect(await verifyGithubSignature("It's a Secret to Everybody", enc(body + " "), header)).toBe(false);
    expect(await verifyGithubSignature("s", enc(body), null)).toBe(false);
    expect(await signGithub("It's a Secret to Everybody", body)).toBe(header);
  });
});

describe("generic signatures", () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);
  it("round-trips", async () => {
    const h = await signGeneric("k", '{"a":1}', now);
    expect(await verifyGenericSignature("k", enc('{"a":1}'), h["x-sentinel-timestamp"], h["x-sentinel-signature"], now)).toEqual({ ok: true });
  });
  it("refuses a stale timestamp even with a valid signature", async () => {
    const h = await signGeneric("k", "{}", now - 10 * 60_000);
    expect(await verifyGenericSignature("k", enc("{}"), h["x-sentinel-timestamp"], h["x-sentinel-signature"], now)).toEqual({ ok: false, reason: "stale" });
  });
  it("refuses a tampered body and missing headers", async () => {
    const h = await signGeneric("k", "{}", now);
    expect(await verifyGenericSignature("k", enc("{ }"), h["x-sentinel-timestamp"], h["x-sentinel-signature"], now)).toEqual({ ok: false, reason: "mismatch" });
    expect(await verifyGenericSignature("k", enc("{}"), null, h["x-sentinel-signature"], now)).toEqual({ ok: false, reason: "missing" });
  });
  it("compares equal strings only", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "abcd")).toBe(false);
  });
});
