/**
 * Sends one request with an injected fetch (workerd's in the Worker, Node's in tests) and turns
 * the outcome into a ReceivedResponse or a reason why there is none.
 *
 * - One timeout covers headers AND body: a target that never answers, or trickles forever, ends
 *   in `timeoutMs`.
 * - The body is streamed and capped at `maxBodyBytes`; the rest is cancelled, never buffered.
 *   Every body is either read to the end or cancelled, so no connection is left dangling.
 * - Redirects are not followed: checks judge the target's own answer (201 + Location, 303 ...).
 * - Retries happen only for network failures before any response, bounded (default 2, backoff
 *   100 ms then 300 ms). A refused connection never reached the server, so it is retried for
 *   every method; any other network failure (reset, "Network connection lost") is retried fully
 *   for idempotent methods and once for the others: such a fluke on a healthy target (a
 *   keep-alive connection closed as it was reused) must not error a case, and a request that got
 *   no answer at all is far more often unprocessed than applied. Timeouts are NOT retried: a slow
 *   target stays slow, a retry would multiply the wait, and a timed-out POST may already have
 *   been applied. HTTP statuses are never retried: they are the verdict under test.
 * - A request that got no response says which kind of failure it was (`failure`), so that a run
 *   can tell a dead target (refused, DNS, TLS, timeouts) from a bug and stop early.
 */
import type { FailureKind, ReceivedResponse } from "../model";
import { concat, readStream, type StreamRead } from "./streaming";
import { bodyFinished } from "./outbound";

export type { FailureKind };

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SendOptions {
  fetch: FetchLike;
  timeoutMs: number;
  maxBodyBytes: number;
  /** retries after network failures (default 2) */
  retries?: number;
  /** first backoff delay; later ones triple (default 100 ms) */
  retryDelayMs?: number;
  /** the response is documented as a stream: read it until it stays quiet this long, then close it (streaming.ts) */
  streamWindowMs?: number;
}


export interface SendResult {
  /** present when a status line arrived; may be partial when `error` says the body failed */
  response?: ReceivedResponse;
  error?: string;
  /** set when nothing at all came back (no status line) */
  failure?: FailureKind;
  attempts: number;
  /** a response documented as a stream sent nothing (not even its status) within this many ms: not an answer, not a failure */
  quietStreamMs?: number;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const NEVER_REACHED_SERVER = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function now(): number {
  return typeof performance !== "undefined" && typeof performance.now === "function" ? performance.now() : Date.now();
}

export async function sendRequest(request: OutgoingRequest, options: SendOptions): Promise<SendResult> {
  const maxRetries = Math.max(0, options.retries ?? 2);
  const baseDelay = options.retryDelayMs ?? 100;
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await attempt(request, options);
    if (result.kind === "done") return { ...result.value, attempts };
    const allowed = result.neverReachedServer || IDEMPOTENT.has(request.method.toUpperCase()) ? maxRetries : Math.min(1, maxRetries);
    if (attempts > allowed) return { error: result.error, failure: result.failure, attempts };
    await sleep(baseDelay * 3 ** (attempts - 1));
  }
}

/**
 * The longest `sendRequest` takes with these options: every attempt timing out, with the backoffs
 * between (a wait for a connection slot not counted).
 */
export function sendBoundMs(options: Pick<SendOptions, "timeoutMs" | "retries" | "retryDelayMs">): number {
  const retries = Math.max(0, options.retries ?? 2);
  const baseDelay = options.retryDelayMs ?? 100;
  let total = options.timeoutMs;
  for (let n = 0; n < retries; n++) total += baseDelay * 3 ** n + options.timeoutMs;
  return total;
}

type AttemptResult =
  | { kind: "done"; value: { response?: ReceivedResponse; error?: string; failure?: FailureKind; quietStreamMs?: number } }
  | { kind: "network"; error: string; failure: FailureKind; neverReachedServer: boolean };

async function attempt(request: OutgoingRequest, options: SendOptions): Promise<AttemptResult> {
  if (options.streamWindowMs !== undefined && request.method.toUpperCase() !== "HEAD") return attemptStream(request, options, options.streamWindowMs);
  // the runtime's own timer: no JavaScript timer to set and clear on every request (it only aborts
  // what is still unfinished when it fires)
  const signal = AbortSignal.timeout(options.timeoutMs);
  const started = now();
  let response: Response;
  try {
    response = await options.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal,
    });
  } catch (error) {
    if (signal.aborted) return { kind: "done", value: { error: `timeout: no response within ${options.timeoutMs} ms`, failure: "timeout" } };
    const code = errorCode(error);
    const description = describeError(error);
    return {
      kind: "network",
      error: `network error: ${description}`,
      failure: classifyFailure(code, description),
      neverReachedServer: code !== undefined && NEVER_REACHED_SERVER.has(code),
    };
  }

  const headers = collectHeaders(response.headers);
  let read: Awaited<ReturnType<typeof readCapped>>;
  try {
    read = await readCapped(response, options.maxBodyBytes, request.method.toUpperCase() === "HEAD");
  } finally {
    bodyFinished(response);
  }
  const received: ReceivedResponse = {
    status: response.status,
    headers,
    body: decode(read.bytes, headers["content-type"]),
    bodySize: read.bytes.byteLength,
    durationMs: round(now() - started),
  };
  if (read.truncated) received.bodyTruncated = true;
  if (read.error) {
    const reason = signal.aborted ? `timeout: body not complete within ${options.timeoutMs} ms` : `body read failed: ${describeError(read.error)}`;
    return { kind: "done", value: { response: { ...received, bodyTruncated: true }, error: reason } };
  }
  return { kind: "done", value: { response: received } };
}

