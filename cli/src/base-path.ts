import type { ApiModel } from "../../workers/model";
/**
 * The spec's paths are relative to its server URL, which often has a path (`/api/v3`,
 * `https://api.example.com/v1`). When the user's --target is a bare origin, the server's path is
 * appended, as a client generated from the spec would do; a --target with a path is taken as is.
 */
export function targetWithSpecBasePath(target: string, servers: readonly string[]): { url: string; basePath?: string } {
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return { url: target };
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") return { url: target };
  const server = servers[0];
  if (!server) return { url: target };
  let basePath: string;
  try {
    basePath = new URL(server, "http://spec.invalid").pathname.replace(/\/+$/, "");
  } catch {
    return { url: target };
  }
  if (basePath === "" || /\{|%7B/i.test(basePath)) return { url: target }; // an unsubstituted server variable
  return { url: `${parsed.origin}${basePath}${parsed.search}`, basePath };
}

/** Enough collection GETs all answering 404 to say the base path, not the API, is wrong. */
const MIN_COLLECTIONS = 2;
const MAX_PROBED = 6;

/**
 * A wrong base path makes every operation answer 404, and every check built on those 404s a false
 * alarm. Before a run: GET (no credentials) each collection-level operation of the spec (no path
 * parameter, no documented 404); when at least two exist and every one answers 404, the message to
 * stop with. Any other answer, or no answer (the circuit breaker's case), says nothing.
 */
export async function basePathMismatch(model: Pick<ApiModel, "operations" | "servers">, target: string, fetcher: typeof fetch, timeoutMs: number): Promise<string | undefined> {
  const collections = model.operations.filter((op) => op.method === "get" && !op.path.includes("{") && !op.responses.some((r) => r.status === "404")).slice(0, MAX_PROBED);
  if (collections.length < MIN_COLLECTIONS) return undefined;
  const base = target.replace(/\/+$/, "");
  for (const op of collections) {
    try {
      const response = await fetcher(`${base}${op.path}`, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      if (response.status !== 404) return undefined;
    } catch {
      return undefined;
    }
  }
  const server = model.servers[0];
  let serverPath = "/";
  try {
    if (server) serverPath = new URL(server, "http://spec.invalid").pathname;
  } catch {
    // an unparsable server URL: "/" stands
  }
  return `every operation answered 404 at ${target} (GET ${collections.map((op) => op.path).join(", ")}) — is the base path right? the spec's server path is ${serverPath}; pass it in --target`;
}
