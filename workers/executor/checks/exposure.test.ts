import { describe, expect, it } from "vitest";
import { excessive_data_exposure, isCredentialHashName, isPasswordName, looksSecret, mass_assignment, passwordForm, saltedHashForm } from "./exposure";
import type { Operation } from "../../model";
import { ctx, record } from "./test-support";

const create = { method: "POST", path: "/pets", status: 201 };

describe("mass_assignment", () => {
  it("fails when a readOnly property sent in the create is stored", () => {
    const read = record({ id: "read", method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 7, name: "Rex", role: "admin" } });
    const result = mass_assignment(ctx({ id: "create", ...create, requestBody: { name: "Rex", role: "admin" }, body: { id: 7, name: "Rex" } }, { others: [read], params: { property: "role", readStep: "read" } }));
    expect(result).toMatchObject({ status: "failed", signature: "property:/role" });
  });
  it("fails when the create response echoes the injected value (no read step)", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex", role: "admin" }, body: { id: 7, role: "admin" } }, { params: { property: "role" } })).status).toBe("failed");
  });
  it("passes when rejected or not stored", () => {
    expect(mass_assignment(ctx({ ...create, status: 400, requestBody: { role: "admin" } }, { params: { property: "role" } })).status).toBe("passed");
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex", role: "admin" }, body: { id: 7, role: "user" } }, { params: { property: "role" } })).status).toBe("passed");
    const read = record({ id: "read", method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", body: { id: 7, role: "user" } });
    expect(mass_assignment(ctx({ id: "create", ...create, requestBody: { role: "admin" }, body: { id: 7, role: "admin" } }, { others: [read], params: { property: "role", readStep: "read" } })).status).toBe("passed");
  });
  it("skips writable properties and server defaults equal to the injected value", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" }, body: { name: "Rex" } }, { params: { property: "name" } })).status).toBe("skipped");
    const baseline = record({ id: "base", ...create, body: { id: 6, role: "user" } });
    expect(mass_assignment(ctx({ id: "create", ...create, requestBody: { role: "user" }, body: { id: 7, role: "user" } }, { others: [baseline], params: { property: "role", baselineStep: "base" } })).status).toBe("skipped");
  });
});

describe("excessive_data_exposure", () => {
  it("fails on an undocumented secret-looking property with a value", () => {
    const result = excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", passwordHash: "$2b$10$abc" }] }));
    expect(result).toMatchObject({ status: "failed", signature: "password:/*/passwordHash" });
  });
  it("fails on a documented writeOnly property returned", () => {
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", body: { id: 1, name: "Rex", password: "hunter2" } }))).toMatchObject({ status: "failed", signature: "writeOnly:/password" });
  });
  it("leaves ordinary undocumented properties of a closed schema to response_schema_conformance", () => {
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/things/{id}", urlPath: "/things/1", body: { id: 1, internalNote: "x" } })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/things/{id}", urlPath: "/things/1", body: { id: 1, apiSecret: "sk_live_1" } })).status).toBe("failed");
  });
  it("passes on documented data, extra ordinary fields in open schemas, masked secrets and login tokens", () => {
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", color: "brown" }] })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", apiKey: "****" }] })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", nextPageToken: "abc" }] })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "POST", path: "/login", body: { token: "eyJ...", refreshToken: "r" } })).status).toBe("passed");
  });
  it("reads one record answered where the schema says a list of them by the items' schema (the shape is response_schema_conformance's)", () => {
    const items = { type: "array", items: { type: "object", additionalProperties: false, properties: { title: { type: "string" }, secret: { type: "string" } } } };
    const judge = (body: unknown) => {
      const c = ctx({ method: "GET", path: "/notes/{title}", urlPath: "/notes/a", body });
      c.operation = { operationId: "getNote", method: "get", path: "/notes/{title}", tags: [], deprecated: false, parameters: [], security: [], pointer: "#", responses: [{ status: "200", content: [{ contentType: "application/json", schema: items }], headers: [], links: [] }] };
      return excessive_data_exposure(c).status;
    };
    expect(judge([{ title: "a", secret: "s-1" }])).toBe("passed");
    expect(judge({ title: "a", secret: "s-1" })).toBe("passed");
    expect(judge({ title: "a", apiKey: "k-1" })).toBe("failed");
  });
  it("recognises secret names", () => {
    for (const name of ["password", "password_hash", "client_secret", "API-Key", "ssn", "creditCardNumber", "newPassword"]) expect(looksSecret(name)).toBe(true);
    for (const name of ["passwordPolicy", "tokenType", "secretary", "pageToken", "name"]) expect(looksSecret(name)).toBe(false);
  });
});

