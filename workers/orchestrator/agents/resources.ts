/**
 * Producer → consumer links between operations: which operation creates the resource whose id
 * fills a path parameter. A POST (or PUT) on the collection `/items` whose 2xx response carries an
 * id-like property (or a Location header) produces `{itemId}` of `/items/{itemId}`; explicit
 * OpenAPI links win over the heuristic.
 */
import type { ApiModel, Extraction, JsonSchema, Operation } from "../../model";
import { admittedTypes, flattenAllOf, resolve } from "../../jsonschema/shape";
import { isObject, type SchemaMap } from "../../jsonschema/types";
import { refOf, splitPointer } from "../../jsonschema/pointer";
import { isIdLikeName, singular } from "./names";

export interface Producer {
  op: Operation;
  /** where the new resource's id is read in the producer's response */
  extract: Extraction;
  /** the response property holding the id (body extractions) */
  property?: string;
  /** "located": a job another operation started, known only by the Location of its 202 */
  via: "link" | "heuristic" | "location" | "located" | "meaning" | "request" | "put";
}

/**
 * A link by meaning, confirmed at run time (ai/links/meaning-links.ts): the value at `pointer` of
 * the 2xx JSON answer of `producer` fills path parameter `param` of the operations on `path`,
 * although their names differ (`author` ← `username`). Used only where no other producer exists.
 */
export interface MeaningLink {
  path: string;
  param: string;
  producer: string;
  pointer: string;
  /** cosine of the two names and descriptions */
  score: number;
}

/** Placeholders of a path template in order: "/a/{x}/b/{y}" → ["x", "y"]. */
export function pathPlaceholders(path: string): string[] {
  return [...placeholdersOf(path)];
}

/** pathPlaceholders as remembered, not copied: for a reader that keeps nothing of it (the planner's check of every step). */
export function placeholdersOf(path: string): readonly string[] {
  let names = placeholders.get(path);
  if (names === undefined) {
    const withoutVars = path.replace(/\{\{[^{}]*\}\}/g, "");
    names = [...withoutVars.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]);
    if (placeholders.size >= 10_000) placeholders.clear();
    placeholders.set(path, names);
  }
  return names;
}

/** Placeholders by path template: the planner asks again for every step of every case. */
const placeholders = new Map<string, string[]>();

function successResponses(op: Operation) {
  const rank = (status: string) => (status === "201" ? 0 : status === "200" ? 1 : /^2/.test(status) ? 2 : 9);
  return op.responses.filter((r) => /^2/.test(r.status)).sort((a, b) => rank(a.status) - rank(b.status));
}

/** A PUT on an item path (`…/{id}`) documenting 201 Created: the client names the new item by its URL. */
export function createsByPut(op: Operation): boolean {
  return op.method === "put" && /\/\{[^{}/]+\}$/.test(op.path) && op.responses.some((r) => r.status === "201");
}

export function jsonSchemaOf(op: Operation): JsonSchema | undefined {
  for (const response of successResponses(op)) {
    const media = response.content.find((m) => /json/i.test(m.contentType)) ?? response.content.find((m) => m.contentType === "*/*");
    if (media) return media.schema;
  }
  return undefined;
}

export function hasLocationHeader(op: Operation): boolean {
  return successResponses(op).some((r) => r.headers.some((h) => h.name.toLowerCase() === "location"));
}

function sameTypes(paramSchema: JsonSchema, propSchema: JsonSchema, schemas: SchemaMap): boolean {
  const paramTypes = admittedTypes(paramSchema, schemas);
  const propTypes = admittedTypes(propSchema, schemas);
  return !!paramTypes && !!propTypes && paramTypes.some((t) => t !== "null" && propTypes.includes(t));
}

function typesCompatible(paramSchema: JsonSchema, propSchema: JsonSchema, schemas: SchemaMap): boolean {
  const paramTypes = admittedTypes(paramSchema, schemas);
  const propTypes = admittedTypes(propSchema, schemas);
  if (!paramTypes || !propTypes) return true;
  if (paramTypes.some((t) => propTypes.includes(t))) return true;
  // an integer id fills a free-form string path parameter fine
  const p = flattenAllOf(paramSchema, schemas);
  const free = isObject(p) && p.format === undefined && p.pattern === undefined && p.enum === undefined;
  return paramTypes.includes("string") && free && (propTypes.includes("integer") || propTypes.includes("number"));
}

