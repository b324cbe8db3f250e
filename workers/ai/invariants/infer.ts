/**
 * Deterministic invariants inferred from observed responses (no LLM), in the oracle DSL:
 *   size(list) <= limit-like query parameter · total-like count >= size(list) ·
 *   a response field equal to the same-named request parameter (or `id` to the path's *Id) ·
 *   created <= updated (start <= end …) · enum-like server-set fields.
 * Conservative by construction, because a wrong invariant is a false alarm in every later run:
 *  - a candidate holds only if EVERY observation that has its operands agrees, and only with at
 *    least `minObservations` distinct such observations (one sample never makes a rule);
 *  - equalities need at least two different parameter values (a constant proves nothing);
 *  - bounds need a non-empty list in some observation (0 <= limit proves nothing);
 *  - enum-like fields: a string field the spec does not already constrain with enum/const, that
 *    no request can write (no request body property or parameter of that name), with 2–6 distinct
 *    identifier-like values each seen in at least two observations (a value seen once means the
 *    set is likely incomplete: Good–Turing's estimate of the unseen mass is singletons / samples);
 *  - relations are proposed only between fields whose NAMES say so (limit, total, created/updated,
 *    same name): two numbers that happened to agree are never a rule.
 */
import type { ApiModel, JsonSchema, Operation } from "../../model";
import { resolve } from "../../jsonschema/shape";
import type { Assertion, Operand } from "../oracles/dsl";
import type { Observation, Scalar } from "./observe";

export interface InferredInvariant {
  operationId: string;
  assertion: Assertion;
  /** the invariant in words, shown in findings and listings */
  sentence: string;
  /** distinct observations that had the operands and agreed */
  observations: number;
}

export interface InferOptions {
  /** distinct agreeing observations an invariant needs (default 5) */
  minObservations?: number;
  /** at most this many invariants per operation (default 8) */
  maxPerOperation?: number;
}

const LIMIT = /^(limit|per_?page|page_?size|max_?results|max_?items|max_?count|top|take|size|count)$/i;
const TOTAL = /^(total|total_?count|total_?results|total_?items|total_?size|total_?hits|count)$/i;
const TIME_PAIRS: [RegExp, RegExp][] = [
  [/^created(_?at|_?on|_?date|_?time)?$/i, /^(updated|modified|last_?modified|last_?updated)(_?at|_?on|_?date|_?time)?$/i],
  [/^start(s|ed)?(_?at|_?date|_?time)?$/i, /^end(s|ed)?(_?at|_?date|_?time)?$/i],
  [/^(valid_?)?from$/i, /^(valid_?)?(to|until)$/i],
  [/^issued(_?at)?$/i, /^expires?(_?at)?$/i],
];
/** fields whose values are identities or free text, never categories */
const NOT_ENUM = /(^|_)(id|ids|uuid|key|name|title|description|summary|text|body|content|email|url|uri|href|link|path|slug|sku|code|token|hash|etag|version|phone|address|label|comment|message|note)s?$|Id$|Name$|Url$/;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.-]{0,31}$/;
const ISO_DATE = /^\d{4}-\d\d-\d\d/;

/** the names of a count of the list `items`: itemsCount, items_count, totalItems, numItems, itemCount */
const countOf = (list: string) => {
  const n = norm(list);
  const singular = n.replace(/s$/, "");
  return new Set([`${n}count`, `total${n}`, `num${n}`, `${singular}count`]);
};
const lastSegment = (pointer: string) => (pointer.split("/").pop() ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf("/"));
const norm = (name: string) => name.toLowerCase().replace(/[-_]/g, "");
const same = (a: Scalar, b: Scalar) => a !== null && b !== null && typeof a !== "object" && String(a) === String(b);
const numberOf = (v: Scalar | undefined) => (typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined);

