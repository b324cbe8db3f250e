import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../model";
import { CoverageBuilder, coverageGapLines, coverageSummaryLine, expectedFamilies, valuesNotSent } from "./coverage";
import { ReportCoverageSchema } from "./types";

const op = (partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation => ({
  tags: [],
  deprecated: false,
  parameters: [],
  responses: [],
  security: [],
  pointer: "",
  ...partial,
});
const json = (status: string) => ({ status, content: [], headers: [], links: [] });

const model: ApiModel = {
  sourceVersion: "3.0.3",
  title: "Things",
  version: "1",
  servers: [],
  schemas: { Thing: { type: "object", required: ["sku"], properties: { sku: { type: "string" }, urgent: { type: "boolean" }, size: { enum: ["s", "m", "l"] } } } },
  securitySchemes: {},
  operations: [
    op({
      operationId: "listThings",
      method: "get",
      path: "/things",
      parameters: [{ name: "status", in: "query", required: false, schema: { type: "string", enum: ["open", "closed"] } }, { name: "archived", in: "query", required: false, schema: { type: "boolean" } }],
      responses: [json("200"), json("204"), json("4XX")],
    }),
    op({ operationId: "createThing", method: "post", path: "/things", requestBody: { required: true, content: [{ contentType: "application/json", schema: { $ref: "#/components/schemas/Thing" } }] }, responses: [json("201"), json("409")] }),
    op({ operationId: "getThing", method: "get", path: "/things/{sku}", parameters: [{ name: "sku", in: "path", required: true, schema: { type: "string" } }], responses: [json("200"), json("404")], security: [{ key: [] }] }),
    op({ operationId: "resetThings", method: "post", path: "/admin/reset", responses: [json("204")] }),
  ],
};

const BASE = "http://127.0.0.1:9/v1";

describe("coverage report", () => {
  it("says per operation which statuses, parameters and values were exercised, and why a check family could not run", () => {
    const builder = new CoverageBuilder(model, { identities: 1, heldBack: [{ operationId: "resetThings", reason: "destructive: operationId says reset" }] });
    builder.add({
      agent: "functional-positive",
      operationId: "listThings",
      status: "passed",
      reason: null,
      checks: [{ check: "status_code_conformance", stepId: "a", status: "passed" }],
      exchanges: [
        { stepId: "a", method: "GET", url: `${BASE}/things?status=open&archived=true`, status: 200 },
        { stepId: "b", method: "GET", url: `${BASE}/things?archived=false`, status: 500 },
      ],
    });
    for (let i = 0; i < 3; i++) {
      builder.add({
        agent: "stateful",
        operationId: "createThing",
        status: "skipped",
        reason: "step create (precondition) answered 409",
        checks: [],
        exchanges: [{ stepId: "create", method: "POST", url: `${BASE}/things`, body: JSON.stringify({ sku: "HAM-1", urgent: true, size: "m" }), status: 409 }],
      });
    }
    builder.add({
      agent: "functional-negative",
      operationId: "getThing",
      status: "passed",
      reason: null,
      checks: [{ check: "status_code_conformance", stepId: "r", status: "passed" }, { check: "negative_data_rejection", stepId: "r", status: "skipped", message: "no constraint" }],
      exchanges: [{ stepId: "r", method: "GET", url: `${BASE}/things/unknown-1`, status: 404 }],
    });
    const coverage = builder.build();
    expect(ReportCoverageSchema.safeParse(coverage).success).toBe(true);
    const [list, create, get, reset] = coverage.operations;

    expect(list).toMatchObject({ requests: 2, statusesSeen: ["200"], statusesNotSeen: ["204", "4XX"], undocumented: { "500": 1 } });
    expect(list.parameters).toEqual([
      { name: "status", in: "query", required: false, sent: 1, valuesSeen: ["open"], valuesNotSeen: ["closed"] },
      { name: "archived", in: "query", required: false, sent: 2, valuesSeen: ["true", "false"], valuesNotSeen: [] },
    ]);
    expect(valuesNotSent(list)).toBe("query status: closed");
    expect(list.checks).toEqual({ status_code_conformance: { passed: 1, failed: 0, skipped: 0 } });

    expect(create).toMatchObject({ requests: 3, statusesSeen: ["409"], statusesNotSeen: ["201"] });
    expect(create.parameters.find((p) => p.name === "size")).toMatchObject({ in: "body", sent: 3, valuesSeen: ["m"], valuesNotSeen: ["s", "l"] });
    expect(create.parameters.find((p) => p.name === "urgent")).toMatchObject({ valuesSeen: ["true"], valuesNotSeen: ["false"] });

    // the item's stateful and authorization checks never ran: the create always collided; one identity only
    expect(get.parameters[0]).toMatchObject({ name: "sku", in: "path", sent: 1 });
    expect(get.notRun).toEqual([
      { family: "input validation", reason: "no constraint (1×)" },
      { family: "stateful", reason: "no resource created: POST /things answered 409 ×3 — unique fields?" },
      { family: "authentication", reason: "no case of this family applied to this operation" },
      { family: "authorization", reason: "no second identity: give two --identity to test who may touch whose resources" },
    ]);
    expect(reset.notRun).toEqual([{ family: "all", reason: "operation held back as destructive (destructive: operationId says reset); --allow-destructive runs it" }]);

    expect(coverage.summary).toEqual({ operations: 4, reached: 3, statusesDocumented: 8, statusesSeen: 3, valuesDocumented: 9, valuesSeen: 5, gaps: get.notRun.length + reset.notRun.length + list.notRun.length + create.notRun.length });
    expect(coverageSummaryLine(coverage)).toContain("3/4 operations reached · documented statuses 3/8 seen");
    expect(coverageGapLines(coverage)).toContain("GET /things/{sku}: stateful — no resource created: POST /things answered 409 ×3 — unique fields?");
  });

  it("names the field a refused create's error body names instead of guessing a collision, and the skipped precondition's too", () => {
    const builder = new CoverageBuilder(model, { identities: 1, heldBack: [] });
    const answers = [
      JSON.stringify({ code: "unprocessable", message: "Unknown warehouse", details: [{ field: "body/warehouseId", message: "no such warehouse" }] }),
      JSON.stringify({ type: "about:blank", "invalid-params": [{ name: "warehouseId", reason: "unknown" }] }),
      JSON.stringify({ detail: [{ loc: ["body", "warehouseId"], msg: "unknown" }] }),
    ];
    for (const answer of answers) {
      builder.add({
        agent: "stateful",
        operationId: "getThing",
        status: "skipped",
        reason: "step setup-sku (precondition) answered 422",
        checks: [],
        exchanges: [{ stepId: "setup-sku", method: "POST", url: `${BASE}/things`, body: JSON.stringify({ sku: "A" }), status: 422, answer }],
      });
    }
    const reached = { agent: "functional-positive", operationId: "getThing", status: "passed" as const, reason: null, checks: [], exchanges: [{ stepId: "r", method: "GET", url: `${BASE}/things/x`, status: 404 }] };
    builder.add(reached);
    const get = builder.build().operations.find((o) => o.operationId === "getThing")!;
    expect(get.notRun.find((n) => n.family === "stateful")?.reason).toBe("no resource created: POST /things answered 422 ×3 — the answers name body/warehouseId (×1), warehouseId (×1), /warehouseId (×1)");
    // an answer that is no JSON, or a 2xx, names nothing
    const plain = new CoverageBuilder(model, { identities: 1, heldBack: [] });
    plain.add(reached);
    plain.add({ agent: "stateful", operationId: "getThing", status: "skipped", reason: "step setup-sku (precondition) answered 422", checks: [], exchanges: [{ stepId: "setup-sku", method: "POST", url: `${BASE}/things`, status: 422, answer: "Unprocessable" }] });
    expect(plain.build().operations.find((o) => o.operationId === "getThing")!.notRun.find((n) => n.family === "stateful")?.reason).toBe("no resource created: POST /things answered 422 ×1 — unique fields?");
    const skipped = new CoverageBuilder(model, { identities: 1, heldBack: [] });
    skipped.add(reached);
    skipped.add({ agent: "functional-negative", operationId: "getThing", status: "skipped", reason: "step setup-sku (precondition) answered 422", checks: [], exchanges: [{ stepId: "setup-sku", method: "POST", url: `${BASE}/things`, status: 422, answer: answers[0] }] });
    expect(skipped.build().operations.find((o) => o.operationId === "getThing")!.notRun.find((n) => n.family === "input validation")?.reason).toBe("precondition POST /things answered 422 naming body/warehouseId (1×)");
  });

  it("lists the properties of every branch of a oneOf body, and which discriminator values were sent", () => {
    const card = { type: "object", required: ["method", "amount", "last4"], properties: { method: { type: "string", enum: ["card"] }, amount: { type: "integer" }, last4: { type: "string" } } };
    const bank = { type: "object", required: ["method", "amount", "iban"], properties: { method: { type: "string", enum: ["bank_transfer"] }, amount: { type: "integer" }, iban: { type: "string" }, note: { type: "string" } } };
    const pay = op({ operationId: "pay", method: "post", path: "/payments", requestBody: { required: true, content: [{ contentType: "application/json", schema: { oneOf: [card, bank], discriminator: { propertyName: "method" } } }] }, responses: [json("201")] });
    const builder = new CoverageBuilder({ ...model, operations: [pay] }, { identities: 1, heldBack: [] });
    builder.add({ agent: "functional-positive", operationId: "pay", status: "passed", reason: null, checks: [], exchanges: [{ stepId: "a", method: "POST", url: `${BASE}/payments`, body: JSON.stringify({ method: "card", amount: 5, last4: "4242" }), status: 201 }] });
    const [payment] = builder.build().operations;
    expect(payment.parameters.map((p) => [p.name, p.required, p.sent])).toEqual([["method", true, 1], ["amount", true, 1], ["last4", true, 1], ["iban", true, 0], ["note", false, 0]]);
    expect(payment.parameters[0]).toMatchObject({ valuesSeen: ["card"], valuesNotSeen: ["bank_transfer"] });
  });

  it("expects families from an operation's shape", () => {
    expect(expectedFamilies(model, model.operations[0])).toEqual(["conformance", "input validation"]);
    expect(expectedFamilies(model, model.operations[2])).toEqual(["conformance", "input validation", "stateful", "authentication", "authorization"]);
  });
});
