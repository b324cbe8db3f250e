/**
 * Credentials for the spec-faithful mock's identities (spec-mock-server.ts): headers that satisfy the
 * security alternative most operations of a spec accept. Shared by the corpus false-alarm test and
 * bench/oracles-real.ts.
 */
import type { ApiModel } from "../../workers/model";

/** Credentials of one identity for the security alternative most operations accept, as headers. */
export function identityHeaders(model: ApiModel, name: string): Record<string, string> {
  const counts = new Map<string, number>();
  for (const op of model.operations) {
    for (const alternative of op.security) {
      const schemes = Object.keys(alternative).sort();
      if (schemes.length === 0 || !schemes.every((s) => carriable(model, s))) continue;
      counts.set(schemes.join(" "), (counts.get(schemes.join(" ")) ?? 0) + 1);
    }
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const token = fakeJwt(name);
  if (!best) return { Authorization: `Bearer ${token}` };
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const schemeName of best.split(" ")) {
    const scheme = model.securitySchemes[schemeName];
    if (scheme.type === "apiKey" && scheme.in === "cookie") cookies.push(`${scheme.paramName}=${name}-session-${schemeName.length}`);
    else if (scheme.type === "apiKey") headers[scheme.paramName!] = scheme.paramName!.toLowerCase() === "authorization" ? `Token ${token}` : `${name}-key-0123456789`;
    else if (scheme.type === "http" && (scheme.scheme ?? "").toLowerCase() === "basic") headers.Authorization = `Basic ${btoa(`${name}:${name}-password`)}`;
    else headers.Authorization = `Bearer ${token}`;
  }
  if (cookies.length > 0) headers.Cookie = cookies.join("; ");
  return headers;
}

function carriable(model: ApiModel, schemeName: string): boolean {
  const scheme = model.securitySchemes[schemeName];
  if (!scheme) return false;
  if (scheme.type === "apiKey") return scheme.in === "header" || scheme.in === "cookie";
  return scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect";
}

function fakeJwt(subject: string): string {
  const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: subject, exp: 4102444800 })}.${b64(`${subject}-signature`)}`;
}