describe("excessive_data_exposure: passwords and other users' secrets, documented or not", () => {
  const profile = { id: "users", method: "GET", path: "/things/{id}", urlPath: "/things/1" };
  it("fails on a password hash or a plaintext password, and tells them apart", () => {
    const bcrypt = "$2b$10$" + "a".repeat(53);
    const hashed = excessive_data_exposure(ctx({ ...profile, body: { id: 1, passwordHash: bcrypt } }));
    expect(hashed).toMatchObject({ status: "failed", signature: "password:/passwordHash" });
    expect(hashed.message).toContain("bcrypt hash");
    expect(hashed.severity).toBeUndefined();
    const scrypt = excessive_data_exposure(ctx({ ...profile, body: { id: 1, password_hash: "scrypt$salt-x$0a1b" } }));
    expect(scrypt.message).toContain("scrypt hash");
    const plain = excessive_data_exposure(ctx({ ...profile, body: { id: 1, password: "hunter22" } }));
    expect(plain).toMatchObject({ status: "failed", severity: "critical" });
    expect(plain.message).toContain("plaintext");
  });
  it("fails on a password the open response schema documents (GET /pets documents Pet's fields)", () => {
    // Owner documents no password; the listing's open item schema lets any name through
    const result = excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", hashedPassword: "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8" }] }));
    expect(result.message).toContain("SHA-256 hex digest");
  });
  it("fails on documented tokens of several user records in a list, not on one own token", () => {
    const documented: Operation = {
      operationId: "listUsers", method: "get", path: "/users", tags: [], deprecated: false, parameters: [], security: [], pointer: "#/paths/~1users/get",
      responses: [{ status: "200", headers: [], links: [], content: [{ contentType: "application/json", schema: { type: "array", items: { type: "object", properties: { username: { type: "string" }, name: { type: "string" }, token: { type: "string" } } } } }] }],
    };
    const list = (body: unknown) => excessive_data_exposure({ ...ctx({ method: "GET", path: "/users", body }), operation: documented });
    const users = [{ username: "anna", token: "tok-anna-1" }, { username: "ben", token: "tok-ben-2" }];
    expect(list(users)).toMatchObject({ status: "failed", signature: "others-secret:/*/token" });
    expect(list([users[0]]).status).toBe("passed");
    expect(list([{ username: "anna", token: "****" }, { username: "ben", token: "****" }]).status).toBe("passed");
    // records that are not users are not judged
    expect(list([{ name: "a", token: "x-1" }, { name: "b", token: "y-2" }]).status).toBe("passed");
  });
  it("names an undeclared apiToken a secret, and other users' when several user records carry distinct ones", () => {
    const listUsers: Operation = {
      operationId: "listUsers", method: "get", path: "/users", tags: [], deprecated: false, parameters: [], security: [], pointer: "#/paths/~1users/get",
      responses: [{ status: "200", headers: [], links: [], content: [{ contentType: "application/json", schema: { type: "array", items: { type: "object", properties: { id: { type: "integer" }, username: { type: "string" }, role: { type: "string" } } } } }] }],
    };
    const list = (body: unknown, op = listUsers) => excessive_data_exposure({ ...ctx({ method: "GET", path: "/users", body }), operation: op });
    const users = [{ id: 1, username: "anna", role: "admin", apiToken: "tok-anna-1" }, { id: 2, username: "ben", role: "member", apiToken: "tok-ben-2" }];
    expect(list(users)).toMatchObject({ status: "failed", signature: "others-secret:/*/apiToken" });
    expect(list([users[0]])).toMatchObject({ status: "failed", signature: "secret:/*/apiToken" });
    // a map the schema opens to any name (additionalProperties: a schema) documents the key, not other users' tokens
    const map = { ...listUsers, responses: [{ ...listUsers.responses[0], content: [{ contentType: "application/json", schema: { type: "array", items: { type: "object", properties: { username: { type: "string" } }, additionalProperties: { type: "string" } } } }] }] };
    expect(list(users, map)).toMatchObject({ status: "failed", signature: "others-secret:/*/apiToken" });
    expect(list([users[0]], map).status).toBe("passed");
    expect(list([{ ...users[0], apiToken: "****" }, { ...users[1], apiToken: "****" }], map).status).toBe("passed");
  });
  it("fails on a secret's hash by name (secretHash, pin_digest) or by a salted-hash format under any name", () => {
    const django = "pbkdf2_sha256$1000$" + "c2FsdHNhbHQ" + "$" + "q".repeat(43) + "=";
    const me = { method: "GET", path: "/me" };
    const bySecretName = excessive_data_exposure(ctx({ ...me, body: { clientId: "front-desk", secretHash: django } }));
    expect(bySecretName).toMatchObject({ status: "failed", signature: "password:/secretHash" });
    expect(bySecretName.message).toContain("credential hash field /secretHash (a PBKDF2 hash)");
    expect(bySecretName.severity).toBeUndefined();
    expect(excessive_data_exposure(ctx({ ...me, body: { id: 1, client_secret_digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" } })).message).toContain("SHA-256 hex digest");
    expect(excessive_data_exposure(ctx({ ...me, body: { id: 1, pin_hash: "e10adc3949ba59abbe56e057f20f883e" } })).message).toContain("MD5-sized hex digest");
    const formats = [
      "$2b$12$" + "R9h/cIPz0gi.URNNX3kh2O".padEnd(53, "a"),
      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + "h".repeat(43),
      "$scrypt$ln=16,r=8,p=1$c2FsdA$" + "k".repeat(43),
      "scrypt:32768:8:1$saltsalt$" + "0".repeat(128),
      "pbkdf2:sha256:600000$saltsalt$" + "a".repeat(64),
      "$6$rounds=5000$saltsalt$" + "b".repeat(86),
      "{SSHA}" + "W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
    ];
    for (const value of formats) expect(excessive_data_exposure(ctx({ ...me, body: { id: 1, credential: value } })), value).toMatchObject({ status: "failed", signature: "password:/credential" });
  });
  it("passes on ordinary checksums, revisions, ETags and ids, whatever their hex length", () => {
    const hex = (n: number) => "0123456789abcdef".repeat(8).slice(0, n);
    const body = { id: hex(32), revision: hex(40), etag: hex(64), sha: hex(40), contentHash: hex(64), file_hash: hex(128), commitHash: hex(40), checksum: "sha256:" + hex(64), hash: hex(32), digest: "$" + hex(20) };
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/me", body })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/files/{id}", urlPath: "/files/1", body: { id: 1, price: "$1$", note: "{SHA} is a prefix" } })).status).toBe("passed");
  });
  it("passes on password policy fields and masked or empty values", () => {
    expect(excessive_data_exposure(ctx({ ...profile, body: { id: 1, passwordPolicy: "min 8", passwordChangedAt: "2020-01-01", password: "" } })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ ...profile, body: { id: 1, password: "********" } })).status).toBe("passed");
  });
});

