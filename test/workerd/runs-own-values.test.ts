/**
 * Consequences of the run's own accepted invalid values, on the real local D1: a listing's schema
 * finding that only returns what an accepted negative case stored is removed from the findings and
 * listed under the run's `suppressed`, naming that negative finding; the negative finding stays.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { findingsFromCase } from "../../workers/executor/findings";
import { model } from "../../workers/executor/checks/test-support";
import type { SuppressedFinding } from "../../workers/model";
import { suppressOwnValueConsequences } from "../../workers/runs/own-invalid-values";
import { accepted, listingCase } from "../../workers/runs/test-fixtures";
import { listFindings } from "../../workers/storage/findings-repo";
import { writeCaseOutcomes } from "../../workers/storage/results-repo";
import { insertRun } from "../../workers/storage/runs-repo";
import { PETSTORE_JSON, uploadSpec } from "./gateway-helpers";

const ORG = "org_default";

it("suppresses the listing's schema finding caused by an accepted invalid value, with its cause", async () => {
  const runId = `run_ownvals_${Date.now().toString(36)}`;
  const specId = ((await (await uploadSpec("ownvals", PETSTORE_JSON)).json()) as { id: string }).id;
  await insertRun(env.DB, { id: runId, orgId: ORG, specId, targetId: null, targetUrl: "http://127.0.0.1:9", seed: 1, config: { spec: { title: "Pets", version: "1", operations: 8 } } as never, createdBy: null });
  const negative = accepted("neg-1", { name: 12345, tag: "zq-tag-91" }, "/name");
  const listing = listingCase([{ id: 1, name: "Rex", tag: null }, { id: 2, name: 12345, tag: "zq-tag-91" }]);
  // a second listing whose violation is the server's own stays a finding
  const own = listingCase([{ id: "x", name: "Rex" }]);
  own.result.caseId = own.testCase.id = "list-2";
  own.result.exchanges[0].request.url += "?limit=1";
  own.result.checks[0].signature = "type:/*/id";
  const cases = [negative, listing, own];
  await writeCaseOutcomes(env.DB, cases.map(({ result, testCase }) => ({ orgId: ORG, runId, result, findings: findingsFromCase(result, testCase, model), bodiesKey: null })));
  const before = await listFindings(env.DB, ORG, runId);
  expect(before.map((f) => f.check).sort()).toEqual(["negative_data_rejection", "response_schema_conformance", "response_schema_conformance"]);

  const suppressed = await suppressOwnValueConsequences(env, { runId, orgId: ORG, model, cases: () => cases.map((c) => c.testCase) });
  const cause = before.find((f) => f.check === "negative_data_rejection")!;
  expect(suppressed.map((s) => s.caseIds)).toEqual([["list"]]);
  expect(suppressed[0].reason).toContain(`POST /pets stored 12345 at /name (finding ${cause.id}, negative_data_rejection)`);

  const after = await listFindings(env.DB, ORG, runId);
  expect(after.map((f) => `${f.check} ${f.data.caseId}`).sort()).toEqual(["negative_data_rejection neg-1", "response_schema_conformance list-2"]);
  const row = await env.DB.prepare(`SELECT json_extract(config, '$.suppressed') AS s FROM runs WHERE id = ?`).bind(runId).first<{ s: string }>();
  expect((JSON.parse(row!.s) as SuppressedFinding[]).map((s) => s.findingId)).toEqual([suppressed[0].findingId]);
  // a second pass has nothing left to do
  expect(await suppressOwnValueConsequences(env, { runId, orgId: ORG, model, cases: () => cases.map((c) => c.testCase) })).toEqual([]);
});

it("a schema finding no sent value could explain stands without reading the run's cases", async () => {
  const runId = `run_ownvals_none_${Date.now().toString(36)}`;
  const specId = ((await (await uploadSpec("ownvals-none", PETSTORE_JSON)).json()) as { id: string }).id;
  await insertRun(env.DB, { id: runId, orgId: ORG, specId, targetId: null, targetUrl: "http://127.0.0.1:9", seed: 1, config: { spec: { title: "Pets", version: "1", operations: 8 } } as never, createdBy: null });
  const negative = accepted("neg-1", { name: 12345, tag: "zq-tag-91" }, "/name");
  // the record lacks its required name and holds nothing distinctive: no request can be named as its maker
  const listing = listingCase([{ id: 1, tag: null }]);
  listing.result.checks[0].signature = "required:/0";
  const cases = [negative, listing];
  await writeCaseOutcomes(env.DB, cases.map(({ result, testCase }) => ({ orgId: ORG, runId, result, findings: findingsFromCase(result, testCase, model), bodiesKey: null })));
  const before = await listFindings(env.DB, ORG, runId);
  expect(before.map((f) => f.check).sort()).toEqual(["negative_data_rejection", "response_schema_conformance"]);
  const unread = () => {
    throw new Error("the run's cases were read");
  };
  expect(await suppressOwnValueConsequences(env, { runId, orgId: ORG, model, cases: unread, findings: before })).toEqual([]);
  expect((await listFindings(env.DB, ORG, runId)).length).toBe(2);
});
