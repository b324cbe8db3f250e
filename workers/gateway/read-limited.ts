/** Reads a body stream up to a byte limit and stops there, so an oversized upload is never buffered whole. */

export type LimitedRead = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: true; readBytes: number };

export async function readLimited(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<LimitedRead> {
  if (!body) return { ok: true, bytes: new Uint8Array() };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, tooLarge: true, readBytes: total };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { ok: true, bytes };
}
