/**
 * Fetches a remote document (spec import) under the address policy: every redirect hop is checked
 * again, the size limit applies while streaming, and failures become 502 upstream-error problems.
 */
import { ProblemError } from "./problem";
import { readSpecBody } from "./spec-upload";
import { assertFetchAllowed } from "../runs/target-policy";

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 20_000;

export interface FetchedDocument {
  bytes: Uint8Array;
  contentType: string | undefined;
  url: string;
}

export async function fetchDocument(env: Pick<Env, "SENTINEL_ALLOW_LOOPBACK" | "SENTINEL_ALLOW_PRIVATE">, rawUrl: string): Promise<FetchedDocument> {
  let url = assertFetchAllowed(env, rawUrl);
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(url.href, {
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { accept: "application/json, application/yaml;q=0.9, text/yaml;q=0.9, */*;q=0.5", "user-agent": "Sentinel spec import" },
      });
    } catch (err) {
      const reason = err instanceof Error ? (err.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : err.message) : String(err);
      throw new ProblemError("upstream-error", `Fetching ${url.href} failed: ${reason}`, { url: url.href });
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      await res.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new ProblemError("upstream-error", `Too many redirects fetching ${rawUrl}`, { url: rawUrl });
      url = assertFetchAllowed(env, new URL(res.headers.get("location") as string, url).href);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new ProblemError("upstream-error", `Fetching ${url.href} answered HTTP ${res.status}`, { url: url.href, upstreamStatus: res.status });
    }
    const bytes = await readSpecBody(res.body, res.headers.get("content-length"));
    return { bytes, contentType: res.headers.get("content-type") ?? undefined, url: url.href };
  }
}