describe("mass_assignment inside a wrapper object", () => {
  const signup = { id: "signup", method: "POST", path: "/public/items", status: 201 };
  const params = { property: "/user/role", injected: "admin", responsePointer: "/role", readStep: "me", readPointer: "/role", baselineStep: "base" };
  const base = record({ ...signup, id: "base", body: { username: "a", role: "member" } });
  it("fails when the account's own read shows the injected role", () => {
    const me = record({ id: "me", method: "GET", path: "/public/items", body: { username: "b", role: "admin" } });
    const result = mass_assignment(ctx({ ...signup, requestBody: { user: { username: "b", role: "admin" } }, body: { username: "b", role: "admin" } }, { others: [base, me], params }));
    expect(result).toMatchObject({ status: "failed", signature: "property:/user/role" });
    expect(result.message).toContain("a later read returns it");
  });
  it("passes when the read shows the default, and skips when the default is what was injected", () => {
    const me = record({ id: "me", method: "GET", path: "/public/items", body: { username: "b", role: "member" } });
    expect(mass_assignment(ctx({ ...signup, requestBody: { user: { role: "admin" } }, body: { role: "admin" } }, { others: [base, me], params })).status).toBe("passed");
    const adminByDefault = record({ ...signup, id: "base", body: { role: "admin" } });
    expect(mass_assignment(ctx({ ...signup, requestBody: { user: { role: "admin" } }, body: { role: "admin" } }, { others: [adminByDefault, me], params })).status).toBe("skipped");
    expect(mass_assignment(ctx({ ...signup, status: 400, requestBody: { user: { role: "admin" } }, body: { errors: [] } }, { others: [base], params })).status).toBe("passed");
  });
});

