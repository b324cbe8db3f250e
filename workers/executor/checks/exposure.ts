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

/** The schema a pointer reaches through the properties of `schema` (undefined when undeclared on the way). */
function documentedAt(ctx: CheckContext, schema: unknown, pointer: string): { schema: unknown; declared: boolean } {
  let node = schema;
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const shape = objectShape(ctx.model, node as never);
    const next = shape.properties[token];
    if (next === undefined) return { schema: undefined, declared: false };
    node = resolveSchema(ctx.model, next);
  }
  return { schema: node, declared: true };
}

/**
 * Whether the object holding `pointer` is documented as free-form — an object declaring no
 * property and not closed (`type: object`, a map of `additionalProperties`): every key of it is
 * the client's to name (a settings document, a metadata map), so one it stored is no mass assignment.
 */
function freeFormHolder(ctx: CheckContext, schema: unknown, pointer: string): boolean {
  const parent = pointer.slice(0, pointer.lastIndexOf("/"));
  const holder = parent === "" ? { schema: resolveSchema(ctx.model, schema as JsonSchema), declared: true } : documentedAt(ctx, schema, parent);
  if (!holder.declared || typeof holder.schema !== "object" || holder.schema === null) return false;
  const type = (holder.schema as { type?: unknown }).type;
  if (type !== undefined && type !== "object" && !(Array.isArray(type) && type.includes("object"))) return false;
  const shape = objectShape(ctx.model, holder.schema as JsonSchema);
  return Object.keys(shape.properties).length === 0 && !shape.closed;
}

/**
 * params: { property: "role" | "/user/role", injected?: value (default: what the request sent
 *           there), readStep?: a read after the write, baselineStep?: the same write without the
 *           property, responsePointer? / readPointer?: where the property shows in the write's
 *           (and baseline's) answer / in the read (default: the property's own pointer; a wrapped
 *           sign-up `{ user: {…} }` often answers unwrapped), baselineReadStep?: the same read of a
 *           record written without the property }.
 * Failed when the write succeeded and the injected value shows up in the write's response or —
 * stronger — in the follow-up read. Skipped when the spec documents the property as writable (or
 * the object holding it as free-form), or
 * when the server's default (baseline write or baseline read) already equals the injected value.
 */
export function mass_assignment(ctx: CheckContext): CheckResult {
  const property = paramString(ctx, "property");
  if (!property) return skip("params.property names no property");
  const pointer = toPointer(property);
  const injected = "injected" in ctx.params ? ctx.params.injected : getByPointer(ctx.request.resolved.body?.value, pointer);
  if (injected === undefined) return skip(`the request did not send ${pointer}`);
  const requestSchema = ctx.operation?.requestBody?.content.find((m) => m.contentType.includes("json"))?.schema;
  if (requestSchema !== undefined) {
    const documented = documentedAt(ctx, requestSchema, pointer);
    if (documented.declared && !(typeof documented.schema === "object" && documented.schema !== null && (documented.schema as { readOnly?: unknown }).readOnly === true)) return skip(`${pointer} is documented as writable`);
    if (freeFormHolder(ctx, requestSchema, pointer)) return skip(`${pointer}: the object holding it is documented as free-form (no property declared), its keys are the client's to name`);
  }
  if (!isSuccess(ctx.response.status)) return pass(`the write was rejected (${ctx.response.status})`);
  const answerAt = toPointer(paramString(ctx, "responsePointer") ?? pointer);
  const readAt = toPointer(paramString(ctx, "readPointer") ?? pointer);
  const baseline = stepRecord(ctx, paramString(ctx, "baselineStep"))?.exchange.response;
  if (baseline && isSuccess(baseline.status) && deepEqual(getByPointer(jsonValue(baseline), answerAt), injected)) return skip(`the server default of ${answerAt} equals the injected value`);
  const baselineRead = stepRecord(ctx, paramString(ctx, "baselineReadStep"))?.exchange.response;
  if (baselineRead && isSuccess(baselineRead.status) && deepEqual(getByPointer(jsonValue(baselineRead), readAt), injected)) return skip(`a plain account's own read already shows ${readAt}=${JSON.stringify(injected)}: the server's default`);
  const read = stepRecord(ctx, paramString(ctx, "readStep"))?.exchange.response;
  const readValue = read && isSuccess(read.status) ? getByPointer(jsonValue(read), readAt) : undefined;
  const shown = JSON.stringify(injected);
  if (read && isSuccess(read.status) && jsonValue(read) !== undefined) {
    if (deepEqual(readValue, injected)) return fail(`${label(ctx)} stored the client-supplied ${pointer}=${shown}: a later read returns it`, `property:${pointer}`);
    return pass(`${pointer} was not stored (read returns ${JSON.stringify(readValue) ?? "nothing"})`);
  }
  if (ctx.params.requireRead === true) return skip(`no successful read to prove ${pointer} was stored`);
  if (deepEqual(getByPointer(jsonValue(ctx.response), answerAt), injected)) return fail(`${label(ctx)} accepted the client-supplied ${pointer}=${shown} (echoed in the ${ctx.response.status} response)`, `property:${pointer}`);
  return pass(`${pointer} was not applied`);
}

