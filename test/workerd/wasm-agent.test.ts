/**
 * The bundled wasm agents run inside workerd: the .wasm file is imported as a precompiled
 * module (no run-time compilation, which Workers forbid) and behaves as in Node.
 * Needs agents-wasm/build/*.wasm: run `npm run build:wasm` first.
 */
import { describe, expect, it } from "vitest";
import { wasmAgents } from "../../workers/orchestrator/wasm/bundled";
import { fixtureModel } from "../../workers/orchestrator/wasm/testing/fixture-model";

const ctx = { model: fixtureModel, seed: 42, config: { identities: ["A"], maxCasesPerOperation: 30 } };

describe("bundled wasm agents in workerd", () => {
  it("registers robustness-fuzzer with a precompiled module", () => {
    expect(wasmAgents.map((a) => a.name)).toEqual(["robustness-fuzzer"]);
    expect(wasmAgents[0].description).toMatch(/robustness/i);
  });

  it("generates valid, deterministic robustness cases for a small model", async () => {
    const agent = wasmAgents[0];
    const cases = await agent.generate(ctx);
    expect(cases.length).toBeGreaterThan(20);
    const ops = new Set(cases.map((c) => c.operationId));
    expect(ops).toEqual(new Set(["listPets", "getOwnerPet", "createPet"]));
    for (const c of cases) {
      expect(c.agent).toBe("robustness-fuzzer");
      expect(c.steps[0].checks).toEqual([{ name: "not_a_server_error" }]);
      const { path, pathParams } = c.steps[0].request;
      for (const [, name] of path.matchAll(/\{([^{}]+)\}/g)) expect(pathParams[name]).toBeDefined();
    }
    const long = cases.find((c) => c.id.endsWith(":query.status:long-string"));
    expect((long?.steps[0].request.query.status as string).length).toBe(10_000);
    expect(await agent.generate(ctx)).toEqual(cases);
  });

  it("does not allow compiling wasm bytes at run time (why the modules are bundled)", async () => {
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const compile = (WebAssembly as unknown as { compile: (b: Uint8Array) => Promise<unknown> }).compile;
    await expect(compile(bytes)).rejects.toThrow();
  });
});
