import { describe, expect, it } from "vitest";
import { content_type_conformance, not_a_server_error, response_headers_conformance, response_schema_conformance, status_code_conformance } from "./conformance";
import { max_response_time } from "./performance";
import { ctx } from "./test-support";

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
});

describe("max_response_time", () => {
  it("fails over the configured budget and passes under it", () => {
    expect(max_response_time(ctx({ durationMs: 900 }, { maxResponseTimeMs: 500 }))).toMatchObject({ status: "failed", signature: "exceeded" });
    expect(max_response_time(ctx({ durationMs: 100 }, { maxResponseTimeMs: 500 })).status).toBe("passed");
    expect(max_response_time(ctx({ durationMs: 900 }, { params: { limitMs: 1000 }, maxResponseTimeMs: 500 })).status).toBe("passed");
    expect(max_response_time(ctx({ durationMs: 900 })).status).toBe("skipped");
  });
});
