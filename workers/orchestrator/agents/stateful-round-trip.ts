/**
 * Round trips: values the server produced go back to it. A resource is created and read; its
 * representation (the read's members, at every depth, the write body declares writable) is sent back
 * unchanged with PUT, read again, and — when the item also has a JSON PATCH — sent back once
 * more with PATCH. Every parameter of the write that names a value the read produced (a header
 * or a body field of the same name: a version, a checksum, an ETag for If-Match) carries that
 * value. The server must accept its own representation and change nothing (round_trip): a
 * checksum or version it refuses to take back, a uniqueness rule that collides with the resource
 * itself, a field that drifts on every write (units, escaping) are found here and nowhere else.
 */
import type { Extraction, JsonSchema, Operation, PickList, Step } from "../../model";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import type { Rng } from "../generate/random";
import { conformanceChecks, isJsonMedia, settableParams, type AgentEnv } from "./requests";
import { flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { createResource, itemRequest, responseProperties, type ResourceTarget } from "./stateful-resources";

/** "X-Entity-Version", "entity_version", "entityVersion" → "entityversion": names that mean the same. */
function nameKey(name: string): string {
  return name.replace(/^x-/i, "").replace(/[^A-Za-z0-9]/g, "").toLowerCase();
}

/** A write body the representation can be sent as: JSON (never JSON Patch), an object of properties. */
function writeBody(env: AgentEnv, op: Operation): ReturnType<typeof objectShape> {
  const media = op.requestBody?.content.find((m) => isJsonMedia(m.contentType) && !/json-patch/i.test(m.contentType));
  return media && objectShape(env, media.schema);
}

/** An object schema's properties and required names (allOf merged); undefined when it is no object of properties. */
function objectShape(env: AgentEnv, schema: JsonSchema | undefined): { properties: Record<string, JsonSchema>; required: string[] } | undefined {
  const flat = schema === undefined ? undefined : flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat) || !isObject(flat.properties) || flat.oneOf !== undefined || flat.anyOf !== undefined) return undefined;
  return { properties: flat.properties as Record<string, JsonSchema>, required: Array.isArray(flat.required) ? (flat.required as string[]) : [] };
}

/** The object shapes of `write` and `read` — or of their items when both are arrays — when both have properties. */
function objectPair(env: AgentEnv, write: JsonSchema, read: JsonSchema): [NonNullable<ReturnType<typeof objectShape>>, Record<string, JsonSchema>] | undefined {
  const w = resolve(write, env.model.schemas);
  const r = resolve(read, env.model.schemas);
  const items = (s: JsonSchema) => (isObject(s) && s.type === "array" && isObject(s.items) ? (s.items as JsonSchema) : undefined);
  const [ws, rs] = items(w) !== undefined && items(r) !== undefined ? [items(w), items(r)] : [w, r];
  const own = objectShape(env, ws);
  const returned = objectShape(env, rs);
  return own && returned ? [own, returned.properties] : undefined;
}

/**
 * The members of a read the write takes back, at every depth: declared by both, not readOnly or
 * writeOnly; an object (or array of objects) the write describes member by member is reduced the
 * same way, so an envelope's id, links or timestamps never go back. Undefined when a member the
 * write requires is not among them, or a nested member cannot go back whole (its items require a
 * field the read never returns): no complete representation.
 */
function writablePick(env: AgentEnv, write: { properties: Record<string, JsonSchema>; required: string[] }, readProps: Record<string, JsonSchema>, depth: number): PickList | undefined {
  const out: PickList = [];
  for (const name of Object.keys(write.properties)) {
    const own = resolve(write.properties[name], env.model.schemas);
    const returned = readProps[name] === undefined ? undefined : resolve(readProps[name], env.model.schemas);
    if (returned === undefined || (isObject(returned) && returned.writeOnly === true)) continue;
    if (isObject(own) && (own.readOnly === true || own.writeOnly === true)) continue;
    const pair = depth < 6 ? objectPair(env, own, returned) : undefined;
    if (!pair) {
      out.push(name);
      continue;
    }
    const nested = writablePick(env, pair[0], pair[1], depth + 1);
    // a member whose own representation cannot go back whole: what is sent is no longer unchanged
    if (!nested) return undefined;
    out.push([name, nested]);
  }
  const kept = new Set(out.map((entry) => (typeof entry === "string" ? entry : entry[0])));
  if (kept.size === 0 || write.required.some((name) => !kept.has(name))) return undefined;
  return out;
}

/**
 * The read's members the write takes back (see writablePick); undefined when the write has no
 * JSON object body or a property it requires is not among them.
 */
export function representationFields(env: AgentEnv, read: Operation, write: Operation): PickList | undefined {
  const body = writeBody(env, write);
  if (!body) return undefined;
  return writablePick(env, body, responseProperties(env, read), 0);
}

/**
 * Parameters of `write` (headers, query) filled with what `read` produced under the same name: a
 * response header (If-Match ← ETag, X-Version ← X-Version) or a top-level response field.
 */