/**
 * A response documented as a stream (streaming.ts): its status must come within the window (else
 * the stream was quiet: nothing to judge), then its body is read until it ends or stays quiet for
 * the window, and closed. The run's timeout still bounds the whole.
 */
async function attemptStream(request: OutgoingRequest, options: SendOptions, windowMs: number): Promise<AttemptResult> {
  const window = Math.min(windowMs, options.timeoutMs);
  const controller = new AbortController();
  const quiet = setTimeout(() => controller.abort(), window);
  const started = now();
  let response: Response;
  try {
    response = await options.fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: "manual", signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) return { kind: "done", value: { quietStreamMs: window } };
    const code = errorCode(error);
    const description = describeError(error);
    return { kind: "network", error: `network error: ${description}`, failure: classifyFailure(code, description), neverReachedServer: code !== undefined && NEVER_REACHED_SERVER.has(code) };
  } finally {
    clearTimeout(quiet);
  }
  const headers = collectHeaders(response.headers);
  const durationMs = round(now() - started);
  const body = response.body;
  // the body's end (or cut) frees its connection slot (outbound.ts), as readCapped's does
  const read = await (body ? readStream(body, { windowMs: window, maxBytes: options.maxBodyBytes, deadline: started + options.timeoutMs, now }) : Promise.resolve<StreamRead>({ bytes: new Uint8Array(0), cut: false, truncated: false })).finally(() => bodyFinished(response));
  // closed by us: the request too, so its connection is not held open by a stream that never ends
  if (read.cut) controller.abort();
  const received: ReceivedResponse = { status: response.status, headers, body: decode(read.bytes, headers["content-type"]), bodySize: read.bytes.byteLength, durationMs };
  if (read.truncated) received.bodyTruncated = true;
  if (read.error !== undefined) return { kind: "done", value: { response: received, error: `body read failed: ${describeError(read.error)}` } };
  return { kind: "done", value: { response: received } };
}

async function readCapped(response: Response, maxBytes: number, isHead: boolean): Promise<{ bytes: Uint8Array; truncated: boolean; error?: unknown }> {
  const stream = response.body;
  if (!stream) return { bytes: new Uint8Array(0), truncated: false };
  if (isHead) {
    await stream.cancel().catch(() => undefined);
    return { bytes: new Uint8Array(0), truncated: false };
  }
  // A declared length within the cap: one native read of the whole body (HTTP framing ends the
  // body at Content-Length, so it cannot outgrow the cap) instead of a chunk loop.
  const declared = declaredLength(response.headers);
  if (declared !== undefined && declared <= maxBytes) {
    try {
      return { bytes: new Uint8Array(await response.arrayBuffer()), truncated: false };
    } catch (error) {
      return { bytes: new Uint8Array(0), truncated: true, error };
    }
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: concat(chunks, total), truncated: false };
      const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
      if (total + chunk.byteLength > maxBytes) {
        const keep = maxBytes - total;
        if (keep > 0) chunks.push(chunk.subarray(0, keep));
        total += Math.max(0, keep);
        await reader.cancel().catch(() => undefined);
        return { bytes: concat(chunks, total), truncated: true };
      }
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    return { bytes: concat(chunks, total), truncated: true, error };
  }
}

/** Content-Length when it is one plain decimal and no Content-Encoding changes the size read. */
function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const encoding = headers.get("content-encoding");
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") return undefined;
  return Number(value);
}


function collectHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  });
  return out;
}

const UTF8 = new TextDecoder();

function decode(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? "")?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // unknown label in this runtime: fall back to UTF-8
    }
  }
  return UTF8.decode(bytes);
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_OSSL)/;

/** The kind of failure a rejected fetch was. */
export function failureKindOf(error: unknown): FailureKind {
  return classifyFailure(errorCode(error), describeError(error));
}

/** The kind of a fetch failure, from Node's error codes or workerd's messages. */
export function classifyFailure(code: string | undefined, message: string): FailureKind {
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ECONNRESET" || code === "EPIPE" || code === "UND_ERR_SOCKET" || code === "ECONNABORTED") return "reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return "dns";
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return "timeout";
  if (code !== undefined && TLS_CODE.test(code)) return "tls";
  if (/\b(tls|ssl|certificate|handshake)\b/i.test(message)) return "tls";
  if (/lookup address|name or service not known|getaddrinfo|dns/i.test(message)) return "dns";
  if (/connection refused/i.test(message)) return "refused";
  if (/connection reset|socket hang up|other side closed/i.test(message)) return "reset";
  if (/network connection lost/i.test(message)) return "lost";
  return "unknown";
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof Error || (typeof current === "object" && current !== null && "message" in current)) {
      const e = current as { message?: string; code?: string };
      const text = [e.code, e.message].filter(Boolean).join(" ");
      if (text && !parts.includes(text)) parts.push(text);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(": ") || "unknown error";
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
