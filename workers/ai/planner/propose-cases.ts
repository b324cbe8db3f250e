/**
 * LLM-proposed cases: realistic domain values, inter-parameter dependencies stated in prose and
 * scenario values the heuristics do not think of. Each proposal is validated by zod (shape) and
 * against the spec (operation, declared parameters, every value against its schema, the body
 * against the request schema) before it becomes a TestCase; the others are counted as rejected.
 */
import { z } from "zod";
import type { ApiModel, CheckSpec, JsonSchema, Operation, TestCase } from "../../model";
import { validateSchema } from "../../jsonschema/validate";
import type { LlmClient } from "../client";
import { digestOperation } from "./digest";

const Scalar = z.union([z.string().max(2000), z.number(), z.boolean()]);

export const ProposedCaseSchema = z.object({
  operationId: z.string().max(200),
  title: z.string().max(200),
  pathParams: z.record(z.string(), Scalar).optional(),
  query: z.record(z.string(), z.union([Scalar, z.array(Scalar).max(20)])).optional(),
  headers: z.record(z.string(), z.string().max(500)).optional(),
  body: z.unknown().optional(),
});
export type ProposedCase = z.infer<typeof ProposedCaseSchema>;

export const CasesAnswerSchema = z.object({ cases: z.array(ProposedCaseSchema).max(60) });

export const CASES_INSTRUCTIONS = [
  "For each API operation in the data block, propose up to 3 valid requests a careful tester would send that a generic generator would not:",
  "realistic domain values (ISBNs, SKUs, IBANs, addresses consistent with their country, dates consistent with each other),",
  "values that respect dependencies stated in the prose (for example 'end must be after start'),",
  "and values that exercise documented rules (small page sizes on lists, filters that match several records).",
  "Every request must be valid for the operation's schema. Use only declared parameters. Never include credentials.",
].join(" ");

/** Headers a proposal may never set: credentials come from identities, framing from the client. */
const FORBIDDEN_HEADERS = /^(authorization|cookie|proxy-authorization|host|content-length|transfer-encoding|x-api-key)$/i;

function coerce(value: unknown, schema: JsonSchema): unknown {
  if (typeof schema !== "object" || typeof value !== "string") return value;
  const type = schema.type;
  if ((type === "integer" || type === "number") && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  return value;
}

export type CaseVerdict = { ok: true; testCase: TestCase } | { ok: false; reason: string };

export function validateProposal(model: ApiModel, proposal: ProposedCase, n: number, extraChecks: (op: Operation) => CheckSpec[] = () => []): CaseVerdict {
  const op = model.operations.find((o) => o.operationId === proposal.operationId);
  if (!op) return { ok: false, reason: `unknown operation ${proposal.operationId}` };
  const pathParams: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  for (const p of op.parameters.filter((p) => p.in === "path")) {
    const value = proposal.pathParams?.[p.name];
    if (value === undefined || value === "") return { ok: false, reason: `path parameter ${p.name} missing` };
    pathParams[p.name] = coerce(value, p.schema);
  }
  for (const [name, value] of Object.entries(proposal.query ?? {})) {
    const p = op.parameters.find((q) => q.in === "query" && q.name === name);
    if (!p) return { ok: false, reason: `undeclared query parameter ${name}` };
    query[name] = Array.isArray(value) ? value.map((v) => coerce(v, (p.schema as { items?: JsonSchema }).items ?? true)) : coerce(value, p.schema);
  }
  for (const [name, value] of Object.entries(proposal.headers ?? {})) {
    if (FORBIDDEN_HEADERS.test(name)) return { ok: false, reason: `header ${name} may not be proposed` };
    const p = op.parameters.find((q) => q.in === "header" && q.name.toLowerCase() === name.toLowerCase());
    if (!p) return { ok: false, reason: `undeclared header ${name}` };
    headers[p.name] = value;
  }
  for (const p of op.parameters) {
    if (!p.required || p.in === "cookie") continue;
    const given = p.in === "path" ? pathParams[p.name] : p.in === "query" ? query[p.name] : headers[p.name];
    if (given === undefined) return { ok: false, reason: `required ${p.in} parameter ${p.name} missing` };
  }
  for (const [location, values] of [["path", pathParams], ["query", query], ["header", headers]] as const) {
    for (const [name, value] of Object.entries(values)) {
      const p = op.parameters.find((q) => q.in === location && q.name === name)!;
      const verdict = validateSchema(model, p.schema, value, "request");
      if (verdict.valid === false) return { ok: false, reason: `${location} ${name}: ${verdict.violations[0]?.message ?? "invalid"}` };
    }
  }
  const json = op.requestBody?.content.find((m) => /json/i.test(m.contentType));
  let body: TestCase["steps"][number]["request"]["body"];
  if (proposal.body !== undefined && proposal.body !== null) {
    if (!json) return { ok: false, reason: "the operation takes no JSON body" };
    const verdict = validateSchema(model, json.schema, proposal.body, "request");
    if (verdict.valid === false) return { ok: false, reason: `body: ${verdict.violations[0]?.instancePath ?? ""} ${verdict.violations[0]?.message ?? "invalid"}` };
    body = { contentType: json.contentType, value: proposal.body };
  } else if (op.requestBody?.required) {
    return { ok: false, reason: "required body missing" };
  }
  const checks: CheckSpec[] = [
    { name: "not_a_server_error" },
    { name: "status_code_conformance" },
    { name: "content_type_conformance" },
    { name: "response_schema_conformance" },
    ...extraChecks(op),
  ];
  return {
    ok: true,
    testCase: {
      id: `llm:${op.operationId}:${n}`,
      agent: "llm",
      operationId: op.operationId,
      kind: "positive",
      title: `LLM: ${proposal.title.slice(0, 120)}`,
      steps: [{ id: "s1", request: { method: op.method, path: op.path, pathParams, query, headers, ...(body ? { body } : {}) }, checks }],
      tags: ["source:llm"],
    },
  };
}

/** Operations in batches of this many per call: prompts stay small and a failure costs little. */
const BATCH = 6;

export async function proposeCases(client: LlmClient, model: ApiModel, operations: Operation[], maxCases: number): Promise<TestCase[]> {
  const out: TestCase[] = [];
  let n = 0;
  for (let i = 0; i < operations.length && out.length < maxCases; i += BATCH) {
    const batch = operations.slice(i, i + BATCH);
    const answer = await client.structured({
      name: "proposed_cases",
      instructions: CASES_INSTRUCTIONS,
      data: [{ name: "operations", value: batch.map((op) => digestOperation(model, op)) }],
      schema: CasesAnswerSchema,
      maxOutputTokens: 2_000,
    });
    if (!answer.ok) {
      if (answer.reason === "budget_exhausted" || answer.reason === "unavailable") break;
      continue;
    }
    client.counters.casesProposed += answer.value.cases.length;
    for (const proposal of answer.value.cases) {
      const verdict = validateProposal(model, proposal, ++n);
      if (verdict.ok && out.length < maxCases) {
        out.push(verdict.testCase);
        client.counters.casesAccepted += 1;
      } else client.counters.casesRejected += 1;
    }
  }
  return out;
}
