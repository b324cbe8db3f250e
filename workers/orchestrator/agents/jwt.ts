/**
 * Forged JSON Web Tokens for authentication probes: expired, alg=none and wrong-key variants that
 * copy the claims of a configured identity's token when there is one. A forged token never carries
 * a real token's signature: a HAR or report reader must not be able to rebuild a valid token.
 */
import { SignJWT, type JWTHeaderParameters, type JWTPayload } from "jose";
import { Rng } from "../generate/random";

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

export interface ForgedTokens {
  expired: string;
  algNone: string;
  wrongKey: string;
  malformed: string;
}

/**
 * The run's probe key: 32 bytes from the run's seed (so a plan is reproducible from `--seed`),
 * never from a configured credential. The target cannot know it, so a token it signs is "signed
 * with the wrong key" by construction.
 */
export function probeKey(seed: number): Uint8Array {
  const rng = new Rng(seed).fork("jwt-probe-key");
  return Uint8Array.from({ length: 32 }, () => rng.int(0, 255));
}

const HMAC_ALGS = new Set(["HS256", "HS384", "HS512"]);

/**
 * Look-alike tokens for the auth probes. They copy the configured token's header and claims
 * (not secret: base64 anyone can read) but never its signature: the expired and wrong-key tokens
 * are signed with the run's probe key (HS256/384/512 as the original says; HS256 in place of an
 * asymmetric algorithm, whose private key we do not have), alg=none carries no signature.
 */
export async function forgeTokens(base: ParsedCredential | undefined, key: Uint8Array): Promise<ForgedTokens> {
  const claims = base ? { ...base.claims } : syntheticClaims();
  const original = typeof base?.header.alg === "string" ? base.header.alg.toUpperCase() : "";
  const alg = HMAC_ALGS.has(original) ? original : "HS256";
  // only plain header fields: crit/b64/jku/x5u would change how (or whether) a verifier reads it
  const kid = base?.header.kid;
  const header: JWTHeaderParameters = { alg, typ: "JWT", ...(typeof kid === "string" ? { kid } : {}) };
  const expiredClaims: Record<string, unknown> = { ...claims, iat: LONG_AGO - 3600, exp: LONG_AGO };
  delete expiredClaims.nbf;
  const liveClaims = { ...claims, exp: FAR_FUTURE };
  const sign = (payload: Record<string, unknown>) => new SignJWT(payload as JWTPayload).setProtectedHeader(header).sign(key);
  return {
    expired: await sign(expiredClaims),
    algNone: `${base64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${base64url(JSON.stringify(liveClaims))}.`,
    wrongKey: await sign(liveClaims),
    malformed: "sentinel.not-a.jwt",
  };
}
