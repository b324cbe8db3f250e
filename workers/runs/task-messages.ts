/**
 * The wire format of the queue's task messages (the contract's type is TaskMessage in
 * model/run.ts): packing cases into messages on the TestRun's side, validating them on the
 * executor's. A message carries a task: several small cases of one run (a stateful chain is one
 * case, so it is never split). Messages stay well under the 128 KB Queues limit, and sendBatch
 * calls under 100 messages / 256 KB. Pure: no Cloudflare API here, so it is testable in Node.
 */
import { z } from "zod";
import type { TaskMessage, TestCase } from "../model";

export type { TaskMessage };

/** Cloudflare Queues: one message ≤ 128 KB; keep headroom for the envelope the runtime adds. */
export const MAX_MESSAGE_BYTES = 120 * 1024;
/** sendBatch: at most 100 messages and 256 KB in total per call. */
export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 250 * 1024;
/**
 * Cases per message: a deployed consumer invocation gets up to max_batch_size (4) messages and runs them
 * with 6 requests in flight; 40 cases × 4 messages keeps one invocation within its subrequest
 * budget as 16 × 10 did, with 2.5× fewer per-message round trips (lease and done RPCs, one D1
 * batch each) per case (bench/RESULTS.md).
 */
export const DEFAULT_CASES_PER_MESSAGE = 40;

const headers = z.record(z.string(), z.string());

const RequestTemplateSchema = z.looseObject({
  method: z.string().min(1),
  path: z.string(),
  pathParams: z.record(z.string(), z.unknown()).default({}),
  query: z.record(z.string(), z.unknown()).default({}),
  headers: headers.default({}),
  cookies: headers.optional(),
  body: z
    .looseObject({ contentType: z.string(), value: z.unknown().optional(), raw: z.string().optional() })
    .optional(),
  identity: z.string().nullable().optional(),
  removeHeaders: z.array(z.string()).optional(),
});

const StepSchema = z.looseObject({
  id: z.string().min(1),
  request: RequestTemplateSchema,
  extract: z.record(z.string(), z.looseObject({ from: z.string() })).optional(),
  checks: z.array(z.looseObject({ name: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() })),
  requireSuccess: z.boolean().optional(),
});

/** Structural validation of a TestCase arriving from the queue: enough that the executor never trips on it. */
export const TestCaseSchema = z.looseObject({
  id: z.string().min(1),
  agent: z.string().min(1),
  operationId: z.string(),
  kind: z.string(),
  title: z.string(),
  steps: z.array(StepSchema).min(1),
  tags: z.array(z.string()).optional(),
});

export const TaskMessageSchema = z.object({
  v: z.literal(1),
  runId: z.string().min(1),
  taskId: z.string().min(1),
  cases: z.array(TestCaseSchema).min(1),
});

/**
 * A message body as the queue delivers it. The TestRun sends each task's stored JSON text as it is
 * (contentType "text"): parsing it there only for the queue to serialise it again cost the main
 * thread three passes over the run's cases before the first one ran. An object (a message
 * made elsewhere, e.g. in tests) passes unchanged; text that is not JSON stays a string, which
 * parseTaskMessage refuses.
 */
export function messageBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** The case ids of a message body, even when the body does not validate as a whole (DLQ bookkeeping). */
export function looseTaskRef(body: unknown): { runId: string; taskId: string; caseIds: string[] } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { runId, taskId, cases } = body as Record<string, unknown>;
  if (typeof runId !== "string" || typeof taskId !== "string" || !Array.isArray(cases)) return undefined;
  const caseIds = cases
    .map((c) => (typeof c === "object" && c !== null ? (c as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === "string" && id.length > 0);
  return { runId, taskId, caseIds };
}

// The executor validates every task message it receives; zod's parse of a 40-case message (a copy
// of every object) was ~3% of the platform's isolate per run (bench/RESULTS.md). The checks below
// accept only what TaskMessageSchema accepts (never more; records only as plain objects) and fill
// the same defaults in place; anything they do not accept goes to zod, which decides and words
// the error.
type Rec = Record<string, unknown>;
const isObj = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const isPlain = (v: unknown): v is Rec => {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};
const isStr = (v: unknown): v is string => typeof v === "string";
/** Every element, holes included (Array#every skips a hole; zod sees it as undefined). */
const all = (items: readonly unknown[], check: (v: unknown) => boolean) => {
  for (let i = 0; i < items.length; i++) if (!check(items[i])) return false;
  return true;
};
const isName = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isStringRecord = (v: unknown) => isPlain(v) && Object.values(v).every(isStr);
const isStringArray = (v: unknown) => Array.isArray(v) && all(v, isStr);
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);

