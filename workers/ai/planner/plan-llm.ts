/**
 * The AI layer's part of planning, after the deterministic agents: LLM cases, LLM oracles not
 * stored yet, and every stored (not rejected) oracle and invariant
 * attached as checks. The deterministic cases are never removed or changed except by gaining
 * oracle checks; without a client (no LLM, --no-llm) only stored oracles are attached.
 */
import type { ApiModel, TestCase } from "../../model";
import type { LlmClient } from "../client";
import { attachOracles } from "./attach";
import { proposeCases } from "./propose-cases";
import { proposeOracles, type StoredOracle } from "./propose-oracles";

export interface LlmPlanInput {
  model: ApiModel;
  cases: TestCase[];
  client: LlmClient | null;
  /** oracles and invariants stored for this spec (any status) */
  stored: StoredOracle[];
  /** at most this many LLM cases (within the run's case limit) */
  maxLlmCases: number;
  /** at most this many operations are shown to the LLM (cost bound on huge specs) */
  maxOperations?: number;
}

export interface LlmPlanResult {
  cases: TestCase[];
  /** oracles proposed in this run, to be stored as "proposed" */
  newOracles: StoredOracle[];
  llmCases: number;
  oracleChecks: number;
}

export async function planWithLlm(input: LlmPlanInput): Promise<LlmPlanResult> {
  const operations = input.model.operations.slice(0, input.maxOperations ?? 200);
  let llmCases: TestCase[] = [];
  let newOracles: StoredOracle[] = [];
  if (input.client && input.maxLlmCases > 0) {
    llmCases = await proposeCases(input.client, input.model, operations, input.maxLlmCases);
    // the same batches every run: a rerun is answered by the cache (free and reproducible), and an
    // oracle proposed again keeps the verdict stored for its id
    const fresh = await proposeOracles(input.client, input.model, operations);
    const storedIds = new Set(input.stored.map((o) => o.id));
    newOracles = fresh.filter((o) => !storedIds.has(o.id));
  }
  const all = [...input.cases, ...llmCases];
  const { cases, attached } = attachOracles(input.model, all, [...input.stored, ...newOracles]);
  return { cases, newOracles, llmCases: llmCases.length, oracleChecks: attached };
}
