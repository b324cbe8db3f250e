/**
 * The oracle DSL: small, declarative, JSON — assertions over one response (and the steps of its
 * case for before/after deltas), never code, never eval. LLM-inferred oracles and invariants
 * inferred from observations are both written in it and judged by the same evaluator.
 *
 *   operand   { body: "/ptr" } | { count: "/ptr" } | { query: "limit" } | { path: "id" }
 *             | { header: "x-total" } | { requestBody: "/ptr" } | { const: 3 }
 *             | { item: "/ptr" }  (inside `each`)  | { step: "before", body|count: "/ptr" }
 *             | { sum: [operand, operand] }
 *   assertion { cmp: "<=", left, right } | { sorted: "/items", by: "/createdAt", order: "desc" }
 *             | { each: "/items", assert } | { all: [assertion…] } | { oneOf: operand, values: […] }
 * An operand that is absent (parameter not sent, pointer not in the body) makes the assertion
 * not applicable: it is skipped, never failed.
 */
import { z } from "zod";

const Pointer = z.string().max(200).regex(/^(\/[^/]*)*$/, "a JSON pointer ('' or /a/b)");
const Name = z.string().min(1).max(100);
const Scalar = z.union([z.number(), z.string().max(200), z.boolean(), z.null()]);

export type Operand =
  | { body: string; step?: string }
  | { count: string; step?: string }
  | { query: string }
  | { path: string }
  | { header: string }
  | { requestBody: string }
  | { item: string }
  | { const: number | string | boolean | null }
  | { sum: Operand[] };

export const OperandSchema: z.ZodType<Operand> = z.lazy(() =>
  z.union([
    z.object({ body: Pointer, step: Name.optional() }).strict(),
    z.object({ count: Pointer, step: Name.optional() }).strict(),
    z.object({ query: Name }).strict(),
    z.object({ path: Name }).strict(),
    z.object({ header: Name }).strict(),
    z.object({ requestBody: Pointer }).strict(),
    z.object({ item: Pointer }).strict(),
    z.object({ const: Scalar }).strict(),
    z.object({ sum: z.array(OperandSchema).min(2).max(4) }).strict(),
  ]),
);

export const COMPARATORS = ["<", "<=", "==", "!=", ">=", ">"] as const;

export type Assertion =
  | { cmp: (typeof COMPARATORS)[number]; left: Operand; right: Operand }
  | { sorted: string; by: string; order: "asc" | "desc" }
  | { each: string; assert: Assertion }
  | { all: Assertion[] }
  | { oneOf: Operand; values: (number | string | boolean | null)[] };

export const AssertionSchema: z.ZodType<Assertion> = z.lazy(() =>
  z.union([
    z.object({ cmp: z.enum(COMPARATORS), left: OperandSchema, right: OperandSchema }).strict(),
    z.object({ sorted: Pointer, by: Pointer, order: z.enum(["asc", "desc"]) }).strict(),
    z.object({ each: Pointer, assert: AssertionSchema }).strict(),
    z.object({ all: z.array(AssertionSchema).min(1).max(8) }).strict(),
    z.object({ oneOf: OperandSchema, values: z.array(Scalar).min(1).max(50) }).strict(),
  ]),
);

/** What an assertion is judged on: the step's request and response, and the case's other steps. */
export interface OracleSubject {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, unknown>;
  pathParams: Record<string, unknown>;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  /** other steps of the case by id (before/after deltas) */
  steps?: Record<string, { body: unknown }>;
}

export type Verdict = { status: "passed" } | { status: "failed"; detail: string } | { status: "skipped"; detail: string };

const ABSENT = Symbol("absent");
type Value = unknown | typeof ABSENT;

export function pointerGet(document: unknown, pointer: string): Value {
  if (pointer === "") return document === undefined ? ABSENT : document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (current && typeof current === "object" && Object.prototype.hasOwnProperty.call(current, key)) current = (current as Record<string, unknown>)[key];
    else return ABSENT;
  }
  return current === undefined ? ABSENT : current;
}

function lookup(record: Record<string, unknown>, name: string): Value {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value === undefined ? ABSENT : value;
  return ABSENT;
}

function numeric(value: unknown): unknown {
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (Array.isArray(value) && value.length === 1) return numeric(value[0]);
  return value;
}

function operandValue(operand: Operand, subject: OracleSubject, item: unknown): Value {
  if ("const" in operand) return operand.const;
  if ("query" in operand) return numeric(lookup(subject.query, operand.query));
  if ("path" in operand) return numeric(lookup(subject.pathParams, operand.path));
  if ("header" in operand) return numeric(lookup(subject.headers, operand.header));
  if ("requestBody" in operand) return pointerGet(subject.requestBody, operand.requestBody);
  if ("item" in operand) return item === ABSENT ? ABSENT : pointerGet(item, operand.item);
  if ("sum" in operand) {
    let total = 0;
    for (const part of operand.sum) {
      const v = operandValue(part, subject, item);
      if (typeof v !== "number") return ABSENT;
      total += v;
    }
    return total;
  }
  const body = operand.step ? subject.steps?.[operand.step]?.body : subject.body;
  if ("count" in operand) {
    const v = pointerGet(body, operand.count);
    return Array.isArray(v) ? v.length : ABSENT;
  }
  return pointerGet(body, operand.body);
}

