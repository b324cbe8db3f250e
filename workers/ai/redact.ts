/**
 * Secrets never reach a prompt: the run's identity values and LLM keys are replaced wherever
 * they occur, values under secret-looking keys are masked, and token shapes (Bearer, JWT, API
 * keys) are masked even when nobody configured them.
 */
const MASK = "[REDACTED]";
const SECRET_KEY = /^(pass(word)?|passwd|secret|client[-_]?secret|token|access[-_]?token|refresh[-_]?token|id[-_]?token|api[-_]?key|apikey|x-api-key|authorization|proxy-authorization|cookie|set-cookie|session(id)?|private[-_]?key|credentials?)$/i;
const TOKEN_SHAPES: RegExp[] = [
  /\b(Bearer|Basic|Token|ApiKey)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{12,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{12,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
];

/** Deep copy with secret-keyed values masked (objects from specs, requests and responses). */
export function maskSecretFields(value: unknown, depth = 0): unknown {
  if (depth > 40) return MASK;
  if (Array.isArray(value)) return value.map((v) => maskSecretFields(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SECRET_KEY.test(key) && (typeof v === "string" || typeof v === "number") ? MASK : maskSecretFields(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Text with every known secret and every token shape masked. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(MASK);
    // a scheme-less part of "Bearer abc" is a secret too
    const bare = secret.replace(/^(Bearer|Basic|Token|ApiKey)\s+/i, "");
    if (bare !== secret && bare.length >= 8) out = out.split(bare).join(MASK);
  }
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (match) => (/^(Bearer|Basic|Token|ApiKey)\s/i.test(match) ? `${match.split(/\s+/)[0]} ${MASK}` : MASK));
  return out;
}
