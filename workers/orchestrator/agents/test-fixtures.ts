/**
 * Hand-made operation models for the agent tests: a petstore with nested resources, a Location
 * header, oneOf + discriminator, readOnly properties, an admin operation and bearer auth.
 */
import type { ApiModel, Operation } from "../../model";

const json = "application/json";

function op(partial: Partial<Operation> & Pick<Operation, "operationId" | "method" | "path">): Operation {
  return { tags: [], deprecated: false, parameters: [], responses: [], security: [{ bearer: [] }], pointer: `#/paths/${partial.path}/${partial.method}`, ...partial };
}

const petResponse = { status: "200", content: [{ contentType: json, schema: { $ref: "#/components/schemas/Pet" } }], headers: [], links: [] };
const petIdParam = { name: "petId", in: "path" as const, required: true, schema: { type: "integer", minimum: 1 } };

export function petstoreModel(): ApiModel {
  return {
    sourceVersion: "3.1.0",
    title: "Petstore fixture",
    version: "1.0.0",
    servers: ["https://api.example.com"],
    securitySchemes: { bearer: { name: "bearer", type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    schemas: {
      Pet: {
        type: "object",
        required: ["id", "name"],
        properties: {
          id: { type: "integer", readOnly: true },
          name: { type: "string", minLength: 1, maxLength: 50 },
          tag: { type: ["string", "null"] },
          status: { type: "string", enum: ["available", "pending", "sold"] },
          email: { type: "string", format: "email" },
          age: { type: "integer", minimum: 0, maximum: 30 },
          weight: { type: "number", exclusiveMinimum: 0, maximum: 200, multipleOf: 0.5 },
          createdAt: { type: "string", format: "date-time", readOnly: true },
          owner: { $ref: "#/components/schemas/Owner" },
        },
        additionalProperties: false,
      },
      NewPet: {
        allOf: [{ $ref: "#/components/schemas/PetBase" }, { type: "object", properties: { tags: { type: "array", items: { type: "string", pattern: "^[a-z]{2,8}$" }, minItems: 1, maxItems: 3, uniqueItems: true } } }],
      },
      PetBase: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1, maxLength: 50 },
          status: { type: "string", enum: ["available", "pending", "sold"] },
          age: { type: "integer", minimum: 0, maximum: 30 },
          email: { type: "string", format: "email" },
          code: { type: "string", pattern: "^[A-Z]{3}-\\d{4}$" },
        },
      },
      Owner: { type: "object", required: ["ownerName"], properties: { ownerName: { type: "string" }, phone: { type: "string" }, country: { type: "string", minLength: 2, maxLength: 2 } } },
      Cat: { type: "object", required: ["petType", "meows"], properties: { petType: { type: "string" }, meows: { type: "boolean" } } },
      Dog: { type: "object", required: ["petType", "barkVolume"], properties: { petType: { type: "string" }, barkVolume: { type: "integer", minimum: 1, maximum: 11 } } },
      Node: { type: "object", required: ["value"], properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
      Order: { type: "object", required: ["quantity"], properties: { quantity: { type: "integer", minimum: 1, maximum: 10 }, note: { type: "string", maxLength: 20 } } },
      OrderOut: { type: "object", properties: { orderId: { type: "string", format: "uuid" }, quantity: { type: "integer" } } },
    },
    operations: [
      op({
        operationId: "listPets",
        method: "get",
        path: "/pets",
        security: [{}],
        parameters: [
          { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 }, example: 10 },
          { name: "tag", in: "query", required: false, schema: { type: "string" } },
          { name: "X-Request-Id", in: "header", required: true, schema: { type: "string", format: "uuid" } },
        ],
        responses: [{ status: "200", content: [{ contentType: json, schema: { type: "array", items: { $ref: "#/components/schemas/Pet" } } }], headers: [], links: [] }],
      }),
      op({
        operationId: "createPet",
        method: "post",
        path: "/pets",
        requestBody: { required: true, content: [{ contentType: json, schema: { $ref: "#/components/schemas/NewPet" }, example: { name: "Rex", status: "available" } }] },
        responses: [{ status: "201", content: [{ contentType: json, schema: { $ref: "#/components/schemas/Pet" } }], headers: [{ name: "Location", required: false, schema: { type: "string" } }], links: [] }],
      }),
      op({ operationId: "getPet", method: "get", path: "/pets/{petId}", parameters: [petIdParam], responses: [petResponse] }),
      op({
        operationId: "updatePet",
        method: "put",
        path: "/pets/{petId}",
        parameters: [petIdParam],
        requestBody: { required: true, content: [{ contentType: json, schema: { $ref: "#/components/schemas/NewPet" } }] },
        responses: [petResponse],
      }),
      op({ operationId: "deletePet", method: "delete", path: "/pets/{petId}", parameters: [petIdParam], responses: [{ status: "204", content: [], headers: [], links: [] }] }),
      op({
        operationId: "createOrder",
        method: "post",
        path: "/pets/{petId}/orders",
        parameters: [petIdParam],
        requestBody: { required: true, content: [{ contentType: json, schema: { $ref: "#/components/schemas/Order" } }] },
        responses: [{ status: "201", content: [{ contentType: json, schema: { $ref: "#/components/schemas/OrderOut" } }], headers: [], links: [] }],
      }),
      op({
        operationId: "getOrder",
        method: "get",
        path: "/pets/{petId}/orders/{orderId}",
        parameters: [petIdParam, { name: "orderId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: [{ status: "200", content: [{ contentType: json, schema: { $ref: "#/components/schemas/OrderOut" } }], headers: [], links: [] }],
      }),
      op({ operationId: "adminStats", method: "get", path: "/admin/stats", tags: ["admin"], responses: [{ status: "200", content: [{ contentType: json, schema: { type: "object" } }], headers: [], links: [] }] }),
      op({
        operationId: "searchPets",
        method: "post",
        path: "/search",
        parameters: [{ name: "q", in: "query", required: true, schema: { type: "string", maxLength: 40 } }],
        requestBody: {
          required: true,
          content: [{ contentType: json, schema: { oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }], discriminator: { propertyName: "petType", mapping: { cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog" } } } }],
        },
        responses: [{ status: "200", content: [{ contentType: json, schema: { type: "array", items: { $ref: "#/components/schemas/Pet" } } }], headers: [], links: [] }],
      }),
      op({
        operationId: "getFile",
        method: "get",
        path: "/files/{fileName}",
        security: [],
        parameters: [{ name: "fileName", in: "path", required: true, schema: { type: "string" } }],
        responses: [{ status: "200", content: [{ contentType: "application/octet-stream", schema: { type: "string", format: "binary" } }], headers: [], links: [] }],
      }),
    ],
  };
}
