/**
 * Links by meaning (as AutoRestTest's semantic dependency graph, ICSE 2025): a path parameter that
 * no operation visibly produces (`/profiles/{author}`) may still be filled by a field another
 * operation returns under another name (`username` of `POST /users`). Candidates come from the
 * embedding similarity of the parameter's name and description with each producer field's; none
 * is trusted until the run confirms it against the target: the consumer (a GET) answers 2xx with
 * the produced value and 4xx with a random value of the same schema. Only confirmed links reach
 * the planner (PlanConfig.links), where they fill parameters no other producer fills.
 */
import type { ApiModel, JsonSchema, Operation, Step, TestCase } from "../../model";
import { flattenAllOf, admittedTypes } from "../../jsonschema/shape";
import { isObject } from "../../jsonschema/types";
import { generateValid } from "../../orchestrator/generate/data-mocking";
import { Rng, deriveSeed } from "../../orchestrator/generate/random";
import { buildRequest, credentialParamNames, type AgentEnv } from "../../orchestrator/agents/requests";
import { jsonSchemaOf, pathPlaceholders, ResourceGraph, type MeaningLink } from "../../orchestrator/agents/resources";
import { ModelValidator } from "../../jsonschema/validate";
import { isIdLikeName } from "../../orchestrator/agents/names";
import { cosine } from "../../shared/cosine";
import type { Embedder } from "../embeddings/embedder";

/** Names and descriptions this alike (cosine) make a candidate worth one probe. */
export const LINK_THRESHOLD = 0.45;
/** Probes per run: each costs a create and two reads of the target. */
export const MAX_PROBES = 8;
/** Bounds on the parameters and fields compared (planning CPU on specs with thousands of operations). */
const MAX_SLOTS = 300;
const MAX_FIELDS = 3000;

export interface LinkCandidate extends MeaningLink {
  /** every path whose parameter of this name and description the link fills once confirmed */
  paths: string[];
  /** the GET on `path` the probe reads with */
  consumer: string;
  property: string;
}

/** Words that carry no meaning of their own ("the id of the user" vs "the name of the team"). */
const STOP = new Set(["the", "of", "a", "an", "to", "in", "for", "and", "or", "is", "by", "this", "that", "which", "its", "it", "be", "as", "on", "with", "from"]);

function meaningText(text: string | undefined): string {
  return (text ?? "")
    .slice(0, 300)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w && !STOP.has(w.toLowerCase()))
    .join(" ");
}

/** Names compared with names, and each description with the other's name (prose alone is too loose to link). */
function similarity(a: number[][], b: number[][]): number {
  const [nameA, proseA] = a;
  const [nameB, proseB] = b;
  return Math.max(cosine(nameA, nameB), 0.9 * cosine(proseA, nameB), 0.9 * cosine(nameA, proseB));
}

function description(schema: JsonSchema, model: ApiModel): string | undefined {
  const flat = flattenAllOf(schema, model.schemas);
  return isObject(flat) && typeof flat.description === "string" ? flat.description : undefined;
}

interface Field {
  op: Operation;
  pointer: string;
  property: string;
  /** name, then description */
  texts: [string, string];
}



