import { describe, expect, it } from "vitest";
import { bytesToBase64 } from "./encoding";
import { EncryptionKeyError, decryptJson, encryptJson } from "./secret-box";

const key = bytesToBase64(crypto.getRandomValues(new Uint8Array(32)));
const env = { SENTINEL_ENCRYPTION_KEY: key };
const secret = { admin: { Authorization: "Bearer s3cr3t-token" } };

describe("secret box", () => {
  it("round-trips and never shows the plaintext", async () => {
    const sealed = await encryptJson(env, "target", secret);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("s3cr3t");
    expect(atob(sealed.split(".")[2])).not.toContain("s3cr3t");
    expect(await decryptJson(env, "target", sealed)).toEqual(secret);
    expect(await encryptJson(env, "target", secret)).not.toBe(sealed);
  });
  it("refuses tampering, another purpose and another key", async () => {
    const sealed = await encryptJson(env, "target", secret);
    const [v, iv, data] = sealed.split(".");
    const flipped = data.slice(0, 5) + (data[5] === "A" ? "B" : "A") + data.slice(6);
    await expect(decryptJson(env, "target", `${v}.${iv}.${flipped}`)).rejects.toThrow();
    await expect(decryptJson(env, "hook", sealed)).rejects.toThrow();
    const other = { SENTINEL_ENCRYPTION_KEY: bytesToBase64(crypto.getRandomValues(new Uint8Array(32))) };
    await expect(decryptJson(other, "target", sealed)).rejects.toThrow();
  });
  it("uses a fixed development key locally and refuses production without a key", async () => {
    const sealed = await encryptJson({}, "target", secret);
    expect(await decryptJson({ SENTINEL_ENV: "local" }, "target", sealed)).toEqual(secret);
    await expect(encryptJson({ SENTINEL_ENV: "production" }, "target", secret)).rejects.toBeInstanceOf(EncryptionKeyError);
    await expect(encryptJson({ SENTINEL_ENCRYPTION_KEY: "c2hvcnQ=" }, "target", secret)).rejects.toBeInstanceOf(EncryptionKeyError);
  });
});
