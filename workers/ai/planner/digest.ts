/**
 * What the LLM sees of an operation: its prose and its contract, compact (component `$ref`s
 * inlined a few levels deep, keywords that say nothing about values dropped). Data, not
 * instructions: prompts frame it (prompt.ts).
 */
import type { ApiModel, JsonSchema, Operation } from "../../model";
import { refName } from "../../jsonschema/refs";

const KEEP = new Set(["type", "enum", "const", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "required", "description", "readOnly", "writeOnly", "default", "example", "nullable"]);

export function compactSchema(model: ApiModel, schema: JsonSchema | undefined, depth = 0): unknown {
  if (schema === undefined || typeof schema === "boolean") return schema;
  if (depth > 4) return { type: (schema as { type?: unknown }).type ?? "object" };
  const name = typeof schema.$ref === "string" ? refName(schema.$ref) : undefined;
  if (name !== undefined) return compactSchema(model, model.schemas?.[name] as JsonSchema | undefined, depth + 1);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEEP.has(key)) out[key] = typeof value === "string" ? value.slice(0, 300) : value;
    else if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).slice(0, 30).map(([k, v]) => [k, compactSchema(model, v, depth + 1)]));
    } else if (key === "items") out.items = compactSchema(model, value as JsonSchema, depth + 1);
    else if ((key === "oneOf" || key === "anyOf" || key === "allOf") && Array.isArray(value)) out[key] = value.slice(0, 4).map((v) => compactSchema(model, v as JsonSchema, depth + 1));
  }
  return out;
}

export interface OperationDigest {
  operationId: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  parameters: { name: string; in: string; required: boolean; description?: string; schema: unknown }[];
  requestBody?: { contentType: string; schema: unknown };
  responses: { status: string; description?: string }[];
  /** the first 2xx JSON response schema (pointers of oracles refer to it) */
  responseSchema?: unknown;
}

export function digestOperation(model: ApiModel, op: Operation): OperationDigest {
  const json = op.requestBody?.content.find((m) => /json/i.test(m.contentType));
  const success = op.responses.find((r) => /^2/.test(r.status))?.content.find((m) => /json/i.test(m.contentType));
  return {
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    ...(op.summary ? { summary: op.summary } : {}),
    ...(op.description ? { description: op.description } : {}),
    parameters: op.parameters
      .filter((p) => p.in !== "cookie")
      .map((p) => ({ name: p.name, in: p.in, required: p.required, ...(p.description ? { description: p.description } : {}), schema: compactSchema(model, p.schema) })),
    ...(json ? { requestBody: { contentType: json.contentType, schema: compactSchema(model, json.schema) } } : {}),
    responses: op.responses.map((r) => ({ status: r.status, ...(r.description ? { description: r.description.slice(0, 300) } : {}) })),
    ...(success ? { responseSchema: compactSchema(model, success.schema) } : {}),
  };
}

/** The prose of an operation an oracle's sentence must be quoted from (whitespace-normalised). */
export function operationProse(op: Operation): string {
  const parts = [op.summary, op.description, ...op.parameters.map((p) => p.description), ...op.responses.map((r) => r.description)];
  return normalise(parts.filter((p): p is string => typeof p === "string").join("\n"));
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

/** Operations whose prose is worth asking about (anything beyond a bare summary). */
export function hasProse(op: Operation): boolean {
  return Boolean(op.description) || op.parameters.some((p) => p.description) || op.responses.some((r) => (r.description ?? "").length > 40);
}
