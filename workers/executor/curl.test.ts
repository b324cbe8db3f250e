import { describe, expect, it } from "vitest";
import { shellQuote, toCurl } from "./curl";

describe("toCurl", () => {
  it("renders a one-line command with -X, -H per header and --data-raw", () => {
    const curl = toCurl({ method: "POST", url: "http://api.test/pets?q=a", headers: { "Content-Type": "application/json" }, body: `{"name":"O'Brien"}` });
    expect(curl).toBe(`curl -X 'POST' 'http://api.test/pets?q=a' -H 'Content-Type: application/json' --data-raw '{"name":"O'\\''Brien"}'`);
    expect(curl).not.toContain("\n");
  });

  it("lets redaction placeholders expand and keeps everything else literal", () => {
    const curl = toCurl({ method: "GET", url: "http://api.test/$HOME", headers: { Authorization: "Bearer $SENTINEL_AUTHORIZATION" } });
    expect(curl).toContain(`-H 'Authorization: Bearer '"$SENTINEL_AUTHORIZATION"`);
    expect(curl).toContain(`'http://api.test/$HOME'`);
  });

  it("uses --head for HEAD, --globoff for brackets, $'..' for control characters", () => {
    expect(toCurl({ method: "HEAD", url: "http://a.test/", headers: {} })).toBe("curl --head 'http://a.test/'");
    expect(toCurl({ method: "GET", url: "http://a.test/x?a[0]=1", headers: {} })).toContain("--globoff");
    expect(shellQuote("a\nb'c")).toBe("$'a\\nb\\'c'");
  });
});
