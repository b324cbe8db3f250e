import { describe, expect, it } from "vitest";
import type { CheckSpec, Step, TestCase } from "../../model";
import { dataExposure } from "./data-exposure";
import { functionalNegative } from "./functional-negative";
import { functionalPositive } from "./functional-positive";
import { AGENTS, getAgent } from "./index";
import { SignJWT, jwtVerify } from "jose";
import { forgeTokens, parseJwtCredential, probeKey } from "./jwt";
import { securityAuth } from "./security-auth";
import { securityInjection } from "./security-injection";
import { stateful } from "./stateful";
import { petstoreModel } from "./test-fixtures";
import type { Agent, PlanConfig } from "./types";
import { ModelValidator } from "../../jsonschema/validate";

const model = petstoreModel();
const validator = new ModelValidator(model);
const twoIdentities: PlanConfig = { identities: ["alice", "bob"], maxCasesPerOperation: 50 };
const oneIdentity: PlanConfig = { identities: ["alice"], maxCasesPerOperation: 50 };

async function run(agent: Agent, config = twoIdentities, seed = 1): Promise<TestCase[]> {
  return agent.generate({ model, seed, config });
}

function checksOf(step: Step, name: string): CheckSpec[] {
  return step.checks.filter((c) => c.name === name);
}

function lastStep(c: TestCase): Step {
  return c.steps[c.steps.length - 1];
}

function operation(id: string) {
  return model.operations.find((o) => o.operationId === id)!;
}

describe("registry", () => {
  it("names every agent once", () => {
    expect(AGENTS.map((a) => a.name)).toEqual(["functional-positive", "functional-negative", "stateful", "security-auth", "security-injection", "data-exposure"]);
    expect(getAgent("stateful")).toBe(stateful);
  });
});

describe("functional-positive", () => {
  it("claims acceptance only for valid requests without guessed ids", async () => {
    const cases = await run(functionalPositive);
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const main = lastStep(c);
      if (checksOf(main, "positive_data_acceptance").length === 0) continue;
      const op = model.operations.find((o) => o.method === main.request.method && o.path === main.request.path)!;
      if (main.request.body?.value !== undefined) expect(validator.check(main.request.body.value, op.requestBody!.content[0].schema), c.id).toBe("valid");
      for (const value of Object.values(main.request.pathParams)) expect(String(value)).toMatch(/^\{\{\w+\}\}$/);
    }
    // /files/{fileName} can only be guessed: no acceptance verdict there
    const files = cases.filter((c) => c.operationId === "getFile");
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((c) => checksOf(lastStep(c), "positive_data_acceptance").length === 0)).toBe(true);
  });

  it("uses spec examples first and fills ids from a create chain", async () => {
    const cases = await run(functionalPositive);
    const first = cases.find((c) => c.operationId === "createPet")!;
    expect(first.tags).toContain("examples");
    expect(lastStep(first).request.body?.value).toEqual({ name: "Rex", status: "available" });
    const order = cases.find((c) => c.operationId === "getOrder")!;
    expect(order.steps.map((s) => s.id)).toEqual(["setup-petId", "setup-orderId", "request"]);
    expect(order.steps[1].request.pathParams).toEqual({ petId: "{{petId}}" });
    expect(order.steps[1].extract).toEqual({ orderId: { from: "body", pointer: "/orderId" } });
    expect(order.steps.slice(0, 2).every((s) => s.requireSuccess)).toBe(true);
  });

  it("covers each oneOf branch of a body", async () => {
    const cases = (await run(functionalPositive)).filter((c) => c.operationId === "searchPets");
    const kinds = new Set(cases.map((c) => (lastStep(c).request.body?.value as { petType: string }).petType));
    expect(kinds).toEqual(new Set(["cat", "dog"]));
  });
});

