/**
 * security-auth: authentication probes on every operation that requires credentials (security
 * non-empty, no anonymous `{}` alternative): no credentials, malformed / invalid credentials, a
 * wrong scheme, and for bearer tokens expired, alg=none and wrong-signature JWTs. With two or more
 * identities: BOLA chains (A creates, B reads / updates / deletes, A verifies) and BFLA (an
 * unprivileged identity calls operations marked privileged).
 */
import type { ApiModel, JsonSchema, Operation, RequestTemplate, SecurityScheme, Step, TestCase } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { signInAbuseDrafts, tokenEndpointAbuseDrafts, weakSecretDrafts } from "./auth-abuse";
import { check, finishCases, opLabel, type CaseDraft } from "./case-helpers";
import { forgeTokens, parseJwtCredential, probeKey, type ForgedTokens } from "./jwt";
import { agentEnv, buildRequest, copy, opRng, type AgentEnv } from "./requests";
import { createResource, itemRequest, onCreatedResource, resourceTargets, type ResourceTarget } from "./stateful-resources";
import { pathPlaceholders } from "./resources";
import { accountEmailDrafts, accountTakeoverDrafts, throwAwayAccount } from "./account-takeover";
import { foreignDataDrafts } from "./foreign-data";
import { grantedScopes, openToAnyToken, requiredScopeSets, satisfies } from "./scopes";
import type { Agent, AgentContext } from "./types";
import { actionPrerequisites } from "./stateful-actions";
import { isBasicRole, isPrivilegedRole, PRIVILEGED_IDENTITY } from "../auth/roles";

const NAME = "security-auth";

export function requiresAuth(op: Operation): boolean {
  return op.security.length > 0 && !op.security.some((alternative) => Object.keys(alternative).length === 0);
}

/** Where a credential of the operation's first security alternative goes. */
interface CredentialSlot {
  in: "header" | "query" | "cookie";
  name: string;
  /** bearer-like: JWT probes make sense */
  bearer: boolean;
  basic: boolean;
  /** prefix before the token ("Bearer ", "Token ", "") */
  prefix: string;
}

function credentialSlot(model: ApiModel, op: Operation, config: AgentContext["config"]): CredentialSlot | undefined {
  for (const schemeName of Object.keys(op.security[0] ?? {})) {
    const scheme: SecurityScheme | undefined = model.securitySchemes[schemeName];
    if (!scheme) continue;
    if (scheme.type === "http") {
      const basic = (scheme.scheme ?? "").toLowerCase() === "basic";
      const bearer = (scheme.scheme ?? "").toLowerCase() === "bearer";
      if (!basic && !bearer) continue;
      return { in: "header", name: "Authorization", bearer, basic, prefix: bearer ? "Bearer " : "Basic " };
    }
    if (scheme.type === "oauth2" || scheme.type === "openIdConnect") return { in: "header", name: "Authorization", bearer: true, basic: false, prefix: "Bearer " };
    if (scheme.type === "apiKey" && scheme.in && scheme.paramName) {
      const token = parseJwtCredential(config.identityTokens?.[config.identities[0]]);
      const isAuthorization = scheme.in === "header" && scheme.paramName.toLowerCase() === "authorization";
      return { in: scheme.in, name: scheme.paramName, bearer: isAuthorization && token !== undefined, basic: false, prefix: isAuthorization && token ? token.prefix : "" };
    }
  }
  return undefined;
}

function withCredential(request: RequestTemplate, slot: CredentialSlot, value: string): RequestTemplate {
  const out = copy(request);
  out.identity = null;
  if (slot.in === "header") out.headers[slot.name] = value;
  else if (slot.in === "query") out.query[slot.name] = value;
  else out.cookies = { ...(out.cookies ?? {}), [slot.name]: value };
  return out;
}