function timeOf(v: Scalar | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && ISO_DATE.test(v)) {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** Observations that agree on an operand set: counted only if every one of them passes. */
class Tally {
  agree = 0;
  broken = false;
  witness = false;
  values = new Set<string>();
  see(ok: boolean, witness = false, value?: Scalar): void {
    if (!ok) this.broken = true;
    this.agree += 1;
    if (witness) this.witness = true;
    if (value !== undefined) this.values.add(String(value));
  }
  holds(min: number, needWitness: boolean, minDistinct = 0): boolean {
    return !this.broken && this.agree >= min && (!needWitness || this.witness) && this.values.size >= minDistinct;
  }
}

function paramOperand(key: string): { operand: Operand; words: string } {
  const dot = key.indexOf(".");
  const where = key.slice(0, dot);
  const name = key.slice(dot + 1);
  if (where === "query") return { operand: { query: name }, words: `query parameter ${name}` };
  if (where === "path") return { operand: { path: name }, words: `path parameter ${name}` };
  // body keys are already pointers without the leading slash (observe.ts)
  return { operand: { requestBody: `/${name}` }, words: `request body ${name.split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).join(".")}` };
}

/** The response schema at a pointer (list indexes step into `items`), when the spec says. */
function schemaAt(model: ApiModel, op: Operation, pointer: string, throughItems: boolean): JsonSchema | undefined {
  const roots = op.responses.filter((r) => r.status.startsWith("2")).flatMap((r) => r.content.filter((c) => /json/i.test(c.contentType)).map((c) => c.schema));
  for (const root of roots) {
    let current: JsonSchema | undefined = resolve(root, model.schemas);
    const segments = pointer === "" ? [] : pointer.slice(1).split("/");
    for (const seg of segments) {
      current = childSchema(model, current, lastSegment(`/${seg}`));
      if (current === undefined) break;
    }
    if (current !== undefined && throughItems) current = itemsOf(model, current);
    if (current !== undefined) return current;
  }
  return undefined;
}

function variants(model: ApiModel, schema: JsonSchema | undefined): Record<string, unknown>[] {
  const s = schema === undefined ? undefined : resolve(schema, model.schemas);
  if (!s || typeof s !== "object") return [];
  const out = [s as Record<string, unknown>];
  for (const key of ["allOf", "oneOf", "anyOf"]) {
    const list = (s as Record<string, unknown>)[key];
    if (Array.isArray(list)) for (const sub of list.slice(0, 8)) out.push(...variants(model, sub as JsonSchema).slice(0, 8));
  }
  return out;
}

function childSchema(model: ApiModel, schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  for (const v of variants(model, schema)) {
    const props = v.properties as Record<string, JsonSchema> | undefined;
    if (props && key in props) return props[key];
  }
  return undefined;
}

function itemsOf(model: ApiModel, schema: JsonSchema): JsonSchema | undefined {
  for (const v of variants(model, schema)) if (v.items && typeof v.items === "object") return v.items as JsonSchema;
  return undefined;
}

function declaresValues(model: ApiModel, schema: JsonSchema | undefined): boolean {
  return variants(model, schema).some((v) => Array.isArray(v.enum) || "const" in v);
}

/** Names any request of the API can set: request body properties (top level and one down) and parameters. */
function writableNames(model: ApiModel): Set<string> {
  const names = new Set<string>();
  for (const op of model.operations) {
    for (const p of op.parameters) names.add(norm(p.name));
    for (const media of op.requestBody?.content ?? []) {
      for (const v of variants(model, media.schema)) {
        for (const [key, sub] of Object.entries((v.properties as Record<string, JsonSchema>) ?? {})) {
          names.add(norm(key));
          for (const inner of variants(model, sub)) for (const k of Object.keys((inner.properties as object) ?? {})) names.add(norm(k));
        }
      }
    }
  }
  return names;
}

function inferOperation(model: ApiModel, op: Operation, observations: Observation[], writable: Set<string>, min: number): InferredInvariant[] {
  const found: InferredInvariant[] = [];
  const add = (tally: Tally, needWitness: boolean, minDistinct: number, assertion: Assertion, sentence: string) => {
    if (tally.holds(min, needWitness, minDistinct)) found.push({ operationId: op.operationId, assertion, sentence, observations: tally.agree });
  };
  const paramKeys = new Set(observations.flatMap((o) => Object.keys(o.params)));
  const arrayPointers = new Set(observations.flatMap((o) => Object.keys(o.arrays)).filter((p) => p.split("/").length <= 2));
  const scalarPointers = new Set(observations.flatMap((o) => Object.keys(o.scalars)));

  // size(list) <= limit
  for (const key of paramKeys) {
    if (!key.startsWith("query.") || !LIMIT.test(key.slice(6))) continue;
    for (const list of arrayPointers) {
      const tally = new Tally();
      for (const o of observations) {
        const limit = numberOf(o.params[key]);
        const size = o.arrays[list];
        if (limit === undefined || size === undefined) continue;
        tally.see(size <= limit, size > 0);
      }
      add(tally, true, 0, { cmp: "<=", left: { count: list }, right: { query: key.slice(6) } }, `size(${list || "/"}) <= query parameter ${key.slice(6)}`);
    }
  }

  // total >= size(list), the total beside the list (or at the top for a top-level list)
  for (const total of scalarPointers) {
    const generic = TOTAL.test(lastSegment(total));
    for (const list of arrayPointers) {
      // "total", "count"… beside the list, or a count named after it (articles ↔ articlesCount)
      const named = list !== "" && parentOf(list) === parentOf(total) && countOf(lastSegment(list)).has(norm(lastSegment(total)));
      if (!generic && !named) continue;
      if (list === total || (parentOf(list) !== parentOf(total) && list !== "")) continue;
      const tally = new Tally();
      for (const o of observations) {
        const t = o.scalars[total];
        const size = o.arrays[list];
        if (typeof t !== "number" || size === undefined) continue;
        tally.see(t >= size, size > 0);
      }
      add(tally, true, 0, { cmp: ">=", left: { body: total }, right: { count: list } }, `${total} >= size(${list || "/"})`);
    }
  }

  // a response field equal to the request parameter of the same name (`id` ↔ path `…Id`); a body
  // value inside a wrapper object ({"user": {"email"}}) only to the field at the same pointer
  for (const key of paramKeys) {
    const name = key.slice(key.indexOf(".") + 1);
    const nested = key.startsWith("body.") && name.includes("/");
    const bare = key.startsWith("body.") ? lastSegment(`/${name}`) : name;
    for (const field of scalarPointers) {
      const fieldName = lastSegment(field);
      const named = nested ? field === `/${name}` : norm(fieldName) === norm(bare) || (key.startsWith("path.") && norm(fieldName) === "id" && /id$/i.test(name) && field.split("/").length <= 3);
      if (!named || field.split("/").length > 3) continue;
      const tally = new Tally();
      for (const o of observations) {
        const sent = o.params[key];
        const got = o.scalars[field];
        if (sent === undefined || got === undefined || typeof sent === "boolean" || sent === null) continue;
        tally.see(same(got, sent), false, sent);
      }
      const { operand, words } = paramOperand(key);
      add(tally, false, 2, { cmp: "==", left: { body: field }, right: operand }, `${field} equals the ${words}`);
    }
  }

  // created <= updated, start <= end … in one object, or in every item of a list
  const pairs = (fields: string[]) => {
    const out: [string, string][] = [];
    for (const [early, late] of TIME_PAIRS) {
      for (const a of fields) for (const b of fields) if (a !== b && parentOf(a) === parentOf(b) && early.test(lastSegment(a)) && late.test(lastSegment(b))) out.push([a, b]);
    }
    return out;
  };
  for (const [a, b] of pairs([...scalarPointers])) {
    const tally = new Tally();
    for (const o of observations) {
      const x = timeOf(o.scalars[a]);
      const y = timeOf(o.scalars[b]);
      if (x === undefined || y === undefined) continue;
      tally.see(x <= y, false, `${x}:${y}`);
    }
    add(tally, false, 2, { cmp: "<=", left: { body: a }, right: { body: b } }, `${a} <= ${b}`);
  }
  const lists = new Set(observations.flatMap((o) => Object.keys(o.items)));
  for (const list of lists) {
    const fields = [...new Set(observations.flatMap((o) => Object.keys(o.items[list] ?? {})))];
    for (const [a, b] of pairs(fields)) {
      const tally = new Tally();
      for (const o of observations) {
        const xs = o.items[list]?.[a];
        const ys = o.items[list]?.[b];
        if (!xs || !ys || xs.length !== ys.length) continue;
        let ok = true;
        let judged = false;
        for (let i = 0; i < xs.length; i++) {
          const x = timeOf(xs[i]);
          const y = timeOf(ys[i]);
          if (x === undefined || y === undefined) continue;
          judged = true;
          if (x > y) ok = false;
          tally.values.add(`${x}:${y}`);
        }
        if (judged) tally.see(ok);
      }
      add(tally, false, 2, { each: list, assert: { cmp: "<=", left: { item: a }, right: { item: b } } }, `in every element of ${list || "/"}: ${a} <= ${b}`);
    }
  }

  // enum-like, server-set string fields
  const enumLike = (pointer: string, valuesPerObservation: Scalar[][], declared: boolean): string[] | undefined => {
    const name = lastSegment(pointer);
    if (declared || NOT_ENUM.test(name) || writable.has(norm(name))) return undefined;
    const support = new Map<string, number>();
    let samples = 0;
    for (const values of valuesPerObservation) {
      if (values.length === 0) continue;
      samples += 1;
      for (const v of new Set(values)) {
        if (typeof v !== "string" || !IDENTIFIER.test(v) || ISO_DATE.test(v)) return undefined;
        support.set(v, (support.get(v) ?? 0) + 1);
      }
    }
    const counts = [...support.values()];
    if (samples < Math.max(min, 8) || support.size < 2 || support.size > 6 || counts.some((c) => c < 2)) return undefined;
    return [...support.keys()].sort();
  };
  for (const field of scalarPointers) {
    if (field.split("/").length > 3) continue;
    const values = enumLike(field, observations.map((o) => (o.scalars[field] === undefined ? [] : [o.scalars[field]!])), declaresValues(model, schemaAt(model, op, field, false)));
    if (values) found.push({ operationId: op.operationId, assertion: { oneOf: { body: field }, values }, sentence: `${field} is one of ${values.join(", ")}`, observations: observations.filter((o) => o.scalars[field] !== undefined).length });
  }
  for (const list of lists) {
    const itemSchema = schemaAt(model, op, list, true);
    const fields = new Set(observations.flatMap((o) => Object.keys(o.items[list] ?? {})));
    for (const field of fields) {
      const per = observations.map((o) => o.items[list]?.[field] ?? []);
      const values = enumLike(`${list}${field}`, per, declaresValues(model, childSchema(model, itemSchema, lastSegment(field))));
      if (values) {
        found.push({
          operationId: op.operationId,
          assertion: { each: list, assert: { oneOf: { item: field }, values } },
          sentence: `in every element of ${list || "/"}: ${field} is one of ${values.join(", ")}`,
          observations: per.filter((v) => v.length > 0).length,
        });
      }
    }
  }
  return found;
}

/** Invariants every observation of each operation agreed on (see the module comment for the rules). */
export function inferInvariants(model: ApiModel, observations: readonly Observation[], options: InferOptions = {}): InferredInvariant[] {
  const min = Math.max(2, options.minObservations ?? 5);
  const byOperation = new Map<string, Observation[]>();
  const seen = new Set<string>();
  for (const o of observations) {
    // an exchange repeated verbatim (idempotency replays, redeliveries) is one observation
    const key = JSON.stringify(o);
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byOperation.get(o.operationId) ?? [];
    list.push(o);
    byOperation.set(o.operationId, list);
  }
  const writable = writableNames(model);
  const out: InferredInvariant[] = [];
  for (const op of model.operations) {
    const list = byOperation.get(op.operationId);
    if (!list || list.length < min) continue;
    out.push(...inferOperation(model, op, list, writable, min).slice(0, options.maxPerOperation ?? 8));
  }
  return out;
}