/** Scalar fields of a producer's 2xx JSON answer: top level and one wrapper object deep. */
function producedFields(model: ApiModel, op: Operation): Field[] {
  const schema = jsonSchemaOf(op);
  if (schema === undefined) return [];
  const out: Field[] = [];
  const walk = (s: JsonSchema, prefix: string, depth: number) => {
    const flat = flattenAllOf(s, model.schemas);
    if (!isObject(flat) || !isObject(flat.properties)) return;
    for (const [name, sub] of Object.entries(flat.properties as Record<string, JsonSchema>)) {
      const types = admittedTypes(sub, model.schemas) ?? [];
      const pointer = `${prefix}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      // only text values (a produced number may name another collection's item by coincidence), and
      // no identifier: the resource's own `id` is the heuristic's, a `bookId` in a review names a
      // book another operation creates
      if (types.includes("string") && !isIdLikeName(name) && !/^_id$/.test(name)) out.push({ op, pointer, property: name, texts: [meaningText(name), meaningText(description(sub, model))] });
      else if (depth === 0 && (types.includes("object") || types.length === 0)) walk(sub, pointer, 1);
    }
  };
  walk(schema, "", 0);
  return out;
}

/**
 * Candidate links, best first. A slot is a path parameter of a GET that no producer fills
 * (resources.ts); slots of one name and description are one meaning, probed once on the GET with
 * the fewest path parameters, and a confirmed link holds for every path of the slot. Each slot's
 * candidates are the produced text fields of other operations whose name or description reads
 * alike (at most two per slot).
 */
export async function linkCandidates(model: ApiModel, embedder: Embedder, options: { threshold?: number; max?: number } = {}): Promise<LinkCandidate[]> {
  const threshold = options.threshold ?? LINK_THRESHOLD;
  const graph = new ResourceGraph(model);
  const credentials = credentialParamNames(model);
  const slots = new Map<string, { ops: Operation[]; param: string; texts: [string, string] }>();
  for (const op of model.operations) {
    if (op.method !== "get") continue;
    for (const name of pathPlaceholders(op.path)) {
      if (credentials.has(`path:${name.toLowerCase()}`) || graph.producerFor(op, name)) continue;
      const param = op.parameters.find((p) => p.in === "path" && p.name === name);
      // a numeric parameter takes no text value
      if (param && !(admittedTypes(param.schema, model.schemas) ?? ["string"]).includes("string")) continue;
      const prose = [param?.description, param ? description(param.schema, model) : undefined].filter(Boolean).join(" ");
      const texts: [string, string] = [meaningText(name), meaningText(prose)];
      const key = `${name}\n${texts[1]}`;
      const slot = slots.get(key) ?? { ops: [], param: name, texts };
      slot.ops.push(op);
      slots.set(key, slot);
    }
    if (slots.size >= MAX_SLOTS) break;
  }
  if (slots.size === 0) return [];
  const fields = model.operations.filter((op) => op.method === "post" || op.method === "put").flatMap((op) => producedFields(model, op)).slice(0, MAX_FIELDS);
  if (fields.length === 0) return [];
  // each distinct text embedded once (big specs repeat `name`, `owner`, `sha` in hundreds of answers)
  const texts = [...new Set([...[...slots.values()].flatMap((s) => s.texts), ...fields.flatMap((f) => f.texts)])];
  const embedded = await embedder.embed(texts);
  const vector = new Map(texts.map((t, i) => [t, embedded[i]]));
  const pair = (t: [string, string]) => [vector.get(t[0])!, vector.get(t[1])!];
  // fields that read alike are scored once per slot (big specs repeat the same few texts)
  const textIds = new Map<string, number>();
  const fieldText = fields.map((f) => {
    const key = f.texts.join("\n");
    let id = textIds.get(key);
    if (id === undefined) textIds.set(key, (id = textIds.size));
    return id;
  });
  const fieldVectors: number[][][] = [];
  fields.forEach((f, i) => (fieldVectors[fieldText[i]] ??= pair(f.texts)));
  const fieldParams = fields.map((f) => pathPlaceholders(f.op.path).length);
  const out: LinkCandidate[] = [];
  for (const slot of slots.values()) {
    const paths = new Set(slot.ops.map((op) => op.path));
    const consumer = [...slot.ops].sort((a, b) => pathPlaceholders(a.path).length - pathPlaceholders(b.path).length)[0];
    const slotVectors = pair(slot.texts);
    const scores: (number | undefined)[] = [];
    const alike: { field: Field; score: number; params: number }[] = [];
    fields.forEach((field, i) => {
      if (paths.has(field.op.path)) return;
      const score = (scores[fieldText[i]] ??= similarity(slotVectors, fieldVectors[fieldText[i]]));
      if (score >= threshold) alike.push({ field, score, params: fieldParams[i] });
    });
    // alike scores: the producer with fewer path parameters of its own first (fewer setup steps)
    const scored = alike.sort((a, b) => b.score - a.score || a.params - b.params).slice(0, 2);
    for (const { field, score } of scored) {
      out.push({ path: consumer.path, paths: [...paths], param: slot.param, consumer: consumer.operationId, producer: field.op.operationId, pointer: field.pointer, property: field.property, score: Math.round(score * 1000) / 1000 });
    }
  }
  return out.sort((a, b) => b.score - a.score).slice(0, options.max ?? MAX_PROBES);
}

const PRODUCED = "meaning_value";

/** What probeCase builds requests with: one per model (the validator is costly on big specs). */
export function probeEnv(model: ApiModel, seed: number): AgentEnv {
  return { model, config: { identities: [], maxCasesPerOperation: 1 }, seed, validator: new ModelValidator(model), graph: new ResourceGraph(model) };
}

/**
 * The probe of one candidate, in two cases: `random` reads the consumer with a random value of the
 * parameter's schema (sent first: a consumer that answers anything needs no create to be refuted);
 * `linked` creates with the producer (its own setup first) and reads the consumer with the produced
 * value. No checks: a probe finds nothing, it only decides whether the link holds.
 */
export function probeCase(env: AgentEnv, candidate: LinkCandidate): { random: TestCase; linked: TestCase } | undefined {
  const { model, seed } = env;
  const producer = model.operations.find((op) => op.operationId === candidate.producer);
  const consumer = model.operations.find((op) => op.operationId === candidate.consumer);
  if (!producer || !consumer) return undefined;
  const rng = new Rng(deriveSeed(seed, "meaning-link", `${candidate.consumer}:${candidate.param}:${candidate.producer}${candidate.pointer}`));
  const create = buildRequest(env, producer, rng.fork("create"), { useExamples: true, optional: "required", includeBody: true, exampleParts: "required", setupCreate: true });
  const read = buildRequest(env, consumer, rng.fork("read"), { useExamples: true, optional: "required", known: { [candidate.param]: `{{${PRODUCED}}}` } });
  const param = consumer.parameters.find((p) => p.in === "path" && p.name === candidate.param);
  const random = generateValid(param?.schema ?? { type: "string", minLength: 8 }, { schemas: model.schemas, rng: rng.fork("random"), wire: true, name: candidate.param, mode: "request", useExamples: false });
  const probe = (kind: string, steps: Step[]): TestCase => ({ id: `meaning-link:${kind}:${candidate.consumer}:${candidate.param}`, agent: "stateful", operationId: candidate.consumer, kind: "stateful", title: `link by meaning (${kind}): ${candidate.producer} ${candidate.pointer} → {${candidate.param}}`, steps });
  return {
    random: probe("random", [...read.setup, { id: "random", request: { ...read.request, pathParams: { ...read.request.pathParams, [candidate.param]: random } }, checks: [] }]),
    linked: probe("linked", [
      ...create.setup,
      { id: "create", request: create.request, extract: { [PRODUCED]: { from: "body", pointer: candidate.pointer } }, checks: [], requireSuccess: true },
      ...read.setup.filter((s) => !create.setup.some((t) => t.id === s.id)),
      { id: "linked", request: read.request, checks: [] },
    ]),
  };
}

/** The probe's verdict: the produced value reaches the resource (2xx), a random one does not (4xx). */
export function confirmed(statuses: { linked?: number; random?: number }): boolean {
  const { linked, random } = statuses;
  return linked !== undefined && random !== undefined && linked >= 200 && linked < 300 && random >= 400 && random < 500;
}