function authDrafts(env: AgentEnv, op: Operation, tokens: ForgedTokens): CaseDraft[] {
  if (!requiresAuth(op)) return [];
  const rng = opRng(env, NAME, op.operationId);
  const base = buildRequest(env, op, rng.fork("base"), { useExamples: true, optional: "required", includeBody: true });
  const label = opLabel(op.method, op.path);
  const drafts: CaseDraft[] = [];
  const probe = (title: string, request: RequestTemplate, checks: Step["checks"], extra: Step[] = [], tags: string[] = []) =>
    drafts.push({ kind: "security", title: `${label} ${title}`, steps: [...base.setup, ...extra, { id: "probe", request, checks: [check("not_a_server_error"), ...checks] }], tags: ["auth", ...tags] });

  const anonymous: RequestTemplate = { ...copy(base.request), identity: null };
  probe("without credentials", anonymous, [check("ignored_auth", { variant: "none" })], [], ["none"]);

  const slot = credentialSlot(env.model, op, env.config);
  if (!slot) return drafts;
  if (slot.basic) {
    probe("with malformed Basic credentials", withCredential(base.request, slot, "Basic !!!sentinel"), [check("ignored_auth", { variant: "malformed" })], [], ["malformed"]);
    probe("with wrong Basic credentials", withCredential(base.request, slot, `Basic ${btoa("sentinel:wrong-password")}`), [check("ignored_auth", { variant: "invalid" })], [], ["invalid"]);
    return drafts;
  }
  if (!slot.bearer) {
    probe(`with an invalid ${slot.name}`, withCredential(base.request, slot, `${slot.prefix}sentinel-invalid-credential`), [check("ignored_auth", { variant: "invalid" })], [], ["invalid"]);
    return drafts;
  }
  probe("with a malformed token", withCredential(base.request, slot, `${slot.prefix}${tokens.malformed}`), [check("ignored_auth", { variant: "malformed" })], [], ["malformed"]);
  probe("with an expired JWT", withCredential(base.request, slot, `${slot.prefix}${tokens.expired}`), [check("ignored_auth", { variant: "expired" })], [], ["expired"]);
  if (slot.prefix === "Bearer ") {
    probe("with the wrong scheme", withCredential(base.request, slot, `Basic ${btoa("sentinel:sentinel")}`), [check("ignored_auth", { variant: "wrong-scheme" })], [], ["wrong-scheme"]);
  }
  // JWT weakness probes carry a baseline without credentials: if that succeeds too, it is ignored_auth's finding
  const baseline: Step = { id: "anonymous", request: anonymous, checks: [] };
  probe("with an alg=none JWT", withCredential(base.request, slot, `${slot.prefix}${tokens.algNone}`), [check("jwt_weakness", { variant: "alg-none", baselineStep: "anonymous" })], [baseline], ["alg-none"]);
  probe("with a wrongly signed JWT", withCredential(base.request, slot, `${slot.prefix}${tokens.wrongKey}`), [check("jwt_weakness", { variant: "wrong-key", baselineStep: "anonymous" })], [baseline], ["wrong-key"]);
  return drafts;
}

export { PRIVILEGED_IDENTITY };

/** Operations an unprivileged identity must not call. */
export function isPrivileged(model: ApiModel, op: Operation, config: AgentContext["config"]): boolean {
  const extensions = (op as unknown as { extensions?: Record<string, unknown> }).extensions ?? {};
  const marked = (op as unknown as Record<string, unknown>)["x-sentinel-privileged"] ?? extensions["x-sentinel-privileged"];
  if (marked === true) return true;
  if (marked === false) return false;
  // whole words only: /admin/users, tag "Admin", adminListUsers — not /administrative-areas
  const adminWord = /(^|[^a-z])(admin|admins|superusers?|staff)(?![a-z])/i;
  if (adminWord.test(op.path)) return true;
  // a tag or a name only groups operations: where the spec states scopes per operation, an empty
  // scope list says any valid token may call it (GET /me filed under "admin")
  const named = op.tags.some((t) => adminWord.test(t)) || /(^|[^A-Za-z])admins?(?![a-z])|Admins?(?![a-z])|ADMIN/.test(op.operationId);
  if (named && !openToAnyToken(model, op)) return true;
  // the operation's own words reserve it to a privileged role: a summary "… (manager or admin)",
  // "Only admins …" (a role in parentheses elsewhere in the prose may name a user: "carol (admin)")
  const role = "(?:admins?|administrators?|managers?|moderators?|staff)";
  if (new RegExp(`\\(${role}(?:(?: or |, | and )${role})*(?:, [^()]*)?\\)\\s*$`, "i").test(op.summary ?? "")) return true;
  if (new RegExp(`\\bonly (?:the )?${role}\\b`, "i").test(`${op.summary ?? ""}. ${op.description ?? ""}`)) return true;
  const scopes = op.security.flatMap((alternative) => Object.values(alternative).flat());
  if (scopes.some((s) => /admin/i.test(s))) return true;
  // "write" scopes only mean privileged when the user says which identities are unprivileged
  return config.unprivilegedIdentities !== undefined && scopes.length > 0 && scopes.every((s) => /write|manage|delete/i.test(s));
}

