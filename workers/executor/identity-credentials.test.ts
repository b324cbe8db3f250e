import { describe, expect, it } from "vitest";
import type { ApiModel, Operation, SecurityRequirement } from "../model";
import { placeCredentials } from "./identity-credentials";

function model(securitySchemes: ApiModel["securitySchemes"]): ApiModel {
  return { sourceVersion: "3.1.0", title: "t", version: "1", servers: [], operations: [], schemas: {}, securitySchemes };
}

function op(security: SecurityRequirement[]): Operation {
  return { operationId: "o", method: "get", path: "/x", tags: [], deprecated: false, parameters: [], responses: [], security, pointer: "/paths/~1x/get" };
}

const schemes: ApiModel["securitySchemes"] = {
  header: { name: "header", type: "apiKey", in: "header", paramName: "X-API-Key" },
  query: { name: "query", type: "apiKey", in: "query", paramName: "api_key" },
  cookie: { name: "cookie", type: "apiKey", in: "cookie", paramName: "sid" },
  bearer: { name: "bearer", type: "http", scheme: "bearer" },
};

describe("placeCredentials", () => {
  it("leaves operations the headers already satisfy alone", () => {
    expect(placeCredentials(model(schemes), op([{ header: [] }]), { "X-API-Key": "k1" })).toEqual({ headers: { "X-API-Key": "k1" }, query: {}, cookies: {} });
    expect(placeCredentials(model(schemes), op([{ query: [] }, { header: [] }]), { "X-API-Key": "k1" }).query).toEqual({});
    expect(placeCredentials(model(schemes), op([]), { "X-API-Key": "k1" }).query).toEqual({});
  });

  it("sends the header key where a query-only operation wants it", () => {
    expect(placeCredentials(model(schemes), op([{ query: [] }]), { "X-API-Key": "k1" })).toEqual({ headers: { "X-API-Key": "k1" }, query: { api_key: "k1" }, cookies: {} });
    expect(placeCredentials(model(schemes), op([{ cookie: [] }]), { "x-api-key": "k1" }).cookies).toEqual({ sid: "k1" });
  });

  it("takes an identity entry named like the query parameter as that key, never as a header", () => {
    const placed = placeCredentials(model(schemes), op([{ query: [] }]), { "X-API-Key": "k1", api_key: "q1" });
    expect(placed).toEqual({ headers: { "X-API-Key": "k1" }, query: { api_key: "q1" }, cookies: {} });
    expect(placeCredentials(model(schemes), op([{ header: [] }]), { "X-API-Key": "k1", api_key: "q1" }).headers).toEqual({ "X-API-Key": "k1" });
  });

  it("does not guess without a single header key, nor for bearer identities", () => {
    expect(placeCredentials(model(schemes), op([{ query: [] }]), { Authorization: "Bearer t" }).query).toEqual({});
    const two = { ...schemes, other: { name: "other", type: "apiKey" as const, in: "header" as const, paramName: "X-Other-Key" } };
    expect(placeCredentials(model(two), op([{ query: [] }]), { "X-API-Key": "k1", "X-Other-Key": "k2" }).query).toEqual({});
    expect(placeCredentials(model(schemes), undefined, { "X-API-Key": "k1" }).query).toEqual({});
  });

  it("fills an alternative that combines a header and a query key", () => {
    expect(placeCredentials(model(schemes), op([{ header: [], query: [] }]), { "X-API-Key": "k1" }).query).toEqual({ api_key: "k1" });
    expect(placeCredentials(model(schemes), op([{ bearer: [], query: [] }]), { "X-API-Key": "k1" }).query).toEqual({});
  });
});
