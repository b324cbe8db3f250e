/**
 * The OpenAPI document of the sessions target (sessions-target.ts): notes behind bearer tokens that
 * come from the API's own signup + login, a `/me` profile, and one seeded fault — any signed-in
 * user reads any note (GET /notes/{id}: BOLA). Shared by the target (Node) and the tests (workerd).
 */
const user = {
  type: "object",
  required: ["username", "email"],
  properties: { username: { type: "string" }, email: { type: "string", format: "email" } },
};
const note = {
  type: "object",
  required: ["id", "title", "owner"],
  properties: { id: { type: "string" }, title: { type: "string" }, text: { type: "string" }, owner: { type: "string" } },
};
const error = { type: "object", properties: { error: { type: "string" } } };
const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = (description: string) => ({ description, content: json(error) });

export const SESSIONS_SPEC = {
  openapi: "3.0.3",
  info: { title: "Notes with sessions", version: "1.0.0" },
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  security: [{ bearer: [] }],
  paths: {
    "/auth/signup": {
      post: {
        operationId: "signUp",
        security: [],
        requestBody: {
          required: true,
          content: json({
            type: "object",
            additionalProperties: false,
            required: ["username", "email", "password"],
            properties: {
              username: { type: "string", pattern: "^[a-z0-9_]{3,30}$", example: "ada_l" },
              email: { type: "string", format: "email", maxLength: 100 },
              password: { type: "string", minLength: 8, maxLength: 64 },
            },
          }),
        },
        responses: { "201": { description: "created", content: json(user) }, "400": problem("invalid"), "409": problem("taken") },
      },
    },
    "/auth/login": {
      post: {
        operationId: "logIn",
        security: [],
        requestBody: {
          required: true,
          content: json({
            type: "object",
            additionalProperties: false,
            required: ["username", "password"],
            properties: { username: { type: "string", maxLength: 30 }, password: { type: "string", maxLength: 64 } },
          }),
        },
        responses: {
          "200": { description: "signed in", content: json({ type: "object", required: ["token"], properties: { token: { type: "string" } } }) },
          "400": problem("invalid"),
          "401": problem("wrong credentials"),
          "429": problem("slow down"),
        },
      },
    },
    "/me": {
      get: { operationId: "me", responses: { "200": { description: "the caller", content: json(user) }, "401": problem("not signed in") } },
    },
    "/notes": {
      post: {
        operationId: "createNote",
        requestBody: {
          required: true,
          content: json({
            type: "object",
            additionalProperties: false,
            required: ["title"],
            properties: { title: { type: "string", minLength: 1, maxLength: 100 }, text: { type: "string", maxLength: 1000 } },
          }),
        },
        responses: { "201": { description: "created", content: json(note) }, "400": problem("invalid"), "401": problem("not signed in") },
      },
    },
    "/notes/{id}": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", maxLength: 40 } }],
      get: { operationId: "getNote", responses: { "200": { description: "the note", content: json(note) }, "401": problem("not signed in"), "404": problem("no such note") } },
      delete: { operationId: "deleteNote", responses: { "204": { description: "deleted" }, "401": problem("not signed in"), "404": problem("no such note") } },
    },
  },
};