describe("mass_assignment: details", () => {
  it("needs a property that was sent; an explicit injected value; nested pointers and escaped names", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" } })).status).toBe("skipped");
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" }, body: { role: "admin" } }, { params: { property: "role" } })).status).toBe("skipped");
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" }, body: { role: "admin" } }, { params: { property: "role", injected: "admin" } })).status).toBe("failed");
    expect(mass_assignment(ctx({ ...create, requestBody: { "a/b": 1 }, body: { "a/b": 1 } }, { params: { property: "a/b" } })).signature).toBe("property:/a~1b");
    expect(mass_assignment(ctx({ ...create, requestBody: { "a~b": 1 }, body: { "a~b": 1 } }, { params: { property: "a~b" } })).signature).toBe("property:/a~0b");
  });
  it("a property documented in a nested writable object is writable; one declared readOnly is not", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { owner: { name: "Ann" } }, body: { owner: { name: "Ann" } } }, { params: { property: "/owner/name" } })).status).toBe("skipped");
    expect(mass_assignment(ctx({ ...create, requestBody: { owner: { admin: true } }, body: { owner: { admin: true } } }, { params: { property: "/owner/admin" } })).status).toBe("failed");
    expect(mass_assignment(ctx({ ...create, requestBody: { id: 9 }, body: { id: 9 } }, { params: { property: "id" } })).status).toBe("failed");
    // an operation without a documented JSON body judges any property
    expect(mass_assignment(ctx({ method: "POST", path: "/login", status: 200, requestBody: { name: "x" }, body: { name: "x" } }, { params: { property: "name" } })).status).toBe("failed");
  });
  it("a failed or non-JSON read, a failed baseline, requireRead", () => {
    const sent = { ...create, id: "create", requestBody: { role: "admin" }, body: { id: 7, role: "admin" } };
    const read = (status: number, body: unknown) => record({ id: "read", method: "GET", path: "/pets/{petId}", urlPath: "/pets/7", status, body });
    expect(mass_assignment(ctx(sent, { others: [read(404, { role: "admin" })], params: { property: "role", readStep: "read" } })).status).toBe("failed");
    expect(mass_assignment(ctx(sent, { others: [read(200, "role=admin")], params: { property: "role", readStep: "read" } })).status).toBe("failed");
    expect(mass_assignment(ctx(sent, { others: [read(404, { role: "admin" })], params: { property: "role", readStep: "read", requireRead: true } })).status).toBe("skipped");
    const refusedBaseline = record({ id: "base", ...create, status: 400, body: { role: "admin" } });
    expect(mass_assignment(ctx(sent, { others: [refusedBaseline], params: { property: "role", baselineStep: "base" } })).status).toBe("failed");
    const notStored = mass_assignment(ctx(sent, { others: [read(200, { id: 7 })], params: { property: "role", readStep: "read" } }));
    expect(notStored).toMatchObject({ status: "passed", message: "/role was not stored (read returns nothing)" });
    expect(mass_assignment(ctx(sent, { others: [read(200, { id: 7, role: "user" })], params: { property: "role", readStep: "read" } })).message).toBe('/role was not stored (read returns "user")');
    expect(mass_assignment(ctx({ ...sent, status: 302 }, { params: { property: "role" } })).message).toBe("the write was rejected (302)");
    expect(mass_assignment(ctx(sent, { params: { property: "role" } })).message).toBe('POST /pets accepted the client-supplied /role="admin" (echoed in the 201 response)');
  });
});

