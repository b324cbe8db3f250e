import { describe, expect, it } from "vitest";
import { findingsFromCase } from "../executor/findings";
import { model } from "../executor/checks/test-support";
import { ownInvalidValues, ownValueConsequences } from "./own-invalid-values";
import { accepted, listingFinding } from "./test-fixtures";

function own(...negatives: ReturnType<typeof accepted>[]) {
  return ownInvalidValues(negatives.map((n) => n.result), new Map(negatives.map((n) => [n.testCase.id, n.testCase])), model);
}

const rex = { id: 1, name: "Rex", tag: null };

describe("schema findings caused by Sentinel's own accepted invalid values", () => {
  it("a listing that returns the number Sentinel sent for a string is the acceptance's consequence, named", () => {
    const negative = accepted("neg-1", { name: 12345, tag: "zq-tag-81" }, "/name");
    const values = own(negative);
    expect(values).toHaveLength(1);
    const cause = findingsFromCase(negative.result, negative.testCase, model).find((f) => f.check === "negative_data_rejection")!;
    const finding = listingFinding([rex, { id: 2, name: 12345, tag: "zq-tag-81" }]);
    const [suppressed, ...more] = ownValueConsequences([finding], values, model);
    expect(more).toEqual([]);
    expect(suppressed).toMatchObject({ findingId: finding.id, check: "response_schema_conformance", operation: { method: "GET", path: "/pets" }, caseIds: ["list"] });
    expect(suppressed.reason).toBe(`a consequence of invalid data Sentinel sent and the server accepted: POST /pets stored 12345 at /name (finding ${cause.id}, negative_data_rejection); this response returns it`);
  });

  it("a required member Sentinel left out, in the record it created (same distinctive tag), is explained too", () => {
    const values = own(accepted("neg-2", { tag: "zq-tag-82" }, "/name"));
    expect(ownValueConsequences([listingFinding([rex, { id: 3, tag: "zq-tag-82" }])], values, model)).toHaveLength(1);
    // another record without a name is the server's own doing
    expect(ownValueConsequences([listingFinding([rex, { id: 3, tag: "someone-else" }])], values, model)).toEqual([]);
  });

  it("keeps the finding when any violation is not the value sent", () => {
    const values = own(accepted("neg-3", { name: 12345, tag: "zq-tag-83" }, "/name"));
    // the server returns another value than the one sent
    expect(ownValueConsequences([listingFinding([rex, { id: 2, name: 12346, tag: "zq-tag-83" }])], values, model)).toEqual([]);
    // one violation explained, another one the server's own (an id that is no integer)
    expect(ownValueConsequences([listingFinding([{ id: "x", name: "Rex" }, { id: 2, name: 12345, tag: "zq-tag-83" }])], values, model)).toEqual([]);
    // the same value under another member
    expect(ownValueConsequences([listingFinding([rex, { id: 12345, name: "Rex" }, { id: 4, name: 12345 }, { id: 5, tag: 12345, name: "x" }])], values, model)).toEqual([]);
  });

  it("a common value (an empty string) explains a violation only in the record the request created", () => {
    const values = own(accepted("neg-4", { name: "", tag: "zq-tag-84" }, "/name"));
    expect(ownValueConsequences([listingFinding([rex, { id: 6, name: "", tag: "zq-tag-84" }])], values, model)).toHaveLength(1);
    expect(ownValueConsequences([listingFinding([rex, { id: 6, name: "", tag: "other-tag" }])], values, model)).toEqual([]);
  });

  it("without an accepted negative, or for another check, nothing is attributed", () => {
    const finding = listingFinding([rex, { id: 2, name: 12345 }]);
    expect(ownValueConsequences([finding], [], model)).toEqual([]);
    const values = own(accepted("neg-5", { name: 12345 }, "/name"));
    expect(ownValueConsequences([{ ...finding, check: "stateful_invariant" }], values, model)).toEqual([]);
    // a refused negative (passed) or a query parameter is no stored value
    const refused = accepted("neg-6", { name: 12345 }, "/name");
    refused.result.checks[1] = { ...refused.result.checks[1], status: "passed" };
    expect(own(refused)).toEqual([]);
    const query = accepted("neg-7", { name: 12345 }, "/name");
    query.testCase.steps[0].checks[1].params = { invalid: true, location: "query", parameter: "limit" };
    expect(own(query)).toEqual([]);
  });
});