const ID_WORDS = new Set(["id", "uuid", "guid"]);

/** The words of a parameter name: pull_number → [pull, number], teamSlug → [team, slug]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether path parameter `param` names an identifier (petId, item_id, uuid) rather than an attribute (pull_number, team_slug, repo). */
function namesAnId(param: string): boolean {
  const all = words(param);
  return all.length > 0 && ID_WORDS.has(all[all.length - 1]);
}

/**
 * Names a response property may carry for path parameter `param` of collection `collection`, best
 * first. A parameter named after an attribute (pull_number, tag_sha, team_slug) is filled from
 * that attribute (number, sha, slug), never from an `id` that happens to be there: the API
 * addresses those resources by the attribute, and reading them back by id would be a false alarm.
 */
function candidateNames(param: string, collection: string): string[] {
  const segments = collection.split("/").filter((s) => s && !s.startsWith("{"));
  const resource = singular(segments[segments.length - 1] ?? "");
  if (!namesAnId(param)) {
    // `id` comes last, and only where the attribute is absent and the types agree exactly (see findIdPointer)
    const last = words(param).pop() ?? param;
    return [...new Set([param, last, ...(/name$/i.test(param) ? ["name"] : []), "id"])];
  }
  return [...new Set([param, "id", `${resource}Id`, `${resource}_id`, `${resource}ID`, "uuid", "_id"])];
}

