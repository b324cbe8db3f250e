import { describe, expect, it } from "vitest";
import { content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance, status_code_conformance } from "./conformance";
import { max_response_time } from "./performance";
import { ctx, model } from "./test-support";
import type { CheckContext } from "./types";

const pet = { id: 1, name: "Rex", tag: null, owner: { name: "Ann", homepage: "http://localhost:8080/ann" }, updatedAt: "2024-01-02T03:04:05Z" };

describe("not_a_server_error", () => {
  it("fails on 5xx with the status as signature", () => {
    const result = not_a_server_error(ctx({ status: 503, body: "upstream down" }));
    expect(result.status).toBe("failed");
    expect(result.signature).toBe("status:503");
    expect(result.message).toContain("upstream down");
  });
  it("passes on 2xx and 4xx", () => {
    expect(not_a_server_error(ctx({ status: 200 })).status).toBe("passed");
    expect(not_a_server_error(ctx({ status: 404 })).status).toBe("passed");
  });
  it("accepts 501 for an undocumented method", () => {
    expect(not_a_server_error(ctx({ method: "PATCH", path: "/pets", status: 501 })).status).toBe("passed");
  });
});

describe("status_code_conformance", () => {
  it("fails on an undocumented status", () => {
    const result = status_code_conformance(ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", status: 418 }));
    expect(result).toMatchObject({ status: "failed", signature: "status:418" });
    expect(result.message).toContain("200, 404");
  });
  it("passes on exact, range and default matches", () => {
    expect(status_code_conformance(ctx({ status: 200 })).status).toBe("passed");
    expect(status_code_conformance(ctx({ status: 429 })).status).toBe("passed"); // 4XX
    expect(status_code_conformance(ctx({ path: "/public/items", status: 599 })).status).toBe("passed"); // default
  });
  it("skips an undocumented method", () => {
    expect(status_code_conformance(ctx({ method: "PATCH", path: "/pets", status: 200 })).status).toBe("skipped");
  });
});

describe("content_type_conformance", () => {
  it("fails on an undocumented media type and on a missing header", () => {
    const html = content_type_conformance(ctx({ status: 200, headers: { "content-type": "text/html; charset=utf-8", "x-total": "1" }, body: "<html/>" }));
    expect(html).toMatchObject({ status: "failed", signature: "content-type:text/html" });
    const missing = content_type_conformance(ctx({ status: 200, headers: {}, body: "[]" }));
    expect(missing).toMatchObject({ status: "failed", signature: "content-type:missing" });
  });
  it("passes with parameters and skips empty bodies", () => {
    expect(content_type_conformance(ctx({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: "[]" })).status).toBe("passed");
    expect(content_type_conformance(ctx({ method: "DELETE", path: "/pets/{petId}", status: 204 })).status).toBe("skipped");
    expect(content_type_conformance(ctx({ path: "/pets/{petId}", status: 200, headers: {}, body: "" })).status).toBe("skipped");
  });
});

describe("response_schema_conformance", () => {
  it("fails with keyword and generalised instance path", () => {
    const result = response_schema_conformance(ctx({ status: 200, body: [pet, { ...pet, name: 5 }] }));
    expect(result.status).toBe("failed");
    expect(result.signature).toBe("type:/*/name");
    expect(result.message).toContain("/1/name");
  });
  it("fails on closed nested schemas through $ref", () => {
    const result = response_schema_conformance(ctx({ status: 200, body: [{ ...pet, owner: { name: "A", extra: true } }] }));
    expect(result).toMatchObject({ status: "failed", signature: "additionalProperties:/*/owner" });
  });
  it("fails when a declared JSON body does not parse", () => {
    const result = response_schema_conformance(ctx({ status: 200, headers: { "content-type": "application/json" }, body: "{oops" }));
    expect(result).toMatchObject({ status: "failed", signature: "json:invalid" });
  });
  it("passes valid bodies: writeOnly required ignored, url format not enforced, null allowed", () => {
    expect(response_schema_conformance(ctx({ status: 200, body: [pet] })).status).toBe("passed");
  });
  it("reads a response documented as a stream as one JSON text per line, an empty stream included", () => {
    const streamed = (body: string, description = "A successful response.(streaming responses)") => {
      const c = ctx({ status: 200, headers: { "content-type": "application/json" }, body });
      c.operation = { ...c.operation!, responses: [{ status: "200", description, content: [{ contentType: "application/json", schema: { $ref: "#/components/schemas/Error" } }], headers: [], links: [] }] };
      return c;
    };
    expect(response_schema_conformance(streamed('{"message":"a"}\n{"message":"b"}\n')).status).toBe("passed");
    expect(response_schema_conformance(streamed("")).status).toBe("passed");
    const bad = response_schema_conformance(streamed('{"message":"a"}\n{"msg":"b"}\n'));
    expect(bad).toMatchObject({ status: "failed", signature: "required:/" });
    expect(bad.message).toContain("stream message 2");
    expect(response_schema_conformance(streamed('{"message":"a"}\n{oops')).status).toBe("failed");
    // not documented as a stream: two JSON texts are no JSON body, and an empty body is none either
    expect(response_schema_conformance(streamed('{"message":"a"}\n{"message":"b"}', "OK")).signature).toBe("json:invalid");
    expect(response_schema_conformance(streamed("", "the stream object")).signature).toBe("json:empty");
  });
  it("validates the range response and skips non-JSON and truncated bodies", () => {
    expect(response_schema_conformance(ctx({ status: 404, body: { message: "no" } })).status).toBe("passed");
    expect(response_schema_conformance(ctx({ status: 404, body: { msg: "no" } })).status).toBe("failed");
    expect(response_schema_conformance(ctx({ status: 200, headers: { "content-type": "text/html" }, body: "<p>" })).status).toBe("skipped");
    const truncated = ctx({ status: 200, body: "[" });
    truncated.response.bodyTruncated = true;
    expect(response_schema_conformance(truncated).status).toBe("skipped");
  });
});

describe("response_headers_conformance", () => {
  it("fails on a missing required header and an invalid value", () => {
    expect(response_headers_conformance(ctx({ status: 200, body: [] }))).toMatchObject({ status: "failed", signature: "missing:x-total" });
    expect(response_headers_conformance(ctx({ status: 200, headers: { "x-total": "-3" }, body: [] }))).toMatchObject({ status: "failed", signature: "invalid:x-total" });
    expect(response_headers_conformance(ctx({ status: 200, headers: { "x-total": "many" }, body: [] })).status).toBe("failed");
  });
  it("passes when present and valid (coerced from text)", () => {
    expect(response_headers_conformance(ctx({ status: 200, headers: { "X-Total": "3" }, body: [] })).status).toBe("passed");
  });
  it("reads a Location or Content-Location documented as format uri as HTTP defines it: a URI-reference", () => {
    const created = (headers: Record<string, string>) => {
      const c = ctx({ method: "POST", path: "/pets", status: 201, headers, body: {} });
      const uri = { type: "string", format: "uri" };
      const documented = [{ status: "201", content: [], links: [], headers: [{ name: "Location", required: true, schema: uri }, { name: "Content-Location", required: false, schema: uri }, { name: "X-Docs", required: false, schema: uri }] }];
      return response_headers_conformance({ ...c, operation: { ...c.operation!, responses: documented as never } });
    };
    // RFC 9110 §10.2.2: a relative Location is valid HTTP
    expect(created({ location: "pets/15" }).status).toBe("passed");
    expect(created({ location: "/pets/15", "content-location": "15" }).status).toBe("passed");
    expect(created({ location: "https://api.example.com/pets/15" }).status).toBe("passed");
    // not a reference at all, and any other header keeps its documented format
    expect(created({ location: "pets 15" })).toMatchObject({ status: "failed", signature: "invalid:location" });
    expect(created({ location: "pets/15", "x-docs": "docs/pets" })).toMatchObject({ status: "failed", signature: "invalid:x-docs" });
  });
});

describe("max_response_time", () => {
  it("fails over the configured budget and passes under it", () => {
    expect(max_response_time(ctx({ durationMs: 900 }, { maxResponseTimeMs: 500 }))).toMatchObject({ status: "failed", signature: "exceeded" });
    expect(max_response_time(ctx({ durationMs: 100 }, { maxResponseTimeMs: 500 })).status).toBe("passed");
    expect(max_response_time(ctx({ durationMs: 900 }, { params: { limitMs: 1000 }, maxResponseTimeMs: 500 })).status).toBe("passed");
    expect(max_response_time(ctx({ durationMs: 900 })).status).toBe("skipped");
  });
});

describe("conformance: what is not judged, and the details of a finding", () => {
  const read = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/7" };
  /** the same step against an operation documenting `responses` */
  const documenting = (spec: Parameters<typeof ctx>[0], responses: unknown[], params: Record<string, unknown> = {}): CheckContext => {
    const c = ctx(spec, { params });
    return { ...c, operation: { ...c.operation!, responses: responses as never } };
  };
  const json = (schema: unknown) => [{ contentType: "application/json", schema }];

  it("not_a_server_error: 501 of a documented method is a failure; an empty body adds no detail", () => {
    expect(not_a_server_error(ctx({ method: "GET", path: "/pets", status: 501 })).status).toBe("failed");
    expect(not_a_server_error(ctx({ status: 500 })).message).toBe("GET /pets answered 500 (not documented either; documented: 200, 4XX)");
    expect(not_a_server_error(documenting({ ...read, status: 500 }, [{ status: "500", content: [], headers: [], links: [] }])).message).toBe("GET /pets/{petId} answered 500");
    expect(not_a_server_error(documenting({ ...read, status: 500 }, [{ status: "default", content: [], headers: [], links: [] }])).message).toBe("GET /pets/{petId} answered 500");
    expect(not_a_server_error(ctx({ status: 599 })).status).toBe("failed");
    expect(not_a_server_error(ctx({ status: 600 })).status).toBe("passed");
    expect(not_a_server_error(ctx({ status: 499 })).status).toBe("passed");
  });
  it("status_code_conformance: ids not obtained from the API, requests not known to be valid, no responses documented", () => {
    expect(status_code_conformance(ctx({ ...read, status: 410, pathParams: { petId: 7 } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...read, status: 410, pathParams: { petId: "{{ petId }}" } })).status).toBe("failed");
    expect(status_code_conformance(ctx({ ...read, status: 410, pathParams: { petId: "x{{petId}}y" } })).status).toBe("failed");
    expect(status_code_conformance(ctx({ ...read, status: 410, pathParams: { petId: "{{}}" } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ method: "GET", path: "/pets", status: 204 })).status).toBe("failed");
    expect(status_code_conformance(ctx({ ...read, status: 407 })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...read, status: 422, pathParams: { petId: "{{petId}}" } }, { params: { requestValid: false } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...read, status: 422, pathParams: { petId: "{{petId}}" } }, { params: { requestValid: true } })).status).toBe("failed");
    expect(status_code_conformance(ctx({ ...read, status: 302, pathParams: { petId: "{{petId}}" } }, { params: { requestValid: false } })).status).toBe("failed");
    expect(status_code_conformance(ctx({ ...read, status: 503, pathParams: { petId: "{{petId}}" } }, { params: { requestValid: false } })).status).toBe("failed");
    expect(status_code_conformance(documenting({ ...read, status: 500 }, [])).status).toBe("skipped");
    expect(status_code_conformance(documenting({ ...read, status: 500 }, [{ status: " Default ", content: [], headers: [], links: [] }])).status).toBe("passed");
  });
  it("one crash, one finding: an undocumented 5xx is left to not_a_server_error when the step runs it too", () => {
    const both = ctx({ ...read, status: 500, pathParams: { petId: "{{petId}}" }, body: "boom" });
    both.step.checks = [{ name: "not_a_server_error" }, { name: "status_code_conformance" }];
    expect(status_code_conformance(both)).toMatchObject({ status: "skipped", message: "500: a server error, reported by not_a_server_error" });
    expect(not_a_server_error(both)).toMatchObject({ status: "failed", signature: "status:500", message: "GET /pets/{petId} answered 500 (not documented either; documented: 200, 404): boom" });
    // alone on its step, the undocumented 5xx is still this check's finding; an undocumented 4xx always is
    expect(status_code_conformance(ctx({ ...read, status: 500, pathParams: { petId: "{{petId}}" } }))).toMatchObject({ status: "failed", signature: "status:500" });
    const teapot = ctx({ ...read, status: 418, pathParams: { petId: "{{petId}}" } });
    teapot.step.checks = [{ name: "not_a_server_error" }, { name: "status_code_conformance" }];
    expect(status_code_conformance(teapot)).toMatchObject({ status: "failed", signature: "status:418" });
  });
  it("content_type_conformance: no operation, an undocumented status, no media type, HEAD, truncated empty bodies", () => {
    expect(content_type_conformance(ctx({ method: "PATCH", path: "/pets", status: 200, body: "x" })).status).toBe("skipped");
    expect(content_type_conformance(ctx({ ...read, status: 500, body: "x" })).status).toBe("skipped");
    expect(content_type_conformance(documenting({ ...read, status: 200, body: "x" }, [{ status: "200", content: [], headers: [], links: [] }])).status).toBe("skipped");
    expect(content_type_conformance(ctx({ ...read, method: "HEAD", status: 200, headers: {} })).status).toBe("skipped");
    const truncated = ctx({ ...read, status: 200, headers: {}, body: "" });
    truncated.response.bodyTruncated = true;
    expect(content_type_conformance(truncated)).toMatchObject({ status: "failed", signature: "content-type:missing" });
    expect(content_type_conformance(ctx({ ...read, status: 200, headers: { "content-type": "json" }, body: "{}" }))).toMatchObject({ status: "failed", signature: "content-type:malformed" });
    expect(content_type_conformance(ctx({ ...read, status: 200, headers: { "content-type": "text/plain" }, body: "{}" })).message).toContain("documented: application/json");
    expect(content_type_conformance(documenting({ ...read, status: 200, headers: { "content-type": "application/vnd.api+json" }, body: "{}" }, [{ status: "200", content: [{ contentType: "text/csv" }, { contentType: "application/json" }], headers: [], links: [] }])).message).toContain("is JSON like the documented application/json");
  });
  it("response_schema_conformance: what has no schema or no JSON body is not validated", () => {
    expect(response_schema_conformance(ctx({ method: "PATCH", path: "/pets", status: 200, body: {} })).status).toBe("skipped");
    expect(response_schema_conformance(ctx({ ...read, status: 500, body: {} })).status).toBe("skipped");
    expect(response_schema_conformance(documenting({ ...read, status: 200, body: {} }, [{ status: "200", content: [{ contentType: "application/json" }], headers: [], links: [] }])).status).toBe("skipped");
    expect(response_schema_conformance(documenting({ ...read, status: 200, body: "a" }, [{ status: "200", content: [{ contentType: "text/plain", schema: { type: "integer" } }], headers: [], links: [] }])).status).toBe("skipped");
    expect(response_schema_conformance(ctx({ ...read, method: "HEAD", status: 200, headers: { "content-type": "application/json" } })).status).toBe("skipped");
    expect(response_schema_conformance(documenting({ ...read, status: 204 }, [{ status: "204", content: json({ type: "object" }), headers: [], links: [] }])).status).toBe("skipped");
    expect(response_schema_conformance(ctx({ ...read, status: 200, headers: { "content-type": "application/json" } }))).toMatchObject({ status: "failed", signature: "json:empty" });
    // a malformed Content-Type is content_type_conformance's finding: the body is still validated
    expect(response_schema_conformance(ctx({ ...read, status: 200, headers: { "content-type": "json" }, body: "{" })).status).toBe("failed");
  });
  it("response_schema_conformance: the first violation, with the count of the others", () => {
    const result = response_schema_conformance(ctx({ ...read, status: 200, body: { id: "x", name: 5 } }));
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(/\(\+\d+ more\)$/);
    const one = response_schema_conformance(ctx({ ...read, status: 200, body: { id: 1, name: 5 } }));
    expect(one.message).not.toContain("more)");
    expect(one.message).toContain("GET /pets/{petId} 200 body violates the schema at /name");
    const root = response_schema_conformance(ctx({ ...read, status: 200, body: [] }));
    expect(root).toMatchObject({ status: "failed", signature: "type:/" });
    expect(root.message).toContain("at /:");
  });
  it("response_headers_conformance: no operation, undocumented status, Content-Type definitions and optional headers", () => {
    expect(response_headers_conformance(ctx({ method: "PATCH", path: "/pets", status: 200 })).status).toBe("skipped");
    expect(response_headers_conformance(ctx({ status: 500 })).status).toBe("skipped");
    expect(response_headers_conformance(ctx({ ...read, status: 200 })).status).toBe("skipped");
    const only = (headers: unknown[], received: Record<string, string>) => response_headers_conformance(documenting({ ...read, status: 200, headers: received }, [{ status: "200", content: [], headers, links: [] }]));
    expect(only([{ name: "Content-Type", required: true, schema: { type: "string" } }], {}).status).toBe("skipped");
    expect(only([{ name: "X-Rate", required: false, schema: { type: "integer" } }], {}).status).toBe("passed");
    const two = only([{ name: "X-B", required: true, schema: {} }, { name: "X-A", required: true, schema: {} }], {});
    expect(two).toMatchObject({ status: "failed", signature: "missing:x-a,x-b" });
    expect(two.message).toContain("missing required headers X-B, X-A");
    const both = only([{ name: "X-A", required: true, schema: {} }, { name: "X-N", required: false, schema: { type: "integer" } }], { "x-n": "many" });
    expect(both).toMatchObject({ status: "failed", signature: "missing:x-a" });
    expect(both.message).toContain("missing required header X-A; invalid X-N=");
  });
  it("response_headers_conformance reads header text as the schema's type", () => {
    const one = (schema: unknown, value: string) => response_headers_conformance(documenting({ ...read, status: 200, headers: { "x-h": value } }, [{ status: "200", content: [], headers: [{ name: "X-H", required: true, schema }], links: [] }])).status;
    expect(one({ type: "integer" }, " 3 ")).toBe("passed");
    expect(one({ type: "integer" }, " ")).toBe("failed");
    expect(one({ type: "number" }, "1.5")).toBe("passed");
    expect(one({ type: ["string", "integer"] }, "abc")).toBe("passed");
    expect(one({ type: "boolean" }, "TRUE")).toBe("passed");
    expect(one({ type: "boolean", const: false }, "False")).toBe("passed");
    expect(one({ type: "boolean" }, "yes")).toBe("failed");
    expect(one({ type: "array", items: { type: "integer" } }, "1, 2")).toBe("passed");
    expect(one({ type: "array", items: { type: "integer" } }, "1,x")).toBe("failed");
    expect(one({ type: "array", maxItems: 0 }, "")).toBe("passed");
    expect(one({ type: "array", items: { type: "boolean" } }, "true,False")).toBe("passed");
    expect(one({ type: "array", items: { type: "boolean", const: true } }, "true,False")).toBe("failed");
    expect(one({ type: "array", items: { type: "string", minLength: 2 } }, "ab, cd")).toBe("passed");
    // the value read is the text's own truth value, only for a whole true/false, only for boolean schemas
    expect(one({ type: "boolean", const: true }, "TRUE")).toBe("passed");
    expect(one({ type: "boolean" }, "untrue")).toBe("failed");
    expect(one({ type: "boolean" }, "falsely")).toBe("failed");
    expect(one({ type: "array", items: { type: "boolean", const: true } }, "TRUE")).toBe("passed");
    expect(one({ type: "array", items: { type: "boolean" } }, "untrue")).toBe("failed");
    expect(one({ type: "array", items: { type: "boolean" } }, "falsely")).toBe("failed");
    expect(one({ type: "array", items: { type: "string" } }, "true,x")).toBe("passed");
  });
});

