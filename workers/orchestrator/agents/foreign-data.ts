/**
 * Data that was there before the run: what a listing shows that another user owns (an owner-like
 * field — ownerId, userId, author, createdBy … — naming none of the run's own identities, read
 * from their profiles), or another user's own record in a user listing. An identity deletes it,
 * or changes one plain field of it and sets it back; a 2xx whose effect a later listing shows is
 * BOLA on pre-existing data. Only on operations the spec secures; reads are left out (what the
 * attacker's own listing shows it is visible to it by design). One item per operation: a delete
 * of someone else's record cannot be undone.
 */
import type { JsonSchema, Operation, RequestTemplate, Step } from "../../model";
import { flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { fieldRole, fieldsOf, type Field } from "../auth/fields";
import { isPublic } from "../auth/infer";
import { RUN_LAST_TAG } from "./auth-abuse";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { buildRequest, opRng, preferredMedia, type AgentEnv } from "./requests";
import { listing, type Listing } from "./listing";
import { requiredParts } from "./parameters";
import { findIdPointer, pathPlaceholders } from "./resources";
import { profileOf } from "./self-params";

const NAME = "security-auth:foreign";
const OWNER = /^(owner|owner_?id|owner_?uuid|user_?id|created_?by|created_?by_?id|author|author_?id|creator|creator_?id|posted_?by|submitted_?by)$/i;
const USER_COLLECTION = /(^|\/)(users|accounts|members|people|profiles)$/i;

function scalarFields(env: AgentEnv, schema: JsonSchema): Field[] {
  return fieldsOf(schema, env.model.schemas, 1).filter((f) => {
    const flat = flattenAllOf(f.schema, env.model.schemas);
    return isObject(flat) && (flat.type === "string" || flat.type === "integer" || flat.type === "number");
  });
}

/** The profile field that says the same thing as an owner field: an id for an id, else an e-mail or a username. */
function profileCounterpart(env: AgentEnv, owner: Field): Field | undefined {
  const profileFields = profileOf(env.model).fields.filter((f) => f.pointer.split("/").length <= 3);
  const flat = flattenAllOf(owner.schema, env.model.schemas);
  const idLike = /(id|uuid)$/i.test(owner.name) || (isObject(flat) && flat.type === "integer");
  if (idLike) return profileFields.find((f) => /^(id|uuid)$/i.test(f.name));
  const role = fieldRole(owner.name, owner.schema, env.model.schemas) === "email" ? "email" : "username";
  return profileFields.find((f) => f.role === role);
}

interface Level {
  param: string;
  collection: string;
  listing: Listing;
  /** pointer of the param's value inside an item */
  value: string;
  property: string;
  /** pointer of the owner inside an item, when this level tells ownership */
  owner?: Field;
}

function levels(env: AgentEnv, op: Operation): Level[] | undefined {
  const out: Level[] = [];
  for (const param of pathPlaceholders(op.path)) {
    const collection = op.path.slice(0, op.path.indexOf(`/{${param}}`));
    const found = listing(env, collection);
    if (!found) return undefined;
    const paramSchema = op.parameters.find((p) => p.in === "path" && p.name === param)?.schema ?? { type: "string" };
    const id = findIdPointer(found.item, param, paramSchema, collection, env.model.schemas);
    if (!id || id.pointer.split("/").length !== 2) return undefined;
    const fields = scalarFields(env, found.item);
    let owner = fields.find((f) => OWNER.test(f.name) && f.name !== id.property);
    // in a listing of users, a user owns its own record
    if (!owner && USER_COLLECTION.test(collection)) owner = fields.find((f) => f.name === id.property);
    out.push({ param, collection, listing: found, value: id.pointer, property: id.property, ...(owner ? { owner } : {}) });
  }
  return out;
}

/** A string field the write may change and the listing shows: not the id, not the owner, no enum. */
function changeableField(env: AgentEnv, op: Operation, level: Level): { field: Field; value: string } | undefined {
  const media = preferredMedia(op);
  if (!media || !/json/i.test(media.contentType)) return undefined;
  const body = flattenAllOf(media.schema, env.model.schemas);
  if (!isObject(body)) return undefined;
  const required = Array.isArray(body.required) ? (body.required as string[]) : [];
  const listed = new Set(scalarFields(env, level.listing.item).map((f) => f.name));
  for (const field of scalarFields(env, media.schema)) {
    const flat = flattenAllOf(field.schema, env.model.schemas);
    if (!isObject(flat) || flat.type !== "string" || flat.enum !== undefined || flat.readOnly === true) continue;
    if (field.name === level.property || field.name === level.owner?.name || OWNER.test(field.name) || !listed.has(field.name)) continue;
    if (field.role === "password" || field.role === "token") continue;
    // no other required property: nothing else of the record is overwritten
    if (required.some((r) => r !== field.name)) continue;
    if (flat.format !== undefined && field.role !== "email") continue;
    const marker = field.role === "email" ? `sentinel.check.${env.seed % 100000}@example.com` : `Sentinel check ${env.seed % 100000}`;
    if (env.validator.check(marker, field.schema) !== "valid") continue;
    return { field, value: marker };
  }
  return undefined;
}

function get(env: AgentEnv, list: Operation, identity: string, known: Record<string, string>): RequestTemplate {
  const pathParams: Record<string, string> = {};
  for (const p of pathPlaceholders(list.path)) pathParams[p] = known[p];
  return { method: "get", path: list.path, pathParams, ...requiredParts(env, list), identity };
}

/** The cases: one per secured DELETE / PATCH / PUT on an item a listing shows. */
export function foreignDataDrafts(env: AgentEnv): { opId: string; idKey: string; drafts: CaseDraft[] }[] {
  const identities = env.config.identities;
  const attacker = identities[1] ?? identities[0];
  const { profile } = profileOf(env.model);
  if (!attacker || !profile) return [];
  const out: { opId: string; idKey: string; drafts: CaseDraft[] }[] = [];
  for (const op of env.model.operations) {
    if (!["delete", "patch", "put"].includes(op.method) || isPublic(op)) continue;
    const all = levels(env, op);
    if (!all || all.length === 0) continue;
    const ownerAt = all.map((l) => l.owner !== undefined).lastIndexOf(true);
    if (ownerAt < 0) continue;
    const counterpart = profileCounterpart(env, all[ownerAt].owner!);
    if (!counterpart) continue;
    const last = all[all.length - 1];
    const change = op.method === "delete" ? undefined : changeableField(env, op, last);
    if (op.method !== "delete" && !change) continue;

    // every identity of the run says who it is: what they own is not "another user's"
    const steps: Step[] = identities.slice(0, 3).map((identity, i) => ({
      id: `whoami-${i}`,
      request: { method: profile.method, path: profile.path, pathParams: {}, ...requiredParts(env, profile), identity },
      extract: { [`own_${i}`]: { from: "body", pointer: counterpart.pointer } },
      checks: [],
      requireSuccess: true,
    }));
    const notOwners = identities.slice(0, 3).map((_, i) => `own_${i}`);
    const known: Record<string, string> = {};
    all.forEach((level, i) => {
      const pick = (value: string) =>
        i === ownerAt
          ? { from: "foreign" as const, array: level.listing.array, value, owner: level.owner!.pointer, notOwners }
          : { from: "body" as const, pointer: `${level.listing.array}/0${value}` };
      const extract: NonNullable<Step["extract"]> = { [level.param]: pick(level.value) };
      if (change && i === all.length - 1) extract.original = pick(change.field.pointer);
      steps.push({ id: `list-${i}`, request: get(env, level.listing.list, attacker, known), extract, checks: [], requireSuccess: true });
      known[level.param] = `{{${level.param}}}`;
    });
    const rng = opRng(env, NAME, op.operationId);
    const write = (value?: string): RequestTemplate => {
      const built = buildRequest(env, op, rng.fork("write"), { known, optional: "required", includeBody: op.method !== "delete", chain: false, identity: attacker });
      const request = built.request;
      delete request.unique;
      if (change) request.body = { contentType: request.body?.contentType ?? "application/json", value: { [change.field.name]: value } };
      return request;
    };
    const params = { foreign: true, action: op.method === "delete" ? "delete" : "update", attacker, listStep: "list-after", idProperty: last.property, idVariable: last.param, ...(change ? { effectProperty: change.field.name, effectValue: change.value } : {}) };
    steps.push({ id: "attacker-write", request: write(change?.value), checks: [check("not_a_server_error"), check("bola", params)] });
    steps.push({ id: "list-after", request: get(env, last.listing.list, attacker, known), checks: [] });
    // a change is set back (the attacker's write worked, so will this one); a delete cannot be undone
    if (change) steps.push({ id: "restore", request: write("{{original}}"), checks: [] });
    const title = op.method === "delete" ? `${attacker} deletes a ${last.collection} item another user owns (pre-existing data)` : `${attacker} changes ${change!.field.name} of a ${last.collection} item another user owns (pre-existing data)`;
    out.push({ opId: op.operationId, idKey: `foreign:${op.operationId}`, drafts: [{ kind: "security", title: `${title}: ${opLabel(op.method, op.path)}`, steps, tags: ["bola", "pre-existing", RUN_LAST_TAG] }] });
  }
  return out;
}
