/**
 * Pathological input for backtracking regexes (ReDoS) within the field's own limits: a long input
 * is refused by a length check before any regex runs, so the probe is as long as `maxLength`
 * allows (capped, so a vulnerable server is slowed, not hung for minutes): a run of one character
 * the field's pattern accepts, ending in one it refuses — the shape on which nested quantifiers
 * (`^([a-z0-9]+[._-]?)+$`, `^([a-z]+)*@`) try every way to split the run. Free-form text gets a run
 * of letters ending in `!`.
 *
 * One case per operation, run last and alone (no other case's load in its timings), per field:
 * a valid value of the same length, the probe six characters shorter, the probe, the valid
 * value again, the probe again. max_response_time judges the timings (executor/checks/performance.ts).
 */
import type { JsonSchema, Operation, Step } from "../../model";
import { admittedTypes, flattenAllOf } from "../../jsonschema/shape";
import { isObject, type SchemaObject } from "../../jsonschema/types";
import type { Rng } from "../generate/random";
import { RUN_LAST_TAG } from "./auth-abuse";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { fieldBase, fieldValue, locationLabel, withField, type Field } from "./injection-fields";
import { bodyLeaves } from "./body-leaves";
import { isJsonMedia, settableParams, type AgentEnv, type BuiltRequest } from "./requests";

/** longest probe: a vulnerable pattern doubles its time per character, and the target must recover */
const MAX_LENGTH = 26;
/** shorter fields have too little room to blow up */
const MIN_LENGTH = 12;
/**
 * the probe is this much shorter in the growth step: exponential backtracking grows 64× over six
 * characters (4× over the two a server that checks only the text's end may still see), linear or
 * polynomial work by 1.3–2.2×
 */
const SHORTER_BY = 6;
const FORM = /multipart\/form-data|x-www-form-urlencoded/i;
/** fields probed per operation (those with a pattern first) */
const FIELDS_PER_OPERATION = 3;

const RUN_CHARS = ["a", "0", "A", "x", "1"];
const TAIL_CHARS = ["!", " ", "@", "#", "~", "\u00e9"];
const WORDS = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "tempor"];

interface Shape {
  run: string;
  tail: string;
  /** a same-length value that is valid (a run the pattern accepts, or words) */
  benign: (length: number, rng: Rng) => string;
}

