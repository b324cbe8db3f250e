import { describe, expect, it } from "vitest";
import { parseSpec } from "../spec";
import { securityAuth } from "./security-auth";

/** Copies created under their book (POST /books/{bookId}/copies), read at /copies/{copyId}. */
function catalogueApi(listingSecurity: unknown[]) {
  const json = (ref: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } } });
  const id = (name: string) => ({ name, in: "path", required: true, schema: { type: "integer" } });
  const doc = {
    openapi: "3.1.0",
    info: { title: "Catalogue", version: "1" },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Book: { type: "object", required: ["title"], properties: { id: { type: "integer", readOnly: true }, title: { type: "string" } } },
        Copy: { type: "object", required: ["barcode"], properties: { id: { type: "integer", readOnly: true }, book_id: { type: "integer", readOnly: true }, barcode: { type: "string" } } },
      },
    },
    paths: {
      "/books": { post: { operationId: "addBook", requestBody: { required: true, ...json("Book") }, responses: { "201": { description: "new", ...json("Book") } } } },
      "/books/{bookId}/copies": {
        parameters: [id("bookId")],
        get: { operationId: "listCopies", security: listingSecurity, responses: { "200": { description: "copies", content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { $ref: "#/components/schemas/Copy" } } } } } } } } },
        post: { operationId: "addCopy", requestBody: { required: true, ...json("Copy") }, responses: { "201": { description: "new", ...json("Copy") } } },
      },
      "/copies/{copyId}": { parameters: [id("copyId")], get: { operationId: "getCopy", responses: { "200": { description: "a copy", ...json("Copy") } } } },
    },
  };
  return parseSpec(JSON.stringify(doc)).model!;
}

async function bolaRead(listingSecurity: unknown[]) {
  const cases = await securityAuth.generate({ model: catalogueApi(listingSecurity), seed: 5, config: { identities: ["a", "b"], maxCasesPerOperation: 20 } });
  return cases.find((c) => c.tags?.includes("bola") && c.operationId === "getCopy")!;
}

describe("BOLA on a resource created under a parent and read elsewhere", () => {
  it("lists the parent's sub-collection without credentials before the attacker's read when the spec makes that listing public", async () => {
    const steps = (await bolaRead([])).steps;
    const ids = steps.map((s) => s.id);
    const open = steps.find((s) => s.id === "public-list")!;
    expect(open.request).toMatchObject({ method: "get", path: "/books/{bookId}/copies", identity: null, pathParams: { bookId: "{{bookId}}" } });
    expect(ids.indexOf("public-list")).toBeLessThan(ids.indexOf("attacker-read"));
    expect(steps.find((s) => s.id === "attacker-read")!.checks.find((c) => c.name === "bola")!.params).toMatchObject({ publicListStep: "public-list", idVariable: "copyId" });
  });
  it("not when the listing needs credentials (the spec does not say anyone may see it)", async () => {
    const steps = (await bolaRead([{ bearer: [] }])).steps;
    expect(steps.some((s) => s.id === "public-list")).toBe(false);
    expect(steps.find((s) => s.id === "attacker-read")!.checks.find((c) => c.name === "bola")!.params).not.toHaveProperty("publicListStep");
  });
});
