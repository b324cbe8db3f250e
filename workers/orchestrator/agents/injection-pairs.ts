/**
 * Differential SQL injection probes for reads (GET, and POST searches answering a listing): the
 * judgement is in workers/executor/checks/injection-differential.ts.
 *
 * Boolean pair: benign value, falsehood, tautology, unquoted control, tautology again. Strings get
 * `' OR '1'='1' -- ` / `' AND '1'='2' -- ` (free-form text also the comment-free `' OR 'a' LIKE 'a` /
 * `' AND 'a' LIKE 'b`, which fits inside a LIKE pattern or parentheses), integers (by schema, or an integer-like value) `1 OR 1=1` /
 * `1 AND 1=2`. A free-form string's benign value is a made-up token that matches nothing, so a
 * page cap never hides what the tautology adds; integers keep the base's value (a real id when a
 * setup step made one), so the tautology reading another record shows.
 *
 * Time pair: for each common engine, a sleep of DELAY_MS appended to the benign value and its twin
 * sleeping 0 s, in two rounds, after the baseline.
 */
import type { JsonSchema, Operation, Step } from "../../model";
import { admittedTypes, flattenAllOf } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import type { Rng } from "../generate/random";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { fieldBase, fieldValue, locationLabel, queryMembers, withField, type Field } from "./injection-fields";
import { copy, settableParams, type AgentEnv, type BuiltRequest } from "./requests";

/** Long enough to stand out from timing noise on a loaded machine, short enough to stay cheap. */
export const DELAY_MS = 2000;
/** Time pairs cost 13 requests each: this many fields per operation (free-form text first). */
const TIME_PAIR_FIELDS = 1;

interface PairField extends Field {
  numeric: boolean;
  /** the benign value may be made up (free-form text): a token matching nothing */
  free: boolean;
  minLength: number;
  maxLength?: number;
}

function pairField(env: AgentEnv, schema: JsonSchema, field: Field): PairField | undefined {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return flat === true ? { ...field, numeric: false, free: true, minLength: 0 } : undefined;
  if (flat.enum !== undefined || flat.const !== undefined) return undefined;
  const types = admittedTypes(flat, env.model.schemas);
  const text = !types || types.includes("string");
  const integer = !!types && types.includes("integer") && !text;
  if (!text && !integer) return undefined;
  const free = text && flat.pattern === undefined && flat.format === undefined;
  const minLength = typeof flat.minLength === "number" ? flat.minLength : 0;
  const maxLength = typeof flat.maxLength === "number" ? flat.maxLength : undefined;
  return { ...field, numeric: integer, free, minLength, maxLength };
}

/** A POST that answers a listing and creates nothing: a search taking its criteria in the body. */
function isSearchPost(env: AgentEnv, op: Operation): boolean {
  if (op.method !== "post" || op.responses.some((r) => r.status === "201")) return false;
  return op.responses.some((r) => r.status === "200" && r.content.some((m) => listingSchema(env, m.schema)));
}

function listingSchema(env: AgentEnv, schema: JsonSchema): boolean {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return false;
  if (flat.type === "array") return true;
  const props = isObject(flat.properties) ? Object.values(flat.properties as Record<string, JsonSchema>) : [];
  return props.some((p) => {
    const prop = flattenAllOf(p, env.model.schemas);
    return isObject(prop) && prop.type === "array";
  });
}