describe("max_response_time: budgets and a request that stops the whole target", () => {
  it("the budget is inclusive; params.limitMs overrides the run's", () => {
    expect(max_response_time(ctx({ durationMs: 500 }, { maxResponseTimeMs: 500 }))).toEqual({ status: "passed", message: "500 ms within 500 ms" });
    expect(max_response_time(ctx({ durationMs: 900 }))).toEqual({ status: "skipped", message: "no response time limit configured" });
    expect(max_response_time(ctx({ durationMs: 501 }, { maxResponseTimeMs: 500 })).message).toBe("GET /pets took 501 ms, limit 500 ms");
    expect(max_response_time(ctx({ durationMs: 200 }, { params: { limitMs: 100 }, maxResponseTimeMs: 500 })).status).toBe("failed");
  });
  it("confirmed liveness evidence fails whatever the budget; unconfirmed evidence does not", () => {
    const stalled = (liveness: Record<string, unknown>, maxResponseTimeMs?: number) => {
      const c = ctx({ durationMs: 30_000 }, { maxResponseTimeMs });
      return max_response_time({ ...c, exchange: { ...c.exchange, liveness: liveness as never } });
    };
    const confirmed = stalled({ probeUrl: "http://api.test/", probeMs: 29_000, confirmed: true, repeatMs: 28_000 });
    expect(confirmed).toMatchObject({ status: "failed", signature: "liveness", severity: "high" });
    expect(confirmed.message).toContain("got no answer in 29000 ms");
    expect(confirmed.message).toContain("the same (28000 ms)");
    const answered = stalled({ probeUrl: "http://api.test/", probeMs: 29_000, probeStatus: 200, confirmed: true });
    expect(answered.message).toContain("answered 200 only after 29000 ms");
    expect(answered.message).toContain("the same (? ms)");
    expect(stalled({ probeUrl: "http://api.test/", probeMs: 29_000, confirmed: false }).status).toBe("skipped");
    expect(stalled({ probeUrl: "http://api.test/", probeMs: 29_000, confirmed: false }, 60_000).status).toBe("passed");
  });
  it("a hold no longer than 4 of the operation's usual answers in the run is its usual cost: not a stop, the budget still applies", () => {
    const held = (took: number, liveness: Record<string, unknown>, maxResponseTimeMs?: number) => {
      const c = ctx({ durationMs: took }, { maxResponseTimeMs });
      return max_response_time({ ...c, exchange: { ...c.exchange, liveness: { probeUrl: "http://api.test/", probeMs: 2_000, confirmed: true, blocked: true, ...liveness } as never } });
    };
    // the shorter of the two observations counts: 2400 = 4 × 600
    expect(held(2_554, { repeatMs: 2_400, typicalMs: 600 })).toEqual({ status: "skipped", message: "GET /pets held the target for 2400 ms, but its answers in this run usually take 600 ms: its usual cost on this host, not this input's" });
    expect(held(2_401, { repeatMs: 9_000, typicalMs: 600 })).toMatchObject({ status: "failed", signature: "liveness" });
    expect(held(9_000, { repeatMs: 2_401, typicalMs: 600 })).toMatchObject({ status: "failed", signature: "liveness" });
    expect(held(2_554, { typicalMs: 600 })).toMatchObject({ status: "failed", signature: "liveness" });
    expect(held(2_400, { typicalMs: 600 })).toMatchObject({ status: "skipped" });
    // without a usual time (too few answers), the probe's evidence alone decides, as before
    expect(held(2_400, { repeatMs: 2_400 })).toMatchObject({ status: "failed", signature: "liveness" });
    // a budget is the user's word: the answer is judged against it
    expect(held(2_400, { repeatMs: 2_400, typicalMs: 600 }, 1_000)).toMatchObject({ status: "failed", signature: "exceeded", message: "GET /pets took 2400 ms, limit 1000 ms" });
    expect(held(2_400, { repeatMs: 2_400, typicalMs: 600 }, 3_000).status).toBe("passed");
  });
});