function producedParameters(env: AgentEnv, read: Operation, write: Operation): { param: string; in: "header" | "query"; extraction: Extraction }[] {
  const readProps = responseProperties(env, read);
  const propByKey = new Map(Object.keys(readProps).map((name) => [nameKey(name), name]));
  const headerByKey = new Map<string, string>();
  for (const response of read.responses.filter((r) => /^2/.test(r.status))) for (const h of response.headers) headerByKey.set(nameKey(h.name), h.name);
  const out: { param: string; in: "header" | "query"; extraction: Extraction }[] = [];
  for (const param of settableParams(env, write)) {
    if (param.in !== "header" && param.in !== "query") continue;
    if (param.name.toLowerCase() === "if-match") {
      out.push({ param: param.name, in: "header", extraction: { from: "header", name: "etag" } });
      continue;
    }
    const key = nameKey(param.name);
    const header = headerByKey.get(key);
    const property = propByKey.get(key);
    if (header !== undefined) out.push({ param: param.name, in: param.in, extraction: { from: "header", name: header.toLowerCase() } });
    else if (property !== undefined && key !== "id") out.push({ param: param.name, in: param.in, extraction: { from: "body", pointer: `/${property.replace(/~/g, "~0").replace(/\//g, "~1")}` } });
  }
  return out;
}

/** Body fields a server produces for the client to echo (a version, revision, checksum, lock): never made up. */
const ECHOED_FIELD = /version|revision|checksum|digest|hash|etag|lock|^seq$|sequence/i;

/**
 * The top-level fields of an update body that name a value the read produced for echoing (a
 * checksum, a version): an update with a made-up one is refused by design. Each becomes
 * `{{variable}}` extracted from the read; returned as variable → extraction.
 */
export function echoProducedFields(env: AgentEnv, read: Operation, body: unknown, prefix: string): { value: unknown; extract: Record<string, Extraction> } {
  if (!isObject(body)) return { value: body, extract: {} };
  const readProps = responseProperties(env, read);
  const value: Record<string, unknown> = { ...body };
  const extract: Record<string, Extraction> = {};
  for (const key of Object.keys(value)) {
    if (!ECHOED_FIELD.test(key) || readProps[key] === undefined) continue;
    const variable = `${prefix}${key.replace(/[^\w$]/g, "_")}`;
    extract[variable] = { from: "body", pointer: `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}` };
    value[key] = `{{${variable}}}`;
  }
  return { value, extract };
}

/** create → read → PUT the read back → read (→ PATCH the read back → read); undefined when no write fits. */
export function roundTripDraft(env: AgentEnv, target: ResourceTarget, rng: Rng): CaseDraft | undefined {
  const { read } = target;
  if (!read) return undefined;
  const writes = [target.put, target.patch].filter((op): op is Operation => op !== undefined).map((op) => ({ op, fields: representationFields(env, read, op) }));
  const usable = writes.filter((w): w is { op: Operation; fields: PickList } => w.fields !== undefined);
  if (usable.length === 0) return undefined;
  const created = createResource(env, target, rng.fork("create"));
  const steps: Step[] = [...created.steps];
  const readStep = (id: string, extract: Step["extract"], checks: Step["checks"]): Step => {
    const request = itemRequest(env, read, rng.fork(id), created.known).request;
    const out: Step = { id, request, checks, requireSuccess: true };
    if (extract && Object.keys(extract).length > 0) out.extract = extract;
    return out;
  };
  let previousRead = "read-before";
  let pending: Step = readStep(previousRead, {}, []);
  steps.push(pending);
  usable.forEach(({ op, fields }, i) => {
    const method = op.method.toLowerCase();
    const representation = `representation${i}`;
    const produced = producedParameters(env, read, op);
    // the read before this write hands over the representation and every produced value
    pending.extract = { ...(pending.extract ?? {}), [representation]: { from: "body", pointer: "", pick: fields } };
    produced.forEach((p, j) => (pending.extract![`produced${i}_${j}`] = p.extraction));
    const write = itemRequest(env, op, rng.fork(`write-${method}`), created.known);
    const request = write.request;
    request.body = { contentType: request.body?.contentType ?? "application/json", value: `{{${representation}}}` };
    delete request.unique;
    produced.forEach((p, j) => {
      if (p.in === "header") request.headers[p.param] = `{{produced${i}_${j}}}`;
      else request.query[p.param] = `{{produced${i}_${j}}}`;
    });
    const writeId = `send-back-${method}`;
    steps.push({ id: writeId, request, checks: [...conformanceChecks(false), check("round_trip", { readStep: previousRead })] });
    const afterId = `read-after-${method}`;
    pending = readStep(afterId, {}, [...conformanceChecks(), check("round_trip", { readStep: previousRead, writeStep: writeId })]);
    steps.push(pending);
    previousRead = afterId;
  });
  const label = usable.map(({ op }) => op.method.toUpperCase()).join(" and ");
  return { kind: "stateful", title: `${opLabel(read.method, read.path)} then ${label} it back unchanged`, steps, tags: ["round-trip"] };
}
