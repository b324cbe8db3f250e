import { describe, expect, it } from "vitest";
import type { CaseResult, TestCase } from "../model";
import { model } from "./checks/test-support";
import { buildFindings, dedupeFindings, findingId, findingsFromCase, fnv1a64 } from "./findings";

const testCase: TestCase = {
  id: "c1",
  agent: "functional-negative",
  operationId: "createPet",
  kind: "negative",
  title: "t",
  steps: [
    { id: "a", request: { method: "post", path: "/pets", pathParams: {}, query: {}, headers: {} }, checks: [] },
    { id: "b", request: { method: "patch", path: "/pets", pathParams: {}, query: {}, headers: {} }, checks: [] },
  ],
};

const result: CaseResult = {
  caseId: "c1",
  agent: "functional-negative",
  operationId: "createPet",
  status: "failed",
  durationMs: 5,
  exchanges: [
    { stepId: "a", request: { method: "POST", url: "http://api.test/pets", headers: { Authorization: "Bearer $SENTINEL_AUTHORIZATION" }, body: "{}" }, response: { status: 500, headers: {}, body: "x".repeat(10_000), bodySize: 10_000, durationMs: 3 } },
    { stepId: "b", request: { method: "PATCH", url: "http://api.test/pets", headers: {} }, response: { status: 200, headers: {}, body: "", bodySize: 0, durationMs: 2 } },
  ],
  checks: [
    { check: "not_a_server_error", stepId: "a", status: "failed", severity: "high", signature: "status:500", message: "boom" },
    { check: "negative_data_rejection", stepId: "a", status: "passed" },
    { check: "unsupported_method", stepId: "b", status: "failed", signature: "PATCH:executed", severity: "medium", message: "executed" },
  ],
};

