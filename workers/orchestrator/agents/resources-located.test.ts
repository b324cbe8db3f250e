import { describe, expect, it } from "vitest";
import { parseSpec } from "../spec";
import { ResourceGraph } from "./resources";
import { securityAuth } from "./security-auth";

/** A job started by one operation and polled at its Location (/jobs/{jobId}), nothing POSTs to /jobs. */
function jobsApi(location = true, schema = "#/components/schemas/Job", status = "202") {
  const hal = (ref: string) => ({ content: { "application/hal+json": { schema: { $ref: ref } } } });
  const doc = {
    openapi: "3.0.3",
    info: { title: "Jobs", version: "1" },
    components: { schemas: { Job: { type: "object", properties: { id: { type: "integer" }, state: { type: "string" } } }, Other: { type: "object", properties: { id: { type: "integer" } } } } },
    paths: {
      "/reports/usage": { post: { operationId: "startReport", responses: { [status]: { description: "accepted", ...(location ? { headers: { Location: { schema: { type: "string" } } } } : {}), ...hal(schema) } } } },
      "/jobs/{jobId}": { get: { operationId: "getJob", parameters: [{ name: "jobId", in: "path", required: true, schema: { type: "integer" } }], responses: { "200": { description: "a job", ...hal("#/components/schemas/Job") } } } },
    },
  };
  return parseSpec(JSON.stringify(doc)).model!;
}

describe("a resource created elsewhere and named by a Location", () => {
  it("the operation whose 202 has a Location and the item read's own schema produces the id, from its Location", () => {
    const model = jobsApi();
    const producer = new ResourceGraph(model).producerFor(model.operations.find((o) => o.operationId === "getJob")!, "jobId");
    expect(producer).toMatchObject({ op: { operationId: "startReport" }, extract: { from: "location-id" }, via: "located" });
  });
  it("not without a Location, nor with another schema, nor from a 201 (an action answering the resource)", () => {
    for (const model of [jobsApi(false), jobsApi(true, "#/components/schemas/Other"), jobsApi(true, "#/components/schemas/Job", "201")]) {
      expect(new ResourceGraph(model).producerFor(model.operations.find((o) => o.operationId === "getJob")!, "jobId")).toBeUndefined();
    }
  });
  it("security cases on the item start the job first and read its Location; no BOLA read without a listing to tell shared from leaked", async () => {
    const model = jobsApi();
    model.securitySchemes = { bearer: { name: "bearer", type: "http", scheme: "bearer" } };
    for (const op of model.operations) op.security = [{ bearer: [] }];
    const cases = await securityAuth.generate({ model, seed: 3, config: { identities: ["a", "b"], maxCasesPerOperation: 20 } });
    const onJob = cases.filter((c) => c.operationId === "getJob");
    expect(onJob.length).toBeGreaterThan(0);
    const setup = onJob.flatMap((c) => c.steps).find((s) => s.id === "setup-jobId");
    expect(setup).toMatchObject({ request: { method: "post", path: "/reports/usage" }, extract: { jobId: { from: "location-id" } } });
    expect(cases.some((c) => c.tags?.includes("bola"))).toBe(false);
  });
});
