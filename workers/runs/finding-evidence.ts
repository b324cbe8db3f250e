/**
 * A finding that stands although some of its occurrences were taken back by a post-run pass
 * (own-writes.ts, stopped-target.ts): fewer occurrences and trigger counts, and when its example
 * came from a taken-back case, the example of a case that holds it up — a fresh re-run's when
 * there is one, else a holder's stored result as the executor recorded it.
 */
import type { ApiModel, Finding, TestCase } from "../model";
import { buildFindings } from "../executor/findings";
import { replaceFinding, type FindingRow } from "../storage/findings-repo";
import { resultsOfCases } from "../storage/results-repo";

/** A case whose occurrence of findings is taken back: the findings its stored result produced. */
export interface TakenBack {
  caseId: string;
  findings: readonly Finding[];
}

export interface CorrectionInput {
  runId: string;
  model: ApiModel;
  cases: ReadonlyMap<string, TestCase>;
}

/**
 * `fresh`: the finding as a re-run produced it again, shown (with `note`) when the example came
 * from one of the `rerun` cases. Returns the finding as stored.
 */
export async function correctEvidence(env: Env, input: CorrectionInput, row: FindingRow, gone: readonly TakenBack[], fresh?: { finding: Finding; rerun: ReadonlySet<string>; note: string }): Promise<Finding> {
  const goneIds = new Set(gone.map((v) => v.caseId));
  const data: Finding = { ...row.data, triggers: [...(row.data.triggers ?? [])] };
  for (const v of gone) {
    const key = v.findings.find((f) => f.id === row.id)?.triggers?.[0]?.key;
    const at = data.triggers!.findIndex((t) => t.key === key);
    if (at < 0) continue;
    const trigger = { ...data.triggers![at], count: data.triggers![at].count - 1 };
    if (trigger.count <= 0 || goneIds.has(trigger.caseId)) data.triggers!.splice(at, 1);
    else data.triggers![at] = trigger;
  }
  const example = (from: Finding, note?: string) => {
    Object.assign(data, { caseId: from.caseId, agent: from.agent, message: note ? `${from.message} (${note})` : from.message, request: from.request, response: from.response, curl: from.curl, steps: from.steps, kind: from.kind });
    if (from.steps === undefined) delete data.steps;
    if (from.response === undefined) delete data.response;
  };
  if (fresh && fresh.rerun.has(data.caseId)) example(fresh.finding, fresh.note);
  else if (goneIds.has(data.caseId)) {
    const holders = data.triggers!.map((t) => t.caseId).filter((id) => !goneIds.has(id));
    for (const result of await resultsOfCases(env.DB, input.runId, holders)) {
      const testCase = input.cases.get(result.caseId);
      const holder = testCase ? buildFindings(result, testCase, input.model).find((f) => f.id === row.id) : undefined;
      if (!holder) continue;
      example(holder);
      break;
    }
  }
  const occurrences = Math.max(1, row.occurrences - gone.length);
  await replaceFinding(env.DB, input.runId, row.id, data, occurrences);
  return data;
}
