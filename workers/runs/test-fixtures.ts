/** Fixtures of own-invalid-values tests (node and workerd): a negative POST /pets the server accepted, and a listing that returns it. */
import type { CaseResult, Finding, TestCase } from "../model";
import { findingsFromCase } from "../executor/findings";
import { model } from "../executor/checks/test-support";

const BASE = "http://api.test";
const json = { "content-type": "application/json" };

/** A negative case that sent `body` to POST /pets (the invalid member at `pointer`) and got 201. */
export function accepted(id: string, body: unknown, pointer: string): { result: CaseResult; testCase: TestCase } {
  const testCase: TestCase = {
    id,
    agent: "functional-negative",
    operationId: "createPet",
    kind: "negative",
    title: "t",
    steps: [{ id: "request", request: { method: "post", path: "/pets", pathParams: {}, query: {}, headers: {} }, checks: [{ name: "not_a_server_error" }, { name: "negative_data_rejection", params: { invalid: true, location: "body", parameter: pointer } }] }],
  };
  const result: CaseResult = {
    caseId: id,
    agent: testCase.agent,
    operationId: "createPet",
    status: "failed",
    durationMs: 5,
    exchanges: [{ stepId: "request", request: { method: "POST", url: `${BASE}/pets`, headers: json, body: JSON.stringify(body) }, response: { status: 201, headers: json, body: "{}", bodySize: 2, durationMs: 3 } }],
    checks: [
      { check: "not_a_server_error", stepId: "request", status: "passed" },
      { check: "negative_data_rejection", stepId: "request", status: "failed", message: "accepted", signature: `accepted:body:${pointer}` },
    ],
  };
  return { result, testCase };
}

/** A later GET /pets whose body is `items`, failed by response_schema_conformance. */
export function listingCase(items: unknown[]): { result: CaseResult; testCase: TestCase } {
  const testCase: TestCase = { id: "list", agent: "functional-positive", operationId: "listPets", kind: "positive", title: "t", steps: [{ id: "request", request: { method: "get", path: "/pets", pathParams: {}, query: {}, headers: {} }, checks: [{ name: "response_schema_conformance" }] }] };
  const result: CaseResult = {
    caseId: "list",
    agent: testCase.agent,
    operationId: "listPets",
    status: "failed",
    durationMs: 5,
    exchanges: [{ stepId: "request", request: { method: "GET", url: `${BASE}/pets`, headers: {} }, response: { status: 200, headers: { ...json, "x-total": "2" }, body: JSON.stringify(items), bodySize: JSON.stringify(items).length, durationMs: 3 } }],
    checks: [{ check: "response_schema_conformance", stepId: "request", status: "failed", message: "violates", signature: "type:/*/name" }],
  };
  return { result, testCase };
}

/** The response_schema_conformance finding a later GET /pets drew with `items` as its body. */
export function listingFinding(items: unknown[]): Finding {
  const { result, testCase } = listingCase(items);
  return findingsFromCase(result, testCase, model)[0];
}