// ---------- excessive data exposure ----------

const SECRET_NAMES = new Set([
  "password", "passwd", "pwd", "passwordhash", "hashedpassword", "passwordsalt", "passwordresettoken",
  "secret", "clientsecret", "apisecret", "secretkey", "privatekey", "signingkey", "encryptionkey",
  "apikey", "accesskey", "secretaccesskey", "accesstoken", "refreshtoken", "idtoken", "token", "authtoken",
  "sessiontoken", "bearertoken", "resettoken", "verificationtoken", "apitoken", "personalaccesstoken",
  "ssn", "socialsecuritynumber", "creditcard", "creditcardnumber", "cardnumber", "ccnumber", "pan", "cvv", "cvv2", "cvc",
  "pin", "otp", "otpsecret", "mfasecret", "totpsecret",
]);
const TOKEN_NAMES = new Set(["token", "accesstoken", "refreshtoken", "idtoken", "authtoken", "sessiontoken", "bearertoken"]);
const MASKED = /^(\*+|x+|•+|#+|\[?redacted\]?|hidden|masked|null|none|-+)$/i;

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A secret by its name: the known ones, and any `…password`, `…secretKey`, `…privateKey`, `…secret` (sharedSecret, webhookSecret; not a flag such as isSecret). */
export function looksSecret(name: string): boolean {
  const n = normaliseName(name);
  return SECRET_NAMES.has(n) || n.endsWith("passwordhash") || n.endsWith("password") || n.endsWith("secretkey") || n.endsWith("privatekey") || (n.endsWith("secret") && !/^(is|has|uses?|requires?)secret$/.test(n));
}

function hasSecretValue(value: unknown): boolean {
  if (typeof value === "number") return true;
  if (typeof value !== "string") return false;
  const text = value.trim();
  return text.length > 0 && !MASKED.test(text);
}

/** Names of a password or its derivative: never a client's business, documented or not. */
const PASSWORD_NAMES = /^(password|passwd|passphrase|passwordhash|hashedpassword|passworddigest|encryptedpassword|passwordsalt|passwordencrypted|userpassword|pwdhash|passhash)$/;
/** Fields that identify a user record in a list (other users' records). */
const USER_KEYS = /^(username|user_?name|login|email|e_?mail|handle|user_?id|userid)$/i;

export function isPasswordName(name: string): boolean {
  const n = normaliseName(name);
  return PASSWORD_NAMES.test(n) || (n.endsWith("password") && !/(policy|rules?|length|expir|reset|changed|set|hint|required|strength)/.test(n)) || n.endsWith("passwordhash");
}

/**
 * The format of a salted password hash (a key-derivation function's output), recognised by the
 * value alone: bcrypt, Argon2, scrypt, PBKDF2 (Django, Werkzeug, passlib and PHC strings),
 * crypt(3) and LDAP. These strings exist only to check a password or secret; content checksums,
 * ETags and ids never take these shapes.
 */
export function saltedHashForm(value: string): string | undefined {
  const v = value.trim();
  if (/^(bcrypt(_sha256)?\$)?\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(v)) return "a bcrypt hash";
  if (/^(argon2\$)?\$argon2(id|i|d)\$(v=\d+\$)?m=\d+/.test(v)) return "an Argon2 hash";
  if (/^(\$scrypt\$|scrypt:\d+:\d+:\d+\$|\$7\$[./A-Za-z0-9]{10,})/.test(v)) return "an scrypt hash";
  if (/^(pbkdf2[_-]sha\d+\$\d+\$|\$pbkdf2(-sha\d+)?\$\d+\$|pbkdf2:sha\d+(:\d+)?\$)[./A-Za-z0-9+=]+\$[./A-Za-z0-9+=]{16,}$/i.test(v)) return "a PBKDF2 hash";
  if (/^\$[156]\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,}$/.test(v)) return "a crypt(3) hash";
  if (/^\{(SHA|SSHA|MD5|SMD5|SHA256|SSHA256|SHA512|SSHA512|CRYPT|PBKDF2[-A-Z0-9]*)\}[./A-Za-z0-9+=$]{8,}$/i.test(v)) return "an LDAP hash";
  return undefined;
}

