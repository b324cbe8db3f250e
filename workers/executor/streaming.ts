/**
 * Responses documented as streams. A server-streaming operation ("(streaming responses)", as
 * grpc-gateway's generator writes; "stream of messages" …) sends a sequence of JSON texts, one per
 * line, and may never end (a watch, an observe): waiting for its end only meets the run's timeout.
 * Such a response is read until it ends, or no new bytes came for STREAM_WINDOW_MS, then closed and
 * judged on what arrived; a stream that sent nothing at all within that window (not even its
 * status: some servers send it with the first message) is not judged.
 */
import type { Operation } from "../model";

/** how long a stream may stay quiet (no status yet, or no new bytes) before it is closed */
export const STREAM_WINDOW_MS = 1000;

/** A response description that says the response is a stream. */
export function documentedAsStream(description: string | undefined): boolean {
  return description !== undefined && /\bstream(ing|ed)? (responses?|results?|messages?)\b/i.test(description);
}

/** Whether an operation documents its successful answer as a stream. */
export function streamsResponses(operation: Operation | undefined): boolean {
  return operation?.responses.some((r) => /^(2|default)/i.test(r.status) && documentedAsStream(r.description)) ?? false;
}

export interface StreamRead {
  bytes: Uint8Array;
  /** closed by us (quiet for the window, the deadline, or the size cap), not ended by the server */
  cut: boolean;
  /** the size cap was reached */
  truncated: boolean;
  error?: unknown;
}

/**
 * Reads a stream until it ends, stays quiet for `windowMs`, `deadline` (a `now()` time) passes or
 * `maxBytes` arrived; then cancels it. A cut stream keeps whole lines only (a message half-sent
 * when it was closed is not judged as malformed).
 */
export async function readStream(stream: ReadableStream<Uint8Array>, options: { windowMs: number; maxBytes: number; deadline: number; now: () => number }): Promise<StreamRead> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finish = async (cut: boolean, truncated = false, error?: unknown): Promise<StreamRead> => {
    clearTimeout(timer);
    if (cut) await reader.cancel().catch(() => undefined);
    let bytes = concat(chunks, total);
    if (cut && !truncated) bytes = wholeLines(bytes);
    return error === undefined ? { bytes, cut, truncated } : { bytes, cut, truncated, error };
  };
  try {
    for (;;) {
      const wait = Math.min(options.windowMs, options.deadline - options.now());
      if (wait <= 0) return await finish(true);
      const quiet = new Promise<"quiet">((resolve) => (timer = setTimeout(() => resolve("quiet"), wait)));
      const next = await Promise.race([reader.read(), quiet]);
      clearTimeout(timer);
      if (next === "quiet") return await finish(true);
      if (next.done) return await finish(false);
      const chunk = next.value instanceof Uint8Array ? next.value : new Uint8Array(next.value as ArrayBuffer);
      if (total + chunk.byteLength > options.maxBytes) {
        const keep = options.maxBytes - total;
        if (keep > 0) chunks.push(chunk.subarray(0, keep));
        total += Math.max(0, keep);
        return await finish(true, true);
      }
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } catch (error) {
    return finish(true, true, error);
  }
}

const NEWLINE = 10;

/** The bytes up to and including the last newline; all of them when there is none. */
function wholeLines(bytes: Uint8Array): Uint8Array {
  const last = bytes.lastIndexOf(NEWLINE);
  return last < 0 ? bytes : bytes.subarray(0, last + 1);
}

/** The chunks as one byte array of `total` bytes. */
export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
