import { describe, expect, it } from "vitest";
import type { TestCase } from "../model";
import {
  chunkForSendBatch,
  jsonBytes,
  looseTaskRef,
  MAX_MESSAGE_BYTES,
  messageBody,
  packTasks,
  parseTaskMessage,
  TaskMessageSchema,
  taskId,
} from "./task-messages";

function makeCase(id: string, bodySize = 0): TestCase {
  return {
    id,
    agent: "functional-positive",
    operationId: "getItem",
    kind: "positive",
    title: `case ${id}`,
    steps: [
      {
        id: "s1",
        request: {
          method: "post",
          path: "/items",
          pathParams: {},
          query: {},
          headers: {},
          body: { contentType: "application/json", raw: "x".repeat(bodySize) },
        },
        checks: [{ name: "not_a_server_error" }],
      },
    ],
  };
}

describe("packTasks", () => {
  it("keeps every case exactly once, in order, within the count limit", () => {
    const cases = Array.from({ length: 50 }, (_, i) => makeCase(`c${i}`));
    const { tasks, oversized } = packTasks("run1", cases, { maxCasesPerMessage: 16 });
    expect(oversized).toEqual([]);
    expect(tasks.map((t) => t.cases.length)).toEqual([16, 16, 16, 2]);
    expect(tasks.flatMap((t) => t.cases.map((c) => c.id))).toEqual(cases.map((c) => c.id));
    expect(tasks.map((t) => t.taskId)).toEqual([0, 1, 2, 3].map((i) => taskId("run1", i)));
    expect(new Set(tasks.map((t) => t.taskId)).size).toBe(4);
  });

  it("keeps each message under the byte limit and sets aside a case that cannot fit", () => {
    const cases = [makeCase("a", 50_000), makeCase("b", 50_000), makeCase("c", 50_000), makeCase("huge", 200_000), makeCase("d", 10)];
    const { tasks, oversized } = packTasks("run1", cases);
    expect(oversized.map((c) => c.id)).toEqual(["huge"]);
    for (const task of tasks) expect(jsonBytes(task)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(tasks.flatMap((t) => t.cases.map((c) => c.id))).toEqual(["a", "b", "c", "d"]);
    expect(tasks.length).toBe(2);
  });

  it("gives each task's body exactly as JSON.stringify writes the task", () => {
    const cases = [makeCase("a", 50_000), makeCase("b"), makeCase("é\u2028\"q", 10), makeCase("c", 80_000)];
    cases[1].tags = ["t"];
    const packed = packTasks('run "1"', cases, { firstTaskIndex: 7 });
    expect(packed.tasks.length).toBe(2);
    expect(packed.bodies).toEqual(packed.tasks.map((t) => JSON.stringify(t)));
  });

  it("produces messages that validate", () => {
    const { tasks } = packTasks("run1", [makeCase("a")]);
    const parsed = parseTaskMessage(JSON.parse(JSON.stringify(tasks[0])));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.message.cases[0].steps[0].request.path).toBe("/items");
  });
});

/** Every (path, replacement) variant of `value`: each key removed or set to a value of another type. */
function* variants(value: unknown, path: (string | number)[] = []): Generator<{ path: (string | number)[]; replacement: unknown }> {
  if (typeof value !== "object" || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    for (const replacement of [undefined, null, 0, 1, "", "x", true, [], ["x"], {}, { from: "x" }, new Date(0)]) yield { path: at, replacement };
    yield* variants(inner, at);
  }
}

function withReplacement(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

describe("parseTaskMessage", () => {
  it("accepts exactly what the zod schema accepts, with the same output (every field removed or of another type)", () => {
    const full = makeCase("a");
    full.tags = ["t"];
    full.steps[0].extract = { id: { from: "body", pointer: "/id" } };
    full.steps[0].requireSuccess = true;
    full.steps[0].checks.push({ name: "status_code_conformance", params: { codes: [200] } });
    Object.assign(full.steps[0].request, { cookies: { c: "1" }, identity: null, removeHeaders: ["x-a"] });
    const message = { v: 1, runId: "r", taskId: "t", cases: [full, makeCase("b")] };
    let compared = 0; // variants the schema accepts (optional fields removed, records emptied, …)
    for (const { path, replacement } of variants(message)) {
      const body = withReplacement(message, path, replacement);
      const reference = TaskMessageSchema.safeParse(structuredClone(body));
      const got = parseTaskMessage(structuredClone(body));
      expect(got.ok, `${path.join(".")} = ${JSON.stringify(replacement)}`).toBe(reference.success);
      if (got.ok && reference.success) expect(got.message).toEqual(reference.data);
      compared += reference.success ? 1 : 0;
    }
    expect(compared).toBeGreaterThan(50);
  });


  it("rejects a message without cases or with a broken step", () => {
    expect(parseTaskMessage({ v: 1, runId: "r", taskId: "t", cases: [] }).ok).toBe(false);
    const broken = { v: 1, runId: "r", taskId: "t", cases: [{ ...makeCase("a"), steps: [{ id: "s1" }] }] };
    const result = parseTaskMessage(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/request/);
  });

  it("recovers run, task and case ids from a body that does not validate", () => {
    expect(looseTaskRef({ runId: "r", taskId: "t", cases: [{ id: "a" }, { nope: 1 }, { id: "b" }] })).toEqual({
      runId: "r",
      taskId: "t",
      caseIds: ["a", "b"],
    });
    expect(looseTaskRef("garbage")).toBeUndefined();
  });
});

describe("messageBody", () => {
  it("reads the stored JSON text the TestRun sends as the message it packed; objects pass unchanged; other text stays text", () => {
    const [task] = packTasks("r", [makeCase("a"), makeCase("b")]).tasks;
    const delivered = messageBody(JSON.stringify(task));
    expect(delivered).toEqual(task);
    expect(parseTaskMessage(delivered)).toEqual({ ok: true, message: task });
    expect(looseTaskRef(delivered)?.caseIds).toEqual(["a", "b"]);
    expect(messageBody(task)).toBe(task);
    expect(messageBody("{not json")).toBe("{not json");
    expect(parseTaskMessage(messageBody("{not json")).ok).toBe(false);
  });
});

describe("chunkForSendBatch", () => {
  it("respects the message count and the total size per call", () => {
    const sizes = Array.from({ length: 250 }, () => 1000);
    expect(chunkForSendBatch(sizes, (s) => s).map((c) => c.length)).toEqual([100, 100, 50]);
    const big = [100_000, 100_000, 100_000, 10];
    expect(chunkForSendBatch(big, (s) => s, { maxBytes: 250_000 }).map((c) => c.length)).toEqual([2, 2]);
  });
});
