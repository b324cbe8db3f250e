import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, decoyPasswordHash, hashPassword, verifyPassword } from "./passwords";

describe("passwords", () => {
  it("hashes with a random salt and verifies", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).not.toBe(b);
    expect(a.startsWith(`pbkdf2-sha256$${PBKDF2_ITERATIONS}$`)).toBe(true);
    expect(await verifyPassword("correct horse battery staple", a)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });
  it("rejects malformed or over-expensive stored hashes without throwing", async () => {
    expect(await verifyPassword("x", "plain")).toBe(false);
    expect(await verifyPassword("x", "pbkdf2-sha256$abc$AA==$AA==")).toBe(false);
    expect(await verifyPassword("x", "pbkdf2-sha256$100000$!!$AA==")).toBe(false);
    expect(await verifyPassword("x", "pbkdf2-sha256$99999999$AA==$AA==")).toBe(false);
  });
  it("provides a decoy hash that never verifies a guess", async () => {
    expect(await verifyPassword("password", await decoyPasswordHash())).toBe(false);
  });
});
