/**
 * `npm run bench -- oracles-real`: precision and recall of Sentinel's deterministic invariants on
 * operations of REAL specs, against the hand annotation in bench/oracles-real.json.
 *
 * Each annotated spec is served by the spec-faithful mock of the corpus test
 * (test/node/spec-mock-server.ts), planned with every default agent, run with the real executor
 * (runCase), its successful exchanges collected per task message exactly as the queue consumer does
 * (observationCollector over packTasks' messages), and the invariants inferred with
 * inferInvariants — the pipeline of a real run, minus workerd. Then:
 *  - each proposed invariant is matched to the annotation by its assertion (canonical JSON);
 *  - each annotated oracle is also evaluated on every exchange of its operation, which says whether
 *    the TARGET exhibited it (held on every applicable response), broke it (the mock is not
 *    faithful to that prose), or was never judged — so recall can be split into "missed by the
 *    inference" and "not observable on this target".
 * With --llm, the LLM's oracles are measured the same way: `proposeOracles` (the run's own prompts,
 * validation and batching) over the annotated operations, matched to the annotation and judged on
 * the same exchanges. `--llm fake` is the scripted OpenAI-compatible model of
 * workers/ai/testing/fake-llm.ts through the real `openai` SDK (HTTP intercepted): its figures
 * measure the pipeline's mechanics and our script, NOT a model. A real measurement:
 *   OPENAI_API_KEY=… npm run bench -- oracles-real --llm openai:gpt-4o-mini
 *   SENTINEL_LLM_API_KEY=… npm run bench -- oracles-real --llm openai-compatible:llama3.1 --llm-base-url http://127.0.0.1:11434/v1
 * Prints one JSON line per spec and a total.
 * Usage: [--per-operation N] [--seed N] [--verbose] [--llm fake|PROVIDER:MODEL [--llm-base-url URL]]
 */
import { readFileSync } from "node:fs";
import { LlmClient } from "../workers/ai/client";
import { keysFromEnv, parseModelRef } from "../workers/ai/config";
import { proposeOracles } from "../workers/ai/planner/propose-oracles";
import { createProvider } from "../workers/ai/providers";
import { fakeChatCompletion } from "../workers/ai/testing/fake-llm";
import { interceptFetch, json } from "../workers/ai/testing/wire";
import type { ApiModel } from "../workers/model";
import { inferInvariants } from "../workers/ai/invariants/infer";
import type { Observation } from "../workers/ai/invariants/observe";
import { evaluate, type Assertion, type OracleSubject } from "../workers/ai/oracles/dsl";
import { jsonValue } from "../workers/executor/checks/support";
import { observationCollector } from "../workers/executor/observations";
import { runCase, type RunEnv } from "../workers/executor/run-case";
import { packTasks } from "../workers/runs/task-messages";
import { AGENTS } from "../workers/orchestrator/agents";
import { planRun } from "../workers/orchestrator/plan";
import { parseSpec } from "../workers/orchestrator/spec";
import { corpusPath } from "../test/corpus";
import { mapLimit } from "../test/node/detection-harness";
import { identityHeaders } from "../test/node/spec-mock-identities";
import { startSpecMock } from "../test/node/spec-mock-server";

