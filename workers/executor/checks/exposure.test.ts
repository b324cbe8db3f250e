import { describe, expect, it } from "vitest";
import { excessive_data_exposure, looksSecret, mass_assignment } from "./exposure";
import { ctx, record } from "./test-support";

const create = { method: "POST", path: "/pets", status: 201 };

describe("mass_assignment", () => {
  it("fails when a readOnly property sent in the create is stored", () => {
    const read = record({ id: "read", method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 7, name: "Rex", role: "admin" } });
    const result = mass_assignment(ctx({ id: "create", ...create, requestBody: { name: "Rex", role: "admin" }, body: { id: 7, name: "Rex" } }, { others: [read], params: { property: "role", readStep: "read" } }));
    expect(result).toMatchObject({ status: "failed", signature: "property:/role" });
  });
  it("fails when the create response echoes the injected value (no read step)", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex", role: "admin" }, body: { id: 7, role: "admin" } }, { params: { property: "role" } })).status).toBe("failed");
  });
  it("passes when rejected or not stored", () => {
    expect(mass_assignment(ctx({ ...create, status: 400, requestBody: { role: "admin" } }, { params: { property: "role" } })).status).toBe("passed");
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex", role: "admin" }, body: { id: 7, role: "user" } }, { params: { property: "role" } })).status).toBe("passed");
    const read = record({ id: "read", method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 7, role: "user" } });
    expect(mass_assignment(ctx({ id: "create", ...create, requestBody: { role: "admin" }, body: { id: 7, role: "admin" } }, { others: [read], params: { property: "role", readStep: "read" } })).status).toBe("passed");
  });
  it("skips writable properties and server defaults equal to the injected value", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" }, body: { name: "Rex" } }, { params: { property: "name" } })).status).toBe("skipped");
    const baseline = record({ id: "base", ...create, body: { id: 6, role: "user" } });
    expect(mass_assignment(ctx({ id: "create", ...create, requestBody: { role: "user" }, body: { id: 7, role: "user" } }, { others: [baseline], params: { property: "role", baselineStep: "base" } })).status).toBe("skipped");
  });
});

describe("excessive_data_exposure", () => {
  it("fails on an undocumented secret-looking property with a value", () => {
    const result = excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", passwordHash: "$2b$10$abc" }] }));
    expect(result).toMatchObject({ status: "failed", signature: "secret:/*/passwordHash" });
  });
  it("fails on a documented writeOnly property returned", () => {
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", body: { id: 1, name: "Rex", password: "hunter2" } }))).toMatchObject({ status: "failed", signature: "writeOnly:/password" });
  });
  it("leaves ordinary undocumented properties of a closed schema to response_schema_conformance", () => {
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/things/{id}", urlPath: "/things/1", body: { id: 1, internalNote: "x" } })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/things/{id}", urlPath: "/things/1", body: { id: 1, apiSecret: "sk_live_1" } })).status).toBe("failed");
  });
  it("passes on documented data, extra ordinary fields in open schemas, masked secrets and login tokens", () => {
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", color: "brown" }] })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", apiKey: "****" }] })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", nextPageToken: "abc" }] })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "POST", path: "/login", body: { token: "eyJ...", refreshToken: "r" } })).status).toBe("passed");
  });
  it("recognises secret names", () => {
    for (const name of ["password", "password_hash", "client_secret", "API-Key", "ssn", "creditCardNumber", "newPassword"]) expect(looksSecret(name)).toBe(true);
    for (const name of ["passwordPolicy", "tokenType", "secretary", "pageToken", "name"]) expect(looksSecret(name)).toBe(false);
  });
});
