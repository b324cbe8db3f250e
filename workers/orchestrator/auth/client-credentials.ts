/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): the token URL of the spec's oauth2 scheme
 * (`flows.clientCredentials.tokenUrl`, as the spec model keeps it in `tokenUrls`; a relative one resolved against the API's base URL, resolveTokenUrl), a form POST
 * of `grant_type=client_credentials` with the client's id and secret, and the `access_token` of
 * the answer. The secret and the token are the caller's to keep out of every output; the network
 * is injected, so this stays pure.
 */
import type { ApiModel } from "../../model";
import { scopeList } from "../agents/scopes";
import type { Fetch } from "./provision";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** space-separated scopes to ask for (default: none, the server's default) */
  scope?: string;
}

/** `scopes`: granted (the answer's `scope`; absent there, the ones asked for — RFC 6749 §5.1), when known */
export type ClientToken = { ok: true; token: string; expiresInS?: number; scopes?: string[]; detail: string } | { ok: false; detail: string };

/** The client-credentials token URL the spec declares, if any. */
export function clientCredentialsTokenUrl(model: ApiModel): string | undefined {
  return Object.values(model.securitySchemes).find((s) => s.type === "oauth2" && s.tokenUrls?.length)?.tokenUrls?.[0];
}

/**
 * The token URL resolved as OpenAPI says of its URLs — a relative reference (RFC 3986 §5.2) against
 * the server URL, here the target with the spec's base path: an absolute path (`/oauth/token`)
 * keeps only the target's origin, a relative path (`oauth/token`) goes below the base path (the
 * server URL names the API's root, as for the spec's paths), a full URL stays as it is.
 */
export function resolveTokenUrl(tokenUrl: string, baseUrl: string): string {
  return new URL(tokenUrl, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`).href;
}

export async function obtainClientToken(opts: { fetch: Fetch; tokenUrl: string; timeoutMs?: number }, client: ClientCredentials): Promise<ClientToken> {
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret });
  if (client.scope) form.set("scope", client.scope);
  const where = `POST ${new URL(opts.tokenUrl).pathname}`;
  let response: Response;
  try {
    response = await opts.fetch(opts.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (err) {
    return { ok: false, detail: `${where} failed: ${(err as Error).message}` };
  }
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) return { ok: false, detail: `${where} answered ${response.status}` };
  let body: { access_token?: unknown; expires_in?: unknown; scope?: unknown } = {};
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, detail: `${where} answered ${response.status} without JSON` };
  }
  if (typeof body.access_token !== "string" || body.access_token === "") return { ok: false, detail: `${where} answered ${response.status} without an access_token` };
  const expiresInS = typeof body.expires_in === "number" ? body.expires_in : undefined;
  const scopes = scopeList(body.scope) ?? scopeList(client.scope);
  return { ok: true, token: body.access_token, ...(expiresInS !== undefined ? { expiresInS } : {}), ...(scopes ? { scopes } : {}), detail: `token from ${where}${expiresInS !== undefined ? `, valid ${expiresInS} s` : ""}${scopes?.length ? `, scopes ${scopes.join(" ")}` : ""}` };
}
