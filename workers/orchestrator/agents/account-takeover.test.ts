import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { accountTakeoverDrafts } from "./account-takeover";
import { agentEnv } from "./requests";

const json = "application/json";
function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}
const obj = (properties: Record<string, unknown>) => ({ type: "object", required: Object.keys(properties), properties });
const ok = (status: string, schema: Record<string, unknown>) => ({ status, content: [{ contentType: json, schema }], headers: [], links: [] });

function model(extra: Operation[]): ApiModel {
  return {
    sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {},
    securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer" } },
    operations: [
      op({ operationId: "join", method: "post", path: "/members", security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ login: { type: "string", minLength: 3, maxLength: 12 }, password: { type: "string", minLength: 8 } }) }] }, responses: [ok("201", obj({ login: { type: "string" }, id: { type: "integer" } }))] }),
      op({ operationId: "token", method: "post", path: "/tokens", security: [], requestBody: { required: true, content: [{ contentType: json, schema: obj({ login: { type: "string" }, password: { type: "string" } }) }] }, responses: [ok("200", obj({ access_token: { type: "string" } }))] }),
      ...extra,
    ],
  } as ApiModel;
}
const param = (name: string, type = "string") => ({ name, in: "path" as const, required: true, schema: { type } });
const change = (path: string, name: string, type?: string) => op({ operationId: "setPassword", method: "put", path, parameters: [param(name, type)], requestBody: { required: true, content: [{ contentType: json, schema: obj({ new_password: { type: "string", minLength: 8 } }) }] }, responses: [ok("204", {})] });

function plan(m: ApiModel, identities: string[]) {
  return accountTakeoverDrafts(agentEnv({ model: m, seed: 1, config: { identities, maxCasesPerOperation: 10 } }));
}

describe("account takeover cases", () => {
  it("sign a victim up, prove its login, let the run's identity set a new password on the victim's identifier, confirm by the victim's login", () => {
    const [entry] = plan(model([change("/members/{login}/password", "login")]), ["alice", "bob"]);
    const steps = entry.drafts[0].steps;
    expect(steps.map((s) => s.id)).toEqual(["create", "victim-login", "attacker-update", "victim-login-new"]);
    expect(steps[0].request.identity).toBeNull();
    expect(steps[0].extract).toMatchObject({ victim: { from: "body", pointer: "/login" } });
    expect(steps[2].request).toMatchObject({ identity: "bob", pathParams: { login: "{{victim}}" } });
    expect(steps[2].checks.find((c) => c.name === "bola")?.params).toMatchObject({ confirmStep: "victim-login-new", action: "update" });
    // every password Sentinel chose is marked secret, and the new one is the one the victim logs in with
    expect(steps[0].request.secrets).toEqual(["/password"]);
    expect(steps[2].request.secrets).toEqual(["/new_password"]);
    expect(steps[3].request.secrets).toEqual(["/password"]);
    const newPassword = (steps[2].request.body!.value as Record<string, string>).new_password;
    expect((steps[3].request.body!.value as Record<string, string>).password).toBe(newPassword);
    expect((steps[1].request.body!.value as Record<string, string>).password).toBe((steps[0].request.body!.value as Record<string, string>).password);
    expect((steps[3].request.body!.value as Record<string, string>).login).toBe("{{victim_username}}");
  });

  it("addresses users by id on a user path, and attacks alone with a single identity", () => {
    const [entry] = plan(model([change("/members/{id}/password", "id", "integer")]), ["only"]);
    expect(entry.drafts[0].steps[0].extract?.victim).toEqual({ from: "body", pointer: "/id" });
    expect(entry.drafts[0].steps[2].request.identity).toBe("only");
  });

  it("nothing without an identity, a signup/login flow, or a path naming the user", () => {
    expect(plan(model([change("/members/{login}/password", "login")]), [])).toEqual([]);
    expect(plan(model([change("/vaults/{vault}/password", "vault")]), ["a", "b"])).toEqual([]);
    const noLogin = model([change("/members/{login}/password", "login")]);
    noLogin.operations = noLogin.operations.filter((o) => o.operationId !== "token");
    expect(plan(noLogin, ["a", "b"])).toEqual([]);
  });
});