function requestFits(r: unknown): boolean {
  if (!isObj(r) || !isName(r.method) || !isStr(r.path)) return false;
  for (const key of ["pathParams", "query"] as const) if (!optional(r[key], isPlain)) return false;
  if (!optional(r.headers, isStringRecord) || !optional(r.cookies, isStringRecord)) return false;
  if (!optional(r.body, (b) => isObj(b) && isStr(b.contentType) && optional(b.raw, isStr))) return false;
  if (!optional(r.identity, (i) => i === null || isStr(i))) return false;
  if (!optional(r.removeHeaders, isStringArray)) return false;
  r.pathParams ??= {};
  r.query ??= {};
  r.headers ??= {};
  return true;
}

function stepFits(s: unknown): boolean {
  if (!isObj(s) || !isName(s.id) || !Array.isArray(s.checks) || !optional(s.requireSuccess, (b) => typeof b === "boolean")) return false;
  if (!optional(s.extract, (e) => isPlain(e) && Object.values(e).every((x) => isObj(x) && isStr(x.from)))) return false;
  if (!all(s.checks, (c) => isObj(c) && isName(c.name) && optional(c.params, isPlain))) return false;
  return requestFits(s.request);
}

function caseFits(c: unknown): boolean {
  if (!isObj(c) || !isName(c.id) || !isName(c.agent) || !isStr(c.operationId) || !isStr(c.kind) || !isStr(c.title)) return false;
  if (!optional(c.tags, isStringArray) || !Array.isArray(c.steps) || c.steps.length === 0) return false;
  return all(c.steps, stepFits);
}

/** The message as TaskMessageSchema would output it, when the quick checks accept it. */
function quickParse(body: unknown): TaskMessage | undefined {
  if (!isObj(body) || body.v !== 1 || !isName(body.runId) || !isName(body.taskId)) return undefined;
  const { cases } = body;
  if (!Array.isArray(cases) || cases.length === 0 || !all(cases, caseFits)) return undefined;
  return { v: 1, runId: body.runId, taskId: body.taskId, cases: cases as TestCase[] };
}

export function parseTaskMessage(body: unknown): { ok: true; message: TaskMessage } | { ok: false; error: string } {
  const quick = quickParse(body);
  if (quick) return { ok: true, message: quick };
  const parsed = TaskMessageSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error).slice(0, 500) };
  return { ok: true, message: parsed.data as unknown as TaskMessage };
}

const encoder = new TextEncoder();
export function jsonBytes(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).byteLength;
}

export interface PackOptions {
  maxMessageBytes?: number;
  maxCasesPerMessage?: number;
  /** number the tasks from here (tasks packed in several calls keep distinct ids) */
  firstTaskIndex?: number;
}

export interface PackedTasks {
  tasks: TaskMessage[];
  /** each task's JSON, as JSON.stringify(task) writes it: made from the cases' JSON that sized them, so no case is serialised twice */
  bodies: string[];
  /** cases that alone exceed a message: recorded as errored by the caller, never silently dropped */
  oversized: TestCase[];
}

/** The task id of the n-th task of a run: deterministic, so a re-planned run re-creates the same ids. */
export function taskId(runId: string, index: number): string {
  return `${runId}.t${String(index).padStart(5, "0")}`;
}

/** Pack cases, in order, into as few messages as the size and count limits allow. */
export function packTasks(runId: string, cases: readonly TestCase[], opts: PackOptions = {}): PackedTasks {
  const maxBytes = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const maxCases = Math.max(1, opts.maxCasesPerMessage ?? DEFAULT_CASES_PER_MESSAGE);
  const envelope = jsonBytes({ v: 1, runId, taskId: taskId(runId, 99999), cases: [] });
  const tasks: TaskMessage[] = [];
  const bodies: string[] = [];
  const oversized: TestCase[] = [];
  let current: TestCase[] = [];
  let currentJson: string[] = [];
  let currentBytes = envelope;
  const flush = () => {
    if (current.length === 0) return;
    const task: TaskMessage = { v: 1, runId, taskId: taskId(runId, (opts.firstTaskIndex ?? 0) + tasks.length), cases: current };
    tasks.push(task);
    // the keys in TaskMessage's order, as JSON.stringify(task) would write them
    bodies.push(`{"v":1,"runId":${JSON.stringify(runId)},"taskId":${JSON.stringify(task.taskId)},"cases":[${currentJson.join(",")}]}`);
    current = [];
    currentJson = [];
    currentBytes = envelope;
  };
  for (const testCase of cases) {
    const json = JSON.stringify(testCase);
    const size = encoder.encode(json).byteLength + 1; // + the comma between array items
    if (envelope + size > maxBytes) {
      oversized.push(testCase);
      continue;
    }
    if (current.length >= maxCases || currentBytes + size > maxBytes) flush();
    current.push(testCase);
    currentJson.push(json);
    currentBytes += size;
  }
  flush();
  return { tasks, bodies, oversized };
}

/** Split serialised messages into sendBatch calls within the per-call count and size limits. */
export function chunkForSendBatch<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: { maxMessages?: number; maxBytes?: number } = {},
): T[][] {
  const maxMessages = limits.maxMessages ?? MAX_BATCH_MESSAGES;
  const maxBytes = limits.maxBytes ?? MAX_BATCH_BYTES;
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxMessages || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