describe("functional-negative", () => {
  it("sends only requests the validator rejects when it judges rejection", async () => {
    const cases = await run(functionalNegative);
    let judged = 0;
    for (const c of cases) {
      expect(c.kind).toBe("negative");
      const main = lastStep(c);
      const rejection = checksOf(main, "negative_data_rejection")[0];
      if (!rejection || rejection.params?.location !== "body" || main.request.body?.value === undefined) continue;
      const op = model.operations.find((o) => o.method === main.request.method && o.path === main.request.path)!;
      expect(validator.check(main.request.body.value, op.requestBody!.content[0].schema), `${c.id} ${c.title}`).toBe("invalid");
      judged++;
    }
    expect(judged).toBeGreaterThan(5);
  });

  it("covers missing headers, malformed JSON, wrong content type, boundaries and undeclared methods", async () => {
    const cases = await run(functionalNegative);
    const titles = cases.map((c) => c.title);
    expect(cases.some((c) => checksOf(lastStep(c), "missing_required_header")[0]?.params?.header === "X-Request-Id")).toBe(true);
    expect(titles).toContain("POST /pets: malformed JSON body");
    expect(titles).toContain("POST /pets: undeclared Content-Type text/plain");
    expect(titles).toContain("POST /pets/{petId}/orders: body maximum+1 at /quantity");
    // an optional limit out of range is judged against omitting it and its nearest valid value
    const limit = cases.find((c) => c.title.startsWith("GET /pets: query limit maximum+1"))!;
    expect(limit.steps.map((s) => s.id)).toEqual(["absent", "clamped", "request", "absent-again"]);
    expect(limit.steps[2].request.query.limit).toBe("101");
    expect(limit.steps[1].request.query.limit).toBe("100");
    expect(checksOf(limit.steps[2], "negative_data_rejection")[0]?.params).toMatchObject({ ignoredStep: "absent", clampedStep: "clamped" });
    const methods = cases.filter((c) => c.tags?.includes("unsupported-method"));
    expect(methods.map((c) => `${lastStep(c).request.method} ${lastStep(c).request.path}`).sort()).toEqual(
      ["patch /admin/stats", "patch /files/{fileName}", "patch /pets", "patch /pets/{petId}", "patch /pets/{petId}/orders", "patch /pets/{petId}/orders/{orderId}", "patch /search"].sort(),
    );
  });

  it("never judges rejection of weak (format) mutations", async () => {
    const cases = await run(functionalNegative);
    const weak = cases.filter((c) => c.tags?.includes("weak"));
    expect(weak.length).toBeGreaterThan(0);
    for (const c of weak) expect(checksOf(lastStep(c), "negative_data_rejection")).toEqual([]);
  });

  it("reads an id that was never created and judges the answer's conformance only", async () => {
    const cases = await run(functionalNegative);
    const unknown = cases.filter((c) => c.tags?.includes("unknown-id"));
    expect(unknown.map((c) => c.operationId).sort()).toEqual(["getFile", "getOrder", "getPet"]);
    const order = unknown.find((c) => c.operationId === "getOrder")!;
    const request = lastStep(order).request;
    expect(request.pathParams.petId).toBe("{{petId}}"); // the parent is real
    expect(validator.check(request.pathParams.orderId, { type: "string", format: "uuid" })).toBe("valid");
    expect(lastStep(order).checks.map((c) => c.name)).toEqual(expect.arrayContaining(["status_code_conformance", "content_type_conformance", "response_schema_conformance"]));
    expect(checksOf(lastStep(order), "negative_data_rejection")).toEqual([]);
  });

  it("keeps id path parameters real when another field is mutated", async () => {
    const cases = await run(functionalNegative);
    const order = cases.find((c) => c.title.startsWith("POST /pets/{petId}/orders: body maximum+1"))!;
    expect(order.steps[0].id).toBe("setup-petId");
    expect(lastStep(order).request.pathParams.petId).toBe("{{petId}}");
  });
});

