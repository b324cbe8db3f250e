/**
 * Listings: a GET on a collection and where its items are. Also the source of a path parameter
 * nothing creates: a server, a region, a project the API only lists (PowerDNS's
 * `/servers/{server_id}`) is addressed by an id its listing shows, never by a made-up one (which
 * only ever answers 404 and leaves every operation below it untested).
 */
import { LISTED_VARIABLE_PREFIX, type ApiModel, type JsonSchema, type Operation, type Step } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { joinPointer } from "../../jsonschema/pointer";
import { isObject } from "../../jsonschema/types";
import { findIdPointer, pathPlaceholders, type ResourceGraph } from "./resources";
import type { ModelValidator } from "../../jsonschema/validate";
import { requiredParts } from "./parameters";

/** What a listing is read from (an AgentEnv has all of it). */
interface ListingEnv {
  model: ApiModel;
  graph: ResourceGraph;
  validator: ModelValidator;
  seed: number;
}

export interface Listing {
  list: Operation;
  /** pointer of the array of items in the listing's body ("" for a top-level array) */
  array: string;
  item: JsonSchema;
}

function successSchema(op: Operation): JsonSchema | undefined {
  for (const r of op.responses) {
    if (!/^2/.test(r.status)) continue;
    const media = r.content.find((m) => /json/i.test(m.contentType));
    if (media) return media.schema;
  }
  return undefined;
}

/** Members that hold links or paging, never the items (HAL `_links`, JSON:API `links`/`meta`). */
const NOT_ITEMS = /^_?(links|meta)$/i;

/**
 * GET on the collection, and where its items are: the body itself, or the one array inside its
 * envelope, looked for level by level (`{items: […]}`, JSON:API `{data: […]}`, HAL
 * `{_embedded: {vehicles: […]}}`, `{data: {results: […]}}`). Two arrays on the nearest level that
 * has any leave it unknown: which one lists the items is not for a name to decide.
 */
export function listing(env: ListingEnv, collection: string): Listing | undefined {
  const list = env.graph.collectionOperation("get", collection);
  const schema = list && successSchema(list);
  if (!list || schema === undefined) return undefined;
  const flatten = (s: unknown) => flattenAllOf(s as JsonSchema, env.model.schemas);
  const itemsOf = (s: unknown) => {
    const f = flatten(s);
    return isObject(f) && f.items !== undefined ? (f.items as JsonSchema) : undefined;
  };
  const top = itemsOf(schema);
  if (top !== undefined) return { list, array: "", item: top };
  let level: { name: string; pointer: string; schema: unknown }[] = [{ name: "", pointer: "", schema }];
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const members = level.flatMap(({ pointer, schema: s }) => {
      const flat = flatten(s);
      if (!isObject(flat) || !isObject(flat.properties)) return [];
      return Object.entries(flat.properties as Record<string, JsonSchema>).map(([name, member]) => ({ name, pointer: joinPointer(pointer, name), schema: member as unknown }));
    });
    let arrays = members.filter((m) => itemsOf(m.schema) !== undefined);
    // beside another array, one of links or paging is not the items (a `/links` collection's own array is)
    if (arrays.length > 1) arrays = arrays.filter((m) => !NOT_ITEMS.test(m.name));
    if (arrays.length > 1) return undefined;
    if (arrays.length === 1) return { list, array: arrays[0].pointer, item: itemsOf(arrays[0].schema)! };
    level = members.filter((m) => !NOT_ITEMS.test(m.name));
  }
  return undefined;
}

/**
 * Whether a write under listed `param` touches only what the run makes below it: a create in a
 * sub-collection (POST /servers/{server_id}/zones, whose items have a path of their own), or a
 * write on an item the run itself creates (PUT /servers/{server_id}/zones/{zone_id}). Anything else
 * (PUT /users/{id}/email, /servers/{id}/cache/flush) would change data that was there before.
 */
function writesOnlyBelow(env: ListingEnv, op: Operation, param: string): boolean {
  const last = pathPlaceholders(op.path).pop();
  if (op.path.endsWith(`/{${last}}`)) return last !== undefined && last !== param && env.graph.producerFor(op, last) !== undefined;
  return op.method === "post" && env.graph.hasItemPathBelow(op.path);
}

/**
 * A setup step reading path parameter `param` of `op` from the first item of its collection's
 * listing, when no operation creates that resource or its create answered 5xx (the caller checked). Only where the listing
 * needs nothing but path parameters already `known`; a write only where it touches what the run
 * makes below the listed item (writesOnlyBelow): data that was there before the run is only read.
 */
export function listedSetup(env: ListingEnv, op: Operation, param: string, known: Record<string, string>, identity?: string | null): { step: Step; variable: string } | undefined {
  if (op.method !== "get" && op.method !== "head" && !writesOnlyBelow(env, op, param)) return undefined;
  const collection = op.path.slice(0, op.path.indexOf(`/{${param}}`));
  const found = collection ? listing(env, collection) : undefined;
  if (!found || found.list === op) return undefined;
  const parents = pathPlaceholders(collection);
  if (parents.some((p) => known[p] === undefined)) return undefined;
  const paramSchema = op.parameters.find((p) => p.in === "path" && p.name === param)?.schema ?? { type: "string" };
  const id = findIdPointer(found.item, param, paramSchema, collection, env.model.schemas);
  if (!id || id.pointer.split("/").length !== 2) return undefined;
  const variable = `${LISTED_VARIABLE_PREFIX}${param}`;
  const pathParams = Object.fromEntries(parents.map((p) => [p, known[p]]));
  const step: Step = {
    id: `setup-listed-${param}`,
    request: { method: "get", path: found.list.path, pathParams, ...requiredParts(env, found.list), ...(identity ? { identity } : {}) },
    extract: { [variable]: { from: "body", pointer: `${found.array}/0${id.pointer}` } },
    checks: [],
    requireSuccess: true,
  };
  return { step, variable };
}