interface Target extends Field {
  length: number;
  shape: Shape;
  patterned: boolean;
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/**
 * The run and tail for a pattern, tried on short strings only (a target's pattern may itself be
 * catastrophic): a character whose runs of a few lengths match, and one that breaks such a run.
 */
function patternShape(pattern: string, minLength: number): Shape | undefined {
  const re = compile(pattern);
  if (!re) return undefined;
  const lengths = [Math.max(minLength, 3), Math.max(minLength, 3) + 1, Math.max(minLength, 3) + 2].filter((n) => n <= 8);
  if (lengths.length === 0) return undefined;
  const runs = RUN_CHARS.filter((c) => lengths.every((n) => re.test(c.repeat(n))));
  const run = runs[0];
  if (run === undefined) return undefined;
  const tail = TAIL_CHARS.find((t) => lengths.every((n) => !re.test(run.repeat(n - 1) + t)));
  if (tail === undefined) return undefined;
  const mixable = "abcdefghijklmnopqrstuvwxyz0123456789".split("").filter((c) => re.test(c.repeat(lengths[0])));
  return {
    run,
    tail,
    benign: (length, rng) => {
      // a mix of accepted characters (unique fields stay fresh), when a short prefix of it is valid
      const mixed = Array.from({ length }, () => mixable[rng.int(0, mixable.length - 1)]).join("");
      return mixable.length > 1 && re.test(mixed.slice(0, lengths[0])) ? mixed : run.repeat(length);
    },
  };
}

const FREE_SHAPE: Shape = {
  run: "a",
  tail: "!",
  benign: (length, rng) => {
    let text = "";
    while (text.length < length) text += (text ? " " : "") + WORDS[rng.int(0, WORDS.length - 1)];
    return text.slice(0, length).replace(/ $/, "e");
  },
};

function target(env: AgentEnv, schema: JsonSchema, field: Field): Target | undefined {
  const flat = flattenAllOf(schema, env.model.schemas);
  if (!isObject(flat)) return undefined;
  const types = admittedTypes(flat, env.model.schemas);
  if (!types || !types.includes("string") || flat.enum !== undefined || flat.const !== undefined || flat.format !== undefined) return undefined;
  const maxLength = typeof flat.maxLength === "number" ? flat.maxLength : MAX_LENGTH;
  const minLength = typeof flat.minLength === "number" ? flat.minLength : 0;
  const length = Math.min(maxLength, MAX_LENGTH);
  if (length < MIN_LENGTH || length - SHORTER_BY < minLength) return undefined;
  if (typeof flat.pattern === "string") {
    const shape = patternShape(flat.pattern, minLength);
    return shape ? { ...field, length, shape, patterned: true } : undefined;
  }
  return { ...field, length, shape: FREE_SHAPE, patterned: false };
}

function targets(env: AgentEnv, op: Operation, full: BuiltRequest): Target[] {
  const out: Target[] = [];
  const value = full.request.body?.value;
  // string fields at any depth of a JSON body (an envelope's `data.attributes.title`)
  if (full.body && isJsonMedia(full.body.media.contentType) && (isObject(value) || Array.isArray(value))) {
    for (const leaf of bodyLeaves(env, full.body.schema, value)) {
      if (typeof leaf.value !== "string") continue;
      const found = target(env, leaf.schema, { location: "body", name: leaf.tokens[leaf.tokens.length - 1], tokens: leaf.tokens });
      if (found) out.push(found);
    }
  }
  // text fields of a form (multipart/form-data, x-www-form-urlencoded): a server parses them as strings too
  if (full.body && FORM.test(full.body.media.contentType) && isObject(value)) {
    const flat = flattenAllOf(full.body.schema, env.model.schemas);
    const props = isObject(flat) && isObject(flat.properties) ? (flat.properties as Record<string, JsonSchema>) : {};
    for (const [name, v] of Object.entries(value)) {
      if (typeof v !== "string" || props[name] === undefined) continue;
      const found = target(env, props[name], { location: "body", name, tokens: [name] });
      if (found) out.push(found);
    }
  }
  for (const param of settableParams(env, op).filter((p) => p.in === "query")) {
    const found = target(env, param.schema, { location: "query", name: param.name });
    if (found) out.push(found);
  }
  for (const param of op.parameters.filter((p) => p.in === "path")) {
    const found = target(env, (param.schema ?? true) as SchemaObject, { location: "path", name: param.name });
    if (found) out.push(found);
  }
  return [...out.filter((t) => t.patterned), ...out.filter((t) => !t.patterned)].slice(0, FIELDS_PER_OPERATION);
}

/** A form's base, like a JSON body's (fieldBase): its required fields and the probed one, the rest left out. */
function formBase(env: AgentEnv, base: BuiltRequest, field: Target): BuiltRequest {
  const body = base.request.body;
  if (!base.body || !body || !FORM.test(base.body.media.contentType) || !isObject(body.value)) return base;
  const flat = flattenAllOf(base.body.schema, env.model.schemas);
  const required = new Set(isObject(flat) && Array.isArray(flat.required) ? (flat.required as string[]) : []);
  const value = Object.fromEntries(Object.entries(body.value).filter(([key]) => required.has(key) || (field.location === "body" && field.tokens?.[0] === key)));
  return { ...base, request: { ...base.request, body: { contentType: body.contentType, value } } };
}

/** The ReDoS case of one operation, or none when no string input has room for a probe. */
export function redosDrafts(env: AgentEnv, op: Operation, full: BuiltRequest, rng: Rng): CaseDraft[] {
  if (op.method === "delete") return [];
  const chosen = targets(env, op, full);
  if (chosen.length === 0) return [];
  const steps: Step[] = [];
  const setupIds = new Set<string>();
  for (const [n, field] of chosen.entries()) {
    const base = formBase(env, fieldBase(env, op, full, field), field);
    if (fieldValue(base, field) === undefined) continue;
    for (const step of base.setup) {
      if (setupIds.has(step.id)) continue;
      setupIds.add(step.id);
      steps.push(step);
    }
    const { run, tail, benign } = field.shape;
    const probe = run.repeat(field.length - 1) + tail;
    const shorter = run.repeat(field.length - 1 - SHORTER_BY) + tail;
    const fork = rng.fork(locationLabel(field));
    const id = (name: string) => `redos-${n}-${name}`;
    const params = { redos: true, location: locationLabel(field), payload: probe, shorterLength: shorter.length, controlStep: id("valid-1"), shortStep: id("shorter"), repeatStep: id("probe-2"), repeatControlStep: id("valid-2") };
    steps.push(
      { id: id("valid-1"), request: withField(base, field, benign(field.length, fork)), checks: [] },
      { id: id("shorter"), request: withField(base, field, shorter), checks: [] },
      { id: id("probe-1"), request: withField(base, field, probe), checks: [check("max_response_time", params)] },
      { id: id("valid-2"), request: withField(base, field, benign(field.length, fork)), checks: [] },
      { id: id("probe-2"), request: withField(base, field, probe), checks: [] },
    );
  }
  if (!steps.some((s) => s.id.startsWith("redos-"))) return [];
  const where = chosen.map(locationLabel).join(", ");
  return [{ kind: "security", title: `${opLabel(op.method, op.path)}: catastrophic-backtracking probes in ${where}`, steps, tags: ["redos", RUN_LAST_TAG] }];
}
