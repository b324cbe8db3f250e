import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { WasmAgentError } from "./abi";
import { createWasmAgent } from "./agent";
import { validateWasmOutput } from "./output-schema";
import { fixtureModel } from "./testing/fixture-model";
import { tinyModule } from "./testing/tiny-module";

const model: ApiModel = fixtureModel;
const expectations = { agent: "fuzz", model, maxCasesPerOperation: 2 };

function validCase(overrides: Record<string, unknown> = {}) {
  return {
    id: "c1",
    agent: "fuzz",
    operationId: "getOwnerPet",
    kind: "negative",
    title: "t",
    steps: [
      {
        id: "s",
        request: { method: "get", path: "/owners/{ownerId}/pets/{petId}", pathParams: { ownerId: "1", petId: 2 }, query: {}, headers: {} },
        checks: [{ name: "not_a_server_error" }],
      },
    ],
    ...overrides,
  };
}

function bytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
}

function rejection(value: unknown): string {
  try {
    validateWasmOutput(bytes(value), expectations);
  } catch (err) {
    expect(err).toBeInstanceOf(WasmAgentError);
    return (err as Error).message;
  }
  throw new Error("expected the output to be rejected");
}

describe("validateWasmOutput", () => {
  it("accepts well-formed cases and strips keys TestCase does not have", () => {
    const [c] = validateWasmOutput(bytes([{ ...validCase(), extra: "x" }]), expectations);
    expect(c.id).toBe("c1");
    expect(c).not.toHaveProperty("extra");
  });

  it("rejects output that is not JSON or not UTF-8", () => {
    expect(rejection("[{")).toMatch(/wasm agent "fuzz": output is not UTF-8 JSON/);
    expect(() => validateWasmOutput(new Uint8Array([0x5b, 0xff, 0x5d]), expectations)).toThrow(/not UTF-8 JSON/);
  });

  it("rejects shapes that are not TestCase[] and says where", () => {
    expect(rejection({ cases: [] })).toMatch(/does not match TestCase\[\]: \(root\)/);
    expect(rejection([validCase({ steps: [] })])).toMatch(/\[0\]\.steps: /);
    expect(rejection([validCase({ kind: "chaos" })])).toMatch(/\[0\]\.kind/);
    const badCheck = validCase();
    badCheck.steps[0].checks = [{ name: "looks_fine_to_me" }];
    expect(rejection([badCheck])).toMatch(/\[0\]\.steps\[0\]\.checks\[0\]\.name/);
    const badHeader = validCase();
    (badHeader.steps[0].request as Record<string, unknown>).headers = { "X-N": 5 };
    expect(rejection([badHeader])).toMatch(/headers\.X-N/);
    const relative = validCase();
    relative.steps[0].request.path = "pets";
    expect(rejection([relative])).toMatch(/request\.path/);
  });

  it("rejects cases that break plan invariants", () => {
    expect(rejection([validCase({ agent: "someone-else" })])).toMatch(/agent is "someone-else", expected "fuzz"/);
    expect(rejection([validCase({ operationId: "nope" })])).toMatch(/unknown operationId "nope"/);
    expect(rejection([validCase(), validCase()])).toMatch(/duplicate case id/);
    const unfilled = validCase();
    unfilled.steps[0].request.pathParams = { petId: 2 } as typeof unfilled.steps[0]["request"]["pathParams"];
    expect(rejection([unfilled])).toMatch(/path parameter \{ownerId\} is not filled/);
    expect(rejection([validCase({ id: "a" }), validCase({ id: "b" }), validCase({ id: "c" })])).toMatch(/3 cases for "getOwnerPet" exceed maxCasesPerOperation 2/);
  });
});

describe("createWasmAgent with a module that misbehaves", () => {
  const ctx = { model, seed: 1, config: { identities: ["A"], maxCasesPerOperation: 5 } };

  it("returns the cases of a module that follows the ABI", async () => {
    const agent = createWasmAgent("fuzz", await tinyModule({ output: JSON.stringify([validCase()]) }), "d");
    expect(await agent.generate(ctx)).toHaveLength(1);
  });

  it("rejects invalid output instead of trusting it", async () => {
    const agent = createWasmAgent("fuzz", await tinyModule({ output: JSON.stringify([validCase({ agent: "other" })]) }), "d");
    await expect(agent.generate(ctx)).rejects.toThrow(/wasm agent "fuzz": output breaks plan invariants/);
  });

  it("turns ABI violations into clear errors", async () => {
    const run = async (opts: Parameters<typeof tinyModule>[0]) => createWasmAgent("fuzz", await tinyModule(opts), "d").generate(ctx);
    await expect(run({ trap: true })).rejects.toThrow(/wasm agent "fuzz": trapped/);
    await expect(run({ omit: ["generate", "alloc"] })).rejects.toThrow(/missing export\(s\) alloc, generate/);
    await expect(run({ extraImport: true })).rejects.toThrow(/cannot instantiate .*may import only env\.abort and env\.seed/);
    await expect(run({ resultPtr: 0 })).rejects.toThrow(/invalid pointer 0/);
    await expect(run({ resultPtr: 2 * 65536 - 2 })).rejects.toThrow(/invalid pointer 131070/);
    // generate points at a length header of 1 MiB in a 128 KiB memory
    await expect(run({ output: new Uint8Array([0, 0, 0x10, 0]), resultPtr: 12 })).rejects.toThrow(/output \[16, 1048592\) lies outside memory/);
  });

  it("refuses output above the size limit", async () => {
    const agent = createWasmAgent("fuzz", await tinyModule({ output: JSON.stringify([validCase()]) }), "d", { maxOutputBytes: 10 });
    await expect(agent.generate(ctx)).rejects.toThrow(/exceeds the limit of 10/);
  });
});