/** The words of a property name ("clientSecretHash", "password_digest" → client, secret, hash …). */
function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

const CREDENTIAL_WORDS = new Set(["password", "passwd", "passphrase", "pwd", "secret", "pin", "otp", "passcode"]);
const DERIVED_WORDS = new Set(["hash", "hashed", "digest", "salt", "encrypted", "crypt", "crypted"]);

/** A stored credential's derivative by name: a credential word next to hash/digest/salt ("secretHash", "pin_digest"). */
export function isCredentialHashName(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => CREDENTIAL_WORDS.has(w)) && words.some((w) => DERIVED_WORDS.has(w));
}

/** What a stored password looks like: the shape of a known hash format, or plaintext. */
export function passwordForm(value: string): string {
  const v = value.trim();
  const salted = saltedHashForm(v);
  if (salted) return salted;
  if (/^\$2[abxy]?\$\d{2}\$/.test(v)) return "a bcrypt hash";
  if (/^\$argon2(id|i|d)\$/.test(v)) return "an Argon2 hash";
  if (/^\$?scrypt[$:]/i.test(v)) return "an scrypt hash";
  if (/^(\$pbkdf2|pbkdf2[_$:])/i.test(v)) return "a PBKDF2 hash";
  if (/^(\{(SHA|SSHA|MD5|SMD5)\})/i.test(v)) return "an LDAP hash";
  if (/^[a-f0-9]{32}$/i.test(v)) return "an MD5-sized hex digest";
  if (/^[a-f0-9]{40}$/i.test(v)) return "a SHA-1 hex digest";
  if (/^[a-f0-9]{64}$/i.test(v)) return "a SHA-256 hex digest";
  if (/^[a-f0-9]{96}$|^[a-f0-9]{128}$/i.test(v)) return "a SHA-384/512 hex digest";
  return "plaintext";
}

interface Exposure {
  path: string;
  kind: "secret" | "writeOnly" | "password" | "others-secret";
  /** for passwords: hash format or plaintext */
  form?: string;
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

