/// <reference types="node" />
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { lexicalVector } from "./embedder";

describe("the lexical embedder", () => {
  it("gives the vectors stored by earlier runs, bit for bit (stored vectors are compared with new ones)", () => {
    // SHA-1 of the JSON of each vector as computed before trigrams were hashed in place
    const sha1 = (text: string) => createHash("sha1").update(JSON.stringify(lexicalVector(text))).digest("hex");
    expect(sha1("server_error GET /items/{id} Server error on a valid request. The API answered 500")).toBe("904c76fcd611ca750bff858685dfa0122f595325");
    expect(sha1("schemaMismatch POST /orders/0xdeadbeefcafe body: missing `total`; ünïcode ✓ 🚀")).toBe("2b24c19fcd4d20acc7478dd1cf4fa72facb52da1");
    expect(sha1("")).toBe("bb6ac0eb5e10aa8378fee31ecb3537936ff935d0");
  });
});