function compare(op: (typeof COMPARATORS)[number], a: unknown, b: unknown): boolean | undefined {
  if (op === "==" || op === "!=") {
    const equal = JSON.stringify(a) === JSON.stringify(b) || (a !== null && b !== null && String(a) === String(b) && typeof a !== "object");
    return op === "==" ? equal : !equal;
  }
  // timestamps compare by time, not text ("…00Z" is before "…00.5Z" though it sorts after it)
  const dates = typeof a === "string" && typeof b === "string" ? [sortKey(a), sortKey(b)] : [];
  const byTime = typeof dates[0] === "number" && typeof dates[1] === "number";
  const x = byTime ? dates[0] : typeof a === "string" && typeof b === "string" ? a : typeof a === "number" && typeof b === "number" ? a : undefined;
  const y = byTime ? dates[1] : typeof a === "string" && typeof b === "string" ? b : typeof a === "number" && typeof b === "number" ? b : undefined;
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    case ">=":
      return x >= y;
  }
}

export function describeOperand(operand: Operand): string {
  if ("const" in operand) return JSON.stringify(operand.const);
  if ("query" in operand) return `query ${operand.query}`;
  if ("path" in operand) return `path ${operand.path}`;
  if ("header" in operand) return `header ${operand.header}`;
  if ("requestBody" in operand) return `request body ${operand.requestBody || "/"}`;
  if ("item" in operand) return `item ${operand.item || "/"}`;
  if ("sum" in operand) return operand.sum.map(describeOperand).join(" + ");
  const at = operand.step ? ` of step ${operand.step}` : "";
  return "count" in operand ? `size(${operand.count || "/"})${at}` : `${operand.body || "/"}${at}`;
}

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

function sortKey(value: unknown): number | string | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const time = /^\d{4}-\d\d-\d\d/.test(value) ? Date.parse(value) : NaN;
    return Number.isFinite(time) ? time : value;
  }
  return undefined;
}

export function evaluate(assertion: Assertion, subject: OracleSubject, item: unknown = ABSENT): Verdict {
  if ("cmp" in assertion) {
    const left = operandValue(assertion.left, subject, item);
    const right = operandValue(assertion.right, subject, item);
    if (left === ABSENT || right === ABSENT) return { status: "skipped", detail: `${left === ABSENT ? describeOperand(assertion.left) : describeOperand(assertion.right)} not present` };
    const ok = compare(assertion.cmp, left, right);
    if (ok === undefined) return { status: "skipped", detail: `cannot compare ${short(left)} ${assertion.cmp} ${short(right)}` };
    return ok
      ? { status: "passed" }
      : { status: "failed", detail: `${describeOperand(assertion.left)} = ${short(left)}, expected ${assertion.cmp} ${describeOperand(assertion.right)} = ${short(right)}` };
  }
  if ("sorted" in assertion) {
    const list = pointerGet(subject.body, assertion.sorted);
    if (!Array.isArray(list)) return { status: "skipped", detail: `${assertion.sorted} is not a list` };
    const keys = list.map((entry) => sortKey(pointerGet(entry, assertion.by)));
    if (keys.some((k) => k === undefined)) return { status: "skipped", detail: `${assertion.by} missing or not comparable` };
    for (let i = 1; i < keys.length; i++) {
      const a = keys[i - 1]!;
      const b = keys[i]!;
      const inOrder = assertion.order === "asc" ? a <= b : a >= b;
      if (!inOrder) return { status: "failed", detail: `${assertion.sorted}/${i - 1}${assertion.by} and /${i} are not in ${assertion.order === "asc" ? "ascending" : "descending"} order` };
    }
    return { status: "passed" };
  }
  if ("each" in assertion) {
    const list = pointerGet(subject.body, assertion.each);
    if (!Array.isArray(list)) return { status: "skipped", detail: `${assertion.each} is not a list` };
    let judged = false;
    for (let i = 0; i < list.length; i++) {
      const verdict = evaluate(assertion.assert, subject, list[i]);
      if (verdict.status === "failed") return { status: "failed", detail: `${assertion.each}/${i}: ${verdict.detail}` };
      if (verdict.status === "passed") judged = true;
    }
    return judged ? { status: "passed" } : { status: "skipped", detail: `no element of ${assertion.each} could be judged` };
  }
  if ("all" in assertion) {
    let judged = false;
    for (const part of assertion.all) {
      const verdict = evaluate(part, subject, item);
      if (verdict.status === "failed") return verdict;
      if (verdict.status === "passed") judged = true;
    }
    return judged ? { status: "passed" } : { status: "skipped", detail: "nothing to judge" };
  }
  const value = operandValue(assertion.oneOf, subject, item);
  if (value === ABSENT) return { status: "skipped", detail: `${describeOperand(assertion.oneOf)} not present` };
  return assertion.values.some((v) => JSON.stringify(v) === JSON.stringify(value))
    ? { status: "passed" }
    : { status: "failed", detail: `${describeOperand(assertion.oneOf)} = ${short(value)}, not one of ${short(assertion.values)}` };
}

/** Every query/path parameter and step name an assertion refers to (validation against the spec). */
export function references(assertion: Assertion): { query: string[]; path: string[]; steps: string[] } {
  const out = { query: [] as string[], path: [] as string[], steps: [] as string[] };
  const visitOperand = (operand: Operand) => {
    if ("query" in operand) out.query.push(operand.query);
    if ("path" in operand) out.path.push(operand.path);
    if (("body" in operand || "count" in operand) && operand.step) out.steps.push(operand.step);
    if ("sum" in operand) operand.sum.forEach(visitOperand);
  };
  const visit = (a: Assertion) => {
    if ("cmp" in a) [a.left, a.right].forEach(visitOperand);
    else if ("each" in a) visit(a.assert);
    else if ("all" in a) a.all.forEach(visit);
    else if ("oneOf" in a) visitOperand(a.oneOf);
  };
  visit(assertion);
  return out;
}