describe("excessive_data_exposure: details", () => {
  const me = { method: "GET", path: "/me" };
  const expose = (body: unknown, extra: Record<string, unknown> = {}) => excessive_data_exposure(ctx({ ...me, body, ...extra }));
  it("only successful JSON objects and arrays are examined", () => {
    expect(expose({ password: "hunter22" }, { status: 400 }).status).toBe("skipped");
    expect(expose({ password: "hunter22" }, { status: 302 }).status).toBe("skipped");
    expect(expose("password=hunter22").status).toBe("skipped");
    expect(expose(null).status).toBe("skipped");
    expect(expose(7).status).toBe("skipped");
  });
  it("secret names, masked values, numbers, and names that only look like secrets", () => {
    expect(expose({ pin: 1234 })).toMatchObject({ status: "failed", signature: "secret:/pin" });
    expect(expose({ apiKey: "  " }).status).toBe("passed");
    for (const masked of ["xxxx", "••••", "###", "[REDACTED]", "hidden", "masked", "null", "none", "---"]) expect(expose({ apiKey: masked }).status, masked).toBe("passed");
    expect(expose({ apiKey: "x-1" }).status).toBe("failed");
    expect(expose({ apiKey: true }).status).toBe("passed");
    for (const name of ["user_password", "db_secretkey", "rsaPrivateKey", "sha_passwordhash"]) expect(looksSecret(name), name).toBe(true);
    // a secret under a qualifier: the device's HMAC key, a webhook's signing secret
    for (const name of ["sharedSecret", "webhook_secret", "hmacSecret"]) expect(looksSecret(name), name).toBe(true);
    expect(expose({ sharedSecret: "k3y-0f-the-device-1234" })).toMatchObject({ status: "failed", signature: "secret:/sharedSecret" });
    for (const name of ["secretary", "secretive", "isSecret"]) expect(looksSecret(name), name).toBe(false);
  });
  it("password names: a policy, expiry or hint is not a password", () => {
    for (const name of ["newPassword", "password_digest", "passphrase", "encrypted_password", "userPassword", "pwdHash"]) expect(isPasswordName(name), name).toBe(true);
    for (const name of ["passwordRules", "passwordLength", "passwordExpiry", "passwordReset", "passwordSet", "passwordHint", "passwordRequired", "passwordStrength", "password_rule"]) expect(isPasswordName(name), name).toBe(false);
    expect(isPasswordName("resetPasswordHash")).toBe(true);
    expect(isCredentialHashName("pinDigest")).toBe(true);
    expect(isCredentialHashName("otp_salt")).toBe(true);
    expect(isCredentialHashName("fileHash")).toBe(false);
    expect(isCredentialHashName("secretary")).toBe(false);
  });
  it("the form of a stored password", () => {
    expect(passwordForm("$2y$10$short")).toBe("a bcrypt hash");
    expect(passwordForm("$argon2i$broken")).toBe("an Argon2 hash");
    expect(passwordForm("scrypt:x")).toBe("an scrypt hash");
    expect(passwordForm("pbkdf2$x")).toBe("a PBKDF2 hash");
    expect(passwordForm("{SMD5}x")).toBe("an LDAP hash");
    expect(passwordForm("a".repeat(40))).toBe("a SHA-1 hex digest");
    expect(passwordForm("a".repeat(96))).toBe("a SHA-384/512 hex digest");
    expect(passwordForm("a".repeat(128))).toBe("a SHA-384/512 hex digest");
    expect(passwordForm("a".repeat(100))).toBe("plaintext");
    expect(passwordForm(" hunter2 ")).toBe("plaintext");
    expect(saltedHashForm("$1$saltsalt$" + "c".repeat(22))).toBe("a crypt(3) hash");
    expect(saltedHashForm("{PBKDF2-SHA256}" + "d".repeat(20))).toBe("an LDAP hash");
    expect(saltedHashForm("$7$" + "e".repeat(12))).toBe("an scrypt hash");
    expect(saltedHashForm("$pbkdf2-sha512$25000$c2FsdA$" + "f".repeat(20))).toBe("a PBKDF2 hash");
    expect(saltedHashForm("argon2$$argon2id$v=19$m=512,t=2,p=2$abc")).toBe("an Argon2 hash");
    expect(saltedHashForm("bcrypt_sha256$$2b$12$" + "g".repeat(53))).toBe("a bcrypt hash");
    expect(saltedHashForm("$2b$12$" + "g".repeat(52))).toBeUndefined();
  });
  it("the message: what leaked, the three first of them, to whom; the worst kind names the signature", () => {
    const many = expose({ apiKey: "k1", accessToken: "t1", ssn: "1", cvv: "2" });
    expect(many.message).toBe("GET /me exposes secret-looking /apiKey, secret-looking /accessToken, secret-looking /ssn (+1 more)");
    const worst = expose({ apiKey: "k1", password: "hunter22" });
    expect(worst.signature).toBe("password:/password");
    expect(worst.message).toContain("password field /password (plaintext)");
    const anonymous = excessive_data_exposure(ctx({ ...me, body: { apiKey: "k1" }, identity: null }));
    expect(anonymous.message).toContain(" to a caller without credentials");
    const c = ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", body: { id: 1, name: "Rex", password: "pw1" }, identity: null });
    expect(excessive_data_exposure(c).message).toBe("GET /pets/{petId} exposes writeOnly /password");
    const publicOp = ctx({ method: "GET", path: "/things/{id}", urlPath: "/things/1", body: { id: 1, apiSecret: "s" } });
    expect(excessive_data_exposure(publicOp).message).toContain(" to a caller without credentials");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex", password: "" }] })).status).toBe("passed");
  });
  it("walks nested objects and lists, up to a limit of ten findings", () => {
    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { x: nest(depth - 1, leaf) });
    expect(expose({ data: { users: [{ id: 1, password: "p1" }] } }).signature).toBe("password:/data/users/*/password");
    const ten = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, { apiKey: `v${i}` }]));
    expect(expose(ten).message).toContain("(+7 more)");
    expect(expose(nest(11, { apiKey: "v" })).status).toBe("failed");
    expect(expose(nest(13, { apiKey: "v" })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "POST", path: "/login", body: { data: { accessToken: "t" } } })).status).toBe("passed");
    expect(excessive_data_exposure(ctx({ method: "POST", path: "/login", body: { apiKey: "t" } })).status).toBe("failed");
  });
});

