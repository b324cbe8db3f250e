import { describe, expect, it } from "vitest";
import { callGenerate } from "./abi";
import { loadBuiltWasm } from "./testing/load-built";

const encode = (text: string) => new TextEncoder().encode(text);

describe("callGenerate with the AssemblyScript agent", () => {
  it("exchanges UTF-8 JSON through alloc/generate and a length-prefixed result", async () => {
    const module = await loadBuiltWasm("robustness-fuzzer");
    const out = await callGenerate(module, encode(JSON.stringify({ agent: "x", seed: 1, maxCasesPerOperation: 3, operations: [] })), { name: "x", seed: 1 });
    expect(new TextDecoder().decode(out)).toBe("[]");
  }, 120_000);

  it("reports an AssemblyScript abort with its message and source position", async () => {
    const module = await loadBuiltWasm("robustness-fuzzer");
    await expect(callGenerate(module, encode('{"operations": [}'), { name: "x", seed: 1 })).rejects.toThrow(
      /wasm agent "x": aborted: input JSON: unexpected character at offset 16 at .*json\.ts:\d+:\d+/,
    );
  }, 120_000);

  it("round-trips non-ASCII input text into the output unchanged", async () => {
    const module = await loadBuiltWasm("robustness-fuzzer");
    const name = "n\u00e4me\u202e\ud83d\ude00\\\"\u0001";
    const input = {
      agent: "x",
      seed: 1,
      maxCasesPerOperation: 50,
      operations: [{ operationId: "o", method: "post", path: "/p", params: [], body: { contentType: "application/json", required: [], stringProps: [], numberProps: [{ name: "n", type: "number" }], base: { [name]: name, n: 1, big: 12345678.5, e: 1e-7, nested: [null, true, false, { k: [] }] } } }],
    };
    const cases = JSON.parse(new TextDecoder().decode(await callGenerate(module, encode(JSON.stringify(input)), { name: "x", seed: 1 })));
    expect(cases.length).toBe(4);
    for (const c of cases) {
      const { n, ...rest } = c.steps[0].request.body.value;
      expect(typeof n).toBe("number");
      expect(rest).toEqual({ [name]: name, big: 12345678.5, e: 1e-7, nested: [null, true, false, { k: [] }] });
    }
  }, 120_000);
});
