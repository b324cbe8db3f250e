import { describe, expect, it } from "vitest";
import { checkAddress, classifyHost, hostMatches, type AddressPolicy } from "./address-policy";

const strict: AddressPolicy = { allowLoopback: false, allowPrivate: false, allowlist: [] };
const local: AddressPolicy = { allowLoopback: true, allowPrivate: false, allowlist: [] };

describe("checkAddress", () => {
  it("accepts public http(s) hosts", () => {
    expect(checkAddress("https://api.example.com/v1", strict).ok).toBe(true);
    expect(checkAddress("http://93.184.216.34:8080/", strict).ok).toBe(true);
    expect(checkAddress("http://[2606:4700::1111]/", strict).ok).toBe(true);
  });

  it("refuses non-http schemes, relative URLs and credentials in the URL", () => {
    for (const u of ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com", "javascript:alert(1)", "/relative"]) {
      expect(checkAddress(u, local).ok, u).toBe(false);
    }
    const v = checkAddress("https://user:pass@example.com/", local);
    expect(v.ok).toBe(false);
  });

  it("refuses loopback unless allowed, in every spelling", () => {
    const spellings = [
      "http://127.0.0.1/",
      "http://127.1.2.3:9000/",
      "http://localhost:8080/",
      "http://LOCALHOST./",
      "http://api.localhost/",
      "http://2130706433/",
      "http://0x7f.0.0.1/",
      "http://0177.0.0.1/",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[0:0:0:0:0:0:0:1]/",
    ];
    for (const u of spellings) {
      expect(checkAddress(u, strict).ok, u).toBe(false);
      expect(checkAddress(u, local).ok, u).toBe(true);
    }
  });

  it("always refuses link-local (cloud metadata), unspecified and reserved addresses", () => {
    const allowAll: AddressPolicy = { allowLoopback: true, allowPrivate: true, allowlist: [] };
    for (const u of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/",
      "http://[::ffff:169.254.169.254]/",
      "http://0.0.0.0/",
      "http://[::]/",
      "http://224.0.0.1/",
      "http://255.255.255.255/",
    ]) {
      const v = checkAddress(u, allowAll);
      expect(v.ok, u).toBe(false);
    }
    const metadata = checkAddress("http://169.254.169.254/", strict);
    expect(metadata.ok === false && metadata.reason).toMatch(/link-local/);
  });

  it("refuses private ranges unless allowed", () => {
    const privateOk: AddressPolicy = { ...strict, allowPrivate: true };
    for (const u of [
      "http://10.0.0.1/",
      "http://172.16.5.4/",
      "http://172.31.255.255/",
      "http://192.168.1.1/",
      "http://100.64.0.1/",
      "http://[fc00::1]/",
      "http://[fd12:3456::1]/",
      "http://[::ffff:10.1.2.3]/",
      "http://[64:ff9b::10.0.0.1]/",
      "http://[2002:c0a8:0101::1]/",
      "http://printer.local/",
      "http://metadata.google.internal/",
    ]) {
      expect(checkAddress(u, strict).ok, u).toBe(false);
      expect(checkAddress(u, privateOk).ok, u).toBe(true);
    }
    // neighbours of the private ranges are public
    expect(checkAddress("http://172.32.0.1/", strict).ok).toBe(true);
    expect(checkAddress("http://172.15.255.255/", strict).ok).toBe(true);
    expect(checkAddress("http://11.0.0.1/", strict).ok).toBe(true);
  });

  it("applies the org allowlist when non-empty", () => {
    const policy: AddressPolicy = { ...strict, allowlist: ["api.example.com", "*.staging.example.org"] };
    expect(checkAddress("https://api.example.com/", policy).ok).toBe(true);
    expect(checkAddress("https://a.b.staging.example.org/", policy).ok).toBe(true);
    expect(checkAddress("https://staging.example.org/", policy).ok).toBe(false);
    expect(checkAddress("https://evil-staging.example.org/", policy).ok).toBe(false);
    const other = checkAddress("https://other.example.com/", policy);
    expect(other.ok === false && other.reason).toMatch(/allowlist/);
    // the allowlist never re-opens loopback
    expect(checkAddress("http://127.0.0.1/", { ...policy, allowlist: ["127.0.0.1"] }).ok).toBe(false);
  });
});

describe("helpers", () => {
  it("classifies every IPv6 spelling by the address it carries, and refuses what does not parse", () => {
    expect(classifyHost("[0:0:0:0:0:0:0:1]")).toBe("loopback");
    expect(classifyHost("2001:db8::ff00:42:8329")).toBe("public");
    expect(classifyHost("::ffff:1.2.3.4")).toBe("public");
    expect(classifyHost("::ffff:7f00:1")).toBe("loopback"); // mapped, in hex
    expect(classifyHost("::127.0.0.1")).toBe("loopback"); // deprecated IPv4-compatible
    expect(classifyHost("::a9fe:a9fe")).toBe("link-local");
    expect(classifyHost("64:ff9b::a9fe:a9fe")).toBe("link-local"); // NAT64 to the metadata address
    expect(classifyHost("2002:7f00:1::")).toBe("loopback"); // 6to4
    expect(classifyHost("2002:0808:0808::")).toBe("public");
    expect(classifyHost("fec0::1")).toBe("private");
    expect(classifyHost("ff02::1")).toBe("reserved");
    for (const bad of ["1::2::3", "1:2:3:4:5:6:7", "12345::", "::ffff:1.2.3.256"]) expect(classifyHost(bad), bad).toBe("reserved");
  });
  it("classifies IPv4 by range at the edges", () => {
    expect(classifyHost("100.63.255.255")).toBe("public");
    expect(classifyHost("100.64.0.0")).toBe("private");
    expect(classifyHost("100.127.255.255")).toBe("private");
    expect(classifyHost("169.253.255.255")).toBe("public");
    expect(classifyHost("198.18.0.1")).toBe("reserved");
    expect(classifyHost("198.20.0.1")).toBe("public");
    expect(classifyHost("223.255.255.255")).toBe("public");
    expect(classifyHost("1.0.0.0")).toBe("public");
    expect(classifyHost("0.255.255.255")).toBe("unspecified");
  });
  it("classifies hosts", () => {
    expect(classifyHost("[::1]")).toBe("loopback");
    expect(classifyHost("example.com")).toBe("public");
    expect(classifyHost("[zz::1]")).toBe("reserved");
  });
  it("matches allowlist patterns", () => {
    expect(hostMatches("a.example.com", "*.example.com")).toBe(true);
    expect(hostMatches("example.com", "*.example.com")).toBe(false);
    expect(hostMatches("example.com", "Example.COM.")).toBe(true);
  });
});