const PAGE_SIZE = /^(limit|per_?page|page_?size|size|count|max_?results|max|top|first)$/i;

/** A listing of the collection as `identity`, with the largest page the spec allows (and that size). */
function listRequest(env: AgentEnv, list: Operation, rng: ReturnType<typeof opRng>, known: Record<string, string>, identity: string | null): { request: RequestTemplate; pageSize?: number } {
  const request = buildRequest(env, list, rng, { known, optional: "required", chain: false, identity }).request;
  let pageSize: number | undefined;
  for (const param of list.parameters) {
    if (param.in !== "query" || !PAGE_SIZE.test(param.name)) continue;
    const schema = param.schema as { type?: unknown; maximum?: unknown };
    if (schema.type !== "integer" && schema.type !== "number") continue;
    const size = typeof schema.maximum === "number" ? Math.floor(schema.maximum) : 100;
    if (env.validator.check(size, param.schema) === "valid") {
      request.query[param.name] = size;
      pageSize = size;
    }
  }
  return { request, pageSize };
}

const PAGE_NUMBER = /^(page|page_?number|page_?no)$/i;
const PAGE_COUNT = /^(total_?pages|page_?count|pages_?total|num_?pages|last_?page)$/i;

/**
 * How to ask a paged listing for its last page, where a created item usually sits (kept in the
 * order made): an integer page-number query parameter and the page count the 2xx answer always
 * carries (a required top-level member, or one level down in a required object: `meta.total_pages`).
 */
export function lastPageOf(env: AgentEnv, list: Operation): { param: string; pointer: string } | undefined {
  const integer = (schema: JsonSchema) => {
    const flat = flattenAllOf(schema, env.model.schemas);
    return isObject(flat) && flat.type === "integer";
  };
  const param = list.parameters.find((p) => p.in === "query" && PAGE_NUMBER.test(p.name) && integer(p.schema));
  if (!param) return undefined;
  const requiredMembers = (schema: unknown): [string, JsonSchema][] => {
    const flat = isObject(schema) ? flattenAllOf(schema as JsonSchema, env.model.schemas) : undefined;
    if (!isObject(flat) || !isObject(flat.properties) || !Array.isArray(flat.required)) return [];
    const props = flat.properties as Record<string, JsonSchema>;
    return flat.required.filter((k): k is string => typeof k === "string" && k in props).map((k) => [k, props[k]]);
  };
  for (const response of list.responses) {
    if (!/^2/.test(response.status)) continue;
    for (const media of response.content) {
      if (!/json/i.test(media.contentType)) continue;
      for (const [key, member] of requiredMembers(media.schema)) {
        if (PAGE_COUNT.test(key) && integer(member)) return { param: param.name, pointer: `/${key}` };
        for (const [inner, sub] of requiredMembers(member)) {
          if (PAGE_COUNT.test(inner) && integer(sub)) return { param: param.name, pointer: `/${key}/${inner}` };
        }
      }
    }
  }
  return undefined;
}

/**
 * The listing of a resource created under a parent and addressed elsewhere (POST /books/{id}/copies,
 * GET /copies/{id}): the sub-collection it was created in, when the spec documents it without
 * security and the created chain names all its path parameters. Listed there, it is anyone's to read.
 */
function publicListing(env: AgentEnv, target: ResourceTarget, collection: string, known: Record<string, string>): Operation | undefined {
  const home = target.producer.op.path;
  if (target.producer.op.method !== "post" || home.replace(/\/$/, "") === collection.replace(/\/$/, "")) return undefined;
  const list = env.graph.collectionOperation("get", home);
  return list && !requiresAuth(list) && pathPlaceholders(list.path).every((name) => name in known) ? list : undefined;
}

