/**
 * Data exposure: properties the client should never control (mass assignment) or never see
 * (excessive data exposure).
 */
import type { JsonSchema } from "../../model";
import { deepEqual, getByPointer, grantsCredentials, isPlainObject, isSuccess, jsonValue, objectShape, operationLabel, paramString, resolveSchema, responseSchemaFor, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult } from "./types";

function label(ctx: CheckContext): string {
  return operationLabel(ctx.request.method, ctx.step.request.path);
}

function toPointer(property: string): string {
  return property.startsWith("/") ? property : "/" + property.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * params: { property: "role" | "/profile/isAdmin", injected?: value (default: what the request
 *           sent there), readStep?: a read after the write, baselineStep?: the same write without
 *           the property }.
 * Failed when the write succeeded and the injected value shows up in the write's response or —
 * stronger — in the follow-up read. Skipped when the spec documents the property as writable, or
 * when the server's default (baseline) already equals the injected value.
 */
export function mass_assignment(ctx: CheckContext): CheckResult {
  const property = paramString(ctx, "property");
  if (!property) return skip("params.property names no property");
  const pointer = toPointer(property);
  const topLevel = pointer.split("/")[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
  const injected = "injected" in ctx.params ? ctx.params.injected : getByPointer(ctx.request.resolved.body?.value, pointer);
  if (injected === undefined) return skip(`the request did not send ${pointer}`);
  const requestSchema = ctx.operation?.requestBody?.content.find((m) => m.contentType.includes("json"))?.schema;
  if (requestSchema !== undefined && topLevel !== undefined) {
    const shape = objectShape(ctx.model, requestSchema);
    const documented = resolveSchema(ctx.model, shape.properties[topLevel]);
    if (documented !== undefined && !(typeof documented === "object" && documented.readOnly === true)) return skip(`${topLevel} is documented as writable`);
  }
  if (!isSuccess(ctx.response.status)) return pass(`the write was rejected (${ctx.response.status})`);
  const baseline = stepRecord(ctx, paramString(ctx, "baselineStep"))?.exchange.response;
  if (baseline && deepEqual(getByPointer(jsonValue(baseline), pointer), injected)) return skip(`the server default of ${pointer} equals the injected value`);
  const read = stepRecord(ctx, paramString(ctx, "readStep"))?.exchange.response;
  const readValue = read && isSuccess(read.status) ? getByPointer(jsonValue(read), pointer) : undefined;
  const shown = JSON.stringify(injected);
  if (read && isSuccess(read.status) && jsonValue(read) !== undefined) {
    if (deepEqual(readValue, injected)) return fail(`${label(ctx)} stored the client-supplied ${pointer}=${shown}: a later read returns it`, `property:${pointer}`);
    return pass(`${pointer} was not stored (read returns ${JSON.stringify(readValue) ?? "nothing"})`);
  }
  if (deepEqual(getByPointer(jsonValue(ctx.response), pointer), injected)) return fail(`${label(ctx)} accepted the client-supplied ${pointer}=${shown} (echoed in the ${ctx.response.status} response)`, `property:${pointer}`);
  return pass(`${pointer} was not applied`);
}

// ---------- excessive data exposure ----------

const SECRET_NAMES = new Set([
  "password", "passwd", "pwd", "passwordhash", "hashedpassword", "passwordsalt", "passwordresettoken",
  "secret", "clientsecret", "apisecret", "secretkey", "privatekey", "signingkey", "encryptionkey",
  "apikey", "accesskey", "secretaccesskey", "accesstoken", "refreshtoken", "idtoken", "token", "authtoken",
  "sessiontoken", "bearertoken", "resettoken", "verificationtoken",
  "ssn", "socialsecuritynumber", "creditcard", "creditcardnumber", "cardnumber", "ccnumber", "pan", "cvv", "cvv2", "cvc",
  "pin", "otp", "otpsecret", "mfasecret", "totpsecret",
]);
const TOKEN_NAMES = new Set(["token", "accesstoken", "refreshtoken", "idtoken", "authtoken", "sessiontoken", "bearertoken"]);
const MASKED = /^(\*+|x+|•+|#+|\[?redacted\]?|hidden|masked|null|none|-+)$/i;

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function looksSecret(name: string): boolean {
  const n = normaliseName(name);
  return SECRET_NAMES.has(n) || n.endsWith("passwordhash") || n.endsWith("password") || n.endsWith("secretkey") || n.endsWith("privatekey");
}

function hasSecretValue(value: unknown): boolean {
  if (typeof value === "number") return true;
  if (typeof value !== "string") return false;
  const text = value.trim();
  return text.length > 0 && !MASKED.test(text);
}

interface Exposure {
  path: string;
  kind: "secret" | "writeOnly";
}

const MAX_NODES = 5000;

/**
 * Walks the 2xx JSON body against the documented response schema. Failed for:
 *  - a secret-looking property (password, token, apiKey, ssn, cardNumber, ...) with a real value
 *    that the schema does not document (token-like names are expected from credential endpoints);
 *  - a documented writeOnly property that is returned with a value.
 * Ordinary undocumented properties are not exposure: in an open schema they are legal, in a
 * closed one (additionalProperties: false) response_schema_conformance reports them.
 */
export function excessive_data_exposure(ctx: CheckContext): CheckResult {
  if (!isSuccess(ctx.response.status)) return skip(`${ctx.response.status}: only successful responses are examined`);
  const body = jsonValue(ctx.response);
  if (body === undefined || body === null || typeof body !== "object") return skip("no JSON object or array in the response");
  const schema = ctx.operation ? responseSchemaFor(ctx.operation, ctx.response).schema : undefined;
  const credentialEndpoint = grantsCredentials(ctx.step.request.path);
  const found: Exposure[] = [];
  let visited = 0;

  const walk = (value: unknown, nodeSchema: JsonSchema | undefined, path: string, depth: number) => {
    if (visited++ > MAX_NODES || depth > 12 || found.length >= 10) return;
    const resolved = resolveSchema(ctx.model, nodeSchema);
    if (Array.isArray(value)) {
      const items = resolved && typeof resolved === "object" ? (resolved.items as JsonSchema | undefined) : undefined;
      value.slice(0, 200).forEach((item, i) => walk(item, items, `${path}/${i}`, depth + 1));
      return;
    }
    if (!isPlainObject(value)) return;
    const shape = nodeSchema === undefined ? undefined : objectShape(ctx.model, nodeSchema);
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key}`;
      const documentedSchema = shape?.properties[key];
      const documented = shape !== undefined && (documentedSchema !== undefined || shape.open);
      if (documentedSchema !== undefined) {
        const property = resolveSchema(ctx.model, documentedSchema);
        if (property && typeof property === "object" && property.writeOnly === true && hasSecretValue(child)) found.push({ path: childPath, kind: "writeOnly" });
      } else if (!documented) {
        const tokenExpected = credentialEndpoint && TOKEN_NAMES.has(normaliseName(key));
        if (looksSecret(key) && hasSecretValue(child) && !tokenExpected) found.push({ path: childPath, kind: "secret" });
      }
      walk(child, documentedSchema, childPath, depth + 1);
    }
  };
  walk(body, schema, "", 0);

  if (found.length === 0) return pass(schema === undefined ? "no secret-looking properties" : "no undocumented or secret properties exposed");
  const worst = found.find((f) => f.kind === "secret") ?? found[0];
  const describe = (f: Exposure) => (f.kind === "secret" ? `secret-looking ${f.path}` : `writeOnly ${f.path}`);
  const generic = worst.path.replace(/\/\d+(?=\/|$)/g, "/*");
  return fail(
    `${label(ctx)} exposes ${found.slice(0, 3).map(describe).join(", ")}${found.length > 3 ? ` (+${found.length - 3} more)` : ""}`,
    `${worst.kind}:${generic}`,
  );
}
