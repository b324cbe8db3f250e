/**
 * One probe of a target whose requests stopped getting answers: is it alive, and if not, why?
 * A GET of the base URL; any HTTP response (even 404 or 500) means alive. When it fails, the
 * kinds workerd cannot tell apart are refined with a bare TCP connection (injected, so this stays
 * pure): "connection lost" is a refusal if nothing accepts the connection and a reset if
 * something does; an "internal error" is DNS if the host cannot be reached at all and TLS if a
 * TCP connection to an https target opens.
 */
import type { FailureKind } from "../model";
import { sendRequest, type FetchLike } from "./http-client";

/** Opens a TCP connection and closes it again: resolves true when it opened, false when it could not. */
export type TcpCheck = (hostname: string, port: number, timeoutMs: number) => Promise<boolean>;

export type ProbeResult = { alive: true; status: number } | { alive: false; failure: { kind: FailureKind; message: string } };

export async function probeTarget(baseUrl: string, io: { fetch: FetchLike; tcp?: TcpCheck; timeoutMs: number }): Promise<ProbeResult> {
  const sent = await sendRequest({ method: "GET", url: baseUrl, headers: { accept: "*/*" } }, { fetch: io.fetch, timeoutMs: io.timeoutMs, maxBodyBytes: 1024, retries: 0 });
  if (sent.response) return { alive: true, status: sent.response.status };
  let kind: FailureKind = sent.failure ?? "unknown";
  const message = sent.error ?? "no response";
  if ((kind === "lost" || kind === "unknown") && io.tcp) {
    const url = new URL(baseUrl);
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    const opened = await io.tcp(url.hostname.replace(/^\[|\]$/g, ""), port, Math.min(io.timeoutMs, 3000)).catch(() => false);
    if (kind === "lost") kind = opened ? "reset" : "refused";
    else if (!opened) kind = isIpLiteral(url.hostname) ? "refused" : "dns";
    else if (url.protocol === "https:") kind = "tls";
  }
  return { alive: false, failure: { kind, message } };
}

function isIpLiteral(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[") || hostname === "localhost";
}
