/**
 * Where an identity's credentials go for one operation. Identities are configured as headers
 * (`--identity "name:X-API-Key: …"`), but an operation may take its API key in the query or in a
 * cookie (an apiKey scheme with `in: query | cookie`). For such an operation:
 *  - an identity entry named like that scheme's parameter (`--identity "name:api_key: …"`) is that
 *    credential: it is sent where the scheme says, and never as a header;
 *  - otherwise, when the identity carries the key of the spec's header apiKey scheme, the same key
 *    is sent where the operation wants it: APIs that take a key in several places take the same
 *    key (a wrong guess only earns the 401 the operation would have answered anyway).
 * Operations already satisfied by the identity's headers are left alone.
 */
import type { ApiModel, Operation, SecurityRequirement, SecurityScheme } from "../model";

export interface PlacedCredentials {
  headers: Record<string, string>;
  query: Record<string, string>;
  cookies: Record<string, string>;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

type ApiKeyScheme = SecurityScheme & { in: "query" | "header" | "cookie"; paramName: string };

function isApiKey(scheme: SecurityScheme | undefined): scheme is ApiKeyScheme {
  return scheme?.type === "apiKey" && scheme.in !== undefined && typeof scheme.paramName === "string" && scheme.paramName !== "";
}

export function placeCredentials(model: ApiModel, operation: Operation | undefined, identityHeaders: Record<string, string>): PlacedCredentials {
  const out: PlacedCredentials = { headers: { ...identityHeaders }, query: {}, cookies: {} };
  const schemes = model.securitySchemes ?? {};
  const apiKeys = Object.entries(schemes).filter((entry): entry is [string, ApiKeyScheme] => isApiKey(entry[1]));
  const headerKeyNames = new Set(apiKeys.filter(([, s]) => s.in === "header").map(([, s]) => s.paramName.toLowerCase()));

  // identity entries named like a query/cookie key parameter are that key, not a header
  const explicit = new Map<string, string>();
  for (const [name, scheme] of apiKeys) {
    if (scheme.in === "header") continue;
    const entry = Object.keys(out.headers).find((h) => h.toLowerCase() === scheme.paramName.toLowerCase());
    if (entry === undefined) continue;
    explicit.set(name, out.headers[entry]);
    if (!headerKeyNames.has(entry.toLowerCase())) delete out.headers[entry];
  }
  if (!operation || operation.security.length === 0) return out;

  const carriedByHeaders = (name: string): boolean => {
    const scheme = schemes[name];
    if (!scheme) return false;
    if (isApiKey(scheme)) return scheme.in === "header" && headerValue(out.headers, scheme.paramName) !== undefined;
    return headerValue(out.headers, "authorization") !== undefined;
  };
  const satisfied = (alternative: SecurityRequirement) => Object.keys(alternative).every(carriedByHeaders);
  if (operation.security.some((alternative) => Object.keys(alternative).length === 0 || satisfied(alternative))) return out;

  // the identity's header key, when it carries exactly one
  const headerKeys = new Set(apiKeys.filter(([, s]) => s.in === "header").map(([, s]) => headerValue(out.headers, s.paramName)).filter((v): v is string => v !== undefined));
  const sameKey = headerKeys.size === 1 ? [...headerKeys][0] : undefined;

  for (const alternative of operation.security) {
    const fills: [ApiKeyScheme, string][] = [];
    const complete = Object.keys(alternative).every((name) => {
      const scheme = schemes[name];
      if (!isApiKey(scheme) || scheme.in === "header") return carriedByHeaders(name);
      const value = explicit.get(name) ?? sameKey;
      if (value !== undefined) fills.push([scheme, value]);
      return value !== undefined;
    });
    if (!complete || fills.length === 0) continue;
    for (const [scheme, value] of fills) (scheme.in === "query" ? out.query : out.cookies)[scheme.paramName] = value;
    return out;
  }
  return out;
}

/** A `Cookie` header value from name → value pairs (values URL-encoded, as every request sends them). */
export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("; ");
}

/**
 * An identity's credentials for one request outside a case (the identity pre-flight, its health
 * checks): placed exactly as a case request places them, cookies folded into one `Cookie` header.
 */
export function credentialedRequest(model: ApiModel, operation: Operation | undefined, identityHeaders: Record<string, string>): { headers: Record<string, string>; query: Record<string, string> } {
  const placed = placeCredentials(model, operation, identityHeaders);
  const cookie = cookieHeader(placed.cookies);
  if (!cookie) return { headers: placed.headers, query: placed.query };
  const existing = Object.keys(placed.headers).find((h) => h.toLowerCase() === "cookie");
  const headers = Object.fromEntries(Object.entries(placed.headers).filter(([h]) => h !== existing));
  headers.Cookie = [existing !== undefined ? placed.headers[existing] : undefined, cookie].filter(Boolean).join("; ");
  return { headers, query: placed.query };
}
