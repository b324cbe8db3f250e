/**
 * Where Sentinel may send traffic. Pure: given a URL and the deployment's policy, say whether the
 * address is allowed and why not. Hostnames are judged by name only (a Worker cannot resolve DNS
 * before fetching); IP literals are classified by range, including IPv4 embedded in IPv6.
 */

export interface AddressPolicy {
  /** 127/8, ::1, localhost (local mode) */
  allowLoopback: boolean;
  /** 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, *.local, *.internal */
  allowPrivate: boolean;
  /** hosts or "*.suffix" patterns; empty = any host the other rules allow */
  allowlist: readonly string[];
}

export type AddressClass = "public" | "loopback" | "private" | "link-local" | "unspecified" | "reserved";

export type AddressVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const DESCRIPTIONS: Record<Exclude<AddressClass, "public">, string> = {
  loopback: "a loopback address",
  private: "a private-network address",
  "link-local": "a link-local address (cloud metadata endpoints live there)",
  unspecified: "an unspecified address",
  reserved: "a reserved, multicast or broadcast address",
};

export function checkAddress(rawUrl: string, policy: AddressPolicy): AddressVerdict {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: "not an absolute URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `scheme ${url.protocol.replace(/:$/, "")} is not allowed; use http or https` };
  }
  if (url.username || url.password) {
    return { ok: false, reason: "credentials in the URL are not allowed; put them in the target's identities" };
  }
  const host = normaliseHost(url.hostname);
  const klass = classifyHost(host);
  if (klass === "loopback" && !policy.allowLoopback) return { ok: false, reason: `${host} is ${DESCRIPTIONS.loopback}` };
  if (klass === "private" && !policy.allowPrivate) return { ok: false, reason: `${host} is ${DESCRIPTIONS.private}` };
  if (klass === "link-local" || klass === "unspecified" || klass === "reserved") {
    return { ok: false, reason: `${host} is ${DESCRIPTIONS[klass]}` };
  }
  if (policy.allowlist.length > 0 && !policy.allowlist.some((pattern) => hostMatches(host, pattern))) {
    return { ok: false, reason: `${host} is not in the organization's target allowlist` };
  }
  return { ok: true, url };
}

/** Lower-case, without IPv6 brackets or a trailing dot. */
export function normaliseHost(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.endsWith(".")) h = h.slice(0, -1);
  return h;
}

/** "api.example.com" matches "api.example.com" and "*.example.com" (any depth, not the apex). */
export function hostMatches(host: string, pattern: string): boolean {
  const p = normaliseHost(pattern.trim());
  if (p.startsWith("*.")) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
  return host === p;
}

export function classifyHost(host: string): AddressClass {
  const h = normaliseHost(host);
  const v4 = parseIPv4(h);
  if (v4 !== null) return classifyIPv4(v4);
  if (h.includes(":")) {
    const v6 = parseIPv6(h);
    return v6 === null ? "reserved" : classifyIPv6(v6);
  }
  if (h === "localhost" || h.endsWith(".localhost")) return "loopback";
  if (h.endsWith(".local") || h.endsWith(".internal") || h.endsWith(".lan") || h.endsWith(".home.arpa")) return "private";
  return "public";
}

/** Dotted-quad only: the WHATWG URL parser already turned 0x7f.1, 2130706433 and the like into it. */
export function parseIPv4(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

function inV4(ip: number, base: string, bits: number): boolean {
  const b = parseIPv4(base) as number;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(b / size);
}

export function classifyIPv4(ip: number): AddressClass {
  if (inV4(ip, "0.0.0.0", 8)) return "unspecified";
  if (inV4(ip, "127.0.0.0", 8)) return "loopback";
  if (inV4(ip, "169.254.0.0", 16)) return "link-local";
  if (inV4(ip, "10.0.0.0", 8) || inV4(ip, "172.16.0.0", 12) || inV4(ip, "192.168.0.0", 16) || inV4(ip, "100.64.0.0", 10)) {
    return "private";
  }
  if (inV4(ip, "192.0.0.0", 24) || inV4(ip, "198.18.0.0", 15) || inV4(ip, "224.0.0.0", 4) || inV4(ip, "240.0.0.0", 4)) {
    return "reserved";
  }
  return "public";
}

/** Eight 16-bit groups, or null. Accepts "::" compression and a trailing dotted IPv4. */
export function parseIPv6(host: string): number[] | null {
  let h = host;
  const zone = h.indexOf("%");
  if (zone >= 0) h = h.slice(0, zone);
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two hex groups so one parser handles both.
  const lastColon = h.lastIndexOf(":");
  const last = h.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    if (v4 === null) return null;
    h = h.slice(0, lastColon + 1) + Math.floor(v4 / 65536).toString(16) + ":" + (v4 % 65536).toString(16);
  }
  const halves = h.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === "") return [];
    const groups = s.split(":");
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || rest === null) return null;
  const explicit = head.length + rest.length;
  if (halves.length === 1 && explicit !== 8) return null;
  if (halves.length === 2 && explicit > 7) return null;
  const zeros = new Array(8 - explicit).fill(0);
  return [...head, ...(halves.length === 2 ? zeros : []), ...rest];
}

export function classifyIPv6(g: number[]): AddressClass {
  const v4At = (i: number) => g[i] * 65536 + g[i + 1];
  const allZero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (allZero(0, 8)) return "unspecified";
  if (allZero(0, 7) && g[7] === 1) return "loopback";
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d carry an IPv4 address.
  if (allZero(0, 5) && g[5] === 0xffff) return classifyIPv4(v4At(6));
  if (allZero(0, 6)) return classifyIPv4(v4At(6));
  // NAT64 64:ff9b::/96 and 6to4 2002::/16 reach the embedded IPv4 address too.
  if (g[0] === 0x64 && g[1] === 0xff9b && allZero(2, 6)) return classifyIPv4(v4At(6));
  if (g[0] === 0x2002) return classifyIPv4(v4At(1));
  if ((g[0] & 0xfe00) === 0xfc00) return "private";
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0] & 0xffc0) === 0xfec0) return "private"; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return "reserved";
  return "public";
}
