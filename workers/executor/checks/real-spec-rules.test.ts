/**
 * Rules learnt from running Sentinel against spec-faithful mocks of real specs
 * (test/node/real-specs-false-alarms.test.ts): each guards one false alarm seen there.
 */
import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { bfla, bola } from "./auth";
import { status_code_conformance } from "./conformance";
import { validateSchema } from "../../jsonschema/validate";
import { objectShape } from "./support";
import { ctx, record } from "./test-support";

describe("status_code_conformance and requests the agent could not make valid", () => {
  it("skips a 4xx when the step says the request is not known to be valid, judges it otherwise", () => {
    const step = { method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", status: 400 };
    expect(status_code_conformance(ctx(step, { params: { requestValid: false } })).status).toBe("skipped");
    expect(status_code_conformance(ctx(step)).status).toBe("failed");
    expect(status_code_conformance(ctx({ ...step, status: 418 }, { params: { requestValid: false } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...step, status: 302 }, { params: { requestValid: false } })).status).toBe("failed");
  });
});

describe("bola and bfla on operations that require no authentication", () => {
  it("skips: a server that reads no credentials cannot tell identities apart", () => {
    const owner = record({ id: "create", method: "POST", path: "/pets", status: 201, identity: "alice" });
    const publicRead = record({ id: "attacker", method: "GET", path: "/things/{id}", urlPath: "/things/1", status: 200, body: { id: 1 }, identity: "bob" });
    expect(bola(ctx(publicRead, { others: [owner], params: { ownerStep: "create" } })).status).toBe("skipped");
    expect(bfla(ctx(publicRead)).status).toBe("skipped");
    const securedRead = record({ id: "attacker", method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", status: 200, body: { id: 1, name: "Rex" }, identity: "bob" });
    expect(bola(ctx(securedRead, { others: [owner], params: { ownerStep: "create" } })).status).toBe("failed");
  });
});

const model = (schemas: ApiModel["schemas"]): ApiModel => ({ sourceVersion: "3.0.3", title: "t", version: "1", servers: [], operations: [], securitySchemes: {}, schemas });

describe("objectShape over union branches", () => {
  it("keeps every branch's schema of a property the branches declare differently", () => {
    const m = model({
      Card: { type: "object", properties: { customer: { anyOf: [{ type: "string" }, { $ref: "#/components/schemas/Customer" }] } } },
      Source: { type: "object", properties: { customer: { type: "string" } } },
      Customer: { type: "object", properties: { client_secret: { type: "string" } } },
    });
    const shape = objectShape(m, { anyOf: [{ $ref: "#/components/schemas/Card" }, { $ref: "#/components/schemas/Source" }] });
    expect(objectShape(m, shape.properties.customer).properties).toHaveProperty("client_secret");
  });
});

describe("schema-validator: patterns written as regex literals", () => {
  it("reads /^…$/ as its body", () => {
    const m = model({});
    const schema = { type: "string", pattern: "/^[a-z0-9._]+$/" };
    expect(validateSchema(m, schema, "chocobozzz", "request").valid).toBe(true);
    expect(validateSchema(m, schema, "Not Valid!", "response").valid).toBe(false);
  });
});

describe("status_code_conformance and an operation whose text says it redirects (httpbin's /cookies/set)", () => {
  const redirecting = (text: { summary?: string; description?: string }, status = 302, headers: Record<string, string> = { location: "/cookies" }) => {
    const rec = record({ method: "GET", path: "/pets", status, headers });
    return ctx({ ...rec, operation: { ...rec.operation!, ...text } });
  };
  it("accepts a 3xx with a Location when the operation says it redirects, though only 200 is listed", () => {
    expect(status_code_conformance(redirecting({ summary: "Sets a cookie and redirects to the cookie list." })).status).toBe("passed");
    expect(status_code_conformance(redirecting({ description: "Redirect to cookie list" }, 303)).status).toBe("passed");
  });
  it("still flags a 3xx the text does not announce, one without a Location, and a 304", () => {
    expect(status_code_conformance(redirecting({ summary: "List pets" })).status).toBe("failed");
    expect(status_code_conformance(redirecting({ summary: "Creates a redirect for a short link" })).status).toBe("failed");
    expect(status_code_conformance(redirecting({ summary: "Sets a cookie and redirects to the cookie list." }, 302, {})).status).toBe("failed");
    expect(status_code_conformance(redirecting({ summary: "Sets a cookie and redirects to the cookie list." }, 304)).status).toBe("failed");
  });
});

describe("status_code_conformance and an id read from a listing's first item", () => {
  it("gives a 404 no verdict (a listing may show what cannot be read one by one), judges it for a created id", () => {
    const step = { method: "DELETE", path: "/pets/{petId}", urlPath: "/pets/7", status: 404 };
    expect(status_code_conformance(ctx({ ...step, pathParams: { petId: "{{listed_petId}}" } })).status).toBe("skipped");
    expect(status_code_conformance(ctx({ ...step, pathParams: { petId: "{{petId}}" } })).status).toBe("failed");
  });
});