describe("findings", () => {
  it("hashes stably with FNV-1a 64", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
    // the same hash as the textbook BigInt form, byte for byte (UTF-8, long inputs)
    const reference = (text: string) => {
      let hash = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return hash.toString(16).padStart(16, "0");
    };
    for (const text of ["\u00e9t\u00e9 \u{1F600}", JSON.stringify({ op: "x", body: { a: [1, 2, "\u00ff"] } }), "z".repeat(5000), "\u0000\uffff"]) expect(fnv1a64(text)).toBe(reference(text));
    expect(findingId("createPet", "not_a_server_error", "status:500")).toBe(findingId("createPet", "not_a_server_error", "status:500"));
    expect(findingId("createPet", "not_a_server_error", "status:500")).not.toBe(findingId("createPet", "not_a_server_error", "status:502"));
  });

  it("builds one finding per failed outcome with operation, curl and a truncated body", () => {
    const findings = findingsFromCase(result, testCase, model, { maxBodyChars: 100 });
    expect(findings).toHaveLength(2);
    const [server, method] = findings;
    expect(server).toMatchObject({ check: "not_a_server_error", severity: "high", operation: { method: "post", path: "/pets", operationId: "createPet" }, title: "Server error on POST /pets", message: "boom", caseId: "c1", agent: "functional-negative" });
    expect(server.response!.body.length).toBeLessThan(120);
    expect(server.curl).toContain(`-H 'Authorization: Bearer '"$SENTINEL_AUTHORIZATION"`);
    // an undocumented method is reported on the documented operation of its path
    expect(method.operation).toEqual({ method: "post", path: "/pets", operationId: "createPet" });
    expect(method.title).toBe("Undocumented method not refused with 405: PATCH /pets");
    expect(method.request.method).toBe("PATCH");
  });

  it("dedupes by operation, check and signature keeping the most severe", () => {
    const [first] = findingsFromCase(result, testCase, model);
    const again = { ...first, severity: "critical" as const, caseId: "c2" };
    const other = { ...first, id: findingId("createPet", "not_a_server_error", "status:502"), signature: "status:502" };
    const deduped = dedupeFindings([first, again, other]);
    expect(deduped).toHaveLength(2);
    expect(deduped[0]).toMatchObject({ caseId: "c2", severity: "critical" });
    expect(buildFindings(result, testCase, model)).toHaveLength(2);
  });

  it("reports a chain check on the operation whose behaviour is wrong, with the proving exchange", () => {
    const get = (id: string, path: string, checks: TestCase["steps"][number]["checks"]) => ({ id, request: { method: "get", path, pathParams: {}, query: {}, headers: {} }, checks });
    const chain: TestCase = {
      id: "c2",
      agent: "stateful",
      operationId: "createPet",
      kind: "stateful",
      title: "t",
      steps: [
        { id: "create", request: { method: "post", path: "/pets", pathParams: {}, query: {}, headers: {} }, checks: [] },
        get("follow", "{{location}}", [{ name: "location_header", params: { createStep: "create" } }]),
        { id: "delete", request: { method: "delete", path: "/pets/{petId}", pathParams: { petId: "{{petId}}" }, query: {}, headers: {} }, checks: [] },
        get("reread", "/pets/{petId}", [{ name: "use_after_free", params: { deleteStep: "delete" } }]),
      ],
    };
    const exchange = (stepId: string, method: string, url: string, status: number) => ({ stepId, request: { method, url, headers: {} }, response: { status, headers: {}, body: "", bodySize: 0, durationMs: 1 } });
    const outcome: CaseResult = {
      caseId: "c2",
      agent: "stateful",
      operationId: "createPet",
      status: "failed",
      durationMs: 1,
      exchanges: [exchange("create", "POST", "http://api.test/pets", 201), exchange("follow", "GET", "http://api.test/pet/1", 404), exchange("delete", "DELETE", "http://api.test/pets/1", 204), exchange("reread", "GET", "http://api.test/pets/1", 200)],
      checks: [
        { check: "location_header", stepId: "follow", status: "failed", signature: "target:404", message: "m" },
        { check: "use_after_free", stepId: "reread", status: "failed", signature: "GET:2xx", message: "m" },
      ],
    };
    const [location, deleted] = findingsFromCase(outcome, chain, model);
    expect(location.operation).toEqual({ method: "post", path: "/pets", operationId: "createPet" });
    expect(location.request.url).toBe("http://api.test/pet/1");
    expect(deleted.operation).toEqual({ method: "delete", path: "/pets/{petId}", operationId: "deletePet" });
    expect(deleted.title).toBe("Deleted resource still served on DELETE /pets/{petId}");
    expect(deleted.curl).toContain("'GET' 'http://api.test/pets/1'");
  });

  it("records the distinct trigger of each finding: the varied parameter, agent and kind, a curl, a chain's steps", () => {
    const focused: TestCase = {
      ...testCase,
      steps: [
        { ...testCase.steps[0], checks: [{ name: "negative_data_rejection", params: { location: "body", parameter: "/quantity" } }] },
        testCase.steps[1],
      ],
    };
    const [server] = findingsFromCase(result, focused, model);
    expect(server.kind).toBe("negative");
    expect(server.triggers).toHaveLength(1);
    const [trigger] = server.triggers!;
    expect(trigger).toMatchObject({ key: "functional-negative|negative|body /quantity", parameter: "body /quantity", status: 500, caseId: "c1", count: 1 });
    expect(trigger.curl).toContain("'http://api.test/pets'");
    // the failing step is the first: the chain stops there
    expect(trigger.chain).toEqual(["a: POST /pets → 500"]);
    // without a varied parameter a chain's tags tell triggers apart, other variants of an agent are one; `focus` wins over check params
    const chain = findingsFromCase(result, { ...testCase, kind: "stateful", tags: ["lifecycle"] }, model)[0].triggers![0];
    expect(chain.key).toBe("functional-negative|stateful|lifecycle");
    expect(chain.parameter).toBeUndefined();
    expect(findingsFromCase(result, { ...testCase, tags: ["random"] }, model)[0].triggers![0].key).toBe("functional-negative|negative|");
    expect(findingsFromCase(result, { ...focused, focus: "query inStock" }, model)[0].triggers![0].parameter).toBe("query inStock");
    // big bodies are cut in a trigger's curl, and it says so
    const big: CaseResult = { ...result, exchanges: [{ ...result.exchanges[0], request: { ...result.exchanges[0].request, body: "y".repeat(5000) } }, result.exchanges[1]] };
    const cut = findingsFromCase(big, testCase, model)[0].triggers![0];
    expect(cut.bodyCut).toBe(true);
    expect(cut.curl.length).toBeLessThan(2500);
  });
});
