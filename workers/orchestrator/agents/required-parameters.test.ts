import { describe, expect, it } from "vitest";
import type { Step, TestCase } from "../../model";
import { parseSpec } from "../spec";
import { planRun } from "../plan";
import { AGENTS } from ".";

// Every path requires a version header (path-level, as APIs that version by header declare it) and
// a region cookie; the key goes in the query. Shapes that make requests outside buildRequest: a
// profile read (self parameter, takeovers, foreign data), a listing nothing creates in, a create
// answering Location, a PUT with a read-back, a path with an undeclared method.
const spec = `
openapi: 3.1.0
info: { title: t, version: "1" }
security: [{ key: [] }]
components:
  securitySchemes:
    key: { type: apiKey, in: query, name: api_key }
  parameters:
    Version: { name: X-Api-Version, in: header, required: true, schema: { type: string, enum: ["3"] } }
    Region: { name: region, in: cookie, required: true, schema: { type: string, const: eu } }
  schemas:
    User: { type: object, required: [username, email], properties: { username: { type: string }, email: { type: string, format: email } } }
    Depot: { type: object, required: [id, name], properties: { id: { type: string }, name: { type: string } } }
    Pet: { type: object, required: [name], properties: { id: { type: integer, readOnly: true }, name: { type: string, maxLength: 20 }, tag: { type: string, maxLength: 10 } } }
paths:
  /me:
    parameters: [{ $ref: "#/components/parameters/Version" }, { $ref: "#/components/parameters/Region" }]
    get:
      operationId: getMe
      responses: { "200": { description: me, content: { application/json: { schema: { $ref: "#/components/schemas/User" } } } } }
  /users/{username}:
    parameters: [{ $ref: "#/components/parameters/Version" }, { $ref: "#/components/parameters/Region" }, { name: username, in: path, required: true, schema: { type: string } }]
    get:
      operationId: getUser
      responses: { "200": { description: user, content: { application/json: { schema: { $ref: "#/components/schemas/User" } } } } }
  /depots:
    parameters: [{ $ref: "#/components/parameters/Version" }, { $ref: "#/components/parameters/Region" }]
    get:
      operationId: listDepots
      responses: { "200": { description: depots, content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Depot" } } } } } }
  /depots/{depotId}/pets:
    parameters: [{ $ref: "#/components/parameters/Version" }, { $ref: "#/components/parameters/Region" }, { name: depotId, in: path, required: true, schema: { type: string } }]
    get:
      operationId: listPets
      responses: { "200": { description: pets, content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Pet" } } } } } }
    post:
      operationId: createPet
      requestBody: { required: true, content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } } }
      responses:
        "201":
          description: created
          headers: { Location: { required: true, schema: { type: string } } }
          content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } }
  /depots/{depotId}/pets/{petId}:
    parameters: [{ $ref: "#/components/parameters/Version" }, { $ref: "#/components/parameters/Region" }, { name: depotId, in: path, required: true, schema: { type: string } }, { name: petId, in: path, required: true, schema: { type: integer } }]
    get:
      operationId: getPet
      responses: { "200": { description: pet, content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } } }, "404": { description: gone } }
    put:
      operationId: replacePet
      requestBody: { required: true, content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } } }
      responses: { "200": { description: pet, content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } } } }
    delete:
      operationId: deletePet
      responses: { "204": { description: deleted } }
`;

/** Steps meant to go without a required header or cookie, or with a wrong one: a negative case's own subject. */
function probesTheParameter(step: Step): boolean {
  return step.checks.some((c) => c.name === "missing_required_header" || (c.name === "negative_data_rejection" && (c.params?.location === "header" || c.params?.location === "cookie")));
}

describe("requests made outside the cases' parameter filler", () => {
  it("send the operation's required header and cookie parameters, as the cases do", async () => {
    const parsed = parseSpec(spec);
    const model = parsed.model!;
    const plan = await planRun({ model, seed: 5, agents: AGENTS.map((a) => a.name), config: { identities: ["ann", "bob"], maxCasesPerOperation: 30 } });
    const missing: string[] = [];
    const kinds = new Set<string>();
    for (const testCase of plan.cases as TestCase[]) {
      for (const step of testCase.steps) {
        if (probesTheParameter(step)) continue;
        const request = step.request;
        const path = String(request.path);
        // a spec path of this API, or the Location of a create (every item of the API requires them)
        const ours = path === "{{location}}" || model.operations.some((o) => o.path === path);
        if (!ours) continue;
        const removed = (request.removeHeaders ?? []).map((h) => h.toLowerCase());
        if (removed.includes("x-api-version")) continue;
        const header = Object.entries(request.headers ?? {}).find(([h]) => h.toLowerCase() === "x-api-version")?.[1];
        const cookie = request.cookies?.region;
        kinds.add(step.id.replace(/-\d+$/, ""));
        if (header !== "3" || cookie !== "eu") missing.push(`${testCase.id} ${step.id} ${String(request.method).toUpperCase()} ${path} header=${String(header)} cookie=${String(cookie)}`);
      }
    }
    expect(missing).toEqual([]);
    // the shapes built outside buildRequest were planned (else the test proves nothing about them)
    for (const id of ["setup-self-username", "setup-listed-depotId", "follow-location", "read-back"]) expect([...kinds]).toContain(id);
  });
});