function pairFields(env: AgentEnv, op: Operation, full: BuiltRequest): PairField[] {
  const out: PairField[] = [];
  for (const param of op.parameters.filter((p) => p.in === "path")) {
    const field = pairField(env, param.schema, { location: "path", name: param.name });
    if (field) out.push(field);
  }
  for (const param of settableParams(env, op).filter((p) => p.in === "query")) {
    const field = pairField(env, param.schema, { location: "query", name: param.name });
    if (field) out.push(field);
    // the members of an object-valued parameter (deepObject `filter[label]`) are inputs of their own
    for (const member of queryMembers(env, param)) {
      const inner = pairField(env, member.schema, { location: "query", name: param.name, tokens: member.tokens });
      if (inner) out.push(inner);
    }
  }
  const value = full.request.body?.value;
  if (isSearchPost(env, op) && full.body && isObject(value)) {
    const flat = flattenAllOf(full.body.schema, env.model.schemas);
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    for (const key of Object.keys(value)) {
      const field = props[key] !== undefined ? pairField(env, props[key], { location: "body", name: key, tokens: [key] }) : undefined;
      if (field) out.push(field);
    }
  }
  return out;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** The benign value: a made-up token for free-form text, else the base's own value. */
function benignValue(field: PairField, base: BuiltRequest, rng: Rng): string | undefined {
  const value = fieldValue(base, field);
  if (field.free && !field.numeric) {
    const length = Math.max(field.minLength, 8);
    if (field.maxLength === undefined || length <= field.maxLength) return "zq" + Array.from({ length: length - 2 }, () => LETTERS[rng.int(0, LETTERS.length - 1)]).join("");
  }
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  return String(value);
}

function isNumericContext(field: PairField, value: string): boolean {
  return field.numeric || /^-?\d+$/.test(value);
}

/**
 * The pair's texts. "comment" closes the string and comments out the rest; "balanced" closes it
 * and leaves a quote open for the server's own closing one, so it needs no comment: `v' OR 'a'
 * LIKE 'a` is a tautology after `= '…'`, inside `LIKE '%…%'` (the trailing `%'` makes it `'a'
 * LIKE 'a%'`) and inside parentheses — where a comment would cut them off, or where a trimmed
 * `-- ` no longer comments (MySQL).
 */
function pairTexts(numeric: boolean, form: "comment" | "balanced", v: string): { truthy: string; falsy: string; control: string } {
  if (numeric) return { truthy: `${v} OR 1=1`, falsy: `${v} AND 1=2`, control: `${v}OR1=1` };
  if (form === "balanced") return { truthy: `${v}' OR 'a' LIKE 'a`, falsy: `${v}' AND 'a' LIKE 'b`, control: `${v} OR a LIKE a` };
  return { truthy: `${v}' OR '1'='1' -- `, falsy: `${v}' AND '1'='2' -- `, control: `${v} OR 1=1 -- ` };
}

function booleanPairDraft(op: Operation, base: BuiltRequest, field: PairField, v: string, form: "comment" | "balanced" = "comment"): CaseDraft {
  const numeric = isNumericContext(field, v);
  const { truthy, falsy, control } = pairTexts(numeric, form, v);
  const location = locationLabel(field);
  const params = { payload: truthy, location, family: "sql", baselineStep: "baseline", falseStep: "false", controlStep: "control", repeatStep: "repeat" };
  return {
    kind: "security",
    title: `${opLabel(op.method, op.path)}: SQL boolean pair${form === "balanced" ? " (balanced quotes)" : ""} in ${location}`,
    steps: [
      ...copy(base.setup),
      { id: "baseline", request: withField(base, field, v), checks: [] },
      { id: "false", request: withField(base, field, falsy), checks: [] },
      { id: "payload", request: withField(base, field, truthy), checks: [check("not_a_server_error"), check("sql_injection", params), check("error_disclosure", { databaseErrors: false })] },
      { id: "control", request: withField(base, field, control), checks: [] },
      { id: "repeat", request: withField(base, field, truthy), checks: [] },
    ],
    tags: ["injection", "sql", "boolean-pair"],
  };
}

/** Sleep payloads per engine: `seconds` → the text appended to the benign value. */
const SLEEPS: { engine: string; text: (numeric: boolean, seconds: number) => string }[] = [
  { engine: "mysql", text: (n, s) => `${n ? "" : "'"} AND (SELECT 1 FROM (SELECT(SLEEP(${s})))a)${n ? "" : " -- "}` },
  { engine: "postgresql", text: (n, s) => `${n ? "" : "'"} AND 1=(SELECT 1 FROM pg_sleep(${s}))${n ? "" : " -- "}` },
  { engine: "mssql", text: (n, s) => `${n ? "" : "'"}; WAITFOR DELAY '0:0:${s}'${n ? "" : " -- "}` },
];

function timePairDraft(op: Operation, base: BuiltRequest, field: PairField, v: string): CaseDraft {
  const numeric = isNumericContext(field, v);
  const location = locationLabel(field);
  const seconds = DELAY_MS / 1000;
  const steps: Step[] = [...copy(base.setup), { id: "baseline", request: withField(base, field, v), checks: [] }];
  for (const round of [1, 2]) {
    for (const { engine, text } of SLEEPS) {
      const payload = v + text(numeric, seconds);
      const params = { payload, location, family: "sql", engine, delayMs: DELAY_MS, baselineStep: "baseline", controlStep: `zero-${engine}-1`, repeatStep: `sleep-${engine}-2`, repeatControlStep: `zero-${engine}-2` };
      const checks = round === 1 ? [check("not_a_server_error"), check("sql_injection", params)] : [];
      steps.push({ id: `sleep-${engine}-${round}`, request: withField(base, field, payload), checks });
      steps.push({ id: `zero-${engine}-${round}`, request: withField(base, field, v + text(numeric, 0)), checks: [] });
    }
  }
  return { kind: "security", title: `${opLabel(op.method, op.path)}: SQL time pair in ${location}`, steps, tags: ["injection", "sql", "time-pair"] };
}

/**
 * Boolean pairs for every field of a read, then time pairs for the first few, as thunks: a
 * draft (and its field's base, from `baseOf`) is built only when its turn comes. Every Rng is
 * forked here, in order, so building fewer of them changes none.
 */
export function pairDrafts(env: AgentEnv, op: Operation, full: BuiltRequest, rng: Rng, baseOf: (field: Field) => BuiltRequest = (field) => fieldBase(env, op, full, field)): (() => CaseDraft)[] {
  if (op.method !== "get" && !isSearchPost(env, op)) return [];
  const booleans: (() => CaseDraft)[] = [];
  const timed: { text: boolean; draft: () => CaseDraft }[] = [];
  for (const field of pairFields(env, op, full)) {
    // the field's base keeps the field's own value: its benign value is read from the full request
    const v = benignValue(field, full, rng.fork(locationLabel(field)));
    if (v === undefined) continue;
    booleans.push(() => booleanPairDraft(op, baseOf(field), field, v));
    // free-form text (searches, filters) gets the comment-free form too
    if (field.free && !isNumericContext(field, v)) booleans.push(() => booleanPairDraft(op, baseOf(field), field, v, "balanced"));
    timed.push({ text: field.free && !field.numeric, draft: () => timePairDraft(op, baseOf(field), field, v) });
  }
  const times = [...timed.filter((t) => t.text), ...timed.filter((t) => !t.text)].slice(0, TIME_PAIR_FIELDS);
  return [...booleans, ...times.map((t) => t.draft)];
}
