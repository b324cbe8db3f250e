/**
 * Wasm agent output is untrusted: it must parse as JSON and match TestCase[]
 * (workers/model/cases.ts) exactly, then pass the plan's invariants — right agent name,
 * known operation, unique ids, every `{param}` of a path filled, the per-operation budget.
 */
import { z } from "zod";
import { CHECK_NAMES, type ApiModel, type TestCase } from "../../model";
import { WasmAgentError } from "./abi";

const templateValues = z.record(z.string(), z.unknown());

const extractionSchema = z.discriminatedUnion("from", [
  z.object({ from: z.literal("body"), pointer: z.string() }),
  z.object({ from: z.literal("header"), name: z.string().min(1) }),
  z.object({ from: z.literal("status") }),
  z.object({ from: z.literal("location-id") }),
]);

const stepSchema = z.object({
  id: z.string().min(1),
  request: z.object({
    method: z.string().min(1),
    path: z.string().startsWith("/"),
    pathParams: templateValues,
    query: templateValues,
    headers: z.record(z.string(), z.string()),
    cookies: z.record(z.string(), z.string()).optional(),
    body: z.object({ contentType: z.string().min(1), value: z.unknown().optional(), raw: z.string().optional() }).optional(),
    identity: z.string().nullable().optional(),
    removeHeaders: z.array(z.string()).optional(),
  }),
  extract: z.record(z.string(), extractionSchema).optional(),
  checks: z.array(z.object({ name: z.enum(CHECK_NAMES), params: z.record(z.string(), z.unknown()).optional() })).min(1),
  requireSuccess: z.boolean().optional(),
});

const testCaseSchema = z.object({
  id: z.string().min(1),
  agent: z.string().min(1),
  operationId: z.string().min(1),
  kind: z.enum(["positive", "negative", "stateful", "security", "performance"]),
  title: z.string(),
  steps: z.array(stepSchema).min(1),
  tags: z.array(z.string()).optional(),
});

const MAX_REPORTED_ISSUES = 5;

export interface OutputExpectations {
  agent: string;
  model: ApiModel;
  maxCasesPerOperation: number;
}

/** Parses and validates the module's output bytes; throws WasmAgentError listing what is wrong. */
export function validateWasmOutput(bytes: Uint8Array, expect: OutputExpectations): TestCase[] {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (err) {
    throw new WasmAgentError(expect.agent, `output is not UTF-8 JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = z.array(testCaseSchema).safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, MAX_REPORTED_ISSUES).map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new WasmAgentError(expect.agent, `output does not match TestCase[]: ${issues.join("; ")}`);
  }
  const cases = parsed.data as TestCase[];
  const problems = invariantProblems(cases, expect);
  if (problems.length > 0) {
    throw new WasmAgentError(expect.agent, `output breaks plan invariants: ${problems.slice(0, MAX_REPORTED_ISSUES).join("; ")}`);
  }
  return cases;
}

function invariantProblems(cases: TestCase[], expect: OutputExpectations): string[] {
  const problems: string[] = [];
  const operations = new Set(expect.model.operations.map((op) => op.operationId));
  const ids = new Set<string>();
  const perOperation = new Map<string, number>();
  cases.forEach((c, i) => {
    const at = `[${i}] (${c.id})`;
    if (c.agent !== expect.agent) problems.push(`${at}: agent is "${c.agent}", expected "${expect.agent}"`);
    if (!operations.has(c.operationId)) problems.push(`${at}: unknown operationId "${c.operationId}"`);
    if (ids.has(c.id)) problems.push(`${at}: duplicate case id`);
    ids.add(c.id);
    perOperation.set(c.operationId, (perOperation.get(c.operationId) ?? 0) + 1);
    const stepIds = new Set<string>();
    c.steps.forEach((step, s) => {
      if (stepIds.has(step.id)) problems.push(`${at}.steps[${s}]: duplicate step id "${step.id}"`);
      stepIds.add(step.id);
      for (const m of step.request.path.matchAll(/\{([^{}]+)\}/g)) {
        const value = step.request.pathParams[m[1]];
        if (value === undefined || value === null) problems.push(`${at}.steps[${s}]: path parameter {${m[1]}} is not filled`);
      }
    });
  });
  for (const [operationId, count] of perOperation) {
    if (count > expect.maxCasesPerOperation) {
      problems.push(`${count} cases for "${operationId}" exceed maxCasesPerOperation ${expect.maxCasesPerOperation}`);
    }
  }
  return problems;
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") || "(root)";
}
