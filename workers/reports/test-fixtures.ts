/**
 * A hostile but realistic report for the builder tests: bodies with markup, quotes, control
 * characters and script tags, a finding without a response, every severity.
 */
import type { CaseResult } from "../model";
import { clustersOf } from "./run-report";
import type { Report, ReportFinding } from "./types";

const EVIL = `<script>alert("x")</script> & ' " ]]> \u0001\u0007 <img src="http://evil.example/x.png">`;

function finding(partial: Partial<ReportFinding> & Pick<ReportFinding, "id" | "check" | "severity">): ReportFinding {
  return {
    operation: { method: "get", path: "/pets/{petId}", operationId: "getPet" },
    agent: "functional-positive",
    title: "Server error on GET /pets/{petId}",
    message: "500 Internal Server Error",
    request: { method: "GET", url: "http://127.0.0.1:8787/pets/1", headers: { accept: "application/json", authorization: "[redacted]" } },
    response: { status: 500, headers: { "content-type": "text/html" }, body: EVIL, durationMs: 12 },
    curl: "curl -sS -X GET 'http://127.0.0.1:8787/pets/1' -H 'accept: application/json'",
    steps: [],
    ...partial,
  };
}

export const SAMPLE_FINDINGS: ReportFinding[] = [
  finding({ id: "f-bola", check: "bola", severity: "critical", agent: "security-auth", title: `BOLA: user B read pet of user A ${EVIL}`, operation: { method: "get", path: "/pets/{petId}", operationId: "getPet" } }),
  finding({
    id: "f-500",
    check: "not_a_server_error",
    severity: "high",
    kind: "positive",
    // three distinct ways to the same 500: two parameters and a stateful chain
    triggers: [
      { agent: "functional-positive", kind: "positive", caseId: "functional-positive:getPet:0", title: "GET /pets/{petId} with required parts only", status: 500, curl: "curl -sS -X GET 'http://127.0.0.1:8787/pets/1' -H 'accept: application/json'", count: 1 },
      { agent: "functional-positive", kind: "positive", caseId: "functional-positive:getPet:4", title: "GET /pets/{petId} with only optional query verbose = false", parameter: "query verbose", status: 500, curl: "curl -X 'GET' 'http://127.0.0.1:8787/pets/1?verbose=false'", count: 3 },
      { agent: "stateful", kind: "stateful", caseId: "stateful:createPet:1", title: `POST /pets then delete ${EVIL}`, status: 500, curl: "curl -X 'GET' 'http://127.0.0.1:8787/pets/9'", chain: ["create: POST /pets → 201", "delete: DELETE /pets/9 → 204", "read-deleted: GET /pets/9 → 500"], count: 1 },
    ],
  }),
  finding({
    id: "f-neg",
    check: "negative_data_rejection",
    severity: "medium",
    agent: "functional-negative",
    operation: { method: "post", path: "/pets", operationId: "createPet" },
    title: "Invalid body accepted | with pipe `and backticks`",
    message: "quantity=-1 accepted with 201",
    request: { method: "POST", url: "http://127.0.0.1:8787/pets?x=1&y=%3Cz%3E", headers: { "content-type": "application/json" }, body: '{"name":"a\'b","quantity":-1}' },
    response: { status: 201, headers: { "content-type": "application/json", location: "/pets/9" }, body: '{"id":9}', durationMs: 5 },
    curl: "curl -sS -X POST 'http://127.0.0.1:8787/pets?x=1&y=%3Cz%3E' --data-raw '{\"name\":\"a'\\''b\",\"quantity\":-1}'",
  }),
  finding({
    id: "f-uaf",
    check: "use_after_free",
    severity: "high",
    agent: "stateful",
    operation: { method: "delete", path: "/pets/{petId}", operationId: "deletePet" },
    title: "Deleted resource still served on DELETE /pets/{petId}",
    message: "GET after DELETE answered 200",
    request: { method: "GET", url: "http://127.0.0.1:8787/pets/9", headers: { authorization: "Bearer $SENTINEL_AUTHORIZATION" } },
    response: { status: 200, headers: { "content-type": "application/json" }, body: '{"id":9}', durationMs: 3 },
    curl: "curl -X GET 'http://127.0.0.1:8787/pets/9' -H 'authorization: Bearer '\"$SENTINEL_AUTHORIZATION\"",
    steps: [
      {
        id: "create",
        identity: "alice",
        request: { method: "POST", url: "http://127.0.0.1:8787/pets", headers: { "content-type": "application/json", authorization: "Bearer $SENTINEL_AUTHORIZATION" }, body: '{"name":"Rex"}' },
        response: { status: 201, headers: { "content-type": "application/json" }, body: '{"id":9,"name":"Rex"}', durationMs: 4 },
        extract: { petId: { from: "body", pointer: "/id" } },
      },
      { id: "delete", request: { method: "DELETE", url: "http://127.0.0.1:8787/pets/9", headers: { authorization: "Bearer $SENTINEL_AUTHORIZATION" } }, response: { status: 204, headers: {}, body: "", durationMs: 2 }, uses: { petId: "9" } },
      {
        id: "read-after-delete",
        request: { method: "GET", url: "http://127.0.0.1:8787/pets/9", headers: { authorization: "Bearer $SENTINEL_AUTHORIZATION" } },
        response: { status: 200, headers: { "content-type": "application/json" }, body: '{"id":9}', durationMs: 3 },
        uses: { petId: "9" },
        finding: true,
      },
    ],
  }),
  finding({ id: "f-slow", check: "max_response_time", severity: "low", operation: { method: "get", path: "/pets", operationId: "listPets" }, response: undefined, title: "Timed out" }),
  finding({ id: "f-info", check: "status_code_conformance", severity: "info", operation: { method: "get", path: "/pets", operationId: "listPets" } }),
];

