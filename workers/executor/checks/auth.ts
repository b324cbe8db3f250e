/**
 * Authentication and authorisation. A failure always means "a 2xx where the spec or the identity
 * model says access must be refused"; refusals (401/403), hiding (404) and redirects to a sign-in
 * page pass; 5xx is left to not_a_server_error; anything inconclusive skips.
 * Operations whose security is empty or lists `{}` as an alternative (anonymous allowed) are
 * never judged by ignored_auth / jwt_weakness.
 */
import type { Operation, ReceivedResponse } from "../../model";
import { credentialLocations, findResponseSpec, getByPointer, header, isClientError, isPlainObject, isRedirect, isServerError, isSuccess, jsonValue, listingExtent, listResults, operationLabel, paramNumber, paramString, recordIdentity, requiresAuth, stepRecord } from "./support";
import { fail, pass, skip, type CheckContext, type CheckResult, type StepRecord } from "./types";
import { looksSecret } from "./exposure";

function label(ctx: CheckContext): string {
  return operationLabel(ctx.request.method, ctx.step.request.path);
}

function securedOperation(ctx: CheckContext): Operation | undefined {
  const op = ctx.operation ?? ctx.caseOperation;
  return op && requiresAuth(op) ? op : undefined;
}

/** Credentials the request still carries at the places the operation's schemes read them. */
function carriedCredentials(ctx: CheckContext, op: Operation): string[] {
  const carried: string[] = [];
  const url = new URL(ctx.request.url);
  const cookies = header(ctx.request.headers, "cookie") ?? "";
  for (const location of credentialLocations(ctx.model, op)) {
    if (location.in === "header" && header(ctx.request.headers, location.name) !== undefined) carried.push(location.name);
    if (location.in === "query" && url.searchParams.has(location.name)) carried.push(`?${location.name}`);
    if (location.in === "cookie" && cookies.split(";").some((c) => c.trim().startsWith(`${location.name}=`))) carried.push(`cookie ${location.name}`);
  }
  return [...new Set(carried)];
}

function refusalVerdict(ctx: CheckContext, what: string): CheckResult | undefined {
  const { status } = ctx.response;
  if (status === 401 || status === 403) return pass(`${what} refused with ${status}`);
  if (isRedirect(status)) return pass(`${what} redirected (${status}), not served`);
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (isClientError(status)) return pass(`${what} not served (${status})`);
  if (isSuccess(status) && servesSignInPage(ctx)) return pass(`${what} answered ${status} with an HTML page where the operation documents no HTML: a sign-in page, not the resource`);
  return undefined;
}

/**
 * Web stacks often answer an unauthenticated request with 200 and their sign-in page. An HTML
 * body from an operation that documents no HTML for this status is not the protected resource.
 */
export function servesSignInPage(ctx: CheckContext): boolean {
  const received = header(ctx.response.headers, "content-type") ?? "";
  const html = /^\s*(text\/html|application\/xhtml\+xml)/i.test(received) || (!received && /^\s*<(!doctype html|html)/i.test(ctx.response.body));
  if (!html) return false;
  const op = ctx.operation ?? ctx.caseOperation;
  const documented = op ? (findResponseSpec(op, ctx.response.status)?.content ?? []).map((m) => m.contentType) : [];
  return !documented.some((type) => /html|\*\/\*|^text\/\*/i.test(type));
}

/**
 * params: { variant?: "none" | "invalid" | "malformed" | "expired" | "wrong-scheme" | string }.
 * "none" (the default when the step sends no identity) additionally requires that the request
 * really carries no credential where the operation's security schemes look for one.
 */
