/**
 * A planner step after the agents: generation toward what the plan leaves uncovered. Each enum
 * member and each boolean value of a query parameter or a top-level body property is sent at
 * least once — a flag that switches on a slow or broken branch is reached even when no agent
 * happened to pick it. A missing value is set on a copy of the operation's plain positive case
 * (its setup steps included), judged by the conformance checks only: a value the schema admits
 * may still be refused by a business rule, which is no bug.
 */
import { flattenAllOf } from "../jsonschema/shape";
import { isObject } from "../jsonschema/types";
import type { ApiModel, JsonSchema, Operation, Step, TestCase } from "../model";
import { conformanceChecks } from "./agents/requests";

export const COVERAGE_AGENT = "coverage";

/** Cases added per operation (the run's total cap still applies afterwards). */
const MAX_PER_OPERATION = 12;

interface Slot {
  where: "query" | "body";
  name: string;
  /** the schema's values with the text a request carries for each */
  values: { value: unknown; text: string }[];
}

const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Enum members or both booleans of a schema, as values (undefined when the set is open). */
function finiteValues(schema: JsonSchema, model: ApiModel): unknown[] | undefined {
  const s = flattenAllOf(schema, model.schemas);
  if (!isObject(s)) return undefined;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).filter((v) => v !== null);
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes("boolean") && types.every((t) => t === "boolean" || t === "null")) return [true, false];
  return undefined;
}

function slotsOf(op: Operation, model: ApiModel): Slot[] {
  const slots: Slot[] = [];
  for (const p of op.parameters) {
    if (p.in !== "query") continue;
    const values = finiteValues(p.schema, model);
    if (values && values.length > 0) slots.push({ where: "query", name: p.name, values: values.map((value) => ({ value, text: text(value) })) });
  }
  const media = op.requestBody?.content.find((m) => /json/i.test(m.contentType));
  const body = media ? flattenAllOf(media.schema, model.schemas) : undefined;
  // a union at the top decides which properties belong together: leave it to the agents
  if (isObject(body) && isObject(body.properties) && !body.oneOf && !body.anyOf) {
    for (const [name, property] of Object.entries(body.properties as Record<string, JsonSchema>)) {
      const resolved = flattenAllOf(property, model.schemas);
      if (isObject(resolved) && resolved.readOnly === true) continue;
      const values = finiteValues(property, model);
      if (values && values.length > 0) slots.push({ where: "body", name, values: values.map((value) => ({ value, text: text(value) })) });
    }
  }
  return slots;
}

/** Texts a planned request already sends for a slot. */
function sentValues(step: Step, slot: Slot): string[] {
  const raw = slot.where === "query" ? step.request.query[slot.name] : isObject(step.request.body?.value) ? (step.request.body!.value as Record<string, unknown>)[slot.name] : undefined;
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(text);
}

const stepKey = (method: string, path: string) => `${method.toLowerCase()} ${path}`;

/** The plain positive case of an operation to vary: required parts only, else any positive one. */
function baseCase(op: Operation, own: readonly TestCase[]): TestCase | undefined {
  const key = stepKey(op.method, op.path);
  const positive = own.filter((c) => c.kind === "positive" && stepKey(c.steps[c.steps.length - 1].request.method, c.steps[c.steps.length - 1].request.path) === key);
  return positive.find((c) => c.tags?.includes("required-only")) ?? positive[0];
}

/** Cases that send every enum member and boolean value the planned cases never send. */
export function seekUncovered(model: ApiModel, cases: readonly TestCase[]): TestCase[] {
  // one pass over the plan: every step by the operation it addresses, every case by its operation
  const stepsByOp = new Map<string, Step[]>();
  const casesByOp = new Map<string, TestCase[]>();
  for (const c of cases) {
    const own = casesByOp.get(c.operationId);
    if (own) own.push(c);
    else casesByOp.set(c.operationId, [c]);
    for (const step of c.steps) {
      const key = stepKey(step.request.method, step.request.path);
      const list = stepsByOp.get(key);
      if (list) list.push(step);
      else stepsByOp.set(key, [step]);
    }
  }
  const out: TestCase[] = [];
  for (const op of model.operations) {
    let slots = slotsOf(op, model);
    if (slots.length === 0) continue;
    const base = baseCase(op, casesByOp.get(op.operationId) ?? []);
    if (!base) continue;
    const mainIndex = base.steps.length - 1;
    const main = base.steps[mainIndex];
    if (!isObject(main.request.body?.value)) slots = slots.filter((s) => s.where !== "body");
    const steps = stepsByOp.get(stepKey(op.method, op.path)) ?? [];
    let n = 0;
    for (const slot of slots) {
      const sent = new Set(steps.flatMap((step) => sentValues(step, slot)));
      for (const { value, text: label } of slot.values) {
        if (sent.has(label) || n >= MAX_PER_OPERATION) continue;
        const request = structuredClone(main.request);
        if (slot.where === "query") request.query[slot.name] = label;
        else request.body = { ...request.body!, value: { ...(request.body!.value as Record<string, unknown>), [slot.name]: value } };
        out.push({
          id: `${COVERAGE_AGENT}:${op.operationId}:${n++}`,
          agent: COVERAGE_AGENT,
          operationId: op.operationId,
          kind: "positive",
          title: `${op.method.toUpperCase()} ${op.path} with ${slot.where} ${slot.name} = ${label.slice(0, 40)} (never sent otherwise)`,
          steps: [...structuredClone(base.steps.slice(0, mainIndex)), { id: "request", request, checks: conformanceChecks() }],
          tags: ["coverage"],
          focus: `${slot.where} ${slot.name}`,
        });
        sent.add(label);
      }
    }
  }
  return out;
}
