import { describe, expect, it } from "vitest";
import type { Step } from "../../model";
import { neededSetup } from "./positive-base";

const step = (id: string, path: string, pathParams: Record<string, unknown>, extract?: string): Step => ({
  id,
  request: { method: extract ? "post" : "put", path, pathParams, query: {}, headers: {} },
  checks: [],
  ...(extract ? { extract: { [extract]: { from: "body" as const, pointer: "/id" } }, requireSuccess: true } : {}),
});
const setup = [step("setup-userId", "/users", {}, "userId"), step("setup-petId", "/users/{userId}/pets", { userId: "{{userId}}" }, "petId"), { id: "sign-in", request: { method: "post", path: "/session", pathParams: {}, query: {}, headers: {} }, checks: [] }];
const fuzzed = (userId: unknown, petId: unknown) => [step("request", "/users/{userId}/pets/{petId}", { userId, petId })];
const ids = (steps: Step[]) => steps.map((s) => s.id);

describe("the setup steps a fuzzed case keeps", () => {
  it("leaves out a create whose id the case replaced with a fuzzed one, and the parents only it needed", () => {
    expect(ids(neededSetup(setup, fuzzed("{{userId}}", "{{petId}}")))).toEqual(["setup-userId", "setup-petId", "sign-in"]);
    expect(ids(neededSetup(setup, fuzzed("{{userId}}", 2147483648)))).toEqual(["setup-userId", "sign-in"]);
    // a step that extracts nothing is kept whatever the case sends
    expect(ids(neededSetup(setup, fuzzed("x", "1e+308")))).toEqual(["sign-in"]);
  });

  it("keeps the create whose id a later step's body reference is bound to (no {{variable}} in the text)", () => {
    const device = { ...step("setup-deviceId", "/devices", {}, "deviceId"), request: { ...step("d", "/devices", {}).request, method: "post", body: { contentType: "application/json", value: { siteId: "p" } }, references: [{ pointer: "/siteId", variable: "siteId", planned: "p" }] } };
    const withSite = [step("setup-siteId", "/sites", {}, "siteId"), device];
    expect(ids(neededSetup(withSite, [step("request", "/devices/{deviceId}", { deviceId: "{{deviceId}}" })]))).toEqual(["setup-siteId", "setup-deviceId"]);
    expect(ids(neededSetup(withSite, [step("request", "/devices/{deviceId}", { deviceId: "x" })]))).toEqual([]);
  });
});
