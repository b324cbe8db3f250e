/**
 * Where Sentinel may send traffic. Pure: given a URL and the deployment's policy, say whether the
 * address is allowed and why not. Hostnames are judged by name only (a Worker cannot resolve DNS
 * before fetching); IP literals are parsed by ipaddr.js and classified by range, including IPv4
 * embedded in IPv6.
 */
import ipaddr from "ipaddr.js";

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
  // ipaddr.js takes the same IPv4 spellings as the WHATWG URL parser (0x7f.1, 0177.0.0.1, 2130706433).
  if (ipaddr.IPv4.isValid(h)) return classifyIPv4(ipaddr.IPv4.parse(h));
  if (h.includes(":")) return ipaddr.IPv6.isValid(h) ? classifyIPv6(ipaddr.IPv6.parse(h)) : "reserved";
  if (h === "localhost" || h.endsWith(".localhost")) return "loopback";
  if (h.endsWith(".local") || h.endsWith(".internal") || h.endsWith(".lan") || h.endsWith(".home.arpa")) return "private";
  return "public";
}

type RangeTable<A extends ipaddr.IPv4 | ipaddr.IPv6> = readonly [AddressClass, readonly [A, number][]][];
const cidrs = (list: string[]) => list.map((c) => ipaddr.parseCIDR(c));

/** First match wins; anything else is public. */
const IPV4_RANGES = [
  ["unspecified", cidrs(["0.0.0.0/8"])],
  ["loopback", cidrs(["127.0.0.0/8"])],
  ["link-local", cidrs(["169.254.0.0/16"])],
  ["private", cidrs(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"])],
  ["reserved", cidrs(["192.0.0.0/24", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4"])],
] as RangeTable<ipaddr.IPv4>;

const IPV6_RANGES = [
  ["unspecified", cidrs(["::/128"])],
  ["loopback", cidrs(["::1/128"])],
  ["private", cidrs(["fc00::/7", "fec0::/10"])], // unique local; deprecated site-local
  ["link-local", cidrs(["fe80::/10"])],
  ["reserved", cidrs(["ff00::/8"])],
] as RangeTable<ipaddr.IPv6>;

/**
 * IPv6 prefixes that reach an IPv4 address, and the byte offset of that address: IPv4-mapped
 * ::ffff:a.b.c.d, the deprecated IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002::/16.
 */
const IPV4_CARRIERS: readonly [ipaddr.IPv6, number, number][] = [
  ...cidrs(["::ffff:0:0/96", "::/96", "64:ff9b::/96"]).map(([net, bits]) => [net, bits, 12] as [ipaddr.IPv6, number, number]),
  ...cidrs(["2002::/16"]).map(([net, bits]) => [net, bits, 2] as [ipaddr.IPv6, number, number]),
];

function inTable<A extends ipaddr.IPv4 | ipaddr.IPv6>(ip: A, table: RangeTable<A>): AddressClass {
  for (const [klass, ranges] of table) if (ranges.some((range) => ip.match(range))) return klass;
  return "public";
}

function classifyIPv4(ip: ipaddr.IPv4): AddressClass {
  return inTable(ip, IPV4_RANGES);
}

function classifyIPv6(ip: ipaddr.IPv6): AddressClass {
  const own = inTable(ip, IPV6_RANGES);
  if (own === "unspecified" || own === "loopback") return own;
  for (const [net, bits, offset] of IPV4_CARRIERS) {
    if (ip.match(net, bits)) return classifyIPv4(new ipaddr.IPv4(ip.toByteArray().slice(offset, offset + 4)));
  }
  return own;
}
