import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { parseSpec } from "../spec/parse-spec";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";
import { buildRequest as sendable } from "../../executor/request-builder";

// An upload: a binary `file` part and a text `note` field, as upload endpoints document them
const spec = {
  openapi: "3.0.0",
  info: { title: "Uploads", version: "1" },
  paths: {
    "/files": {
      post: {
        operationId: "upload",
        requestBody: {
          required: true,
          content: { "multipart/form-data": { schema: { type: "object", required: ["file", "note"], properties: { file: { type: "string", format: "binary" }, note: { type: "string", maxLength: 20 } } } } },
        },
        responses: { "200": { description: "stored", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
  },
};
const model = (): ApiModel => parseSpec(JSON.stringify(spec)).model!;

describe("a multipart part the spec declares binary", () => {
  it("is planned as a file and sent as one: a file name of its own and octet-stream; other parts stay fields", async () => {
    const m = model();
    const built = buildRequest(agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }), m.operations[0], new Rng(3), { optional: "required" });
    expect(built.request.body?.files).toEqual(["file"]);
    const sent = await sendable(built.request, { baseUrl: "http://x", variables: {} });
    const text = sent.body!;
    expect(text).toMatch(/Content-Disposition: form-data; name="file"; filename="sentinel-file\.bin"\r\nContent-Type: application\/octet-stream/);
    expect(text).toContain(String((built.request.body!.value as Record<string, unknown>).file));
    expect(text).toMatch(/Content-Disposition: form-data; name="note"\r\n\r\n/);
  });

  it("stays a field when a case put something other than text there", async () => {
    const template = { method: "post", path: "/files", pathParams: {}, query: {}, headers: {}, body: { contentType: "multipart/form-data", value: { file: 12345 }, files: ["file"] } };
    const text = (await sendable(template, { baseUrl: "http://x", variables: {} })).body!;
    expect(text).toMatch(/name="file"\r\n\r\n12345/);
    expect(text).not.toContain("filename=");
  });
});
