import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { agentEnv } from "./requests";
import { injections } from "./mass-injections";

const model = { sourceVersion: "2.0", title: "t", version: "1", servers: [], schemas: {}, securitySchemes: {}, operations: [] } as unknown as ApiModel;
const env = agentEnv({ model, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } });

describe("what a mass-assignment probe injects", () => {
  it("gives a readOnly string with a pattern (a firmware version) a value of that pattern, never the spec's example", () => {
    const schema = {
      type: "object",
      properties: {
        name: { type: "string" },
        version: { type: "string", readOnly: true, pattern: "^\\d+\\.\\d+\\.\\d+$", example: "1.0.0" },
        code: { type: "string", readOnly: true, pattern: "^[A-Z]{3}$", maxLength: 3 },
      },
    };
    const injected = Object.fromEntries(injections(env, schema));
    expect(injected.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(injected.version).not.toBe("1.0.0");
    expect(injected.code).toMatch(/^[A-Z]{3}$/);
    // the same value in every plan
    expect(Object.fromEntries(injections(env, schema)).version).toBe(injected.version);
  });

  it("leaves out a readOnly pattern nothing can match", () => {
    const schema = { type: "object", properties: { v: { type: "string", readOnly: true, pattern: "^[a-z]{5}$", maxLength: 2 } } };
    expect(injections(env, schema).map(([name]) => name)).not.toContain("v");
  });

  it("honours readOnly beside an allOf-wrapped enum, sends the value that grants something, and keeps state probes under the cap", () => {
    const schemas = { Status: { type: "string", enum: ["draft", "submitted", "approved", "rejected", "cancelled"] }, Role: { type: "string", enum: ["admin", "manager", "employee"] } };
    const withSchemas = agentEnv({ model: { ...model, schemas } as ApiModel, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } });
    const schema = {
      type: "object",
      properties: {
        id: { type: "integer", readOnly: true },
        owner_id: { type: "integer", readOnly: true },
        days: { type: "integer", readOnly: true },
        total: { type: "integer", readOnly: true },
        note: { type: "string" },
        status: { allOf: [{ $ref: "#/components/schemas/Status" }], readOnly: true },
        role: { allOf: [{ $ref: "#/components/schemas/Role" }], readOnly: true },
        created_at: { type: "string", format: "date-time", readOnly: true },
      },
    };
    const injected = Object.fromEntries(injections(withSchemas, schema));
    expect(injected.status).toBe("approved");
    expect(injected.role).toBe("admin");
  });
});