export function ignored_auth(ctx: CheckContext): CheckResult {
  const op = securedOperation(ctx);
  if (!op) return skip("the operation does not require authentication");
  const variant = paramString(ctx, "variant") ?? (ctx.request.identity === null ? "none" : "invalid");
  if (variant === "none") {
    const carried = carriedCredentials(ctx, op);
    if (carried.length > 0) return skip(`the request still carried credentials (${carried.join(", ")})`);
  }
  const what = variant === "none" ? "request without credentials" : `request with ${variant} credentials`;
  const verdict = refusalVerdict(ctx, what);
  if (verdict) return verdict;
  // one finding per operation: accepting no credentials and accepting broken ones are the same hole
  if (isSuccess(ctx.response.status)) return fail(`${label(ctx)} requires authentication but answered ${ctx.response.status} to a ${what}`, "accepted");
  return skip(`${ctx.response.status}: no verdict`);
}

/**
 * params: { variant: "alg-none" | "wrong-key" | "expired" | "tampered" | ..., baselineStep? }.
 * The step carries a forged bearer token; accepting it is the weakness. When `baselineStep`
 * (the same request without credentials) also succeeded, auth is not enforced at all: that is
 * ignored_auth's finding, so this check skips.
 */
export function jwt_weakness(ctx: CheckContext): CheckResult {
  const op = securedOperation(ctx);
  if (!op) return skip("the operation does not require authentication");
  const authorization = header(ctx.request.headers, "authorization");
  if (!authorization) return skip("the request carries no Authorization header");
  const variant = paramString(ctx, "variant") ?? "forged";
  if (variant === "alg-none") {
    const alg = jwtHeader(authorization)?.alg;
    if (typeof alg !== "string" || alg.toLowerCase() !== "none") return skip("the token sent is not an alg=none token");
  }
  const baseline = stepRecord(ctx, paramString(ctx, "baselineStep"));
  if (baseline?.exchange.response && isSuccess(baseline.exchange.response.status)) return skip("the operation answers 2xx without any credentials (ignored_auth)");
  const verdict = refusalVerdict(ctx, `${variant} token`);
  if (verdict) return verdict;
  if (isSuccess(ctx.response.status)) return fail(`${label(ctx)} accepted a ${variant} JWT (${ctx.response.status})`, `accepted:${variant}`);
  return skip(`${ctx.response.status}: no verdict`);
}