/** Find the id property in a response schema, looking one level into a wrapper ("data", "item"...). */
export function findIdPointer(schema: JsonSchema, param: string, paramSchema: JsonSchema, collection: string, schemas: SchemaMap): { pointer: string; property: string } | undefined {
  const names = candidateNames(param, collection);
  const search = (s: JsonSchema, prefix: string, depth: number): { pointer: string; property: string } | undefined => {
    const flat = flattenAllOf(s, schemas);
    if (!isObject(flat) || !isObject(flat.properties)) return undefined;
    const props = flat.properties as Record<string, JsonSchema>;
    const keys = Object.keys(props);
    for (const name of names) {
      const key = keys.find((k) => k === name) ?? keys.find((k) => k.toLowerCase() === name.toLowerCase());
      if (!key) continue;
      // a bare `id` for a parameter not named as an id: only when both are plainly the same type
      const strict = name === "id" && !namesAnId(param);
      if (strict ? sameTypes(paramSchema, props[key], schemas) : typesCompatible(paramSchema, props[key], schemas)) return { pointer: `${prefix}/${escape(key)}`, property: key };
    }
    if (depth > 0) return undefined;
    const resource = singular(collection.split("/").filter(Boolean).pop() ?? "");
    for (const wrapper of ["data", "item", "result", resource]) {
      if (props[wrapper] !== undefined) {
        const found = search(props[wrapper], `${prefix}/${escape(wrapper)}`, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(schema, "", 0);
}

/** A member named exactly `name` (any case) of the same type, at the top of `schema` or in a wrapper ("data", "item", "result"). */
function findMemberPointer(schema: JsonSchema, name: string, paramSchema: JsonSchema, schemas: SchemaMap): { pointer: string; property: string } | undefined {
  const search = (s: JsonSchema, prefix: string, depth: number): { pointer: string; property: string } | undefined => {
    const flat = flattenAllOf(s, schemas);
    if (!isObject(flat) || !isObject(flat.properties)) return undefined;
    const props = flat.properties as Record<string, JsonSchema>;
    const key = Object.keys(props).find((k) => k === name) ?? Object.keys(props).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key && typesCompatible(paramSchema, props[key], schemas)) return { pointer: `${prefix}/${escape(key)}`, property: key };
    if (depth > 0) return undefined;
    for (const wrapper of ["data", "item", "result"]) {
      const found = props[wrapper] !== undefined ? search(props[wrapper], `${prefix}/${escape(wrapper)}`, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  return search(schema, "", 0);
}

function escape(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * The property of `op`'s JSON request body that names the resource `collection/{param}` when the
 * client chooses the key (a title, a slug, a name): a top-level string property called like the
 * parameter (`book_title` for `{book_title}`, `title` for `{bookTitle}` of /books), never one
 * naming an id (ids are the server's to assign) nor a readOnly one.
 */
export function requestKeyProperty(op: Operation, param: string, paramSchema: JsonSchema, collection: string, schemas: SchemaMap): string | undefined {
  if (namesAnId(param) || isIdLikeName(param)) return undefined;
  const media = op.requestBody?.content.find((m) => /json/i.test(m.contentType));
  const flat = media ? flattenAllOf(media.schema, schemas) : undefined;
  if (!isObject(flat) || !isObject(flat.properties)) return undefined;
  const segments = collection.split("/").filter((seg) => seg && !seg.startsWith("{") && !/^v\d+$/i.test(seg));
  const resource = singular(segments[segments.length - 1] ?? "");
  const want = squash(param);
  for (const [key, sub] of Object.entries(flat.properties as Record<string, JsonSchema>)) {
    const k = squash(key);
    if (k !== want && squash(resource + key) !== want && k !== squash(resource + param)) continue;
    const r = flattenAllOf(sub, schemas);
    if (!isObject(r) || r.readOnly === true || !admittedTypes(sub, schemas)?.includes("string") || !sameTypes(paramSchema, sub, schemas)) continue;
    return key;
  }
  return undefined;
}

/** Whether a schema is the same representation as `target`: the same component, or equal once references are followed. */
function sameRepresentation(target: JsonSchema, schemas: SchemaMap, text: (s: JsonSchema) => string): (schema: JsonSchema | undefined) => boolean {
  const resolved = resolve(target, schemas);
  // a free-form object is everyone's representation
  if (!isObject(resolved) || !isObject(resolved.properties)) return () => false;
  const want = text(target);
  return (schema) => schema !== undefined && text(schema) === want;
}

/**
 * Whether `pointer` can name something in an answer of `schema`: false only where the schema
 * rules it out — a member of what is documented as an array (a link reading `/authorId` from a
 * listing), or a member a closed object (`additionalProperties: false`) does not declare. A schema
 * that says less (free-form, oneOf, anyOf) may hold it.
 */
export function pointerResolves(schema: JsonSchema | undefined, pointer: string, schemas: SchemaMap): boolean {
  let current = schema;
  for (const token of splitPointer(pointer)) {
    if (current === undefined) return true;
    const flat = flattenAllOf(current, schemas);
    if (!isObject(flat) || flat.oneOf !== undefined || flat.anyOf !== undefined) return true;
    const types = admittedTypes(flat, schemas);
    if (flat.items !== undefined || (types?.length === 1 && types[0] === "array") || (types !== undefined && types.every((t) => t === "array" || t === "null"))) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return false;
      current = isObject(flat.items) ? (flat.items as JsonSchema) : undefined;
      continue;
    }
    const props = isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    if (props[token] !== undefined) current = props[token];
    else if (flat.additionalProperties === false) return false;
    else current = isObject(flat.additionalProperties) ? (flat.additionalProperties as JsonSchema) : undefined;
  }
  return true;
}

/**
 * Whether a link's producer only hands back what it was given: it addresses another resource by
 * path parameters of its own (`GET /books/{id}` read for `/authors/{id}`: navigation, not a path
 * above the consumer's), or its JSON body sends the very member the link reads (`POST /books`
 * sends `authorId` and answers it). Such a link names an existing resource; the resource's own
 * create, where there is one, is the source.
 */
function indirectLink(producer: Operation, consumer: Operation, extract: Extraction, schemas: SchemaMap): boolean {
  if (pathPlaceholders(producer.path).length > 0 && !consumer.path.startsWith(`${producer.path.replace(/\/$/, "")}/`)) return true;
  if (extract.from !== "body") return false;
  const member = splitPointer(extract.pointer).pop();
  const media = producer.requestBody?.content.find((m) => /json/i.test(m.contentType));
  const flat = media ? flattenAllOf(media.schema, schemas) : undefined;
  return member !== undefined && isObject(flat) && isObject(flat.properties) && (flat.properties as Record<string, unknown>)[member] !== undefined;
}

function linkExtraction(expression: string): Extraction | undefined {
  const body = /^\$response\.body#(.*)$/.exec(expression.trim());
  if (body) return { from: "body", pointer: decodeURIComponent(body[1]) };
  const header = /^\$response\.header\.(.+)$/.exec(expression.trim());
  if (header) return { from: "header", name: header[1].toLowerCase() };
  return undefined;
}

/**
 * The resource a body member names by its id: the words of the member's name (or of the component
 * its schema refers to, `$ref: SiteId`) before a final id/uuid/guid — `siteId`, `site_id`,
 * `parentSiteUuid` → "site" (the longest run of words that names a collection first). undefined
 * for a bare `id` and for names that end in no id word (ownership flags, counts, names).
 */
export function referencedResources(member: string, schema: JsonSchema): readonly string[] {
  const ref = refOf(schema);
  // asked of every member of every generated body: the answer depends on the two names only
  const key = ref === undefined ? member : `${member}\u0000${ref}`;
  let names = referenced.get(key);
  if (names === undefined) {
    if (referenced.size >= 50_000) referenced.clear(); // a long-lived isolate plans many specs
    referenced.set(key, (names = resourcesNamed(member, ref)));
  }
  return names;
}

const referenced = new Map<string, readonly string[]>();

function resourcesNamed(member: string, ref: string | undefined): string[] {
  const out: string[] = [];
  for (const name of [member, ref?.slice(ref.lastIndexOf("/") + 1)]) {
    if (!name) continue;
    const all = words(name);
    if (all.length < 2 || !ID_WORDS.has(all[all.length - 1])) continue;
    const stem = all.slice(0, -1);
    for (let start = 0; start < stem.length; start++) out.push(stem.slice(start).join(""));
  }
  return [...new Set(out)];
}

export class ResourceGraph {
  private readonly byKey = new Map<string, Operation>();
  private readonly linksTo = new Map<string, { producer: Operation; parameters: Record<string, string> }[]>();
  private readonly memo = new Map<string, Producer | null>();
  private readonly meaning = new Map<string, Producer>();
  /** POSTs by the singular of their last path segment, in model order (producerElsewhere) */
  private readonly postsByName = new Map<string, Operation[]>();
  /** POST/PUTs with a Location header, each with the JSON of its 202-with-Location JSON schemas (locatedElsewhere) */
  private readonly locating: { op: Operation; accepted: Set<string> }[] = [];
  /** JSON of a schema once references are followed, per schema object */
  private readonly resolvedText = new WeakMap<object, string>();
  private readonly itemPaths = new Map<string, boolean>();
  private readonly queryMemo = new Map<string, Producer | null>();
  /** No operation addresses anything by path: resources are named in the query (RPC over HTTP). */
  readonly queryAddressed: boolean;
  /** collections with a create (POST on a path ending in a name), by the squashed singular of that name */
  private readonly createsByName = new Map<string, string[]>();
  /** createsByName's keys by each run of their last words, whole words only (`policy` → leavepolicy of /leave-policies) */
  private readonly createsByLastWords = new Map<string, Set<string>>();
  private readonly referenceMemo = new Map<string, Producer | null>();

  constructor(
    private readonly model: ApiModel,
    meaningLinks: readonly MeaningLink[] = [],
  ) {
    const byId = new Map(model.operations.map((op) => [op.operationId, op]));
    this.queryAddressed = model.operations.length > 0 && model.operations.every((op) => pathPlaceholders(op.path).length === 0);
    for (const link of meaningLinks) {
      const op = byId.get(link.producer);
      if (op) this.meaning.set(`${link.path}\u0000${link.param}`, { op, extract: { from: "body", pointer: link.pointer }, property: link.pointer.split("/").pop(), via: "meaning" });
    }
    for (const op of model.operations) {
      this.byKey.set(`${op.method} ${op.path}`, op);
      if (op.method === "post") {
        const name = singular(op.path.split("/").pop() ?? "");
        const list = this.postsByName.get(name);
        if (list) list.push(op);
        else this.postsByName.set(name, [op]);
        const last = op.path.replace(/\/$/, "").split("/").pop() ?? "";
        if (last && !last.startsWith("{")) {
          const key = squash(singular(last));
          const paths = this.createsByName.get(key) ?? [];
          paths.push(op.path.replace(/\/$/, ""));
          this.createsByName.set(key, paths);
          const all = words(singular(last));
          for (let start = 1; start < all.length; start++) {
            const tail = all.slice(start).join("");
            const keys = this.createsByLastWords.get(tail) ?? new Set<string>();
            keys.add(key);
            this.createsByLastWords.set(tail, keys);
          }
        }
      }
      if ((op.method === "post" || op.method === "put") && hasLocationHeader(op)) {
        const accepted = new Set<string>();
        for (const r of successResponses(op)) {
          if (r.status !== "202" || !r.headers.some((h) => h.name.toLowerCase() === "location")) continue;
          for (const m of r.content) if (/json/i.test(m.contentType)) accepted.add(JSON.stringify(m.schema));
        }
        if (accepted.size > 0) this.locating.push({ op, accepted });
      }
      for (const response of op.responses) {
        if (!/^2/.test(response.status)) continue;
        for (const link of response.links ?? []) {
          let target = link.operationId;
          if (!target && link.operationRef) {
            // "#/paths/~1items~1{itemId}/get"
            const m = /#\/paths\/(.+)\/(\w+)$/.exec(link.operationRef);
            if (m) target = this.byKey.get(`${m[2]} ${m[1].replace(/~1/g, "/").replace(/~0/g, "~")}`)?.operationId;
          }
          if (!target || !byId.has(target)) continue;
          const list = this.linksTo.get(target) ?? [];
          list.push({ producer: op, parameters: link.parameters ?? {} });
          this.linksTo.set(target, list);
        }
      }
    }
  }

  operation(method: string, path: string): Operation | undefined {
    return this.byKey.get(`${method} ${path}`);
  }

  /**
   * The operation on collection `collection` (`/authors`, the part of `/authors/{id}` before the
   * parameter), written with or without a trailing slash (`/authors/`): the same collection.
   */
  collectionOperation(method: string, collection: string): Operation | undefined {
    return this.byKey.get(`${method} ${collection}`) ?? (collection.endsWith("/") ? undefined : this.byKey.get(`${method} ${collection}/`));
  }

  /** Is some operation's path `path` followed by one `/{param}` (the collection's items have a path of their own)? */
  hasItemPathBelow(path: string): boolean {
    let found = this.itemPaths.get(path);
    if (found === undefined) this.itemPaths.set(path, (found = this.model.operations.some((o) => /^\/\{[^{}/]+\}$/.test(o.path.slice(path.length)) && o.path.startsWith(path))));
    return found;
  }

  /** Operations on a path, in a stable order. */
  operationsOn(path: string): Operation[] {
    return this.model.operations.filter((op) => op.path === path);
  }

  /** The operation creating the resource that path parameter `param` of `consumer` names. */
  producerFor(consumer: Operation, param: string): Producer | undefined {
    const key = `${consumer.operationId}\u0000${param}`;
    if (this.memo.has(key)) return this.memo.get(key) ?? undefined;
    const found = this.findProducer(consumer, param);
    this.memo.set(key, found ?? null);
    return found;
  }

  /**
   * The operation whose 2xx JSON answer names the resource that id-like query parameter `param` of
   * `consumer` takes, in an API that addresses nothing by path (`POST /createGroup` answering
   * `{"data": {"groupID": …}}` for `GET /deleteGroup?groupID=`): a member of the very name, at the
   * top or in a wrapper. Not an operation on the consumer's path (its GET/POST twin), nor one that
   * takes the parameter itself (it hands back what it was sent). Best first: one whose own id-like
   * query parameters can all be produced, a POST, fewer parameters, the spec's order.
   */
  queryProducerFor(consumer: Operation, param: string): Producer | undefined {
    if (!this.queryAddressed) return undefined;
    return this.queryProducer(consumer, param, new Set());
  }

  private queryProducer(consumer: Operation, param: string, visiting: Set<string>): Producer | undefined {
    const key = `${consumer.operationId}\u0000${param}`;
    if (this.queryMemo.has(key)) return this.queryMemo.get(key) ?? undefined;
    // a chain of three creates is as deep as a request's setup goes (buildRequest's depth)
    if (visiting.has(param) || visiting.size >= 3) return undefined;
    const paramSchema = consumer.parameters.find((p) => p.in === "query" && p.name === param)?.schema ?? { type: "string" };
    const candidates: { producer: Producer; producible: boolean; index: number }[] = [];
    this.model.operations.forEach((op, index) => {
      if (op.path === consumer.path || op.parameters.some((p) => p.name.toLowerCase() === param.toLowerCase())) return;
      const schema = jsonSchemaOf(op);
      const found = schema !== undefined ? findMemberPointer(schema, param, paramSchema, this.model.schemas) : undefined;
      if (!found) return;
      const inner = new Set([...visiting, param]);
      const producible = op.parameters.filter((p) => p.in === "query" && isIdLikeName(p.name)).every((p) => this.queryProducer(op, p.name, inner) !== undefined);
      candidates.push({ producer: { op, extract: { from: "body", pointer: found.pointer }, property: found.property, via: "heuristic" }, producible, index });
    });
    const rank = (c: (typeof candidates)[number]) => [c.producible ? 0 : 1, c.producer.op.method === "post" ? 0 : 1, c.producer.op.parameters.length, c.index];
    candidates.sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return x.map((v, i) => v - y[i]).find((d) => d !== 0) ?? 0;
    });
    const best = candidates[0]?.producer;
    // a memo only for answers that do not depend on the chain being explored
    if (visiting.size === 0) this.queryMemo.set(key, best ?? null);
    return best;
  }

  /** The producer for the item path `/collection/{param}` itself (used by lifecycle agents). */
  producerForCollection(collection: string, param: string, paramSchema: JsonSchema): Producer | undefined {
    for (const method of ["post", "put"] as const) {
      const op = this.collectionOperation(method, collection);
      if (!op) continue;
      const schema = jsonSchemaOf(op);
      const found = schema !== undefined ? findIdPointer(schema, param, paramSchema, collection, this.model.schemas) : undefined;
      if (found) return { op, extract: { from: "body", pointer: found.pointer }, property: found.property, via: "heuristic" };
      if (hasLocationHeader(op)) return { op, extract: { from: "location-id" }, via: "location" };
    }
    // the answer names nothing: the key the client chose in the create's body
    for (const method of ["post", "put"] as const) {
      const op = this.collectionOperation(method, collection);
      const property = op ? requestKeyProperty(op, param, paramSchema, collection, this.model.schemas) : undefined;
      if (op && property) return { op, extract: { from: "request", pointer: `/${escape(property)}` }, property, via: "request" };
    }
    return undefined;
  }

  /**
   * The create whose new resource's id a body member of `consumer` names (`siteId` → the `id` a
   * `POST /sites` answers): the collection named like the member's words before the id word, the
   * least nested first (its parents are made by setup steps of their own). The id is read where
   * the create's answer has it (a property of a compatible type, else the Location). undefined when
   * no collection is named so, or only `consumer` itself creates one.
   */
  producerForReference(consumer: Operation, member: string, schema: JsonSchema): Producer | undefined {
    const key = `${consumer.operationId}\u0000${member}\u0000${refOf(schema) ?? ""}`;
    if (this.referenceMemo.has(key)) return this.referenceMemo.get(key) ?? undefined;
    let found: Producer | undefined;
    const names = referencedResources(member, schema);
    // a collection named exactly so first; then the one collection whose last words the name is
    // (`policyId` → /leave-policies), when the API has no other of that kind to choose between
    const keyed = [...names.map((name) => [name]), ...names.map((name) => [...(this.createsByLastWords.get(name) ?? [])])];
    for (const keys of keyed) {
      if (keys.length !== 1) continue;
      const collections = [...(this.createsByName.get(keys[0]) ?? [])].sort((a, b) => pathPlaceholders(a).length - pathPlaceholders(b).length);
      for (const collection of collections) {
        const producer = this.producerForCollection(collection, member, schema);
        if (producer && producer.op !== consumer && producer.via !== "request") {
          found = producer;
          break;
        }
      }
      if (found) break;
    }
    this.referenceMemo.set(key, found ?? null);
    return found;
  }

  /**
   * Items of a collection with no create of its own, created elsewhere — on a parent's
   * sub-collection (`POST /orders/{orderId}/items` makes what `GET /items/{itemId}` reads): a POST
   * whose path ends in the same collection name and whose 2xx answer is the very representation
   * the item read documents (the same schema) fills `param` with the id it answers (body, else
   * Location). The name is required: an action answering the resource (`POST …/undismissals`,
   * `POST /keys_verify`) creates nothing new.
   */
  private producerElsewhere(itemPath: string, param: string, paramSchema: JsonSchema): Producer | undefined {
    const read = this.byKey.get(`get ${itemPath}`);
    const readSchema = read ? jsonSchemaOf(read) : undefined;
    if (readSchema === undefined) return undefined;
    const collection = itemPath.slice(0, itemPath.lastIndexOf("/"));
    const name = singular(collection.split("/").pop() ?? "");
    const same = sameRepresentation(readSchema, this.model.schemas, (schema) => this.textOf(schema));
    const op = (this.postsByName.get(name) ?? []).find((o) => o.path !== collection && same(jsonSchemaOf(o)));
    if (!op) return undefined;
    const found = findIdPointer(jsonSchemaOf(op)!, param, paramSchema, collection, this.model.schemas);
    if (found) return { op, extract: { from: "body", pointer: found.pointer }, property: found.property, via: "heuristic" };
    return hasLocationHeader(op) ? { op, extract: { from: "location-id" }, via: "location" } : undefined;
  }

  /**
   * A job started by an operation of another name (POST /reports/x answering 202 Accepted, polled
   * at /jobs/{jobId}): the one POST/PUT whose documented 202 carries a Location — the status
   * monitor it made (RFC 9110 §15.3.3) — and has the very schema (same component) the item's read
   * answers with. The id is read from the Location whatever 2xx status the answer comes with.
   */
  private locatedElsewhere(itemPath: string, consumer: Operation): Producer | undefined {
    const read = this.byKey.get(`get ${itemPath}`);
    const readSchema = read ? jsonSchemaOf(read) : undefined;
    if (readSchema === undefined || !isObject(readSchema) || typeof readSchema.$ref !== "string") return undefined;
    const same = JSON.stringify(readSchema);
    const found = this.locating.filter(({ op, accepted }) => op !== consumer && !op.path.startsWith(`${itemPath.slice(0, itemPath.lastIndexOf("/"))}/`) && accepted.has(same));
    return found.length === 1 ? { op: found[0].op, extract: { from: "location-id" }, via: "located" } : undefined;
  }

  /**
   * Items nothing else creates, made by a PUT on their own path that documents 201 (RFC 9110
   * §9.3.4: a PUT creates the target when it does not exist): the setup sends it with an id of its
   * own choosing (a fresh value of the path parameter's schema), read back from the URL it requested.
   */
  private createdByPut(itemPath: string): Producer | undefined {
    const op = this.byKey.get(`put ${itemPath}`);
    // a collection with a POST has its own create: the PUT replaces what that makes
    if (this.byKey.has(`post ${itemPath.slice(0, itemPath.lastIndexOf("/"))}`)) return undefined;
    return op && createsByPut(op) ? { op, extract: { from: "path-id" }, via: "put" } : undefined;
  }

  private textOf(schema: JsonSchema): string {
    if (!isObject(schema)) return JSON.stringify(resolve(schema, this.model.schemas));
    let text = this.resolvedText.get(schema);
    if (text === undefined) this.resolvedText.set(schema, (text = JSON.stringify(resolve(schema, this.model.schemas))));
    return text;
  }

  private findProducer(consumer: Operation, param: string): Producer | undefined {
    // a link whose pointer cannot name anything in its producer's answer is no source; one that
    // only hands back what it was given comes after the resource's own create
    let indirect: Producer | undefined;
    for (const { producer, parameters } of this.linksTo.get(consumer.operationId) ?? []) {
      const expression = parameters[param] ?? parameters[`path.${param}`];
      const extract = expression ? linkExtraction(expression) : undefined;
      if (!extract || producer === consumer) continue;
      if (extract.from === "body" && !pointerResolves(jsonSchemaOf(producer), extract.pointer, this.model.schemas)) continue;
      const property = extract.from === "body" ? extract.pointer.split("/").pop() : undefined;
      const found: Producer = { op: producer, extract, property, via: "link" };
      if (!indirectLink(producer, consumer, extract, this.model.schemas)) return found;
      indirect ??= found;
    }
    const segments = consumer.path.split("/");
    const index = segments.indexOf(`{${param}}`);
    const meaning = this.meaning.get(`${consumer.path}\u0000${param}`);
    if (index <= 0) return indirect ?? (meaning && meaning.op !== consumer ? meaning : undefined);
    const collection = segments.slice(0, index).join("/");
    const paramSchema = consumer.parameters.find((p) => p.in === "path" && p.name === param)?.schema ?? { type: "string" };
    const producer = collection ? (this.producerForCollection(collection, param, paramSchema) ?? this.producerElsewhere(segments.slice(0, index + 1).join("/"), param, paramSchema)) : undefined;
    if (producer && producer.op !== consumer) return producer;
    if (indirect) return indirect;
    const located = this.locatedElsewhere(segments.slice(0, index + 1).join("/"), consumer);
    if (located) return located;
    const put = this.createdByPut(segments.slice(0, index + 1).join("/"));
    if (put && put.op !== consumer) return put;
    // the names differ: a link by meaning, only once the run confirmed it
    return meaning && meaning.op !== consumer ? meaning : undefined;
  }
}
