/**
 * Constraints deep in a body (an envelope `{ data: { attributes: … } }` holding an array of
 * objects): the negative agent breaks each constraint keyword at any depth, on every write method,
 * even under a small cap per operation and when the base request leaves the optional property out.
 */
import { describe, expect, it } from "vitest";
import type { TestCase } from "../../model";
import { ModelValidator } from "../../jsonschema/validate";
import { parseSpec } from "../spec";
import { dataExposure } from "./data-exposure";
import { functionalNegative } from "./functional-negative";
import { functionalPositive } from "./functional-positive";

const json = (schema: unknown) => ({ "application/json": { schema } });
const LINE = { type: "object", required: ["sku", "qty"], properties: { sku: { type: "string", minLength: 1, maxLength: 20 }, qty: { type: "integer", minimum: 5, maximum: 500, multipleOf: 5 }, note: { type: "string", maxLength: 40 } } };
const ATTRIBUTES = {
  type: "object",
  required: ["title", "city", "size", "lines"],
  additionalProperties: false,
  properties: {
    title: { type: "string", minLength: 1, maxLength: 60 },
    city: { type: "string", minLength: 1, maxLength: 60 },
    size: { type: "integer", minimum: 1, maximum: 100 },
    priority: { type: "string", enum: ["low", "high"] },
    labels: { type: "array", maxItems: 4, uniqueItems: true, items: { type: "string", pattern: "^[a-z]{1,10}$" } },
    lines: { type: "array", minItems: 1, maxItems: 5, items: { $ref: "#/components/schemas/Line" } },
    pinned: { type: "boolean", readOnly: true },
  },
};
const DOCUMENT = { type: "object", properties: { data: { type: "object", properties: { id: { type: "string" }, attributes: { $ref: "#/components/schemas/Attributes" } } } } };
const WRITE = { type: "object", required: ["data"], additionalProperties: false, properties: { data: { type: "object", required: ["attributes"], additionalProperties: false, properties: { attributes: { $ref: "#/components/schemas/Attributes" } } } } };
const example = { data: { attributes: { title: "Spring order", city: "Porto", size: 10, priority: "low", labels: ["fresh", "local"], lines: [{ sku: "A-1", qty: 25 }] } } };
const spec = {
  openapi: "3.0.3",
  info: { title: "orders", version: "1" },
  components: { schemas: { Line: LINE, Attributes: ATTRIBUTES, Write: WRITE } },
  paths: {
    "/orders": { post: { operationId: "createOrder", requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Write" }, example } } }, responses: { "201": { description: "created", content: json(DOCUMENT) }, "422": { description: "invalid" } } } },
    "/orders/{orderId}": {
      parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string" } }],
      get: { operationId: "getOrder", responses: { "200": { description: "the order", content: json(DOCUMENT) }, "404": { description: "none" } } },
      // no example: the base request has the required parts only (no labels)
      put: { operationId: "putOrder", requestBody: { required: true, content: json({ $ref: "#/components/schemas/Write" }) }, responses: { "200": { description: "replaced" }, "422": { description: "invalid" } } },
    },
  },
};

const { model } = parseSpec(JSON.stringify(spec));
const validator = new ModelValidator(model!);
const bodyOf = (c: TestCase) => c.steps[c.steps.length - 1].request.body?.value as { data: { attributes: Record<string, unknown> } };
const judged = (c: TestCase) => c.steps[c.steps.length - 1].checks.some((k) => k.name === "negative_data_rejection");

async function negatives(cap: number): Promise<TestCase[]> {
  return functionalNegative.generate({ model: model!, seed: 5, config: { identities: [], maxCasesPerOperation: cap } });
}

describe("negative mutations of nested constraints", () => {
  it("breaks a multipleOf inside an array item and uniqueItems inside an envelope, on POST and PUT, within a small cap", async () => {
    const cases = await negatives(30);
    for (const operationId of ["createOrder", "putOrder"]) {
      const own = cases.filter((c) => c.operationId === operationId && judged(c));
      const multiple = own.find((c) => c.title.includes("not a multiple of 5 at /data/attributes/lines/0/qty"));
      expect(multiple, `${operationId}: ${own.map((c) => c.title).join("\n")}`).toBeDefined();
      expect((bodyOf(multiple!).data.attributes.lines as { qty: number }[])[0].qty % 5).not.toBe(0);
      const duplicates = own.find((c) => c.title.includes("duplicate items with uniqueItems at /data/attributes/labels"));
      expect(duplicates, `${operationId}: ${own.map((c) => c.title).join("\n")}`).toBeDefined();
      const labels = bodyOf(duplicates!).data.attributes.labels as string[];
      expect(new Set(labels).size).toBeLessThan(labels.length);
    }
  });

  it("changes one thing per case: the body is valid once the broken spot is restored", async () => {
    const cases = (await negatives(50)).filter((c) => judged(c) && c.title.includes("/data/attributes/"));
    expect(cases.length).toBeGreaterThan(20);
    const schema = model!.operations.find((o) => o.operationId === "putOrder")!.requestBody!.content[0].schema;
    for (const c of cases) expect(validator.check(bodyOf(c), schema), c.title).toBe("invalid");
    // the optional labels the PUT base left out are added on their own, then broken
    const put = cases.find((c) => c.operationId === "putOrder" && c.title.includes("duplicate items"))!;
    const restored = { ...bodyOf(put).data.attributes, labels: [...new Set(bodyOf(put).data.attributes.labels as string[])] };
    expect(validator.check({ data: { attributes: restored } }, schema)).toBe("valid");
    // a readOnly property is never added to be broken
    expect(cases.filter((c) => c.title.includes("/pinned"))).toEqual([]);
  });
});

describe("mass assignment of a readOnly property inside an envelope", () => {
  it("injects it where it lives (through $ref) and judges it there, against the same write without it", async () => {
    const cases = await dataExposure.generate({ model: model!, seed: 5, config: { identities: [], maxCasesPerOperation: 20 } });
    for (const method of ["post", "put"]) {
      const probe = cases.find((c) => c.tags?.includes("mass-assignment") && c.steps.some((s) => s.request.method === method && s.checks.some((k) => k.name === "mass_assignment")));
      expect(probe, method).toBeDefined();
      const write = probe!.steps.find((s) => s.checks.some((k) => k.name === "mass_assignment"))!;
      expect((write.request.body!.value as { data: { attributes: Record<string, unknown> } }).data.attributes.pinned).toBe(true);
      expect(write.checks.find((k) => k.name === "mass_assignment")!.params).toMatchObject({ property: "/data/attributes/pinned", injected: true, readStep: "read-back" });
    }
  });
});

describe("documented limits inside an envelope, as valid values", () => {
  it("sends a nested number at its maximum against a baseline one step inside (a multipleOf step in an array item)", async () => {
    const cases = await functionalPositive.generate({ model: model!, seed: 5, config: { identities: [], maxCasesPerOperation: 50 } });
    const pairs = (title: string) => {
      const c = cases.find((x) => x.title === title);
      expect(c, cases.filter((x) => x.tags?.includes("boundary")).map((x) => x.title).join("\n")).toBeDefined();
      const [baseline, request] = c!.steps.slice(-2);
      expect(baseline.requireSuccess).toBe(true);
      expect(request.checks.find((k) => k.name === "positive_data_acceptance")!.params).toMatchObject({ valid: true, baselineStep: "baseline" });
      return [baseline, request].map((s) => s.request.body!.value as { data: { attributes: Record<string, unknown> } });
    };
    const [inner, max] = pairs("POST /orders with body data.attributes.size at its maximum 100");
    expect([inner.data.attributes.size, max.data.attributes.size]).toEqual([99, 100]);
    // one value differs; the optional properties on the way are left out
    expect({ ...max.data.attributes, size: 99 }).toEqual(inner.data.attributes);
    expect(max.data.attributes.labels).toBeUndefined();
    const [innerQty, maxQty] = pairs("POST /orders with body data.attributes.lines.0.qty at its maximum 500");
    expect([(innerQty.data.attributes.lines as { qty: number }[])[0].qty, (maxQty.data.attributes.lines as { qty: number }[])[0].qty]).toEqual([495, 500]);
  });
});
