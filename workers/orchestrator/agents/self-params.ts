/**
 * Path parameters that name an account (a username, an e-mail, a user id) where no operation of
 * the spec creates one: the identity's own profile (`/me`-like) says what they are. A setup step
 * reads the profile as the request's identity and fills the parameter, so GET /users/{username}
 * is sent for a user that exists instead of a made-up name (which only ever answers 404).
 */
import type { ApiModel, Operation } from "../../model";
import { fieldRole, fieldsOf, withRole, type Field } from "../auth/fields";
import { profileOperation } from "../auth/infer";

const USER_PATH = /\/(users?|accounts?|members?|profiles?|people|persons?)\/\{([^{}]+)\}/gi;
const ID_NAME = /^(user_?|account_?|member_?)?(id|uuid)$/i;

/**
 * The field among `fields` (of a profile, a signup's answer …) that holds path parameter `param`
 * of `path`: the same name, else the same role (username, e-mail), else the id of a user path
 * (`/users/{id}`).
 */
export function accountField(fields: readonly Field[], param: string, path: string, schemas: ApiModel["schemas"]): Field | undefined {
  const lower = param.toLowerCase();
  const onUserPath = [...path.matchAll(USER_PATH)].some((m) => m[2] === param);
  // same name: an account field anywhere; any field (a slug, a handle) right after /users/, when it
  // is the record's own (top level or inside a user-like wrapper), not a nested object's
  const own = (f: Field) => /^\/[^/]+$/.test(f.pointer) || /^\/(user|account|member|profile|data|me|self)\/[^/]+$/i.test(f.pointer);
  const byName = fields.find((f) => f.name.toLowerCase() === lower && (f.role === "username" || f.role === "email" || (onUserPath && own(f))));
  if (byName) return byName;
  const role = fieldRole(param, { type: "string" }, schemas);
  if (role === "username" || role === "email") return withRole([...fields], role)[0];
  if (onUserPath && ID_NAME.test(param)) return fields.find((f) => /^(id|uuid)$/i.test(f.name));
  return undefined;
}

export interface SelfSource {
  profile: Operation;
  /** where the value sits in the profile's 2xx body */
  pointer: string;
}

const cache = new WeakMap<ApiModel, { profile?: Operation; fields: Field[] }>();

/** The spec's `/me`-like operation and the fields of its 2xx body (cached per model). */
export function profileOf(model: ApiModel): { profile?: Operation; fields: Field[] } {
  let found = cache.get(model);
  if (!found) {
    const profile = profileOperation(model);
    const schemas = profile ? profile.responses.filter((r) => /^2/.test(r.status)).flatMap((r) => r.content.map((m) => m.schema)) : [];
    found = { ...(profile ? { profile } : {}), fields: schemas.flatMap((s) => fieldsOf(s, model.schemas, 3)) };
    cache.set(model, found);
  }
  return found;
}

/** Where the caller's own value for path parameter `param` of `op` can be read, if anywhere. */
export function selfSource(model: ApiModel, op: Operation, param: string): SelfSource | undefined {
  const { profile, fields } = profileOf(model);
  if (!profile || profile === op) return undefined;
  const field = accountField(fields, param, op.path, model.schemas);
  return field ? { profile, pointer: field.pointer } : undefined;
}
