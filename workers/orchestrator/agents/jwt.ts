/**
 * Forged JSON Web Tokens for authentication probes, built by hand (base64url of JSON), so they
 * are deterministic and need no key: expired, alg=none and wrong-signature variants that copy the
 * claims of a configured identity's token when there is one.
 */
import type { Rng } from "./random";

const FAR_FUTURE = 4102444800; // 2100-01-01
const LONG_AGO = 946684800; // 2000-01-01

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeBase64url(part: string): unknown {
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

export interface ParsedCredential {
  /** text before the token, e.g. "Bearer " or "Token " */
  prefix: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: string;
}

/** The JWT inside a credential value ("Bearer eyJ…"), if it is one. */
export function parseJwtCredential(credential: string | undefined): ParsedCredential | undefined {
  if (!credential) return undefined;
  const m = /^(.*?)([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)\s*$/.exec(credential);
  if (!m) return undefined;
  const header = decodeBase64url(m[2]);
  const claims = decodeBase64url(m[3]);
  if (!header || typeof header !== "object" || !claims || typeof claims !== "object") return undefined;
  return { prefix: m[1], header: header as Record<string, unknown>, claims: claims as Record<string, unknown>, signature: m[4] };
}

function syntheticClaims(): Record<string, unknown> {
  return { sub: "sentinel-probe", iss: "sentinel", iat: LONG_AGO, exp: FAR_FUTURE };
}

function randomSignature(rng: Rng): string {
  let binary = "";
  for (let i = 0; i < 32; i++) binary += String.fromCharCode(rng.int(0, 255));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export interface ForgedTokens {
  expired: string;
  algNone: string;
  wrongKey: string;
  malformed: string;
}

export function forgeTokens(base: ParsedCredential | undefined, rng: Rng): ForgedTokens {
  const claims = base ? { ...base.claims } : syntheticClaims();
  const alg = typeof base?.header.alg === "string" && base.header.alg.toLowerCase() !== "none" ? base.header.alg : "HS256";
  const header = { ...(base?.header ?? {}), alg, typ: "JWT" };
  const expiredClaims: Record<string, unknown> = { ...claims, iat: LONG_AGO - 3600, exp: LONG_AGO };
  delete expiredClaims.nbf;
  const liveClaims = { ...claims, exp: FAR_FUTURE };
  return {
    // the original signature no longer matches: a server verifying signatures rejects it anyway
    expired: `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(expiredClaims))}.${base?.signature || randomSignature(rng)}`,
    algNone: `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url(JSON.stringify(liveClaims))}.`,
    wrongKey: `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(liveClaims))}.${randomSignature(rng)}`,
    malformed: "sentinel.not-a.jwt",
  };
}