export function sampleReport(findings: ReportFinding[] = SAMPLE_FINDINGS): Report {
  return {
    run: {
      id: "run_01",
      status: findings.length ? "failed" : "passed",
      target: "http://127.0.0.1:8787",
      spec: { title: "Pet <Store> & Co", version: "1.0.0", operations: 3 },
      startedAt: "2026-01-02T03:04:05.000Z",
      finishedAt: "2026-01-02T03:04:07.500Z",
      durationMs: 2500,
      seed: 42,
      stats: { cases: 4, passed: 1, failed: 1, errored: 1, skipped: 1, requests: 6 },
      timing: { requests: 6, p50Ms: 4, p95Ms: 12, p99Ms: 12, maxMs: 12, rps: 2.4 },
    },
    findings,
    clusters: clustersOf(findings),
    skipped: [{ caseId: "c4", agent: "stateful", operation: { method: "post", path: "/pets", operationId: "createPet" }, reason: "create returned 400" }],
    heldBack: [],
    suppressed: [],
  };
}

export const SAMPLE_CASES: CaseResult[] = [
  {
    caseId: "c1",
    agent: "functional-positive",
    operationId: "listPets",
    status: "passed",
    exchanges: [
      {
        stepId: "s1",
        request: { method: "GET", url: "http://127.0.0.1:8787/pets?limit=2", headers: { accept: "application/json" } },
        response: { status: 200, headers: { "content-type": "application/json" }, body: "[]", bodySize: 2, durationMs: 3 },
      },
    ],
    checks: [{ check: "not_a_server_error", stepId: "s1", status: "passed" }],
    durationMs: 4,
  },
  {
    caseId: "c2",
    agent: "functional-positive",
    operationId: "getPet",
    status: "failed",
    exchanges: [
      {
        stepId: "s1",
        request: { method: "GET", url: "http://127.0.0.1:8787/pets/1", headers: { accept: "application/json" } },
        response: { status: 500, headers: { "content-type": "text/html" }, body: EVIL, bodySize: 90, durationMs: 12 },
      },
    ],
    checks: [
      { check: "not_a_server_error", stepId: "s1", status: "failed", severity: "high", message: `500 returned ${EVIL}` },
      { check: "status_code_conformance", stepId: "s1", status: "failed", severity: "info", message: "500 not documented" },
    ],
    durationMs: 13,
  },
  {
    caseId: "c3",
    agent: "functional-negative",
    operationId: "createPet",
    status: "errored",
    reason: "connection refused",
    exchanges: [{ stepId: "s1", request: { method: "POST", url: "http://127.0.0.1:8787/pets", headers: { "content-type": "application/json" }, body: "{}" }, error: "ECONNREFUSED" }],
    checks: [],
    durationMs: 1,
  },
  {
    caseId: "c4",
    agent: "stateful",
    operationId: "createPet",
    status: "skipped",
    reason: "create returned 400",
    exchanges: [],
    checks: [],
    durationMs: 0,
  },
];