export function jwtHeader(authorization: string): Record<string, unknown> | undefined {
  const token = authorization.replace(/^\s*bearer\s+/i, "").trim();
  const [head] = token.split(".");
  if (!head) return undefined;
  try {
    const base64 = head.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const parsed = JSON.parse(atob(padded));
    return parsed && typeof parsed === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isEmptyPayload(ctx: CheckContext): boolean {
  if (ctx.response.body.trim() === "") return true;
  const value = jsonValue(ctx.response);
  return value === null || (Array.isArray(value) && value.length === 0) || (value !== null && typeof value === "object" && Object.keys(value).length === 0);
}

function publicAccess(ctx: CheckContext): StepRecord | undefined {
  const anonymous = stepRecord(ctx, paramString(ctx, "anonymousStep"));
  return anonymous?.exchange.response && isSuccess(anonymous.exchange.response.status) ? anonymous : undefined;
}

/**
 * params: { ownerStep (the owner's create), action?: "read" | "update" | "delete",
 *           anonymousStep? (same request without credentials), verifyStep? (owner's read after),
 *           idVariable? (variable holding the created id), idProperty? (its property name),
 *           listStep? (the attacker listing the collection), ownerListStep? (the owner's listing),
 *           ownerListAgainStep? (the owner's same listing after the attacker's),
 *           publicListStep? (a listing without credentials that may show the resource),
 *           confirmStep? (a later step that succeeds only if the write took effect), confirmPointer? /
 *           confirmHeader? (where that step's answer carries a token when it really succeeded),
 *           staleStep? (the same sign-in with the old password: still working = unclear), owner? (its name) }.
 * The current step is another identity touching the owner's resource. Reads are not judged when
 * the resource is shared by design: readable or listed anonymously, or listed to the attacker by the
 * collection itself (a directory every signed-in user browses); with the owner's listing, only
 * when it shows the resource the attacker's does not (private, proven) — a listing that shows it
 * to neither (pagination) leaves the read unjudged, unless the owner's is a truncated page and the
 * attacker's whole listing lacks it (scoped per identity; params.pageSize is the size asked for),
 * or the owner's listings before and after the attacker's keep records the attacker's lacks.
 * A 2xx that carries another id than the owner's (the server answered with the caller's own
 * resource) is no leak either.
 */
export function bola(ctx: CheckContext): CheckResult {
  if (ctx.params.foreign === true) return foreignWrite(ctx);
  const ownerId = paramString(ctx, "ownerStep");
  const owner = stepRecord(ctx, ownerId);
  if (!owner) return skip("params.ownerStep names no executed step");
  if (!owner.exchange.response || !isSuccess(owner.exchange.response.status)) return skip(`the owner's step (${ownerId}) did not succeed`);
  if (ctx.request.identity === null) return skip("the request carries no identity (ignored_auth's case)");
  if (ctx.request.identity === owner.request.identity) return skip("the request was made by the owner itself");
  // without required credentials the server cannot tell identities apart: no ownership to break
  const op = ctx.operation ?? ctx.caseOperation;
  if (op && !requiresAuth(op)) return skip(`${label(ctx)} requires no authentication: identities are indistinguishable to it`);
  const action = paramString(ctx, "action") ?? (ctx.request.method === "DELETE" ? "delete" : ["GET", "HEAD"].includes(ctx.request.method) ? "read" : "update");
  const { status } = ctx.response;
  const who = `identity "${ctx.request.identity}"`;
  if (status === 401 || status === 403 || status === 404 || status === 410) return pass(`${who} refused (${status})`);
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (!isSuccess(status)) return skip(`${status}: inconclusive`);
  if (publicAccess(ctx)) return skip("the resource is public: anonymous access succeeds too");
  if (servesSignInPage(ctx)) return pass(`${who} got an HTML page, not the resource`);
  if (action === "read" && isEmptyPayload(ctx)) return skip("the response reveals nothing");
  if (paramString(ctx, "parentStep") !== undefined) return subResourceRead(ctx, owner.request.identity ?? paramString(ctx, "owner") ?? "anonymous");
  const id = createdId(ctx);
  const idProperty = paramString(ctx, "idProperty") ?? "id";
  const body = jsonValue(ctx.response);
  if (action === "read" && id !== undefined && isPlainObject(body) && idProperty in body && String(body[idProperty]) !== id) {
    return pass(`${who} got a resource with another ${idProperty} (${String(body[idProperty])}), not the owner's ${id}`);
  }
  if (action === "read" && id !== undefined && listedAnonymously(ctx, id, idProperty)) {
    const hidden = privateContent(ctx, body, id, idProperty, "publicListStep");
    if (!hidden) return skip("a listing the spec makes public shows the resource to a request without credentials: readable by anyone");
    const ownerName = owner.request.identity ?? paramString(ctx, "owner") ?? "anonymous";
    return fail(`${who} could read a resource "${ownerName}" created (${label(ctx)} → ${status}): a public listing shows it, but not ${hidden}, which the item read hands over`, "read:private-content");
  }
  if (action === "read" && id !== undefined && listedTo(ctx, "listStep", id, idProperty)) {
    const hidden = privateContent(ctx, body, id, idProperty, "listStep");
    if (!hidden) return skip(`the collection lists the resource to ${who}: shared by design`);
    const ownerName = owner.request.identity ?? paramString(ctx, "owner") ?? "anonymous";
    return fail(`${who} could read a resource "${ownerName}" created (${label(ctx)} → ${status}): the collection lists it, but not ${hidden}, which the item read hands over`, "read:private-content");
  }
  if (action === "read" && id !== undefined && paramString(ctx, "ownerListStep") !== undefined && !listedTo(ctx, "ownerListStep", id, idProperty) && !scopedListing(ctx) && !scopedByComparison(ctx) && !privateOnLastPages(ctx, id, idProperty)) {
    return skip("the owner's listing does not show the resource either: privacy not established");
  }
  // a write proven by its effect: the owner's later step (a login with the password the attacker set) must succeed
  const confirmId = paramString(ctx, "confirmStep");
  if (confirmId !== undefined) {
    const confirm = stepRecord(ctx, confirmId)?.exchange.response;
    if (!confirm) return skip(`the confirming step (${confirmId}) did not run`);
    if (!isSuccess(confirm.status)) return pass(`${who}'s ${ctx.request.method} answered ${status}, but it took no effect (${confirmId} → ${confirm.status})`);
    // a sign-in that answers 2xx to refuse (`{"status": "fail"}`): only its token proves it worked
    if (!signedIn(confirm, ctx)) return pass(`${who}'s ${ctx.request.method} answered ${status}, but it took no effect (${confirmId} → ${confirm.status} without a token)`);
    const stale = stepRecord(ctx, paramString(ctx, "staleStep"))?.exchange.response;
    if (stale && isSuccess(stale.status) && signedIn(stale, ctx)) return skip(`${confirmId} signed in with the new password, but the old one still works too: the effect is unclear`);
  }
  // a write proven by a later read of the owner's record showing the value the attacker sent
  const effectId = paramString(ctx, "effectStep");
  if (effectId !== undefined) {
    const effect = stepRecord(ctx, effectId)?.exchange.response;
    if (!effect || !isSuccess(effect.status)) return skip(`the read that would show the effect (${effectId}) did not succeed`);
    const seen = getByPointer(jsonValue(effect), paramString(ctx, "effectPointer") ?? "");
    if (String(seen) !== paramString(ctx, "effectValue")) return pass(`${who}'s ${ctx.request.method} answered ${status}, but it took no effect (${effectId} does not show the new value)`);
  }
  const verify = stepRecord(ctx, paramString(ctx, "verifyStep"));
  if (verify?.exchange.response && action === "delete" && isSuccess(verify.exchange.response.status)) {
    return pass(`${who}'s DELETE answered ${status} but the owner still reads the resource`);
  }
  const ownerName = owner.request.identity ?? paramString(ctx, "owner") ?? "anonymous";
  if (confirmId !== undefined) return fail(`${who} could ${action} the account of another user ("${ownerName}") (${label(ctx)} → ${status}), and it took effect (${confirmId} succeeded)`, `${action}:account`);
  if (effectId !== undefined) return fail(`${who} could ${action} the account of another user ("${ownerName}") (${label(ctx)} → ${status}), and it took effect (${effectId} shows the value it sent)`, `${action}:account`);
  return fail(`${who} could ${action} a resource "${ownerName}" created (${label(ctx)} → ${status})`, action);
}

/**
 * A read below another identity's resource (GET /accounts/{id}/statements): a leak when the
 * resource itself is refused to the attacker (its own read: 401/403/404/410) yet the part below
 * answers exactly what the owner gets — privacy is the API's own word there, and the data is the owner's.
 */
function subResourceRead(ctx: CheckContext, ownerName: string): CheckResult {
  const who = `identity "${ctx.request.identity}"`;
  const parent = stepRecord(ctx, paramString(ctx, "parentStep"))?.exchange.response;
  if (!parent || ![401, 403, 404, 410].includes(parent.status)) return skip(`the resource itself was not refused to ${who}: what lies below it may be shared`);
  const mine = stepRecord(ctx, paramString(ctx, "ownerReadStep"))?.exchange.response;
  if (!mine || !isSuccess(mine.status)) return skip("the owner's own read of it did not succeed");
  if (mine.body !== ctx.response.body) return skip(`${who} got another answer than the owner: not the owner's data`);
  return fail(`${who} could read what lies below a resource "${ownerName}" created (${label(ctx)} → ${ctx.response.status}, the owner's very answer), though the resource itself is refused to it (${parent.status})`, "read:sub-resource");
}

/** The operation's own words say only the owner may use it ("Only the owner may retrieve it"). */
const OWNER_ONLY = /\bonly (?:the |its )?(?:owner|creator|author)s?\b|\bonly (?:available|visible|accessible) to (?:the |its )?(?:owner|creator|author|user who (?:created|added|owns))/i;

/**
 * What a listing shown to everyone leaves out but the item read of another user's resource hands
 * over: a secret-named property with a value (`secret`, `apiKey` …) the listed element lacks, when
 * the operation says only the owner may read it or not. Undefined when the read adds nothing secret.
 */
function privateContent(ctx: CheckContext, body: unknown, id: string, idProperty: string, listParam: string): string | undefined {
  const list = stepRecord(ctx, paramString(ctx, listParam))?.exchange.response;
  const listed = list ? findListed(jsonValue(list), id, idProperty) : undefined;
  const records = (Array.isArray(body) ? body.slice(0, 20) : [body]).filter(isPlainObject);
  const secret = records.flatMap((r) => Object.entries(r)).find(([key, value]) => looksSecret(key) && typeof value === "string" && value.trim() !== "" && !(listed && key in listed));
  if (secret) return `its "${secret[0]}"`;
  const op = ctx.operation ?? ctx.caseOperation;
  const words = `${op?.summary ?? ""} ${op?.description ?? ""}`;
  if (OWNER_ONLY.test(words) && records.length > 0 && listed && records.some((r) => Object.keys(r).some((k) => !(k in listed)))) return "the fields only its owner may read (the operation says so)";
  return undefined;
}

/** A sign-in answer that hands out what params.confirmPointer / confirmHeader say a working one carries (no such param: any 2xx). */
function signedIn(response: ReceivedResponse, ctx: CheckContext): boolean {
  const pointer = paramString(ctx, "confirmPointer");
  const headerName = paramString(ctx, "confirmHeader");
  if (pointer !== undefined) {
    const token = getByPointer(jsonValue(response), pointer);
    if (token === undefined || token === null || token === "") return false;
  }
  if (headerName !== undefined && !Object.keys(response.headers).some((h) => h.toLowerCase() === headerName.toLowerCase())) return false;
  return true;
}

/**
 * BOLA on pre-existing data (params.foreign): the current step is an identity writing an item a
 * listing showed it that another user owns. params: { action: "delete" | "update", listStep (the
 * same listing after the write), idProperty, idVariable, effectProperty?, effectValue? }. A
 * refusal passes; a 2xx is a finding only when the listing after it shows the effect: the item
 * gone (delete), or its property carrying the value sent (update).
 */
function foreignWrite(ctx: CheckContext): CheckResult {
  if (ctx.request.identity === null) return skip("the request carries no identity (ignored_auth's case)");
  const op = ctx.operation ?? ctx.caseOperation;
  if (op && !requiresAuth(op)) return skip(`${label(ctx)} requires no authentication: identities are indistinguishable to it`);
  const { status } = ctx.response;
  const who = `identity "${ctx.request.identity}"`;
  if (status === 401 || status === 403 || status === 404 || status === 405 || status === 410) return pass(`${who} refused (${status})`);
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (!isSuccess(status)) return skip(`${status}: inconclusive`);
  if (servesSignInPage(ctx)) return pass(`${who} got an HTML page, not the resource`);
  const id = createdId(ctx);
  const idProperty = paramString(ctx, "idProperty") ?? "id";
  const after = stepRecord(ctx, paramString(ctx, "listStep"))?.exchange.response;
  if (id === undefined || !after || !isSuccess(after.status)) return skip("no listing after the write to show its effect");
  const action = paramString(ctx, "action") === "delete" ? "delete" : "update";
  if (action === "delete") {
    if (listedTo(ctx, "listStep", id, idProperty)) return pass(`${who}'s DELETE answered ${status}, but the listing still shows ${idProperty} ${id}`);
    return fail(`${who} deleted an item another user owns, data that was there before the run (${label(ctx)} → ${status}); the listing no longer shows ${idProperty} ${id}`, "delete:pre-existing");
  }
  const property = paramString(ctx, "effectProperty");
  const item = property === undefined ? undefined : findListed(jsonValue(after), id, idProperty);
  if (!item || property === undefined) return skip(`the listing after the write does not show ${idProperty} ${id}`);
  if (String(item[property]) !== paramString(ctx, "effectValue")) return pass(`${who}'s ${ctx.request.method} answered ${status}, but ${property} did not change`);
  return fail(`${who} changed ${property} of an item another user owns, data that was there before the run (${label(ctx)} → ${status}); the listing shows the new value (set back afterwards)`, "update:pre-existing");
}

function findListed(node: unknown, id: string, idProperty: string, depth = 0): Record<string, unknown> | undefined {
  if (depth > 6) return undefined;
  if (Array.isArray(node)) {
    for (const item of node.slice(0, 1000)) {
      const found = findListed(item, id, idProperty, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(node)) return undefined;
  const value = node[idProperty];
  if ((typeof value === "string" || typeof value === "number") && String(value) === id) return node;
  for (const child of Object.values(node)) {
    if (typeof child === "object" && child !== null) {
      const found = findListed(child, id, idProperty, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * params: { anonymousStep? (same request without credentials) }. The current step is an
 * unprivileged identity calling a privileged operation.
 */
function createdId(ctx: CheckContext): string | undefined {
  const name = paramString(ctx, "idVariable");
  const value = name === undefined ? undefined : ctx.variables[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** Does the listing named by params[stepParam] contain an object whose idProperty is `id`? */
function listedTo(ctx: CheckContext, stepParam: string, id: string, idProperty: string): boolean {
  const list = stepRecord(ctx, paramString(ctx, stepParam))?.exchange.response;
  if (!list || !isSuccess(list.status)) return false;
  let budget = 20_000;
  const walk = (node: unknown, depth: number): boolean => {
    if (budget-- <= 0 || depth > 8) return false;
    if (Array.isArray(node)) return node.some((item) => walk(item, depth + 1));
    if (!isPlainObject(node)) return false;
    const value = node[idProperty];
    if ((typeof value === "string" || typeof value === "number") && String(value) === id) return true;
    return Object.values(node).some((child) => typeof child === "object" && child !== null && walk(child, depth + 1));
  };
  return walk(jsonValue(list), 0);
}

/**
 * The resource is shown to anyone: params.publicListStep, a listing sent without credentials
 * (one the spec documents without security, e.g. the parent's sub-collection the resource was
 * created in), answered with it. Shared catalogue data, not another user's object.
 */
function listedAnonymously(ctx: CheckContext, id: string, idProperty: string): boolean {
  const list = stepRecord(ctx, paramString(ctx, "publicListStep"));
  return list?.request.identity === null && listedTo(ctx, "publicListStep", id, idProperty);
}

/**
 * The collection is scoped per identity although the owner's page missed the resource: the owner
 * got only a page of more (truncated) while the attacker got its whole listing (complete) without
 * the resource. A collection shared by design would fill the attacker's page as it fills the owner's.
 */
function scopedListing(ctx: CheckContext): boolean {
  const pageSize = paramNumber(ctx, "pageSize");
  const of = (param: string) => listingExtent(stepRecord(ctx, paramString(ctx, param))?.exchange.response, pageSize);
  return of("ownerListStep") === "truncated" && of("listStep") === "complete";
}

/** Records a shared collection would have to push out of the attacker's page and back in between the owner's two listings. */
const SHARED_CHURN = 10;

/**
 * The collection is scoped per identity although neither page shows the resource: the owner's
 * listing taken before and after the attacker's (params.ownerListAgainStep, the same request all
 * three) keeps records the attacker's listing lacks. Those records were there throughout, so a
 * shared collection would have listed them to the attacker too: its page shorter than the owner's
 * would be the whole collection, and a page as long would have needed SHARED_CHURN records sorted
 * in ahead of the first kept one and gone again within those requests.
 */
function scopedByComparison(ctx: CheckContext): boolean {
  const ids = (param: string) => {
    const response = stepRecord(ctx, paramString(ctx, param))?.exchange.response;
    return response && isSuccess(response.status) ? listResults(jsonValue(response))?.map(recordIdentity) : undefined;
  };
  const before = ids("ownerListStep");
  const attacker = ids("listStep");
  const after = ids("ownerListAgainStep");
  if (!before || !attacker || !after) return false;
  const kept = before.filter((id) => after.includes(id));
  if (kept.length === 0 || attacker.some((id) => kept.includes(id))) return false;
  if (attacker.length < Math.max(before.length, after.length)) return true;
  const first = Math.min(...kept.map((id) => Math.min(before.indexOf(id), after.indexOf(id)))) + 1;
  return attacker.length + 1 - first >= SHARED_CHURN;
}

/**
 * Private although the first pages show the resource to neither (a collection larger than a page):
 * the owner's last page (params.ownerListLastStep) shows it, the attacker's last page
 * (params.listLastStep) lacks it, and the attacker's listing counts fewer pages than the owner's
 * (params.pageCountPointer in both first listings). A shared collection is the same for both: as
 * many pages or more (records only added meanwhile), its last page the same records.
 */
function privateOnLastPages(ctx: CheckContext, id: string, idProperty: string): boolean {
  const pointer = paramString(ctx, "pageCountPointer");
  const lastStep = paramString(ctx, "listLastStep");
  if (pointer === undefined || lastStep === undefined || !listedTo(ctx, "ownerListLastStep", id, idProperty)) return false;
  const attackerLast = stepRecord(ctx, lastStep)?.exchange.response;
  if (!attackerLast || !isSuccess(attackerLast.status) || listedTo(ctx, "listLastStep", id, idProperty)) return false;
  const pages = (param: string) => {
    const response = stepRecord(ctx, paramString(ctx, param))?.exchange.response;
    const value = response && isSuccess(response.status) ? getByPointer(jsonValue(response), pointer) : undefined;
    return typeof value === "number" && Number.isInteger(value) ? value : undefined;
  };
  const owner = pages("ownerListStep");
  const attacker = pages("listStep");
  return owner !== undefined && attacker !== undefined && attacker < owner;
}

export function bfla(ctx: CheckContext): CheckResult {
  if (ctx.request.identity === null) return skip("the request carries no identity (ignored_auth's case)");
  const op = ctx.operation ?? ctx.caseOperation;
  if (op && !requiresAuth(op)) return skip(`${label(ctx)} requires no authentication: the spec makes it public`);
  const { status } = ctx.response;
  const who = `identity "${ctx.request.identity}"`;
  if (status === 401 || status === 403 || status === 404 || status === 405) return pass(`${who} refused (${status})`);
  if (isServerError(status)) return skip(`${status} is judged by not_a_server_error`);
  if (!isSuccess(status)) return skip(`${status}: inconclusive`);
  if (publicAccess(ctx)) return skip("the operation is public: anonymous access succeeds too");
  if (servesSignInPage(ctx)) return pass(`${who} got an HTML page, not the operation's result`);
  // an empty answer (no users, {}): the operation may filter to what the caller may see
  if (ctx.request.method === "GET" && isEmptyPayload(ctx)) return skip("the response reveals nothing");
  const lacks = paramString(ctx, "lacksScopes");
  if (lacks) return fail(`${who} lacks the scope ${lacks} the spec requires, yet executed ${label(ctx)} (${status})`, `${ctx.request.method}:executed`);
  return fail(`unprivileged ${who} executed privileged ${label(ctx)} (${status})`, `${ctx.request.method}:executed`);
}
