/**
 * Keeps target credentials out of everything recorded (results, findings, reports, curl).
 *
 * A secret is a value the user configured for an identity. Every occurrence of it — in request
 * headers, URL, body, and in the response (echoed tokens, Set-Cookie) — becomes a shell-style
 * placeholder `$SENTINEL_<HEADER>` (or `$SENTINEL_<IDENTITY>_<HEADER>` when several identities
 * exist), so the curl reproduction works after `export SENTINEL_AUTHORIZATION=...`. An auth
 * scheme prefix is kept: `Authorization: Bearer $SENTINEL_AUTHORIZATION`.
 *
 * Values an agent put in the template itself (a forged JWT, a malformed key) are probes, not
 * secrets, and stay visible so findings stay reproducible. Response Set-Cookie values are always
 * redacted (sessions minted by the target during the run).
 */
import type { ReceivedResponse, RequestTemplate, SentRequest } from "../model";
import { findToken, readPointer } from "../orchestrator/auth/fields";

export interface Secret {
  value: string;
  placeholder: string;
}

/** identity headers that carry no secret and would only mangle text if replaced everywhere */
const NON_SECRET_HEADERS = new Set(["accept", "accept-language", "accept-encoding", "content-type", "user-agent", "cache-control"]);
const SCHEME_PREFIX = /^(Bearer|Basic|Token|Digest|ApiKey|Api-Key|JWT|DPoP)\s+/i;
const MIN_SECRET_LENGTH = 4;
const MIN_PART_LENGTH = 8;

export function placeholderName(identity: string | null, headerName: string, includeIdentity: boolean): string {
  const slug = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return "$SENTINEL_" + (includeIdentity && identity ? `${slug(identity)}_` : "") + slug(headerName);
}

/** Every secret of every configured identity, longest first so replacements don't nest. */
export function collectSecrets(identities: Record<string, Record<string, string>>): Secret[] {
  const names = Object.keys(identities);
  const includeIdentity = names.length > 1;
  const secrets: Secret[] = [];
  for (const identity of names) {
    for (const [header, value] of Object.entries(identities[identity])) {
      if (NON_SECRET_HEADERS.has(header.toLowerCase()) || value.length < MIN_SECRET_LENGTH) continue;
      const placeholder = placeholderName(identity, header, includeIdentity);
      const scheme = SCHEME_PREFIX.exec(value);
      if (scheme) {
        const credential = value.slice(scheme[0].length);
        secrets.push({ value, placeholder: scheme[0] + placeholder });
        if (credential.length >= MIN_SECRET_LENGTH) secrets.push({ value: credential, placeholder });
      } else {
        secrets.push({ value, placeholder });
      }
      // a JWT's signature is what makes it valid: not even that part may be echoed on its own
      const jwt = /^(?:[A-Za-z]+\s+)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]{16,})$/.exec(value.trim());
      if (jwt) secrets.push({ value: jwt[1], placeholder: "[redacted]" });
      if (header.toLowerCase() === "cookie") {
        // individual cookie values may be echoed on their own
        for (const pair of value.split(";")) {
          const cookieValue = pair.split("=").slice(1).join("=").trim();
          if (cookieValue.length >= MIN_PART_LENGTH) secrets.push({ value: cookieValue, placeholder });
        }
      }
    }
  }
  const unique = new Map<string, Secret>();
  for (const secret of secrets) if (!unique.has(secret.value)) unique.set(secret.value, secret);
  return [...unique.values()].sort((a, b) => b.value.length - a.value.length);
}

/**
 * The shape of every password Sentinel chooses (provisioned users, takeover victims, sign-up
 * probes: "Sn", letters and digits, "7!"): redacted wherever it shows, also in another case's
 * answer (a debug listing of every user's password) where the case that chose it is not known.
 */
const CHOSEN_PASSWORD = /\bSn[A-Za-z0-9]{12,60}7![A-Za-z0-9]{0,60}/g;

export function redactText(text: string, secrets: readonly Secret[]): string {
  // every chosen password holds "7!": a text without it has none (the scan alone is cheaper than the pattern's)
  let out = text.includes("7!") ? text.replace(CHOSEN_PASSWORD, "[redacted]") : text;
  for (const secret of secrets) {
    if (out.includes(secret.value)) out = out.split(secret.value).join(secret.placeholder);
    const encoded = encodeURIComponent(secret.value);
    if (encoded !== secret.value && out.includes(encoded)) out = out.split(encoded).join(secret.placeholder);
  }
  return out;
}

export function redactRequest(request: SentRequest, secrets: readonly Secret[]): SentRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = redactText(value, secrets);
  const out: SentRequest = { method: request.method, url: redactText(request.url, secrets), headers };
  if (request.body !== undefined) out.body = redactText(request.body, secrets);
  return out;
}

export function redactResponse(response: ReceivedResponse, secrets: readonly Secret[]): ReceivedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    headers[name] = name.toLowerCase() === "set-cookie" ? redactSetCookie(value) : redactText(value, secrets);
  }
  return { ...response, headers, body: redactText(response.body, secrets) };
}

/** `sid=abc; Path=/, theme=x` → `sid=[redacted]; Path=/, theme=[redacted]` (attributes stay readable). */
function redactSetCookie(value: string): string {
  return value.replace(/(^|,\s*)([^=;,\s]+)=([^;,]*)/g, (_m, lead: string, name: string) => `${lead}${name}=[redacted]`);
}

/**
 * Secrets Sentinel chose or obtained inside a case: the body values a step marks as secret (a
 * password it signed a user up with) and any token the answer to such a step hands out.
 */
export function chosenSecrets(records: readonly { step: { request: RequestTemplate }; request: { resolved: { body?: { value?: unknown } } }; exchange: { response?: { body: string } } }[]): Secret[] {
  const out: Secret[] = [];
  for (const record of records) {
    const pointers = record.step.request.secrets ?? [];
    if (pointers.length === 0) continue;
    for (const pointer of pointers) {
      const value = readPointer(record.request.resolved.body?.value, pointer);
      if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH) out.push({ value, placeholder: "[redacted]" });
    }
    let body: unknown;
    try {
      body = JSON.parse(record.exchange.response?.body ?? "");
    } catch {
      body = undefined;
    }
    const token = findToken(body);
    if (token) {
      out.push({ value: token.value, placeholder: "[redacted]" });
      const signature = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_-]{16,})$/.exec(token.value);
      if (signature) out.push({ value: signature[1], placeholder: "[redacted]" });
    }
  }
  return out.sort((a, b) => b.value.length - a.value.length);
}
