/**
 * End-to-end detection harness (Node): spec → planRun (every agent, the wasm one compiled in
 * Node) → runCase against a live target with Node's fetch, 6 requests in flight like the
 * executor, the plan's tail one case at a time after the rest → deduplicated findings. Used by the detection*.test.ts files.
 */
import { readFileSync } from "node:fs";
import type { ApiModel, CaseResult, Finding, TestCase } from "../../workers/model";
import { AGENTS } from "../../workers/orchestrator/agents";
import type { Agent } from "../../workers/orchestrator/agents/types";
import { planRun } from "../../workers/orchestrator/plan";
import { parseSpec } from "../../workers/orchestrator/spec";
import { createWasmAgent, WASM_AGENT_DESCRIPTIONS } from "../../workers/orchestrator/wasm";
import { loadBuiltWasm } from "../../workers/orchestrator/wasm/testing/load-built";
import { dedupeFindings, findingsFromCase } from "../../workers/executor/findings";
import { runCase, type RunEnv } from "../../workers/executor/run-case";
import { lexicalEmbedder } from "../../workers/ai/embeddings/embedder";
import { confirmLinks, describeProbe } from "../../workers/ai/links/confirm";
import type { MeaningLink } from "../../workers/orchestrator/agents/resources";

export interface Identity {
  name: string;
  /** header name → value, as `--identity "name:Header: value"` gives them */
  headers: Record<string, string>;
}

export interface DetectionRun {
  cases: TestCase[];
  results: CaseResult[];
  findings: Finding[];
  warnings: string[];
  requests: number;
  durationMs: number;
}

export interface DetectionOptions {
  model: ApiModel;
  baseUrl: string;
  seed: number;
  identities: Identity[];
  extraAgents?: Agent[];
  maxCasesPerOperation?: number;
  maxResponseTimeMs?: number;
  concurrency?: number;
  /** agent names to plan with (default: every agent) */
  agentNames?: string[];
}

export function parseModel(text: string): ApiModel {
  const parsed = parseSpec(text);
  if (!parsed.model) throw new Error(`spec did not parse: ${JSON.stringify(parsed.problems).slice(0, 500)}`);
  return parsed.model;
}

/** The wasm robustness fuzzer, compiled in Node (Workers import it precompiled). */
export async function wasmAgents(): Promise<Agent[]> {
  const name = "robustness-fuzzer";
  return [createWasmAgent(name, await loadBuiltWasm(name), WASM_AGENT_DESCRIPTIONS[name])];
}

/** Runs `items` through `worker` with at most `limit` in flight, keeping the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, worker: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await worker(items[index]);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** Links by meaning confirmed against the target before planning, as the platform's run pipeline does (runs/meaning-links.ts). */
export async function confirmedLinks(model: ApiModel, baseUrl: string, identities: readonly Identity[], seed: number): Promise<{ links: MeaningLink[]; warnings: string[] }> {
  const { links, probes } = await confirmLinks({ model, embedder: lexicalEmbedder(), fetch: (input, init) => fetch(input, init), baseUrl, identities: Object.fromEntries(identities.map((i) => [i.name, i.headers])), seed, timeoutMs: 5_000 });
  return { links, warnings: probes.map(describeProbe) };
}

export async function planAndRun(options: DetectionOptions): Promise<DetectionRun> {
  const started = performance.now();
  const extra = options.extraAgents ?? [];
  const identityTokens: Record<string, string> = {};
  for (const identity of options.identities) {
    const authorization = Object.entries(identity.headers).find(([h]) => h.toLowerCase() === "authorization");
    if (authorization) identityTokens[identity.name] = authorization[1];
  }
  const meaning = await confirmedLinks(options.model, options.baseUrl, options.identities, options.seed);
  const plan = await planRun({
    model: options.model,
    seed: options.seed,
    agents: options.agentNames ?? [...AGENTS.map((a) => a.name), ...extra.map((a) => a.name)],
    extraAgents: extra,
    config: {
      identities: options.identities.map((i) => i.name),
      maxCasesPerOperation: options.maxCasesPerOperation ?? 50,
      identityTokens,
      ...(meaning.links.length > 0 ? { links: meaning.links } : {}),
    },
  });
  const env: RunEnv = {
    fetch: (input, init) => fetch(input, init),
    baseUrl: options.baseUrl,
    identities: Object.fromEntries(options.identities.map((i) => [i.name, i.headers])),
    defaultIdentity: options.identities[0]?.name,
    model: options.model,
    config: { timeoutMs: 15_000, maxBodyBytes: 1024 * 1024, maxResponseTimeMs: options.maxResponseTimeMs },
  };
  // as the platform does: the plan's tail (bursts, destructive operations, sign-outs) runs alone, after the rest
  const cut = plan.cases.length - plan.destructiveCases;
  const results = await mapLimit(plan.cases.slice(0, cut), options.concurrency ?? 6, (testCase) => runCase(testCase, env));
  for (const testCase of plan.cases.slice(cut)) results.push(await runCase(testCase, env));
  const all = results.flatMap((result, i) => findingsFromCase(result, plan.cases[i], options.model));
  return {
    cases: plan.cases,
    results,
    findings: dedupeFindings(all),
    warnings: [...meaning.warnings, ...plan.warnings],
    requests: results.reduce((n, r) => n + r.exchanges.length, 0),
    durationMs: performance.now() - started,
  };
}

/** "check METHOD /path: message" lines, for assertion messages. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.check} ${f.operation.method.toUpperCase()} ${f.operation.path} [${f.signature}] (${f.caseId}): ${f.message}`).join("\n");
}

export interface FaultRow {
  id: string;
  operation: string;
  check: string;
}

/** The fault table of a FAULTS.md: | `id` | `METHOD /path` | `check` | bug | */
export function faultTable(file: string): FaultRow[] {
  const rows: FaultRow[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|/.exec(line);
    if (m) rows.push({ id: m[1], operation: m[2], check: m[3] });
  }
  return rows;
}

/** "METHOD /path" of a finding, as FAULTS.md writes operations. */
export const opLabel = (f: Finding): string => `${f.operation.method.toUpperCase()} ${f.operation.path}`;

export interface DetectionTarget {
  url: string;
  close(): Promise<void>;
}

/**
 * A runner for one API under test: parses its spec and loads the wasm agents once, then each call
 * starts a fresh target of the given variant, plans and runs every case against it, and stops it.
 */
export function detectionRunner(options: {
  specFile: string;
  identities: Identity[];
  start: (variant: "clean" | "buggy") => Promise<DetectionTarget>;
  maxResponseTimeMs: number;
}): (variant: "clean" | "buggy", seed: number) => Promise<DetectionRun> {
  let prepared: Promise<{ model: ApiModel; extraAgents: Agent[] }> | undefined;
  return async (variant, seed) => {
    prepared ??= wasmAgents().then((extraAgents) => ({ model: parseModel(readFileSync(options.specFile, "utf8")), extraAgents }));
    const { model, extraAgents } = await prepared;
    const api = await options.start(variant);
    try {
      return await planAndRun({ model, baseUrl: api.url, seed, identities: options.identities, extraAgents, maxResponseTimeMs: options.maxResponseTimeMs });
    } finally {
      await api.close();
    }
  };
}