  const walk = (value: unknown, nodeSchema: JsonSchema | undefined, path: string, depth: number, shared: ReadonlySet<string> = NONE) => {
    if (visited++ > MAX_NODES || depth > 12 || found.length >= 10) return;
    const resolved = resolveSchema(ctx.model, nodeSchema);
    if (Array.isArray(value)) {
      const items = resolved && typeof resolved === "object" ? (resolved.items as JsonSchema | undefined) : undefined;
      const others = othersSecrets(value);
      value.slice(0, 200).forEach((item, i) => walk(item, items, `${path}/${i}`, depth + 1, others));
      return;
    }
    if (!isPlainObject(value)) return;
    // one record where the schema says a list of them: the shape is response_schema_conformance's,
    // and the record's properties are documented by the items
    const items = resolved && typeof resolved === "object" && resolved.type === "array" ? (resolved.items as JsonSchema | undefined) : undefined;
    const recordSchema = items ?? nodeSchema;
    const shape = recordSchema === undefined ? undefined : objectShape(ctx.model, recordSchema);
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key}`;
      const documentedSchema = shape?.properties[key];
      const documented = shape !== undefined && (documentedSchema !== undefined || shape.open);
      const property = resolveSchema(ctx.model, documentedSchema);
      if (property && typeof property === "object" && property.writeOnly === true && hasSecretValue(child)) {
        found.push({ path: childPath, kind: "writeOnly" });
      } else if ((isPasswordName(key) || isCredentialHashName(key)) && typeof child === "string" && hasSecretValue(child)) {
        // a password or a secret's hash has no reader outside the server, whatever the schema says
        found.push({ path: childPath, kind: "password", form: passwordForm(child) });
      } else if (typeof child === "string" && saltedHashForm(child) !== undefined) {
        // a salted password hash under any name ("hash", "credential") is the same leak
        found.push({ path: childPath, kind: "password", form: saltedHashForm(child) });
      } else if (shared.has(key)) {
        // other users' credentials, whether the schema names them or lets any name through
        found.push({ path: childPath, kind: "others-secret" });
      } else if (!documented) {
        const tokenExpected = credentialEndpoint && TOKEN_NAMES.has(normaliseName(key));
        if (looksSecret(key) && hasSecretValue(child) && !tokenExpected) found.push({ path: childPath, kind: "secret" });
      }
      walk(child, documentedSchema, childPath, depth + 1);
    }
  };
  walk(body, schema, "", 0);

  if (found.length === 0) return pass(schema === undefined ? "no secret-looking properties" : "no undocumented or secret properties exposed");
  const worst = found.find((f) => f.kind === "password") ?? found.find((f) => f.kind === "others-secret") ?? found.find((f) => f.kind === "secret") ?? found[0];
  const describe = (f: Exposure) =>
    f.kind === "password" ? `${f.form === "plaintext" ? "password" : "credential hash"} field ${f.path} (${f.form})` : f.kind === "others-secret" ? `other users' ${f.path}` : f.kind === "secret" ? `secret-looking ${f.path}` : `writeOnly ${f.path}`;
  const generic = worst.path.replace(/\/\d+(?=\/|$)/g, "/*");
  const anonymous = ctx.request.identity === null || (ctx.operation !== undefined && ctx.operation.security.length === 0);
  const plaintext = worst.kind === "password" && worst.form === "plaintext";
  return fail(
    `${label(ctx)} exposes ${found.slice(0, 3).map(describe).join(", ")}${found.length > 3 ? ` (+${found.length - 3} more)` : ""}${anonymous && worst.kind !== "writeOnly" ? " to a caller without credentials" : ""}`,
    `${worst.kind}:${generic}`,
    plaintext ? "critical" : undefined,
  );
}

/**
 * Secret-looking keys (token, apiKey …) of a list of user records with at least two distinct real
 * values: the listing hands out other users' credentials, documented or not. The caller's own
 * record alone (or a token issued to it) is never judged here.
 */
function othersSecrets(list: unknown[]): ReadonlySet<string> {
  const records = list.slice(0, 200).filter(isPlainObject);
  if (records.length < 2 || !records.some((r) => Object.keys(r).some((k) => USER_KEYS.test(k)))) return NONE;
  const values = new Map<string, Set<string>>();
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      if (!looksSecret(key) || typeof value !== "string" || !hasSecretValue(value)) continue;
      values.set(key, (values.get(key) ?? new Set()).add(value));
    }
  }
  return new Set([...values].filter(([, distinct]) => distinct.size >= 2).map(([key]) => key));
}

const NONE: ReadonlySet<string> = new Set();
