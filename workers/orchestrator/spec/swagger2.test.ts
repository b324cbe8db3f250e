import { describe, expect, it } from "vitest";
import { convertSwagger2 } from "./swagger2";
import { parseSpec } from "./parse-spec";

const swagger = {
  swagger: "2.0",
  info: { title: "Pets", version: "1" },
  host: "api.example.com",
  basePath: "/v1/",
  schemes: ["https", "http"],
  consumes: ["application/json"],
  produces: ["application/json", "application/xml"],
  securityDefinitions: {
    basic: { type: "basic" },
    key: { type: "apiKey", name: "X-Key", in: "header" },
    oauth: { type: "oauth2", flow: "accessCode", authorizationUrl: "https://a", tokenUrl: "https://t", scopes: { read: "r" } },
  },
  security: [{ key: [] }],
  parameters: {
    Limit: { name: "limit", in: "query", type: "integer", maximum: 100, exclusiveMaximum: true },
    PetBody: { name: "pet", in: "body", required: true, schema: { $ref: "#/definitions/Pet" } },
  },
  responses: { NotFound: { description: "missing", schema: { $ref: "#/definitions/Error" } } },
  definitions: {
    Pet: { type: "object", required: ["name"], properties: { name: { type: "string" }, tag: { type: "string", "x-nullable": true }, parent: { $ref: "#/definitions/Pet" } } },
    Error: { type: "object", properties: { message: { type: "string" } } },
  },
  paths: {
    "/pets": {
      parameters: [{ $ref: "#/parameters/Limit" }],
      get: {
        operationId: "listPets",
        parameters: [{ name: "tags", in: "query", type: "array", items: { type: "string" }, collectionFormat: "multi" }],
        responses: { "200": { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Pet" } }, headers: { "X-Total": { type: "integer" } } } },
      },
      post: { operationId: "createPet", parameters: [{ $ref: "#/parameters/PetBody" }], responses: { "201": { description: "created", examples: { "application/json": { name: "Rex" } } } } },
    },
    "/pets/{id}/photo": {
      post: {
        operationId: "uploadPhoto",
        consumes: ["multipart/form-data"],
        produces: ["text/plain"],
        parameters: [
          { name: "id", in: "path", required: true, type: "string" },
          { name: "file", in: "formData", type: "file", required: true },
          { name: "caption", in: "formData", type: "string" },
        ],
        responses: { "200": { description: "ok", schema: { type: "string" } }, "404": { $ref: "#/responses/NotFound" } },
        security: [],
      },
    },
    "/login": {
      post: {
        operationId: "login",
        parameters: [{ name: "user", in: "formData", type: "string", required: true }, { name: "ids", in: "query", type: "array", items: { type: "integer" } }],
        responses: { "204": { description: "ok" } },
      },
    },
  },
};

describe("convertSwagger2", () => {
  const { document, problems } = convertSwagger2(structuredClone(swagger));
  const paths = document.paths as Record<string, any>;

  it("builds servers from schemes, host and basePath", () => {
    expect(document.servers).toEqual([{ url: "https://api.example.com/v1" }, { url: "http://api.example.com/v1" }]);
    expect(convertSwagger2({ swagger: "2.0", basePath: "/v2" }).document.servers).toEqual([{ url: "/v2" }]);
    expect(problems).toEqual([]);
  });

  it("moves definitions to components.schemas and converts security definitions", () => {
    const components = document.components as Record<string, any>;
    expect(components.schemas).toEqual(swagger.definitions);
    expect(Object.keys(components.schemas)).toEqual(["Pet", "Error"]);
    expect(components.securitySchemes.basic).toMatchObject({ type: "http", scheme: "basic" });
    expect(components.securitySchemes.key).toMatchObject({ type: "apiKey", name: "X-Key", in: "header" });
    expect(components.securitySchemes.oauth.flows.authorizationCode.scopes).toEqual({ read: "r" });
  });

  it("turns a body parameter into a requestBody per consumes type", () => {
    const body = paths["/pets"].post.requestBody;
    expect(body.required).toBe(true);
    expect(Object.keys(body.content)).toEqual(["application/json"]);
    expect(body.content["application/json"].schema).toEqual({ $ref: "#/definitions/Pet" });
    expect(paths["/pets"].post.parameters.map((p: any) => p.name)).toEqual(["limit"]);
  });

  it("turns formData into a multipart or urlencoded object body", () => {
    const upload = paths["/pets/{id}/photo"].post.requestBody;
    expect(Object.keys(upload.content)).toEqual(["multipart/form-data"]);
    expect(upload.content["multipart/form-data"].schema).toEqual({
      type: "object",
      properties: { file: { type: "file" }, caption: { type: "string" } },
      required: ["file"],
    });
    const login = paths["/login"].post.requestBody;
    expect(Object.keys(login.content)).toEqual(["application/x-www-form-urlencoded"]);
    expect(login.required).toBe(true);
  });

  it("maps collectionFormat to style/explode", () => {
    const get = paths["/pets"].get;
    const tags = get.parameters.find((p: any) => p.name === "tags");
    expect(tags).toMatchObject({ style: "form", explode: true, schema: { type: "array", items: { type: "string" } } });
    const ids = paths["/login"].post.parameters.find((p: any) => p.name === "ids");
    expect(ids).toMatchObject({ style: "form", explode: false });
  });

  it("gives responses content per produces type, with examples and headers", () => {
    const ok = paths["/pets"].get.responses["200"];
    expect(Object.keys(ok.content)).toEqual(["application/json", "application/xml"]);
    expect(ok.headers["X-Total"].schema).toEqual({ type: "integer" });
    expect(paths["/pets/{id}/photo"].post.responses["200"].content).toEqual({ "text/plain": { schema: { type: "string" } } });
    expect(paths["/pets/{id}/photo"].post.responses["404"].content["text/plain"].schema).toEqual({ $ref: "#/definitions/Error" });
  });
});

describe("Swagger 2.0 through parseSpec", () => {
  const { model, problems } = parseSpec(JSON.stringify(swagger));

  it("produces a model with rewritten refs and normalised schemas", () => {
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(model!.sourceVersion).toBe("2.0");
    expect(model!.schemas.Pet).toEqual({
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" }, tag: { type: ["string", "null"] }, parent: { $ref: "#/components/schemas/Pet" } },
    });
    const list = model!.operations.find((o) => o.operationId === "listPets")!;
    expect(list.responses[0].content[0].schema).toEqual({ type: "array", items: { $ref: "#/components/schemas/Pet" } });
    expect(list.parameters.find((p) => p.name === "limit")!.schema).toEqual({ type: "integer", exclusiveMaximum: 100 });
    expect(list.security).toEqual([{ key: [] }]);
    const upload = model!.operations.find((o) => o.operationId === "uploadPhoto")!;
    expect(upload.security).toEqual([]);
    expect((upload.requestBody!.content[0].schema as any).properties.file).toEqual({ type: "string", format: "binary" });
    expect(model!.securitySchemes.key).toEqual({ name: "key", type: "apiKey", in: "header", paramName: "X-Key" });
    expect(model!.servers[0]).toBe("https://api.example.com/v1");
  });

  it("reports a dangling #/parameters ref", () => {
    const broken = structuredClone(swagger) as any;
    broken.paths["/pets"].get.parameters.push({ $ref: "#/parameters/Nope" });
    const r = parseSpec(JSON.stringify(broken, null, 2));
    expect(r.model).toBeUndefined();
    const err = r.problems.find((p) => p.severity === "error")!;
    expect(err.pointer).toBe("/paths/~1pets/get/parameters/1/$ref");
    expect(err.message).toMatch(/#\/parameters\/Nope/);
    expect(err.line).toBeGreaterThan(1);
  });
});