describe("conformance: the exceptions that keep it quiet, and each verdict's reason", () => {
  const read = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/7" };
  const known = { ...read, pathParams: { petId: "{{petId}}" } };
  /** the step against an operation documenting `responses` (also for methods and paths the model lacks) */
  const on = (spec: Parameters<typeof ctx>[0], responses: unknown[], params: Record<string, unknown> = {}): CheckContext => {
    const c = ctx(spec, { params });
    return { ...c, operation: { ...(c.operation ?? model.operations[2]), responses: responses as never } };
  };
  const response = (status: string, content: unknown[] = [], headers: unknown[] = []) => ({ status, content, headers, links: [] });
  const json = (schema: unknown) => [{ contentType: "application/json", schema }];

  it("not_a_server_error: 501 only without an operation or when documented, 503 only with Retry-After, 502/504 only when documented", () => {
    expect(not_a_server_error(ctx({ status: 404 }))).toEqual({ status: "passed", message: "404 is not a server error" });
    expect(not_a_server_error(ctx({ method: "PATCH", path: "/pets", status: 501 }))).toEqual({ status: "passed", message: "501 for the undocumented method PATCH" });
    expect(not_a_server_error(ctx({ method: "PATCH", path: "/pets", status: 500 })).status).toBe("failed");
    expect(not_a_server_error(ctx({ status: 503, headers: { "Retry-After": "30" } }))).toEqual({ status: "skipped", message: "503 with Retry-After: temporarily unavailable, no verdict" });
    expect(not_a_server_error(ctx({ status: 500, headers: { "retry-after": "30" } })).status).toBe("failed");
    expect(not_a_server_error(on({ ...read, status: 502 }, [response("200"), response("502")]))).toEqual({ status: "skipped", message: "502 is documented: an upstream server the operation called failed, no verdict" });
    expect(not_a_server_error(on({ ...read, status: 504 }, [response("504")])).status).toBe("skipped");
    expect(not_a_server_error(on({ ...read, status: 502 }, [response("200")])).status).toBe("failed");
    expect(not_a_server_error(on({ ...read, status: 500 }, [response("500")])).status).toBe("failed");
    expect(not_a_server_error(on({ ...read, status: 503 }, [response("503")])).status).toBe("failed");
    expect(not_a_server_error(ctx({ method: "PATCH", path: "/pets", status: 502 })).status).toBe("failed");
    // a 501 the operation documents ("Session not available" for a kernel that is not installed)
    expect(not_a_server_error(on({ ...read, status: 501 }, [response("201"), response("501")]))).toEqual({ status: "skipped", message: "501 is documented: the operation does not support what the request asked for, no verdict" });
    expect(not_a_server_error(on({ ...read, status: 501 }, [response("201")])).status).toBe("failed");
  });

  it("status_code_conformance: refusals, throttling, overload and unknown ids are outside the contract", () => {
    expect(status_code_conformance(ctx({ ...known, status: 401 }))).toEqual({ status: "skipped", message: "401 refuses the identity used, it says nothing about the contract" });
    expect(status_code_conformance(ctx({ ...known, status: 403 })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...known, status: 429 }))).toEqual({ status: "skipped", message: "429: throttled" });
    expect(status_code_conformance(ctx({ ...known, status: 503, headers: { "Retry-After": "5" } }))).toEqual({ status: "skipped", message: "503 with Retry-After: temporarily unavailable" });
    expect(status_code_conformance(ctx({ ...known, status: 500, headers: { "Retry-After": "5" } })).status).toBe("failed");
    const put = { ...read, method: "PUT" };
    expect(status_code_conformance(ctx({ ...put, status: 404, pathParams: { petId: 7 } }))).toEqual({ status: "skipped", message: "404 for an id that was not obtained from the API" });
    expect(status_code_conformance(ctx({ ...put, status: 404, pathParams: { petId: "{{petId}}" } })).status).toBe("failed");
    // one parameter of two not obtained from the API is enough; only a string can name a variable
    const nested = { method: "GET", path: "/owners/{ownerId}/pets/{petId}", status: 404 };
    expect(status_code_conformance(on({ ...nested, pathParams: { ownerId: "{{ownerId}}", petId: 7 } }, [response("200")])).status).toBe("skipped");
    expect(status_code_conformance(on({ ...read, status: 404, pathParams: { petId: ["{{petId}}"] } }, [response("200")])).status).toBe("skipped");
  });

  it("status_code_conformance: each pass and skip says why; only a 4xx to an invalid request is excused", () => {
    expect(status_code_conformance(ctx({ method: "PATCH", path: "/pets", status: 200 }))).toEqual({ status: "skipped", message: "no documented operation for PATCH /pets" });
    expect(status_code_conformance(on({ ...known, status: 500 }, []))).toEqual({ status: "skipped", message: "the operation documents no responses" });
    expect(status_code_conformance(on({ ...known, status: 418 }, [response("200"), response("default")]))).toEqual({ status: "passed", message: "a default response covers every status" });
    expect(status_code_conformance(on({ ...known, status: 418 }, [response(" Default ")]))).toEqual({ status: "passed", message: "a default response covers every status" });
    expect(status_code_conformance(ctx({ ...known, status: 200 }))).toEqual({ status: "passed", message: "200 is documented (200)" });
    expect(status_code_conformance(ctx({ ...known, status: 400 }, { params: { requestValid: false } }))).toEqual({ status: "skipped", message: "400 to a request that is not known to be schema-valid" });
    expect(status_code_conformance(ctx({ ...known, status: 500 }, { params: { requestValid: false } })).status).toBe("failed");
  });

  it("content_type_conformance: no body by status or method, whatever the bytes; each verdict's reason", () => {
    const withBody = [response("200", json({})), response("204", json({}))];
    expect(content_type_conformance(on({ ...read, status: 204, headers: {}, body: "x" }, withBody))).toEqual({ status: "skipped", message: "the response has no body" });
    expect(content_type_conformance(on({ ...read, method: "HEAD", status: 200, headers: {}, body: "x" }, withBody)).status).toBe("skipped");
    expect(content_type_conformance(ctx({ method: "PATCH", path: "/pets", status: 200, body: "x" })).message).toBe("no documented operation for PATCH /pets");
    expect(content_type_conformance(ctx({ ...read, status: 500, body: "x" })).message).toBe("status 500 is not documented");
    expect(content_type_conformance(on({ ...read, status: 200, body: "x" }, [response("200")])).message).toBe("no media type documented for 200");
    const two = [response("200", [{ contentType: "text/csv" }, { contentType: "application/json" }])];
    expect(content_type_conformance(on({ ...read, status: 200, headers: {}, body: "x" }, two)).message).toBe("GET /pets/{petId} answered 200 with a body but no Content-Type (documented: text/csv, application/json)");
    expect(content_type_conformance(ctx({ ...read, status: 200, headers: { "content-type": "json" }, body: "{}" })).message).toBe('GET /pets/{petId} answered with a malformed Content-Type "json"');
    expect(content_type_conformance(ctx({ ...read, status: 200, headers: { "content-type": "application/json" }, body: "{}" }))).toEqual({ status: "passed", message: "application/json is documented" });
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "text/csv" }, body: "a" }, two))).toEqual({ status: "passed", message: "text/csv is documented" });
    const jsons = [response("200", [{ contentType: "application/json" }, { contentType: "application/problem+json" }])];
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "application/vnd.api+json" }, body: "{}" }, jsons)).message).toBe("application/vnd.api+json is JSON like the documented application/json, application/problem+json");
    // a success documented only as a vendor JSON type (JSON:API) answered as plain application/json breaks its contract
    const vendor = [response("200", [{ contentType: "application/vnd.api+json" }]), response("404", [{ contentType: "application/vnd.api+json" }])];
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: "{}" }, vendor))).toEqual({
      status: "failed",
      message: "GET /pets/{petId} answered 200 with plain application/json, documented: application/vnd.api+json",
      signature: "content-type:application/json",
    });
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "application/vnd.api+json" }, body: "{}" }, vendor)).status).toBe("passed");
    // an error answer, or problem+json, or a documented plain JSON type beside it: JSON is JSON
    expect(content_type_conformance(on({ ...read, status: 404, headers: { "content-type": "application/json" }, body: "{}" }, vendor)).status).toBe("passed");
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "application/problem+json" }, body: "{}" }, vendor)).status).toBe("passed");
    const both = [response("200", [{ contentType: "application/vnd.api+json" }, { contentType: "application/json" }])];
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "application/json" }, body: "{}" }, both)).status).toBe("passed");
    expect(content_type_conformance(on({ ...read, status: 200, headers: { "content-type": "Text/HTML ; charset=utf-8" }, body: "<p>" }, two))).toEqual({
      status: "failed",
      message: "GET /pets/{petId} answered 200 with text/html, documented: text/csv, application/json",
      signature: "content-type:text/html",
    });
  });

  it("response_schema_conformance: each skip's reason, HEAD whatever the bytes, an unresolvable schema", () => {
    expect(response_schema_conformance(ctx({ method: "PATCH", path: "/pets", status: 200, body: {} })).message).toBe("no documented operation for PATCH /pets");
    expect(response_schema_conformance(ctx({ ...read, status: 500, body: {} })).message).toBe("status 500 is not documented");
    expect(response_schema_conformance(on({ ...read, status: 200, body: {} }, [response("200", [{ contentType: "application/json" }])])).message).toBe("no schema documented for 200");
    expect(response_schema_conformance(on({ ...read, status: 200, body: "a" }, [response("200", [{ contentType: "text/plain", schema: {} }])])).message).toBe("documented media type text/plain is not JSON");
    expect(response_schema_conformance(ctx({ ...read, status: 200, headers: { "content-type": "text/html" }, body: "<p>" })).message).toBe("response is text/html, not JSON");
    const object = [response("200", json({ type: "object" }))];
    expect(response_schema_conformance(on({ ...read, method: "HEAD", status: 200, headers: { "content-type": "application/json" } }, object))).toEqual({ status: "skipped", message: "the response has no body" });
    const truncated = ctx({ ...read, status: 200, body: "[" });
    truncated.response.bodyTruncated = true;
    expect(response_schema_conformance(truncated).message).toBe("body truncated at 1 bytes: cannot validate");
    const dangling = response_schema_conformance(on({ ...read, status: 200, body: {} }, [response("200", json({ $ref: "#/components/schemas/Nope" }))]));
    expect(dangling.status).toBe("skipped");
    expect(dangling.message).toMatch(/^schema cannot be evaluated: ./);
    expect(response_schema_conformance(ctx({ ...read, status: 200, body: { id: 1, name: "Rex" } }))).toEqual({ status: "passed", message: "body matches the schema documented for 200" });
  });

  it("response_schema_conformance: the messages of an empty, an unparsable and an invalid body", () => {
    expect(response_schema_conformance(ctx({ ...read, status: 200, headers: { "content-type": "application/json" } }))).toEqual({
      status: "failed",
      message: "GET /pets/{petId} answered 200 with an empty body where JSON is documented",
      signature: "json:empty",
    });
    const invalid = response_schema_conformance(ctx({ ...read, status: 200, headers: { "content-type": "application/json" }, body: "{oops" }));
    expect(invalid.message).toMatch(/^GET \/pets\/\{petId\} answered 200 with a body that is not JSON \(.+\) where JSON is documented$/);
    expect(response_schema_conformance(ctx({ ...read, status: 200, body: { id: 1, name: 5 } })).message).toBe('GET /pets/{petId} 200 body violates the schema at /name: Instance type "number" is invalid. Expected "string".');
  });

  it("response_schema_conformance: each wording of a stream, blank lines, the response view, each message's place", () => {
    const streamed = (body: string, description: string, schema: unknown = { $ref: "#/components/schemas/Error" }) =>
      response_schema_conformance(on({ ...read, status: 200, headers: { "content-type": "application/json" }, body }, [{ ...response("200", json(schema)), description }]));
    const two = '{"message":"a"}\n{"message":"b"}\n';
    for (const description of ["stream results", "Streaming response", "a streamed result", "one stream message per event"]) expect(streamed(two, description).status, description).toBe("passed");
    expect(streamed(two, "a stream of results").signature).toBe("json:invalid");
    expect(streamed('{"message":"a"}\n \r\n{"message":"b"}', "streaming responses")).toEqual({ status: "passed", message: "each of the 2 stream messages matches the schema documented for 200" });
    expect(streamed("", "streaming responses")).toEqual({ status: "passed", message: "an empty stream (no message) for 200, documented as streaming" });
    // a stream of Pets leaves out the writeOnly password, as one body would
    expect(streamed('{"id":1,"name":"a"}\n', "streaming responses", { $ref: "#/components/schemas/Pet" }).status).toBe("passed");
    expect(streamed('{"message":"a"}\n[]\n', "streaming responses")).toEqual({ status: "failed", message: 'GET /pets/{petId} 200 stream message 2 violates the schema at /: Instance type "array" is invalid. Expected "object".', signature: "type:/" });
    expect(streamed('{"message":5}\n', "streaming responses")).toMatchObject({ message: 'GET /pets/{petId} 200 stream message 1 violates the schema at /message: Instance type "number" is invalid. Expected "string".', signature: "type:/message" });
    const dangling = streamed(two, "streaming responses", { $ref: "#/components/schemas/Nope" });
    expect(dangling.status).toBe("skipped");
    expect(dangling.message).toMatch(/^schema cannot be evaluated: ./);
  });

  it("response_headers_conformance: each reason, and every part of a finding", () => {
    const only = (headers: unknown[], received: Record<string, string>) => response_headers_conformance(on({ ...read, status: 200, headers: received }, [response("200", [], headers)]));
    expect(response_headers_conformance(ctx({ method: "PATCH", path: "/pets", status: 200 })).message).toBe("no documented operation for PATCH /pets");
    expect(response_headers_conformance(ctx({ status: 500 })).message).toBe("status 500 is not documented");
    expect(response_headers_conformance(ctx({ ...read, status: 200 })).message).toBe("no headers documented for 200");
    expect(response_headers_conformance(ctx({ status: 200, headers: { "X-Total": "3" }, body: [] })).message).toBe("documented headers present and valid");
    const integer = { type: "integer" };
    expect(only([{ name: "X-A", required: true, schema: {} }], {})).toEqual({ status: "failed", message: "GET /pets/{petId} 200: missing required header X-A", signature: "missing:x-a" });
    expect(only([{ name: "X-B", required: false, schema: integer }, { name: "X-A", required: false, schema: integer }], { "x-b": "b", "x-a": "a" })).toEqual({
      status: "failed",
      message: 'GET /pets/{petId} 200: invalid X-B="b" (Instance type "string" is invalid. Expected "integer".); X-A="a" (Instance type "string" is invalid. Expected "integer".)',
      signature: "invalid:x-a,x-b",
    });
  });

  it("response_headers_conformance reads the text as the schema's type, in the response view", () => {
    const one = (schema: unknown, value: string) => response_headers_conformance(on({ ...read, status: 200, headers: { "x-h": value } }, [response("200", [], [{ name: "X-H", required: true, schema }])])).status;
    // a string-or-integer header stays text: a maximum does not apply to it
    expect(one({ type: ["string", "integer"], maximum: 5 }, "12")).toBe("passed");
    expect(one({ type: "array" }, "5")).toBe("passed");
    expect(one({ enum: ["gzip, br"] }, "gzip, br")).toBe("passed");
    expect(one({ type: "array", items: { type: "string", enum: ["a", "b"] } }, "a, b")).toBe("passed");
    expect(one({ type: "array", items: { type: "string" } }, "1,2")).toBe("passed");
    expect(one({ type: "array", items: { type: "number" } }, "1.5,2")).toBe("passed");
    expect(one({ type: "array", items: { type: "integer" } }, "1,,2")).toBe("failed");
    expect(one({ $ref: "#/components/schemas/Nope" }, "x")).toBe("passed");
    // oneOf is read as anyOf in a response: a value both branches accept is valid
    expect(one({ type: "integer", oneOf: [{ minimum: 0 }, { maximum: 10 }] }, "5")).toBe("passed");
  });
});