describe("exposure: what the mutation run showed unpinned", () => {
  const me = { method: "GET", path: "/me" };
  const expose = (body: unknown, extra: Record<string, unknown> = {}) => excessive_data_exposure(ctx({ ...me, body, ...extra }));
  const users = (itemSchema: Record<string, unknown>) => (body: unknown) =>
    excessive_data_exposure({
      ...ctx({ method: "GET", path: "/users", body }),
      operation: { operationId: "listUsers", method: "get", path: "/users", tags: [], deprecated: false, parameters: [], security: [], pointer: "#", responses: [{ status: "200", headers: [], links: [], content: [{ contentType: "application/json", schema: { type: "array", items: { type: "object", ...itemSchema } } }] }] },
    });
  const listUsers = users({ properties: { username: { type: "string" }, name: { type: "string" }, token: { type: "string" } } });
  it("every secret name is recognised, not only those the suffix rules catch", () => {
    const names = ["passwd", "pwd", "passwordsalt", "passwordresettoken", "secret", "signingkey", "encryptionkey", "accesskey", "secretaccesskey", "refreshtoken", "idtoken", "authtoken", "sessiontoken", "bearertoken", "resettoken", "verificationtoken", "socialsecuritynumber", "creditcard", "cardnumber", "ccnumber", "pan", "cvv2", "cvc", "otp", "otpsecret", "mfasecret", "totpsecret"];
    for (const name of names) expect(looksSecret(name), name).toBe(true);
    for (const name of ["password_hash", "passwd_digest", "passphrase_salt", "pwd_hash", "passcode_hashed", "pin_encrypted", "secret_crypt", "otp_crypted"]) expect(isCredentialHashName(name), name).toBe(true);
    expect(excessive_data_exposure(ctx({ method: "POST", path: "/login", body: { token: "t", idToken: "t", authToken: "t", sessionToken: "t", bearerToken: "t" } })).status).toBe("passed");
    expect(expose({ apiKey: "redacted" }).status).toBe("passed");
  });
  it("salted hash formats are matched whole, with their optional parts", () => {
    const forms: [string, string | undefined][] = [
      [" $2b$12$" + "g".repeat(53) + " ", "a bcrypt hash"],
      ["$2b$12$" + "g".repeat(54), undefined],
      ["x$2b$12$" + "g".repeat(53), undefined],
      ["bcrypt$$2b$12$" + "g".repeat(53), "a bcrypt hash"],
      ["$2$12$" + "g".repeat(53), "a bcrypt hash"],
      ["x$argon2id$v=19$m=512", undefined],
      ["$argon2i$m=4096,t=3,p=1$c2FsdA$abc", "an Argon2 hash"],
      ["x$scrypt$ln=16", undefined],
      ["scrypt:32768:16:12$salt$hash", "an scrypt hash"],
      ["$7$abc", undefined],
      ["pbkdf2_sha256$1000$c2FsdA$" + "q".repeat(43) + "=", "a PBKDF2 hash"],
      ["xpbkdf2_sha256$1000$c2FsdA$" + "q".repeat(43), undefined],
      ["pbkdf2_sha256$1000$c2FsdA$" + "q".repeat(43) + "$", undefined],
      ["pbkdf2.sha256$1000$c2FsdA$" + "q".repeat(43), undefined],
      ["$pbkdf2$1000$c2FsdA$" + "q".repeat(20), "a PBKDF2 hash"],
      ["pbkdf2:sha256$saltsalt$" + "a".repeat(64), "a PBKDF2 hash"],
      ["x$1$saltsalt$" + "c".repeat(22), undefined],
      ["$1$saltsalt$" + "c".repeat(22) + "$", undefined],
      ["x{SSHA}" + "W6ph5Mm5Pz8GgiULbPgzG37mj9g=", undefined],
      ["{SSHA}" + "W6ph5Mm5Pz8GgiULbPgzG37mj9g=!", undefined],
    ];
    for (const [value, form] of forms) expect(saltedHashForm(value), value).toBe(form);
  });
  it("the form of a stored password: salted formats first, prefixes anchored, hex digests of exact lengths", () => {
    expect(passwordForm("$1$saltsalt$" + "c".repeat(22))).toBe("a crypt(3) hash");
    expect(passwordForm(" $2y$10$short ")).toBe("a bcrypt hash");
    expect(passwordForm("$2$10$short")).toBe("a bcrypt hash");
    for (const value of ["abc$2y$10$", "abc$argon2i$", "abcscrypt:", "abc$pbkdf2", "abc{SHA}", "a".repeat(130), "g" + "a".repeat(128)]) expect(passwordForm(value), value).toBe("plaintext");
  });
  it("mass_assignment: the reason of each skip and pass; a plain account's read that already shows the value", () => {
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" } })).message).toBe("params.property names no property");
    expect(mass_assignment(ctx({ ...create, body: { role: "admin" } }, { params: { property: "role" } })).message).toBe("the request did not send /role");
    expect(mass_assignment(ctx({ ...create, requestBody: { name: "Rex" }, body: { name: "Rex" } }, { params: { property: "name" } })).message).toBe("/name is documented as writable");
    const baseline = record({ id: "base", ...create, body: { id: 6, role: "admin" } });
    expect(mass_assignment(ctx({ id: "create", ...create, requestBody: { role: "admin" }, body: { id: 7, role: "admin" } }, { others: [baseline], params: { property: "role", baselineStep: "base" } })).message).toBe("the server default of /role equals the injected value");
    const sent = { ...create, id: "create", requestBody: { role: "admin" }, body: { id: 7 } };
    expect(mass_assignment(ctx(sent, { params: { property: "role", requireRead: true } })).message).toBe("no successful read to prove /role was stored");
    expect(mass_assignment(ctx(sent, { params: { property: "role" } })).message).toBe("/role was not applied");
    const plainRead = (status: number) => record({ id: "plain", method: "GET", path: "/pets/{petId}", urlPath: "/pets/6", status, body: { id: 6, role: "admin" } });
    expect(mass_assignment(ctx({ ...sent, body: { id: 7, role: "admin" } }, { others: [plainRead(200)], params: { property: "role", baselineReadStep: "plain" } })).message).toBe('a plain account\'s own read already shows /role="admin": the server\'s default');
    expect(mass_assignment(ctx({ ...sent, body: { id: 7, role: "admin" } }, { others: [plainRead(404)], params: { property: "role", baselineReadStep: "plain" } })).status).toBe("failed");
  });
  it("excessive_data_exposure: skip and pass reasons; additionalProperties schemas document any name; numbers under password names are secrets", () => {
    expect(expose({ password: "x" }, { status: 404 }).message).toBe("404: only successful responses are examined");
    expect(expose("text").message).toBe("no JSON object or array in the response");
    expect(expose({ id: 1 }).message).toBe("no secret-looking properties");
    expect(excessive_data_exposure(ctx({ method: "GET", path: "/pets", body: [{ id: 1, name: "Rex" }] })).message).toBe("no undocumented or secret properties exposed");
    const open = users({ additionalProperties: { type: "string" }, properties: { username: { type: "string" } } });
    expect(open([{ username: "anna", apiKey: "k-1" }]).status).toBe("passed");
    expect(users({ properties: { username: { type: "string" } } })([{ username: "anna", apiKey: "k-1" }]).status).toBe("failed");
    expect(expose({ password: 1234 }).signature).toBe("secret:/password");
  });
  it("excessive_data_exposure: bounds of the walk (nodes, depth through lists, 200 items)", () => {
    const wide = { a: Array.from({ length: 200 }, () => Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`f${k}`, "v"]))), z: { apiKey: "k-1" } };
    expect(expose(wide).status).toBe("passed");
    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { x: nest(depth - 1, leaf) });
    expect(expose(nest(12, { apiKey: "v" })).status).toBe("failed");
    const nestList = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : [nestList(depth - 1, leaf)]);
    expect(expose(nestList(13, { apiKey: "v" })).status).toBe("passed");
    expect(expose([...Array.from({ length: 200 }, () => ({ id: 1 })), { apiKey: "v" }]).status).toBe("passed");
  });
  it("excessive_data_exposure: the worst kind names the signature; the message names other users' fields, counts, and credentials", () => {
    const closed = users({ additionalProperties: false, properties: { username: { type: "string" }, token: { type: "string" } } });
    expect(closed([{ username: "anna", apiKey: "k1", token: "t1" }, { username: "ben", token: "t2" }]).signature).toBe("others-secret:/*/token");
    expect(listUsers([{ username: "anna", token: "t1" }, { username: "ben", token: "t2" }]).message).toBe("GET /users exposes other users' /0/token, other users' /1/token to a caller without credentials");
    const pet = excessive_data_exposure(ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", body: { id: 1, name: "Rex", password: "pw1", owner: { apiKey: "k1" } } }));
    expect(pet).toMatchObject({ signature: "secret:/owner/apiKey", message: "GET /pets/{petId} exposes writeOnly /password, secret-looking /owner/apiKey" });
    expect(expose(Array.from({ length: 12 }, (_, i) => (i === 11 ? { apiKey: "k" } : { id: i }))).signature).toBe("secret:/*/apiKey");
    expect(expose({ apiKey: "k1", accessToken: "t1", ssn: "1" }).message).toBe("GET /me exposes secret-looking /apiKey, secret-looking /accessToken, secret-looking /ssn");
  });
  it("other users' secrets: some records name a user, string values only, at least two distinct values", () => {
    expect(listUsers([{ username: "anna", token: "t1" }, { name: "x", token: "t2" }]).status).toBe("failed");
    expect(listUsers([{ username: "anna", token: 1 }, { username: "ben", token: 2 }]).status).toBe("passed");
    expect(listUsers([{ username: "anna", token: "shared-1" }, { username: "ben", token: "shared-1" }]).status).toBe("passed");
  });
});