/** Secured GETs one segment below an item path, with no parameter of their own in the path (at most two). */
function subReads(env: AgentEnv, itemPath: string): Operation[] {
  const depth = pathPlaceholders(itemPath).length;
  return env.model.operations
    .filter((op) => op.method === "get" && op.path.startsWith(`${itemPath}/`) && !op.path.slice(itemPath.length + 1).includes("/") && pathPlaceholders(op.path).length === depth && requiresAuth(op))
    .slice(0, 2);
}

function bolaDrafts(env: AgentEnv): { opId: string; idKey: string; drafts: CaseDraft[] }[] {
  const [owner, ...others] = env.config.identities;
  if (!owner || others.length === 0) return [];
  const out: { opId: string; idKey: string; drafts: CaseDraft[] }[] = [];
  for (const target of resourceTargets(env)) {
    if (!target.read && !target.put && !target.patch && !target.del) continue;
    // made elsewhere, named only by a Location (a job polled at /jobs/{id}), with no listing: what
    // identities of one team share cannot be told from a leak
    const home = target.itemPath.slice(0, target.itemPath.lastIndexOf("/"));
    if (target.producer.via === "located" && !env.graph.collectionOperation("get", home)) continue;
    const rng = opRng(env, `${NAME}:bola`, `${target.producer.op.operationId}:${target.itemPath}`);
    const drafts: CaseDraft[] = [];
    for (const attacker of others.slice(0, 3)) {
      const created = createResource(env, target, rng.fork(attacker), { identity: owner });
      const steps: Step[] = [...created.steps];
      const idProperty = target.producer.property;
      const identify = { idVariable: target.param, ...(idProperty && !idProperty.includes("/") ? { idProperty } : {}) };
      if (target.read) {
        steps.push({ id: "anonymous-read", request: itemRequest(env, target.read, rng.fork("anon"), created.known, null).request, checks: [] });
        // what the collection shows each side: listed to the attacker = shared by design;
        // listed to the owner but not to the attacker = private
        const collection = target.itemPath.slice(0, target.itemPath.lastIndexOf("/"));
        const list = env.graph.collectionOperation("get", collection);
        const readParams: Record<string, unknown> = { ownerStep: "create", action: "read", anonymousStep: "anonymous-read", owner, attacker, ...identify };
        if (list) {
          // the same request each time; the owner's again after the attacker's: records it keeps
          // throughout that the attacker's page lacks tell a scoped collection from a shared one
          // when neither page shows the resource (a large collection)
          const ownerList = listRequest(env, list, rng.fork("owner-list"), created.known, owner);
          steps.push({ id: "owner-list", request: ownerList.request, checks: [] });
          steps.push({ id: "attacker-list", request: { ...copy(ownerList.request), identity: attacker }, checks: [] });
          steps.push({ id: "owner-list-again", request: copy(ownerList.request), checks: [] });
          // a large collection: each side's last page, where the new item usually is
          const last = lastPageOf(env, list);
          if (last) {
            steps[steps.length - 3].extract = { bola_owner_pages: { from: "body", pointer: last.pointer } };
            steps[steps.length - 2].extract = { bola_attacker_pages: { from: "body", pointer: last.pointer } };
            steps.push({ id: "owner-list-last", request: { ...copy(ownerList.request), query: { ...ownerList.request.query, [last.param]: "{{bola_owner_pages}}" } }, checks: [] });
            steps.push({ id: "attacker-list-last", request: { ...copy(ownerList.request), identity: attacker, query: { ...ownerList.request.query, [last.param]: "{{bola_attacker_pages}}" } }, checks: [] });
            readParams.ownerListLastStep = "owner-list-last";
            readParams.listLastStep = "attacker-list-last";
            readParams.pageCountPointer = last.pointer;
          }
          readParams.listStep = "attacker-list";
          readParams.ownerListStep = "owner-list";
          readParams.ownerListAgainStep = "owner-list-again";
          // the page size asked for tells a full (truncated) page from a whole listing
          if (ownerList.pageSize !== undefined) readParams.pageSize = ownerList.pageSize;
        }
        const open = publicListing(env, target, collection, created.known);
        if (open) {
          steps.push({ id: "public-list", request: listRequest(env, open, rng.fork("public-list"), created.known, null).request, checks: [] });
          readParams.publicListStep = "public-list";
        }
        steps.push({ id: "attacker-read", request: itemRequest(env, target.read, rng.fork("read"), created.known, attacker).request, checks: [check("bola", readParams)] });
        // what lies below the item (GET /accounts/{id}/statements): the owner's answer, then the
        // attacker's, judged only where the item itself is refused to the attacker
        subReads(env, target.itemPath).forEach((sub, i) => {
          const request = itemRequest(env, sub, rng.fork(`sub-${i}`), created.known, owner).request;
          steps.push({ id: `owner-sub-${i}`, request, checks: [] });
          steps.push({ id: `attacker-sub-${i}`, request: { ...copy(request), identity: attacker }, checks: [check("bola", { ownerStep: "create", action: "read", owner, attacker, parentStep: "attacker-read", ownerReadStep: `owner-sub-${i}` })] });
        });
      }
      const update = target.put ?? target.patch;
      if (update) {
        // the owner's own values: a generated body that breaks a cross-field rule is refused whoever sends it
        const write = itemRequest(env, update, rng.fork("update"), created.known, attacker, idProperty);
        onCreatedResource(env, write, created.create);
        steps.push({ id: "attacker-update", request: write.request, checks: [check("bola", { ownerStep: "create", action: "update", owner, attacker })] });
      }
      if (target.del) {
        steps.push({ id: "attacker-delete", request: itemRequest(env, target.del, rng.fork("delete"), created.known, attacker).request, checks: [check("bola", { ownerStep: "create", action: "delete", verifyStep: "owner-read", owner, attacker })] });
      }
      if (target.read) {
        steps.push({ id: "owner-read", request: itemRequest(env, target.read, rng.fork("verify"), created.known, owner).request, checks: [check("ensure_resource_availability", { createStep: "create" })] });
      }
      drafts.push({ kind: "security", title: `${attacker} touches a ${target.itemPath} resource ${owner} created`, steps, tags: ["bola"] });
    }
    out.push({ opId: target.read?.operationId ?? target.producer.op.operationId, idKey: `bola:${target.producer.op.operationId}@${target.itemPath}`, drafts });
  }
  return out;
}

