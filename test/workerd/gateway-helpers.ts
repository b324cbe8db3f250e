/** Helpers for the gateway tests: call the Worker, make orgs and keys straight in D1. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { generateApiKey } from "../../workers/gateway/auth/api-keys";
import type { Role } from "../../workers/storage/schema";
import { insertApiKey } from "../../workers/storage/keys-repo";
import { createOrg } from "../../workers/storage/orgs-repo";

export const BOOTSTRAP_KEY = "sk_test_bootstrap_admin_key_0000000000";
export const BASE = "http://sentinel.test";

export function api(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const { token = BOOTSTRAP_KEY, headers, ...rest } = init;
  const h = new Headers(headers);
  if (token) h.set("authorization", `Bearer ${token}`);
  return exports.default.fetch(new Request(BASE + path, { ...rest, headers: h }));
}

export function postJson(path: string, body: unknown, token: string | null = BOOTSTRAP_KEY): Promise<Response> {
  return api(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" }, token });
}

/** A second tenant with its own admin key (written to D1 directly, as an operator would). */
/** POST /api/v1/specs?name=… with the document as the raw body. */
export function uploadSpec(name: string, body: BodyInit, contentType = "application/json", token?: string): Promise<Response> {
  return api(`/api/v1/specs?name=${encodeURIComponent(name)}`, { method: "POST", body, headers: { "content-type": contentType }, ...(token ? { token } : {}) });
}

export async function newOrgWithKey(role: Role = "admin", name = "other"): Promise<{ orgId: string; key: string; keyId: string }> {
  const org = await createOrg(env.DB, { name });
  const secret = await generateApiKey();
  const row = await insertApiKey(env.DB, { orgId: org.id, userId: null, name: "test", prefix: secret.prefix, hash: secret.hash, role });
  return { orgId: org.id, key: secret.key, keyId: row.id };
}

/** A key of the default org with the given role, created through the API with the bootstrap key. */
export async function keyWithRole(role: Role): Promise<{ key: string; id: string }> {
  const res = await postJson("/api/v1/keys", { name: `${role}-key`, role });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { key: string; id: string };
  return { key: body.key, id: body.id };
}

export async function problem(res: Response): Promise<Record<string, unknown> & { type: string; status: number; detail?: string; errors?: Record<string, unknown>[] }> {
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  return res.json();
}

export const PETSTORE_JSON = JSON.stringify({
  openapi: "3.0.3",
  info: { title: "Petstore", version: "1.0.0" },
  paths: {
    "/pets": {
      get: { operationId: "listPets", summary: "List pets", responses: { "200": { description: "ok" } } },
      post: { operationId: "createPet", responses: { "201": { description: "created" } } },
    },
    "/pets/{petId}": {
      get: {
        operationId: "showPet",
        parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
      },
    },
  },
});

export const PETSTORE_YAML = `openapi: 3.1.0
info:
  title: Yaml Pets
  version: "2.0"
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
`;

export const SWAGGER2 = JSON.stringify({
  swagger: "2.0",
  info: { title: "Old Pets", version: "1.0" },
  host: "pets.example.com",
  basePath: "/v1",
  paths: {
    "/pets": {
      get: { operationId: "listPets", produces: ["application/json"], responses: { "200": { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Pet" } } } } },
    },
  },
  definitions: { Pet: { type: "object", properties: { id: { type: "integer" } } } },
});

