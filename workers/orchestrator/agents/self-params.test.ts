import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";

const json = "application/json";
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}
const ok = (schema: Record<string, unknown>) => ({ status: "200", content: [{ contentType: json, schema }], headers: [], links: [] });
const param = (name: string) => ({ name, in: "path" as const, required: true, schema: { type: "string" } });
const me = op({ operationId: "me", method: "get", path: "/users/me", responses: [ok({ type: "object", properties: { user: { type: "object", properties: { handle: { type: "string" }, email: { type: "string", format: "email" }, id: { type: "integer" } } } } })] });

function model(extra: Operation[], withProfile = true): ApiModel {
  return { sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {}, securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } }, operations: [...(withProfile ? [me] : []), ...extra] } as ApiModel;
}

const build = (m: ApiModel, operationId: string, identities = ["alice", "bob"], identity?: string | null) =>
  buildRequest(agentEnv({ model: m, seed: 1, config: { identities, maxCasesPerOperation: 10 } }), m.operations.find((o) => o.operationId === operationId)!, new Rng(1), { useExamples: true, optional: "required", ...(identity !== undefined ? { identity } : {}) });

describe("account path parameters from the identity's own profile", () => {
  it("fills a username, an e-mail or a user id that nothing creates from the profile, read as the request's identity", () => {
    const m = model([
      op({ operationId: "byName", method: "get", path: "/users/{username}", security: [], parameters: [param("username")] }),
      op({ operationId: "byMail", method: "get", path: "/people/by-mail/{email}", parameters: [param("email")] }),
      op({ operationId: "byId", method: "get", path: "/accounts/{id}", parameters: [param("id")] }),
    ]);
    const byName = build(m, "byName");
    expect(byName.setup).toEqual([expect.objectContaining({ id: "setup-self-username", request: expect.objectContaining({ method: "get", path: "/users/me" }), extract: { self_username: { from: "body", pointer: "/user/handle" } }, requireSuccess: true })]);
    expect(byName.request.pathParams.username).toBe("{{self_username}}");
    expect(build(m, "byMail").setup[0].extract).toEqual({ self_email: { from: "body", pointer: "/user/email" } });
    expect(build(m, "byId").setup[0].extract).toEqual({ self_id: { from: "body", pointer: "/user/id" } });
    expect(build(m, "byName", ["alice", "bob"], "bob").setup[0].request.identity).toBe("bob");
  });

  it("leaves writes, other parameters, runs without identities and specs without a profile alone", () => {
    const m = model([
      op({ operationId: "rename", method: "put", path: "/users/{username}", parameters: [param("username")] }),
      op({ operationId: "project", method: "get", path: "/projects/{id}", parameters: [param("id")] }),
      op({ operationId: "byName", method: "get", path: "/users/{username}", parameters: [param("username")] }),
    ]);
    expect(build(m, "rename").setup).toEqual([]);
    expect(build(m, "project").setup).toEqual([]);
    expect(build(m, "byName", []).setup).toEqual([]);
    const noProfile = model([op({ operationId: "byName", method: "get", path: "/users/{username}", parameters: [param("username")] })], false);
    expect(build(noProfile, "byName").setup).toEqual([]);
  });
});