/**
 * Can `name` stand for an unprivileged caller beside the first identity? With roles known: not a
 * peer (the first one's role: what it may call, the peer may too — unless that role is an ordinary
 * account's, which calls no admin operation either) nor a privileged role (admin, owner,
 * `is_admin`); without: not named like a privileged role.
 */
function mayBeUnprivileged(config: AgentContext["config"], owner: string, name: string): boolean {
  const role = config.identityRoles?.[name];
  if (role === undefined) return !PRIVILEGED_IDENTITY.test(name);
  return (role !== config.identityRoles?.[owner] || isBasicRole(role)) && !isPrivilegedRole(role);
}

/** Who calls `op` to probe BFLA, and who makes what the call needs: by role names, then by OAuth scopes. */
function bflaPairs(env: AgentEnv, op: Operation): { owner: string; attacker: string; lacks?: string }[] {
  const [owner, ...others] = env.config.identities;
  if (!owner) return [];
  const named = isPrivileged(env.model, op, env.config) ? (env.config.unprivilegedIdentities ?? others.filter((name) => mayBeUnprivileged(env.config, owner, name))) : [];
  const pairs: { owner: string; attacker: string; lacks?: string }[] = named.slice(0, 3).map((attacker) => ({ owner, attacker }));
  // an identity granted none of the operation's scope sets, beside one that holds them
  const sets = requiredScopeSets(env.model, op);
  if (!sets) return pairs;
  const known = env.config.identities.map((name) => ({ name, granted: grantedScopes(env.config, name) })).filter((i): i is { name: string; granted: string[] } => i.granted !== undefined);
  const holder = known.find((i) => satisfies(i.granted, sets));
  if (!holder) return pairs;
  for (const lacking of known.filter((i) => !satisfies(i.granted, sets) && !pairs.some((p) => p.attacker === i.name)).slice(0, 3)) {
    const missing = sets.map((set) => set.filter((scope) => !lacking.granted.includes(scope))).sort((a, b) => a.length - b.length)[0];
    pairs.push({ owner: holder.name, attacker: lacking.name, lacks: missing.join(" ") });
  }
  return pairs;
}