describe("stateful", () => {
  it("builds create → read → update → read → update-again with the check parameters the checks expect", async () => {
    const cases = await run(stateful);
    const lifecycle = cases.find((c) => c.tags?.includes("lifecycle") && c.operationId === "createPet")!;
    expect(lifecycle.steps.map((s) => s.id)).toEqual(["create", "read-created", "list-after-create", "update", "read-updated", "update-again"]);
    const [create, read, list, update, reread, again] = lifecycle.steps;
    // the collection is listed while it holds the new item, for conformance
    expect(list.request).toMatchObject({ method: "get", path: "/pets" });
    expect(list.checks.map((c) => c.name)).toContain("response_schema_conformance");
    expect(create.requireSuccess).toBe(true);
    expect(create.extract).toEqual({ petId: { from: "body", pointer: "/id" } });
    expect(checksOf(read, "ensure_resource_availability")[0].params).toEqual({ createStep: "create" });
    expect(update.requireSuccess).toBe(true);
    const invariant = checksOf(reread, "stateful_invariant")[0];
    expect(invariant.params?.expectFrom).toBe("update");
    expect(invariant.params?.fields).toContain("name");
    expect(invariant.params?.fields).not.toContain("email"); // formats are normalised by servers
    expect(checksOf(again, "idempotency")[0].params).toEqual({ compareWith: "update" });
    expect(again.request).toEqual(update.request);
  });

  it("checks use after delete and follows the Location header", async () => {
    const cases = await run(stateful);
    const del = cases.find((c) => c.tags?.includes("delete") && c.operationId === "createPet")!;
    expect(del.steps.map((s) => s.id)).toEqual(["create", "read-before-delete", "delete", "read-deleted"]);
    expect(checksOf(del.steps[3], "use_after_free")[0].params).toEqual({ deleteStep: "delete" });
    const location = cases.find((c) => c.tags?.includes("location"))!;
    expect(location.steps[0].extract).toEqual({ location: { from: "header", name: "location" } });
    expect(lastStep(location).request.path).toBe("{{location}}");
    expect(checksOf(lastStep(location), "location_header")[0].params).toEqual({ createStep: "create" });
  });

  it("reads a child after deleting its parent", async () => {
    const cases = await run(stateful);
    const nested = cases.find((c) => c.tags?.includes("nested"))!;
    expect(nested.steps.map((s) => s.id)).toEqual(["setup-petId", "create", "delete-parent", "read-child"]);
    const [, , del, read] = nested.steps;
    expect(del.request).toMatchObject({ method: "delete", path: "/pets/{petId}", pathParams: { petId: "{{petId}}" } });
    expect(del.requireSuccess).toBe(true);
    expect(read.request).toMatchObject({ method: "get", path: "/pets/{petId}/orders/{orderId}", pathParams: { petId: "{{petId}}", orderId: "{{orderId}}" } });
    expect(checksOf(read, "use_after_free")[0].params).toEqual({ deleteStep: "delete-parent" });
  });

  it("patches one field of a fully created resource and expects the others unchanged", async () => {
    const withPatch = petstoreModel();
    withPatch.schemas.PetPatch = { type: "object", properties: { name: { type: "string", minLength: 1, maxLength: 50 }, status: { type: "string", enum: ["available", "pending", "sold"] }, age: { type: "integer", minimum: 0, maximum: 30 } } };
    withPatch.operations.push({ ...operation("updatePet"), operationId: "patchPet", method: "patch", requestBody: { required: true, content: [{ contentType: "application/merge-patch+json", schema: { $ref: "#/components/schemas/PetPatch" } }] } });
    const cases = await stateful.generate({ model: withPatch, seed: 1, config: twoIdentities });
    const merge = cases.find((c) => c.tags?.includes("merge-patch"))!;
    expect(merge.steps.map((s) => s.id)).toEqual(["create", "read-before", "patch", "read-after"]);
    const [create, , patch, read] = merge.steps;
    // every optional field is set at creation, so a wiped one shows
    expect(Object.keys(create.request.body?.value as object)).toEqual(expect.arrayContaining(["name", "status", "age", "email"]));
    const sent = Object.keys(patch.request.body?.value as object);
    expect(sent).toHaveLength(1);
    expect(patch.request.body?.contentType).toBe("application/merge-patch+json");
    const params = checksOf(read, "stateful_invariant")[0].params!;
    expect(params).toMatchObject({ expectFrom: "patch", fields: sent, unchangedFrom: "read-before" });
    expect(params.unchanged).toEqual(["name", "status", "age"].filter((f) => f !== sent[0]));
    // no such chain without a PATCH, nor for a PATCH with required fields
    expect((await run(stateful)).some((c) => c.tags?.includes("merge-patch"))).toBe(false);
  });

  it("patches an optional member to null when the PATCH admits it and the read does not, with the read's ETag as If-Match", async () => {
    const nullCases = async (patchSchema: Record<string, unknown>) => {
      const withPatch = petstoreModel();
      withPatch.schemas.PetPatch = patchSchema;
      const patchPet = { ...operation("updatePet"), operationId: "patchPet", method: "patch" as const, requestBody: { required: true, content: [{ contentType: "application/merge-patch+json", schema: { $ref: "#/components/schemas/PetPatch" } }] } };
      patchPet.parameters = [...patchPet.parameters, { name: "If-Match", in: "header", required: true, schema: { type: "string" } }];
      withPatch.operations.push(patchPet);
      return (await stateful.generate({ model: withPatch, seed: 1, config: twoIdentities })).filter((c) => c.tags?.includes("null-member"));
    };
    const [nulled] = await nullCases({ type: "object", properties: { name: { type: "string", minLength: 1, maxLength: 50 }, age: { type: ["integer", "null"], minimum: 0, maximum: 30 }, email: { type: ["string", "null"], format: "email" } } });
    expect(nulled.steps.map((s) => s.id)).toEqual(["create", "read-before", "patch", "read-after"]);
    const [create, before, patch, after] = nulled.steps;
    expect(create.requireSuccess).toBe(true);
    // every optional member the read does not admit null for, at once
    expect(patch.request.body).toEqual({ contentType: "application/merge-patch+json", value: { age: null, email: null } });
    expect(before.extract).toEqual({ etag: { from: "header", name: "etag" } });
    expect(patch.request.headers["If-Match"]).toBe("{{etag}}");
    for (const judged of [patch, after]) expect(checksOf(judged, "response_schema_conformance")).toHaveLength(1);
    // the read admits null too (Pet.tag), a required member (name), or nothing may be null: no such case
    expect(await nullCases({ type: "object", properties: { name: { type: ["string", "null"] }, tag: { type: ["string", "null"] } } })).toEqual([]);
    expect(await nullCases({ type: "object", properties: { name: { type: "string" }, age: { type: "integer" } } })).toEqual([]);
  });

  it("creates parents first for nested resources", async () => {
    const cases = await run(stateful);
    const nested = cases.find((c) => c.operationId === "createOrder")!;
    expect(nested.steps[0]).toMatchObject({ id: "setup-petId", requireSuccess: true });
    expect(nested.steps[1].id).toBe("create");
    expect(nested.steps[2].request.pathParams).toEqual({ petId: "{{petId}}", orderId: "{{orderId}}" });
  });
});

