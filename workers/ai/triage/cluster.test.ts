import { describe, expect, it } from "vitest";
import type { Finding } from "../../model";
import { lexicalVector } from "../embeddings/embedder";
import { clusterFindings, evidenceText } from "./cluster";

function finding(id: string, check: Finding["check"], method: string, path: string, signature: string, message: string, response?: { status: number; body: string }): Finding {
  return {
    id,
    check,
    severity: "high",
    operation: { method, path, operationId: `${method}${path}` },
    agent: "a",
    caseId: `c-${id}`,
    title: `${check} on ${method.toUpperCase()} ${path}`,
    message,
    signature,
    request: { method: method.toUpperCase(), url: `http://127.0.0.1:1${path.replace(/\{[^}]+\}/g, "42")}`, headers: {} },
    ...(response ? { response: { ...response, headers: {}, durationMs: 3 } } : {}),
    curl: "curl …",
  };
}

const cluster = (findings: Finding[]) => clusterFindings(findings, findings.map((f) => { const t = evidenceText(f); return t === undefined ? undefined : lexicalVector(t); }));

describe("findings clustered by likely root cause", () => {
  it("one forged-token acceptance on many operations is one cluster, its worst finding the representative", () => {
    const paths = ["/items", "/items/{itemId}", "/orders", "/orders/{orderId}", "/users/me", "/webhooks/{webhookId}/deliveries"];
    const jwt = paths.map((p, i) => finding(`j${i}`, "jwt_weakness", i % 2 ? "get" : "post", p, "accepted:none", `${i % 2 ? "GET" : "POST"} ${p} accepted a none JWT (${i % 2 ? 200 : 201})`, { status: i % 2 ? 200 : 201, body: `{"id":${i},"name":"thing ${i}"}` }));
    const other = finding("x", "jwt_weakness", "get", "/items", "accepted:expired", "GET /items accepted a expired JWT (200)", { status: 200, body: "[]" });
    const clusters = cluster([...jwt, other]);
    expect(clusters).toEqual([{ id: "cl_j0", representative: "j0", findings: jwt.map((f) => f.id) }]);
  });

  it("server errors join only when their error bodies say the same thing", () => {
    const trace = (op: string) => `TypeError: Cannot read properties of undefined (reading 'price') at priceOf (/app/pricing.js:17:9) at ${op}`;
    const a = finding("a", "not_a_server_error", "get", "/items/{itemId}", "500", "GET /items/{itemId} answered 500", { status: 500, body: trace("getItem") });
    const b = finding("b", "not_a_server_error", "post", "/orders", "500", "POST /orders answered 500", { status: 500, body: trace("createOrder") });
    const c = finding("c", "not_a_server_error", "get", "/reports/sales", "500", "GET /reports/sales answered 500", { status: 500, body: "RangeError: Invalid time value at Date.toISOString (<anonymous>) at salesReport (/app/reports.js:88:31)" });
    expect(cluster([a, b, c])).toEqual([{ id: "cl_a", representative: "a", findings: ["a", "b"] }]);
  });

  it("problem+json 500s of two different bugs stay apart; a bare 'Internal Server Error' is no evidence", () => {
    const problem = (detail: string) => JSON.stringify({ type: "https://api.example/problems/internal-server-error", title: "Internal Server Error", status: 500, detail });
    const a = finding("a", "not_a_server_error", "get", "/search", "500", "GET /search answered 500", { status: 500, body: problem(`SQLITE_ERROR: near "'": syntax error (query: SELECT id, name FROM items WHERE name LIKE '%'%')`) });
    const b = finding("b", "not_a_server_error", "post", "/items", "500", "POST /items answered 500", { status: 500, body: problem("Cannot read properties of undefined (reading 'toLowerCase')") });
    expect(cluster([a, b])).toEqual([]);
    const c = finding("c", "not_a_server_error", "get", "/x", "500", "GET /x answered 500", { status: 500, body: problem("Internal Server Error") });
    const d = finding("d", "not_a_server_error", "get", "/y", "500", "GET /y answered 500", { status: 500, body: "<h1>Internal Server Error</h1>" });
    expect(evidenceText(c)).toBeUndefined();
    expect(cluster([c, d])).toEqual([]);
    const e = finding("e", "not_a_server_error", "put", "/items/{itemId}", "500", "PUT /items/{itemId} answered 500", { status: 500, body: problem("Cannot read properties of undefined (reading 'toLowerCase')") });
    expect(cluster([a, b, e])).toEqual([{ id: "cl_b", representative: "b", findings: ["b", "e"] }]);
  });

  it("different checks or signatures are never one cluster, whatever the embedding says", () => {
    const a = finding("a", "ignored_auth", "get", "/a", "accepted", "GET /a accepted no credentials (200)", { status: 200, body: "{}" });
    const b = finding("b", "bola", "get", "/b", "accepted", "GET /b accepted no credentials (200)", { status: 200, body: "{}" });
    const same = [1, 1].map(() => Array.from({ length: 4 }, () => 0.5));
    expect(clusterFindings([a, b], same)).toEqual([]);
    expect(evidenceText(a)).not.toContain("/a");
  });
});