describe("mass_assignment on a body documented as free-form", () => {
  // Jupyter Server's PATCH /api/config/{section_name}: the body is `type: object`, a settings document
  const patch = { method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", status: 200 };
  const withBody = (schema: unknown, requestBody: unknown, property: string) => {
    const c = ctx({ ...patch, requestBody, body: requestBody }, { params: { property } });
    return { ...c, operation: { ...c.operation!, requestBody: { required: true, content: [{ contentType: "application/json", schema }] } } } as typeof c;
  };
  it("a key of an object that declares no property is the client's to name: no verdict", () => {
    expect(mass_assignment(withBody({ type: "object" }, { is_admin: true }, "is_admin"))).toEqual({ status: "skipped", message: "/is_admin: the object holding it is documented as free-form (no property declared), its keys are the client's to name" });
    expect(mass_assignment(withBody({ type: "object", additionalProperties: { type: "boolean" } }, { is_admin: true }, "is_admin")).status).toBe("skipped");
    expect(mass_assignment(withBody({ type: "object", properties: { settings: { type: "object" } } }, { settings: { role: "admin" } }, "/settings/role")).status).toBe("skipped");
  });
  it("an object that declares its properties, or none and closed, still judges an undeclared one", () => {
    expect(mass_assignment(withBody({ type: "object", properties: { name: { type: "string" } } }, { is_admin: true }, "is_admin")).status).toBe("failed");
    expect(mass_assignment(withBody({ type: "object", additionalProperties: false }, { is_admin: true }, "is_admin")).status).toBe("failed");
    expect(mass_assignment(withBody({ type: "object", properties: { settings: { type: "object", properties: { theme: { type: "string" } } } } }, { settings: { role: "admin" } }, "/settings/role")).status).toBe("failed");
  });
});
