import { describe, expect, it } from "vitest";
import { readLimited } from "./read-limited";

function streamOf(chunks: number[], onPull?: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      onPull?.();
      if (i < chunks.length) controller.enqueue(new Uint8Array(chunks[i++]).fill(65));
      else controller.close();
    },
  });
}

describe("readLimited", () => {
  it("reads a body within the limit", async () => {
    const r = await readLimited(streamOf([3, 4]), 7);
    expect(r.ok && r.bytes.length).toBe(7);
    expect(r.ok && new TextDecoder().decode(r.bytes)).toBe("AAAAAAA");
  });
  it("stops at the limit without draining the rest", async () => {
    let pulls = 0;
    const r = await readLimited(streamOf(new Array(1000).fill(1024), () => pulls++), 4096);
    expect(r.ok).toBe(false);
    expect(pulls).toBeLessThan(10);
  });
  it("treats a missing body as empty", async () => {
    const r = await readLimited(null, 10);
    expect(r.ok && r.bytes.length).toBe(0);
  });
});