describe("security-auth", () => {
  it("probes secured operations only, with the check variants the checks read", async () => {
    const cases = (await run(securityAuth, oneIdentity)).filter((c) => c.tags?.includes("auth"));
    const ops = new Set(cases.map((c) => c.operationId));
    expect(ops.has("listPets")).toBe(false); // security [{}]: anonymous allowed
    expect(ops.has("getFile")).toBe(false); // security []
    const create = cases.filter((c) => c.operationId === "createPet");
    const variants = create.flatMap((c) => lastStep(c).checks.filter((k) => k.name === "ignored_auth" || k.name === "jwt_weakness").map((k) => `${k.name}:${k.params?.variant}`));
    expect(variants.sort()).toEqual(["ignored_auth:expired", "ignored_auth:malformed", "ignored_auth:none", "ignored_auth:wrong-scheme", "jwt_weakness:alg-none", "jwt_weakness:wrong-key"]);
    for (const c of create) expect(lastStep(c).request.identity).toBeNull();
    const algNone = create.find((c) => c.tags?.includes("alg-none"))!;
    const token = String(lastStep(algNone).request.headers.Authorization);
    expect(parseJwtCredential(token)?.header.alg).toBe("none");
    expect(checksOf(lastStep(algNone), "jwt_weakness")[0].params?.baselineStep).toBe("anonymous");
    expect(algNone.steps.find((s) => s.id === "anonymous")?.request.identity).toBeNull();
  });

  it("copies the configured identity's claims into forged tokens", async () => {
    const claims = { sub: "user-42", role: "user" };
    const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const credential = `Bearer ${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}.c2ln`;
    const cases = await run(securityAuth, { ...oneIdentity, identityTokens: { alice: credential } });
    const expired = cases.find((c) => c.operationId === "getPet" && c.tags?.includes("expired"))!;
    const forged = parseJwtCredential(String(lastStep(expired).request.headers.Authorization))!;
    expect(forged.claims.sub).toBe("user-42");
    expect(forged.claims.exp as number).toBeLessThan(Date.UTC(2001, 0, 1) / 1000);
    expect(String(lastStep(expired).request.headers.Authorization)).not.toBe(credential);
    const forgedAgain = await forgeTokens(parseJwtCredential(credential), probeKey(1));
    expect(forgedAgain.wrongKey.split(".")[2]).not.toBe("c2ln");
  });

  it("never reuses the real token's signature: forged tokens verify under the run's probe key only", async () => {
    const realSecret = new TextEncoder().encode("the-target's-own-secret-0123456789");
    const real = await new SignJWT({ sub: "alice", exp: 4102444800 }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(realSecret);
    const cases = await run(securityAuth, { ...oneIdentity, identityTokens: { alice: `Bearer ${real}` } });
    const sent = cases.flatMap((c) => c.steps.map((s) => JSON.stringify(s.request)));
    expect(sent.filter((text) => text.includes(real.split(".")[2]))).toEqual([]);
    const token = (tag: string) => String(lastStep(cases.find((c) => c.operationId === "getPet" && c.tags?.includes(tag))!).request.headers.Authorization).replace(/^Bearer /, "");
    for (const tag of ["expired", "wrong-key"]) {
      const forged = token(tag);
      await expect(jwtVerify(forged, realSecret)).rejects.toThrow(/signature/);
      const verified = await jwtVerify(forged, probeKey(1), { currentDate: new Date(Date.UTC(1999, 0, 1)) });
      expect(verified.payload.sub).toBe("alice");
    }
    // the same seed forges the same tokens (plans are reproducible); the real signature never appears
    const again = await run(securityAuth, { ...oneIdentity, identityTokens: { alice: `Bearer ${real}` } });
    expect(String(lastStep(again.find((c) => c.operationId === "getPet" && c.tags?.includes("expired"))!).request.headers.Authorization)).toBe(`Bearer ${token("expired")}`);
  });

  it("chains BOLA across identities and BFLA on privileged operations", async () => {
    const cases = await run(securityAuth);
    const bola = cases.find((c) => c.tags?.includes("bola") && c.id.includes("createPet@/pets/{petId}"))!;
    expect(bola.steps.map((s) => `${s.id}:${s.request.identity}`)).toEqual(["create:alice", "anonymous-read:null", "owner-list:alice", "attacker-list:bob", "owner-list-again:alice", "attacker-read:bob", "attacker-update:bob", "attacker-delete:bob", "owner-read:alice"]);
    // both listings tell a resource shared by design (listed to bob) from a private one (only to alice);
    // the same request each time, the owner's again after bob's: records kept throughout that bob's lacks
    expect(bola.steps[3].request).toMatchObject({ method: "get", path: "/pets" });
    expect({ ...bola.steps[3].request, identity: "alice" }).toEqual(bola.steps[2].request);
    expect(bola.steps[4].request).toEqual(bola.steps[2].request);
    expect(checksOf(bola.steps[5], "bola")[0].params).toMatchObject({ ownerStep: "create", action: "read", anonymousStep: "anonymous-read", listStep: "attacker-list", ownerListStep: "owner-list", ownerListAgainStep: "owner-list-again", idVariable: "petId", idProperty: "id" });
    expect(checksOf(bola.steps[7], "bola")[0].params).toMatchObject({ action: "delete", verifyStep: "owner-read" });
    const bfla = cases.filter((c) => c.tags?.includes("bfla"));
    expect(bfla.map((c) => c.operationId)).toEqual(["adminStats"]);
    expect(lastStep(bfla[0]).request.identity).toBe("bob");
    // a single identity: no cross-identity chains
    const single = await run(securityAuth, oneIdentity);
    expect(single.some((c) => c.tags?.includes("bola") || c.tags?.includes("bfla"))).toBe(false);
  });
});

describe("security-injection", () => {
  it("sends a baseline then the payload with the family's check", async () => {
    const cases = await run(securityInjection);
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases.filter((c) => !c.tags?.includes("redos"))) {
      // a time pair's checked steps are its first-round sleeps
      const payload = c.tags?.includes("time-pair") ? c.steps.find((s) => s.id.startsWith("sleep-"))! : c.steps.find((s) => s.id === "payload")!;
      expect(payload).toBeDefined();
      const injection = payload.checks.find((k) => k.name !== "not_a_server_error" && k.name !== "error_disclosure");
      // a stack trace the payload makes the server print is a disclosure; its database errors are the injection check's
      if (!c.tags?.includes("time-pair")) expect(payload.checks.find((k) => k.name === "error_disclosure")).toEqual({ name: "error_disclosure", params: { databaseErrors: false } });
      if (!injection) {
        expect(c.tags).toContain("prompt");
        continue;
      }
      expect(injection.params).toMatchObject({ location: expect.stringMatching(/^(query|path|header|body)\./), payload: expect.any(String) });
      if (c.steps.some((s) => s.id === "baseline")) expect(injection.params?.baselineStep).toBe("baseline");
    }
    const traversal = cases.find((c) => c.operationId === "getFile" && c.tags?.includes("path_traversal"))!;
    expect(String(lastStep(traversal).request.pathParams.fileName)).toMatch(/\.\./);
    expect(cases.some((c) => c.tags?.includes("sql") && c.title.includes("body.name"))).toBe(true);
  });

  it("pairs reads: boolean pairs in string and integer inputs (numeric form for integers), time pairs with zero-second twins", async () => {
    const cases = await run(securityInjection);
    const booleans = cases.filter((c) => c.tags?.includes("boolean-pair"));
    const times = cases.filter((c) => c.tags?.includes("time-pair"));
    expect(booleans.length).toBeGreaterThan(0);
    expect(times.length).toBeGreaterThan(0);
    for (const c of [...booleans, ...times]) expect(c.operationId).toMatch(/^(get|list|search)/i);
    for (const c of booleans) expect(c.steps.slice(-5).map((s) => s.id)).toEqual(["baseline", "false", "payload", "control", "repeat"]);
    const stepText = (c: (typeof cases)[number], id: string) => JSON.stringify(c.steps.find((s) => s.id === id)!.request);
    expect(booleans.some((c) => / OR 1=1"/.test(stepText(c, "payload")) && / AND 1=2"/.test(stepText(c, "false")))).toBe(true);
    expect(booleans.some((c) => /' OR '1'='1' -- "/.test(stepText(c, "payload")))).toBe(true);
    // free-form text also gets the comment-free form, whose server-side closing quote balances it
    expect(booleans.some((c) => /' OR 'a' LIKE 'a"/.test(stepText(c, "payload")) && /' AND 'a' LIKE 'b"/.test(stepText(c, "false")))).toBe(true);
    for (const c of times) {
      const checked = c.steps.filter((s) => s.checks.some((k) => k.name === "sql_injection"));
      expect(checked.map((s) => s.id)).toEqual(["sleep-mysql-1", "sleep-postgresql-1", "sleep-mssql-1"]);
      for (const s of checked) {
        const params = s.checks.find((k) => k.name === "sql_injection")!.params!;
        expect(params).toMatchObject({ delayMs: 2000, baselineStep: "baseline", repeatStep: s.id.replace(/-1$/, "-2"), controlStep: s.id.replace("sleep", "zero") });
        expect(stepText(c, String(params.controlStep))).toMatch(/SLEEP\(0\)|pg_sleep\(0\)|0:0:0/);
      }
    }
  });

  it("finds the string fields of a oneOf body in the branch its value belongs to", async () => {
    const cases = await run(securityInjection);
    const inBody = cases.filter((c) => c.operationId === "searchPets" && c.title.includes("in body."));
    expect(inBody.map((c) => c.title)).toEqual(expect.arrayContaining([expect.stringContaining("payload in body.petType")]));
  });

  it("respects maxCasesPerOperation", async () => {
    const cases = await run(securityInjection, { ...twoIdentities, maxCasesPerOperation: 2 });
    const perOp = new Map<string, number>();
    const redos = new Map<string, number>();
    // the catastrophic-backtracking case (at most one per operation, run last) is beside the cap
    for (const c of cases) (c.tags?.includes("redos") ? redos : perOp).set(c.operationId, ((c.tags?.includes("redos") ? redos : perOp).get(c.operationId) ?? 0) + 1);
    expect(Math.max(...perOp.values())).toBeLessThanOrEqual(2);
    expect(Math.max(...redos.values())).toBe(1);
    // families interleave: a cap of 2 still gets two different families
    const create = cases.filter((c) => c.operationId === "createPet" && !c.tags?.includes("redos")).map((c) => c.tags![1]);
    expect(new Set(create).size).toBe(2);
  });
});

describe("data-exposure", () => {
  it("injects server-controlled and privileged properties and reads them back", async () => {
    const cases = await run(dataExposure);
    const mass = cases.find((c) => c.tags?.includes("mass-assignment") && c.title.startsWith("POST /pets "))!;
    expect(mass.steps.map((s) => s.id)).toEqual(["baseline-create", "create", "read-back"]);
    // the baseline create sends no injection: it shows the server's defaults
    expect(mass.steps[0].request.body?.value).not.toHaveProperty("role");
    const write = mass.steps[1];
    // with unique values of its own: the same name twice would collide (409, or a 500 on a server
    // whose unique index is unguarded) and hide the probe
    const unique = (step: Step) => (step.request.body?.value as Record<string, unknown>).name;
    expect(unique(mass.steps[0])).not.toBe(unique(write));
    expect(mass.steps[0].request.unique).toEqual(write.request.unique);
    // the example's name is unique-looking: it gets a fresh value so the create does not collide
    expect(write.request.body?.value).toMatchObject({ name: expect.stringMatching(/^R\w{2}/), role: "admin", isAdmin: true, id: 987654 });
    expect(lastStep(mass).request.method).toBe("get");
    // the check sits on the write (it reads the write's schema and status) and names the read-back
    const properties = checksOf(write, "mass_assignment").map((k) => k.params?.property);
    expect(properties).toEqual(expect.arrayContaining(["role", "isAdmin", "id"]));
    expect(checksOf(write, "mass_assignment")[0].params).toMatchObject({ readStep: "read-back", baselineStep: "baseline-create" });
    // declared writable properties are never "injected"
    expect(properties).not.toContain("name");
    const reads = cases.filter((c) => c.tags?.includes("exposure"));
    expect(new Set(reads.map((c) => c.operationId))).toEqual(new Set(["listPets", "getPet", "getOrder", "adminStats", "getFile"]));
  });
});
