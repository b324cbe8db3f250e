import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../workers/model";
import { configFromObject } from "./config";
import { flowFromConfig } from "./preflight";

const model = {
  sourceVersion: "3.1.0", title: "t", version: "1", servers: [], schemas: {},
  securitySchemes: { key: { name: "key", type: "apiKey", in: "header", paramName: "X-Session" } },
  operations: [
    { operationId: "join", method: "post", path: "/join", tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: "#" },
    { operationId: "enter", method: "post", path: "/enter", tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: "#" },
    { operationId: "notes", method: "get", path: "/notes", tags: [], deprecated: false, parameters: [], responses: [], security: [{ key: [] }], pointer: "#" },
  ],
} as unknown as ApiModel;

describe("sentinel.yaml auth:", () => {
  it("keeps ${random}, ${username}, ${password} for Sentinel while ${ENV} comes from the environment", () => {
    const loaded = configFromObject(
      { auth: { signup: { operation: "join", body: { name: "qa_${random}", pass: "${PW_PREFIX}-${random}" } }, login: { operation: "POST /enter", body: { name: "${username}", pass: "${password}" }, token: "/session/id" }, users: 3 } },
      "/tmp",
      { PW_PREFIX: "Pw" },
    );
    expect(loaded.auth).toEqual({
      signup: { operation: "join", body: { name: "qa_${random}", pass: "Pw-${random}" } },
      login: { operation: "POST /enter", body: { name: "${username}", pass: "${password}" }, token: "/session/id" },
      users: 3,
    });
    const flow = flowFromConfig(model, loaded.auth!);
    expect(flow).toMatchObject({ source: "config", signup: { op: { operationId: "join" } }, login: { op: { operationId: "enter" }, token: "/session/id" }, placement: { in: "header", name: "X-Session", prefix: "" } });
    expect(flowFromConfig(model, { ...loaded.auth!, header: "Authorization: Token ${token}" }).placement).toEqual({ in: "header", name: "Authorization", prefix: "Token " });
  });

  it("reads a refresh-token flow: operation, a body naming ${refreshToken}, the token and refresh-token pointers", () => {
    const loaded = configFromObject(
      { auth: { login: { operation: "enter" }, refresh: { operation: "POST /join", body: { grant: "refresh", token: "${refreshToken}" }, token: "/access", refresh_token: "/session/refresh" } } },
      "/tmp",
      {},
    );
    expect(loaded.auth?.refresh).toEqual({ operation: "POST /join", body: { grant: "refresh", token: "${refreshToken}" }, token: "/access", refreshToken: "/session/refresh" });
    expect(flowFromConfig(model, loaded.auth!).refresh).toEqual({ op: { operationId: "join", method: "post", path: "/join" }, body: { grant: "refresh", token: "${refreshToken}" }, token: "/access", refreshToken: "/session/refresh" });
  });

  it("refuses unknown keys, a missing operation, a header without ${token} and an operation the spec lacks", () => {
    expect(() => configFromObject({ auth: { signup: { operation: "join" }, renew: {} } }, "/tmp", {})).toThrow(/unknown setting "renew"/);
    expect(() => configFromObject({ auth: { login: { operation: "enter" }, refresh: { body: {} } } }, "/tmp", {})).toThrow(/refresh.operation must name an operation/);
    expect(() => configFromObject({ auth: { login: { operation: "enter" }, refresh: { operation: "enter", refresh_tokn: "/x" } } }, "/tmp", {})).toThrow(/refresh: unknown setting "refresh_tokn"/);
    expect(() => configFromObject({ auth: { login: { body: {} } } }, "/tmp", {})).toThrow(/login.operation must name an operation/);
    expect(() => configFromObject({ auth: { login: { operation: "enter" }, header: "X-Session: abc" } }, "/tmp", {})).toThrow(/header must be/);
    expect(() => configFromObject({ auth: { users: 9, login: { operation: "enter" } } }, "/tmp", {})).toThrow(/between 1 and 5/);
    expect(() => flowFromConfig(model, { login: { operation: "DELETE /enter" } })).toThrow(/no operation of the spec/);
  });
});

describe("auth.clients in sentinel.yaml", () => {
  it("reads one OAuth2 client per identity, the secret from the environment", () => {
    const loaded = configFromObject({ auth: { clients: { north: { "client-id": "north-desk", "client-secret": "${NORTH_SECRET}", scope: "a:read" } } } }, "/tmp", { NORTH_SECRET: "s3cr3t-value" });
    expect(loaded.auth?.clients).toEqual({ north: { clientId: "north-desk", clientSecret: "s3cr3t-value", scope: "a:read" } });
    expect(() => configFromObject({ auth: { clients: { north: { "client-id": "x" } } } }, "/tmp", {})).toThrow(/needs client-id and client-secret/);
    expect(() => configFromObject({ auth: { clients: { north: { "client-id": "x", "client-secret": "y", audience: "z" } } } }, "/tmp", {})).toThrow(/unknown setting "audience"/);
  });
});
