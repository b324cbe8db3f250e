/**
 * Oracles from prose: the LLM turns sentences of the spec ("returns at most `limit` items",
 * "sorted newest first") into DSL assertions. A proposal is kept only if its sentence is quoted
 * from that operation's own prose (no invented rules, nothing an injected instruction can add
 * elsewhere), its assertion is valid DSL, and every parameter it names is declared.
 */
import { z } from "zod";
import type { ApiModel, Operation } from "../../model";
import { sha256Hex } from "../../shared/encoding";
import type { LlmClient } from "../client";
import { AssertionSchema, references, type Assertion } from "../oracles/dsl";
import { digestOperation, hasProse, normalise, operationProse } from "./digest";

export const ProposedOracleSchema = z.object({
  operationId: z.string().max(200),
  sentence: z.string().min(8).max(400),
  assertion: AssertionSchema,
});
export const OraclesAnswerSchema = z.object({ oracles: z.array(ProposedOracleSchema).max(40) });

export const ORACLES_INSTRUCTIONS = [
  "Find sentences in each operation's prose (summary, description, parameter and response descriptions) that state a checkable rule",
  "about successful responses: limits on counts, ordering, equalities between response fields and request parameters, value ranges, units, allowed values.",
  "For each, quote the sentence exactly as written in `sentence` and express it in `assertion` using only the DSL of the schema:",
  "operands {body:'/json/pointer'}, {count:'/pointer to array'}, {query:'param'}, {path:'param'}, {header:'name'}, {requestBody:'/pointer'}, {item:'/pointer'} (inside each), {const:value};",
  "assertions {cmp,left,right}, {sorted,by,order}, {each,assert}, {all:[…]}, {oneOf,values}. Skip sentences that are not checkable. Propose nothing that is not stated.",
].join(" ");

export type OracleStatus = "proposed" | "accepted" | "rejected";

export interface StoredOracle {
  id: string;
  operationId: string;
  source: "llm" | "inferred";
  /** llm: the quoted spec sentence; inferred: a readable statement of the invariant */
  sentence: string;
  assertion: Assertion;
  status: OracleStatus;
  /** inferred invariants: how many observations agreed */
  observations?: number;
}

export async function oracleId(operationId: string, assertion: Assertion): Promise<string> {
  return `o_${(await sha256Hex(`${operationId}\n${JSON.stringify(assertion)}`)).slice(0, 16)}`;
}

export type OracleVerdict = { ok: true; oracle: StoredOracle } | { ok: false; reason: string };

export async function validateOracle(model: ApiModel, proposal: z.infer<typeof ProposedOracleSchema>): Promise<OracleVerdict> {
  const op = model.operations.find((o) => o.operationId === proposal.operationId);
  if (!op) return { ok: false, reason: `unknown operation ${proposal.operationId}` };
  const sentence = normalise(proposal.sentence).replace(/^["'`]|["'`]$/g, "");
  if (sentence.length < 8 || !operationProse(op).includes(sentence)) return { ok: false, reason: "sentence is not quoted from the operation's prose" };
  const refs = references(proposal.assertion);
  for (const name of refs.query) if (!op.parameters.some((p) => p.in === "query" && p.name === name)) return { ok: false, reason: `undeclared query parameter ${name}` };
  for (const name of refs.path) if (!op.parameters.some((p) => p.in === "path" && p.name === name)) return { ok: false, reason: `undeclared path parameter ${name}` };
  if (refs.steps.length > 0) return { ok: false, reason: "multi-step oracles need a workflow case (not supported yet)" };
  return {
    ok: true,
    oracle: { id: await oracleId(op.operationId, proposal.assertion), operationId: op.operationId, source: "llm", sentence: proposal.sentence.trim(), assertion: proposal.assertion, status: "proposed" },
  };
}

const BATCH = 8;

export async function proposeOracles(client: LlmClient, model: ApiModel, operations: Operation[]): Promise<StoredOracle[]> {
  const out: StoredOracle[] = [];
  const withProse = operations.filter(hasProse);
  for (let i = 0; i < withProse.length; i += BATCH) {
    const batch = withProse.slice(i, i + BATCH);
    const answer = await client.structured({
      name: "proposed_oracles",
      instructions: ORACLES_INSTRUCTIONS,
      data: [{ name: "operations", value: batch.map((op) => digestOperation(model, op)) }],
      schema: OraclesAnswerSchema,
      maxOutputTokens: 1_500,
    });
    if (!answer.ok) {
      if (answer.reason === "budget_exhausted" || answer.reason === "unavailable") break;
      continue;
    }
    client.counters.oraclesProposed += answer.value.oracles.length;
    for (const proposal of answer.value.oracles) {
      const verdict = await validateOracle(model, proposal);
      if (verdict.ok && !out.some((o) => o.id === verdict.oracle.id)) {
        out.push(verdict.oracle);
        client.counters.oraclesAccepted += 1;
      }
    }
  }
  return out;
}