function bflaDrafts(env: AgentEnv, op: Operation): CaseDraft[] {
  const pairs = bflaPairs(env, op);
  if (pairs.length === 0) return [];
  const rng = opRng(env, `${NAME}:bfla`, op.operationId);
  const drafts: CaseDraft[] = [];
  for (const { owner, attacker, lacks } of pairs) {
    // resources the privileged call needs are created by the privileged identity; an account no
    // operation creates (PUT /users/{userId}/role) is one the case signs up, never a made-up id (a 404)
    let built = buildRequest(env, op, rng.fork(attacker), { useExamples: true, optional: "required", includeBody: true, identity: owner });
    const unmade = pathPlaceholders(op.path).find((p) => !String(built.request.pathParams[p] ?? "").includes("{{"));
    const account = unmade === undefined ? undefined : throwAwayAccount(env, op, unmade, rng.fork(`${attacker}:account`));
    if (account) built = buildRequest(env, op, rng.fork(attacker), { useExamples: true, optional: "required", includeBody: true, identity: owner, known: { [unmade!]: "{{victim}}" } });
    const steps: Step[] = [...(account ? [account] : []), ...built.setup];
    // a workflow action reaches the state it acts on through the item's earlier actions (submit before approve), the owner's
    const known = Object.fromEntries(Object.entries(built.request.pathParams).filter((e): e is [string, string] => typeof e[1] === "string"));
    (actionPrerequisites(env, op)[0] ?? []).forEach((prior, i) => {
      steps.push({ id: `before-${i + 1}`, request: buildRequest(env, prior, rng.fork(`before-${i}`), { known, optional: "required", includeBody: true, chain: false, identity: owner }).request, checks: [], requireSuccess: true });
    });
    const params: Record<string, unknown> = { attacker, ...(lacks ? { lacksScopes: lacks } : {}) };
    if (op.method === "get" || op.method === "head") {
      steps.push({ id: "anonymous", request: { ...copy(built.request), identity: null }, checks: [] });
      params.anonymousStep = "anonymous";
    }
    steps.push({ id: "attacker-call", request: { ...copy(built.request), identity: attacker }, checks: [check("not_a_server_error"), check("bfla", params)] });
    const title = lacks ? `${attacker}, without scope ${lacks}, calls ${opLabel(op.method, op.path)}` : `${attacker} calls privileged ${opLabel(op.method, op.path)}`;
    drafts.push({ kind: "security", title, steps, tags: ["bfla"] });
  }
  return drafts;
}

export const securityAuth: Agent = {
  name: NAME,
  description: "Authentication probes (no/malformed/expired credentials, forged JWTs, common JWT secrets, user enumeration, sign-in rate limit), BOLA chains and BFLA across identities",
  async generate(ctx: AgentContext): Promise<TestCase[]> {
    const env = agentEnv(ctx);
    const tokens = await forgeTokens(parseJwtCredential(ctx.config.identityTokens?.[ctx.config.identities[0]]), probeKey(ctx.seed));
    const cap = ctx.config.maxCasesPerOperation;
    const out: TestCase[] = [];
    for (const op of ctx.model.operations) {
      if (op.method === "trace") continue;
      out.push(...finishCases(NAME, op.operationId, [...bflaDrafts(env, op), ...authDrafts(env, op, tokens)], cap));
    }
    for (const { opId, idKey, drafts } of [...bolaDrafts(env), ...accountTakeoverDrafts(env), ...accountEmailDrafts(env), ...foreignDataDrafts(env)]) out.push(...finishCases(NAME, opId, drafts, cap, idKey));
    for (const abuse of [weakSecretDrafts(env), signInAbuseDrafts(env), tokenEndpointAbuseDrafts(env)]) {
      if (abuse) out.push(...finishCases(NAME, abuse.op.operationId, abuse.drafts, cap, `abuse:${abuse.op.operationId}`));
    }
    return out;
  },
};
