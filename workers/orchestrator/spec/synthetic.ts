/**
 * A valid OpenAPI 3.1 document of any size, for benchmarks and tests: `operationCount`
 * operations over ceil(n/5) CRUD resources, with shared component parameters, responses,
 * request bodies and schemas that refer to each other (including a self-referencing one).
 */
export function generateSyntheticSpec(operationCount: number): Record<string, unknown> {
  const count = Math.max(0, Math.floor(operationCount));
  const resources = Math.ceil(count / 5);
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {
    Error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "integer", minimum: 100, maximum: 599 }, message: { type: "string" }, details: { type: ["array", "null"], items: { type: "string" } } },
    },
    Audit: {
      type: "object",
      properties: { createdAt: { type: "string", format: "date-time" }, updatedAt: { type: "string", format: "date-time" }, createdBy: { type: "string", format: "email" } },
    },
  };
  let emitted = 0;
  for (let r = 0; r < resources; r++) {
    const name = `Resource${r}`;
    const plural = `/resources${r}`;
    const item = `${plural}/{${lower(name)}Id}`;
    schemas[name] = {
      allOf: [
        { $ref: "#/components/schemas/Audit" },
        {
          type: "object",
          required: ["id", "name", "status"],
          properties: {
            id: { type: "string", format: "uuid", readOnly: true },
            name: { type: "string", minLength: 1, maxLength: 120 },
            status: { type: "string", enum: ["active", "suspended", "deleted"] },
            quantity: { type: "integer", minimum: 0, exclusiveMaximum: 10000 },
            price: { type: ["number", "null"], minimum: 0 },
            tags: { type: "array", items: { type: "string" }, maxItems: 20, uniqueItems: true },
            parent: { anyOf: [{ $ref: `#/components/schemas/${name}` }, { type: "null" }] },
            related: r > 0 ? { $ref: `#/components/schemas/Resource${r - 1}` } : { type: "string" },
          },
        },
      ],
    };
    schemas[`${name}Input`] = {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: {
        name: { type: "string", minLength: 1, maxLength: 120 },
        status: { type: "string", enum: ["active", "suspended"] },
        quantity: { type: "integer", minimum: 0 },
        tags: { type: "array", items: { type: "string" } },
      },
    };
    schemas[`${name}Page`] = {
      type: "object",
      required: ["items"],
      properties: { items: { type: "array", items: { $ref: `#/components/schemas/${name}` } }, next: { type: ["string", "null"] } },
    };
    const json = (schema: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } });
    const idParam = { name: `${lower(name)}Id`, in: "path", required: true, schema: { type: "string", format: "uuid" } };
    const ops: [string, string, Record<string, unknown>][] = [
      [plural, "get", {
        operationId: `list${name}`, tags: [name], summary: `List ${name}`,
        parameters: [{ $ref: "#/components/parameters/Limit" }, { $ref: "#/components/parameters/Cursor" }, { name: "status", in: "query", schema: { type: "string", enum: ["active", "suspended"] } }],
        responses: { "200": { description: "a page", content: json(`${name}Page`) }, default: { $ref: "#/components/responses/Error" } },
      }],
      [plural, "post", {
        operationId: `create${name}`, tags: [name],
        requestBody: { required: true, content: json(`${name}Input`) },
        responses: {
          "201": {
            description: "created",
            headers: { Location: { required: true, schema: { type: "string" } } },
            content: json(name),
            links: { get: { operationId: `get${name}`, parameters: { [`${lower(name)}Id`]: "$response.body#/id" } } },
          },
          "400": { $ref: "#/components/responses/Error" },
        },
      }],
      [item, "get", { operationId: `get${name}`, tags: [name], responses: { "200": { description: "found", content: json(name) }, "404": { $ref: "#/components/responses/NotFound" } } }],
      [item, "patch", {
        operationId: `update${name}`, tags: [name],
        requestBody: { required: true, content: json(`${name}Input`) },
        responses: { "200": { description: "updated", content: json(name) }, "404": { $ref: "#/components/responses/NotFound" } },
      }],
      [item, "delete", { operationId: `delete${name}`, tags: [name], responses: { "204": { description: "deleted" }, "404": { $ref: "#/components/responses/NotFound" } } }],
    ];
    for (const [path, method, op] of ops) {
      if (emitted >= count) break;
      paths[path] ??= path === item ? { parameters: [idParam] } : {};
      paths[path][method] = op;
      emitted++;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: `Synthetic API (${count} operations)`, version: "1.0.0" },
    servers: [{ url: "https://{region}.api.example.com/v1", variables: { region: { default: "eu", enum: ["eu", "us"] } } }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      parameters: {
        Limit: { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
        Cursor: { name: "cursor", in: "query", schema: { type: "string" } },
      },
      responses: {
        Error: { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        NotFound: { $ref: "#/components/responses/Error" },
      },
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}

function lower(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
