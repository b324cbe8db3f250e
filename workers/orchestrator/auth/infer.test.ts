import { describe, expect, it } from "vitest";
import type { ApiModel, Operation } from "../../model";
import { inferAuthFlow, placementFor, profileOperation } from "./infer";

const json = "application/json";

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: "#", ...partial };
}
const body = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ required: true, content: [{ contentType: json, schema: { type: "object", required, properties } }] });
const ok = (status: string, properties: Record<string, unknown>, headers: { name: string }[] = []) => ({ status, content: [{ contentType: json, schema: { type: "object", properties } }], headers: headers.map((h) => ({ ...h, required: false, schema: {} })), links: [] });

function model(operations: Operation[], schemes: ApiModel["securitySchemes"] = { bearer: { name: "bearer", type: "http", scheme: "bearer" } }): ApiModel {
  return { sourceVersion: "3.1.0", title: "t", version: "1", servers: [], securitySchemes: schemes, schemas: {}, operations } as ApiModel;
}

const secured = op({ operationId: "listNotes", method: "get", path: "/notes", responses: [ok("200", {})] });
const me = op({ operationId: "whoAmI", method: "get", path: "/account", responses: [ok("200", { handle: { type: "string" }, email: { type: "string", format: "email" } })] });
const register = op({
  operationId: "createAccount",
  method: "post",
  path: "/accounts",
  security: [],
  requestBody: body({ account: { type: "object", required: ["email", "secret_password"], properties: { email: { type: "string", format: "email" }, secret_password: { type: "string", minLength: 10 } } } }),
  responses: [ok("201", { id: { type: "integer" }, email: { type: "string" } })],
});
const session = op({
  operationId: "openSession",
  method: "post",
  path: "/sessions",
  security: [],
  requestBody: body({ email: { type: "string" }, password: { type: "string" } }),
  responses: [ok("200", { data: { type: "object", properties: { access_token: { type: "string" } } } })],
});

describe("inferAuthFlow", () => {
  it("finds a signup (password beside an e-mail, in a wrapper) and a login (token in a nested body field) by fields, not names", () => {
    const inferred = inferAuthFlow(model([secured, me, register, session]));
    expect(inferred.flow?.signup?.op.operationId).toBe("createAccount");
    expect(inferred.flow?.login).toEqual({ op: { operationId: "openSession", method: "post", path: "/sessions" }, token: "/data/access_token" });
    expect(inferred.flow?.placement).toEqual({ in: "header", name: "Authorization", prefix: "Bearer " });
    expect(inferred.flow?.profile?.operationId).toBe("whoAmI");
  });

  it("takes the token from a documented credential header or cookie when the body has none", () => {
    const cookieLogin = op({ ...session, operationId: "signIn", path: "/signin", responses: [ok("204", {}, [{ name: "Set-Cookie" }])] });
    const inferred = inferAuthFlow(model([op({ ...secured, security: [{ sid: [] }] }), register, cookieLogin], { sid: { name: "sid", type: "apiKey", in: "cookie", paramName: "sid" } }));
    expect(inferred.flow?.login?.token).toBe("Set-Cookie");
    expect(inferred.flow?.placement).toEqual({ in: "cookie", name: "sid" });
  });

  it("uses the signup's own token when there is no login", () => {
    const signupWithToken = op({ ...register, responses: [ok("201", { user: { type: "object", properties: { token: { type: "string" } } } })] });
    const inferred = inferAuthFlow(model([op({ ...secured, security: [{ key: [] }] }), signupWithToken], { key: { name: "key", type: "apiKey", in: "header", paramName: "X-Token" } }));
    expect(inferred.flow?.login).toBeUndefined();
    expect(inferred.flow?.signupToken).toBe("/user/token");
    expect(inferred.flow?.placement).toEqual({ in: "header", name: "X-Token", prefix: "" });
  });

  it("says why there is no flow: no signup, no password operation, nothing secured", () => {
    expect(inferAuthFlow(model([secured, session])).reason).toMatch(/logs in, but no public operation registers a user/);
    expect(inferAuthFlow(model([secured])).reason).toMatch(/no public operation takes a password/);
    expect(inferAuthFlow(model([{ ...register }, { ...session }].map((o) => o), {})).reason).toMatch(/no secured operation/);
  });

  it("never takes a password reset, a secured operation or a password change as a way in", () => {
    const reset = op({ ...register, operationId: "resetPassword", path: "/password-resets" });
    const securedSignup = op({ ...register, operationId: "inviteUser", security: [{ bearer: [] }] });
    expect(inferAuthFlow(model([secured, reset, securedSignup, session])).flow).toBeUndefined();
  });
});

describe("placementFor / profileOperation", () => {
  it("reads the scheme the secured operations use most", () => {
    const m = model([secured], { bearer: { name: "bearer", type: "http", scheme: "bearer" } });
    expect(placementFor(m)).toEqual({ in: "header", name: "Authorization", prefix: "Bearer " });
    expect(placementFor(model([op({ ...secured, security: [] })]))).toBeUndefined();
  });
  it("a profile is a secured GET without path parameters answering a user-like object", () => {
    expect(profileOperation(model([me]))?.operationId).toBe("whoAmI");
    expect(profileOperation(model([op({ ...me, path: "/account/{id}" })]))).toBeUndefined();
    expect(profileOperation(model([op({ ...me, responses: [ok("200", { total: { type: "integer" } })] })]))).toBeUndefined();
  });
});