interface Annotated {
  op: string;
  text: string;
  source: string;
  assert: Assertion | null;
}
interface Annotation {
  specs: { spec: string; oracles: Annotated[] }[];
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PER_OPERATION = flag("per-operation", 30);
const SEED = flag("seed", 20240601);
const VERBOSE = args.includes("--verbose");
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const LLM = option("llm");

/** The LLM client of the measurement: the scripted fake over intercepted HTTP, or a real provider with its key from the environment. */
function llmClient(): LlmClient | null {
  if (!LLM) return null;
  if (LLM === "fake") {
    const wire = interceptFetch((req) => json(fakeChatCompletion(req.body as never)));
    return new LlmClient({ providers: [createProvider({ provider: "openai-compatible", model: "scripted-fake", baseUrl: "http://127.0.0.1:9/v1" }, { fetch: wire.fetch })], budget: { tokens: 2_000_000 } });
  }
  const ref = { ...parseModelRef(LLM), ...(option("llm-base-url") ? { baseUrl: option("llm-base-url") } : {}) };
  return new LlmClient({ providers: [createProvider(ref, { apiKey: keysFromEnv([ref.provider], process.env)[ref.provider] })], budget: { tokens: 2_000_000 } });
}
const client = llmClient();

/** Key order and `==` operand order do not matter; `oneOf` values are a set. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  if (record.cmp === "==" || record.cmp === "!=") {
    const [a, b] = [canonical(record.left), canonical(record.right)].sort();
    return `{cmp:${String(record.cmp)},${a},${b}}`;
  }
  if ("oneOf" in record && Array.isArray(record.values)) return `{oneOf:${canonical(record.oneOf)},values:[${record.values.map(canonical).sort().join(",")}]}`;
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${k}:${canonical(record[k])}`)
    .join(",")}}`;
}

/** One run of the spec against a fresh spec-faithful mock: the observations as the consumer keeps them, and every successful exchange. */
async function exercise(model: ApiModel, seed: number): Promise<{ cases: number; observations: Observation[]; subjects: Map<string, OracleSubject[]> }> {
  const identities = ["alice", "bob"].map((name) => ({ name, headers: identityHeaders(model, name) }));
  const mock = await startSpecMock({ model, identities, seed });
  const plan = await planRun({
    model,
    seed,
    agents: AGENTS.map((a) => a.name),
    config: {
      identities: identities.map((i) => i.name),
      maxCasesPerOperation: PER_OPERATION,
      identityTokens: Object.fromEntries(identities.flatMap((i) => (i.headers.Authorization ? [[i.name, i.headers.Authorization]] : []))),
    },
  });
  const observations: Observation[] = [];
  const subjects = new Map<string, OracleSubject[]>();
  const headers = Object.fromEntries(identities.map((i) => [i.name, i.headers]));
  // one collector per task message, as the queue consumer keeps them (bounded per operation and message)
  for (const task of packTasks("bench", plan.cases).tasks) {
    const collector = observationCollector(headers);
    const env: RunEnv = {
      fetch: (input, init) => fetch(input, init),
      baseUrl: mock.url,
      identities: headers,
      defaultIdentity: identities[0].name,
      model,
      config: { timeoutMs: 15_000, maxBodyBytes: 1024 * 1024, retries: 0 },
      onSuccess: (record) => {
        collector.onSuccess(record);
        const resolved = record.request.resolved;
        const list = subjects.get(record.operationId) ?? [];
        list.push({ status: record.response.status, body: jsonValue(record.response), headers: record.response.headers, query: resolved.query, pathParams: resolved.pathParams, requestHeaders: resolved.headers, requestBody: resolved.body?.value });
        subjects.set(record.operationId, list);
      },
    };
    await mapLimit(task.cases, 6, (testCase) => runCase(testCase, env));
    observations.push(...collector.rows().map((r) => r.observation));
  }
  await mock.close();
  return { cases: plan.cases.length, observations, subjects };
}

const annotation = JSON.parse(readFileSync(new URL("./oracles-real.json", import.meta.url), "utf8")) as Annotation;
const llmTotal = { proposed: 0, matched: 0, heldOnTarget: 0, brokenOnTarget: 0 };
const total = { inferredAllOperations: 0, brokenNextRun: 0, annotated: 0, expressible: 0, exhibited: 0, proposed: 0, matched: 0, matchedExhibited: 0 };
const started = performance.now();

for (const entry of annotation.specs) {
  const t0 = performance.now();
  const parsed = parseSpec(readFileSync(corpusPath(entry.spec), "utf8"), { maxYamlBytes: Infinity });
  if (!parsed.model) throw new Error(`${entry.spec} did not parse`);
  const model = parsed.model;
  const first = await exercise(model, SEED);
  const { observations, subjects } = first;

  const annotatedOps = new Set(entry.oracles.map((o) => o.op));
  const proposed = inferInvariants(model, observations).filter((i) => annotatedOps.has(i.operationId));
  const truth = entry.oracles.map((o) => {
    let passed = 0;
    let failed = 0;
    if (o.assert) for (const s of subjects.get(o.op) ?? []) {
      const verdict = evaluate(o.assert, s).status;
      if (verdict === "passed") passed += 1;
      if (verdict === "failed") failed += 1;
    }
    const exhibited = passed > 0 && failed === 0;
    return { ...o, key: o.assert ? `${o.op} ${canonical(o.assert)}` : undefined, exhibited, passed, failed };
  });
  const keys = new Set(truth.flatMap((t) => (t.key ? [t.key] : [])));
  const matched = proposed.filter((p) => keys.has(`${p.operationId} ${canonical(p.assertion)}`));
  const matchedKeys = new Set(matched.map((p) => `${p.operationId} ${canonical(p.assertion)}`));
  // false alarms: every invariant inferred on ANY operation of the spec, judged on a second run (another seed, fresh mock)
  const all = inferInvariants(model, observations);
  const next = await exercise(model, SEED + 1);
  const broken = all.filter((inv) => (next.subjects.get(inv.operationId) ?? []).some((s) => evaluate(inv.assertion, s).status === "failed"));
  const row = {
    spec: entry.spec,
    operations: annotatedOps.size,
    cases: first.cases,
    observations: observations.filter((o) => annotatedOps.has(o.operationId)).length,
    annotated: truth.length,
    expressible: truth.filter((t) => t.assert).length,
    exhibited: truth.filter((t) => t.exhibited).length,
    proposed: proposed.length,
    matched: matched.length,
    matchedExhibited: truth.filter((t) => t.exhibited && t.key && matchedKeys.has(t.key)).length,
    inferredAllOperations: all.length,
    brokenNextRun: broken.length,
    ms: Math.round(performance.now() - t0),
  };
  for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += row[k];
  if (client) {
    const oracles = await proposeOracles(client, model, model.operations.filter((op) => annotatedOps.has(op.operationId)));
    const judged = oracles.map((o) => {
      const verdicts = (subjects.get(o.operationId) ?? []).map((s) => evaluate(o.assertion, s).status);
      return { ...o, matched: keys.has(`${o.operationId} ${canonical(o.assertion)}`), held: verdicts.includes("passed") && !verdicts.includes("failed"), broken: verdicts.includes("failed") };
    });
    const llm = { proposed: judged.length, matched: judged.filter((j) => j.matched).length, heldOnTarget: judged.filter((j) => j.held).length, brokenOnTarget: judged.filter((j) => j.broken).length };
    for (const k of Object.keys(llmTotal) as (keyof typeof llmTotal)[]) llmTotal[k] += llm[k];
    console.log(JSON.stringify({ spec: entry.spec, llm }));
    if (VERBOSE) for (const j of judged) console.log(`  LLM ${j.matched ? "MATCH" : "other"} ${j.operationId}: "${j.sentence}" ${JSON.stringify(j.assertion)}`);
  }
  console.log(JSON.stringify(row));
  for (const inv of broken) console.log(`  BROKEN IN THE NEXT RUN ${inv.operationId}: ${inv.sentence}`);
  for (const p of proposed) if (!matchedKeys.has(`${p.operationId} ${canonical(p.assertion)}`)) console.log(`  NOT IN ANNOTATION ${p.operationId}: ${p.sentence} (${p.observations} observations)`);
  if (VERBOSE) {
    for (const t of truth) {
      const state = !t.assert ? "not expressible" : t.exhibited ? "exhibited" : t.failed > 0 ? `broken by the target (${t.failed}/${t.passed + t.failed})` : "never judged";
      console.log(`  ${t.key && matchedKeys.has(t.key) ? "FOUND " : "missed"} ${t.op}: ${t.text} — ${state}`);
    }
  }
}

const pct = (a: number, b: number) => (b === 0 ? 0 : Math.round((1000 * a) / b) / 10);
const precision = total.matched / Math.max(1, total.proposed);
const recall = total.matched / Math.max(1, total.annotated);
console.log(
  JSON.stringify({
    bench: "oracles-real",
    seed: SEED,
    perOperation: PER_OPERATION,
    ...total,
    precisionPct: pct(total.matched, total.proposed),
    recallPct: pct(total.matched, total.annotated),
    f1Pct: pct(2 * precision * recall, precision + recall),
    recallOnExhibitedPct: pct(total.matchedExhibited, total.exhibited),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
if (client) {
  const p = llmTotal.matched / Math.max(1, llmTotal.proposed);
  const r = llmTotal.matched / Math.max(1, total.annotated);
  console.log(JSON.stringify({ bench: "oracles-real-llm", model: LLM, ...llmTotal, annotated: total.annotated, precisionPct: pct(llmTotal.matched, llmTotal.proposed), recallPct: pct(llmTotal.matched, total.annotated), f1Pct: pct(2 * p * r, p + r), usage: client.summary() }));
}
