import { describe, expect, it } from "vitest";
import { sql_injection } from "./injection";
import { ctx, record } from "./test-support";

const get = (id: string, body: unknown, status = 200, durationMs = 10) => record({ id, method: "GET", path: "/pets", query: `q=${id}`, status, body, durationMs });
const items = (...ids: number[]) => ({ items: ids.map((id) => ({ id, name: `pet ${id}` })) });
const pairParams = { payload: "zq' OR '1'='1' -- ", location: "query.q", family: "sql", baselineStep: "baseline", falseStep: "false", controlStep: "control", repeatStep: "repeat" };

/** sql_injection on the tautology step, with the benign value, falsehood, control and repeat answering as given. */
function pair(benign: unknown, falsy: unknown, truthy: unknown, control: unknown, repeat: unknown = truthy, statuses: Partial<Record<"benign" | "falsy" | "truthy" | "control", number>> = {}) {
  const others = [get("baseline", benign, statuses.benign), get("false", falsy, statuses.falsy), get("control", control, statuses.control), get("repeat", repeat, statuses.truthy)];
  return sql_injection(ctx(get("payload", truthy, statuses.truthy), { others, params: pairParams }));
}

describe("sql_injection boolean pairs", () => {
  it("more records for the tautology than the benign value, falsehood and control, twice", () => {
    expect(pair(items(), items(), items(1, 2, 3), items())).toMatchObject({ status: "failed", signature: "behaviour:boolean-pair" });
    // the repeat must agree: a listing that grew once is no evidence
    expect(pair(items(), items(), items(1, 2, 3), items(), items()).status).toBe("passed");
  });
  it("a page cap ties the counts: records no other value returned are the evidence", () => {
    expect(pair(items(1, 2), items(), items(7, 8), items())).toMatchObject({ status: "failed", signature: "behaviour:boolean-pair" });
    // not when the order is unstable (the repeat returns other records) …
    expect(pair(items(1, 2), items(), items(7, 8), items(), items(8, 9)).status).toBe("passed");
    // … nor when the falsehood returned records the benign value did not (a free-text search)
    expect(pair(items(1, 2), items(5), items(7, 8), items()).status).toBe("passed");
    // … nor when the control returns them too (the quotes change nothing)
    expect(pair(items(1, 2), items(), items(7, 8), items(7, 8)).status).toBe("passed");
  });
  it("a larger reported total counts when every answer reports one", () => {
    const page = (total: number, ...ids: number[]) => ({ ...items(...ids), total });
    expect(pair(page(40, 1, 2), page(0), page(90, 1, 2), page(0))).toMatchObject({ status: "failed" });
    expect(pair(page(40, 1, 2), page(0), page(40, 1, 2), page(0)).status).toBe("passed");
  });
  it("a server that ignores the input, or answers alike, draws nothing", () => {
    expect(pair(items(1, 2, 3), items(1, 2, 3), items(1, 2, 3), items(1, 2, 3)).status).toBe("passed");
    expect(pair(items(), items(), items(), items()).status).toBe("passed");
  });
  it("a refused tautology is no evidence; a refused benign value next to records is", () => {
    expect(pair(items(), items(), { title: "bad" }, items(), undefined, { truthy: 400 }).status).toBe("passed");
    expect(pair({ title: "bad" }, { title: "bad" }, items(1), { title: "bad" }, items(1), { benign: 400, falsy: 400, control: 400 }).status).toBe("failed");
  });
  it("a 204 without a body is an empty listing (an empty search answered 204)", () => {
    const empty = { benign: 204, falsy: 204, control: 204 };
    expect(pair("", "", items(1, 2, 3), "", items(1, 2, 3), empty)).toMatchObject({ status: "failed", signature: "behaviour:boolean-pair" });
    // the tautology empty too, or its repeat: nothing
    expect(pair("", "", "", "", "", { ...empty, truthy: 204 }).status).toBe("passed");
    expect(pair("", "", items(1, 2, 3), "", "", empty).status).toBe("passed");
    // the control (no quote to break out) lists the same records: a free-text search, not SQL
    expect(pair("", "", items(1, 2, 3), items(1, 2, 3), items(1, 2, 3), { benign: 204, falsy: 204 }).status).toBe("passed");
  });
  it("a single record: the tautology reads another one than the benign value (numeric keys)", () => {
    const pet = (id: number) => ({ id, name: `pet ${id}` });
    expect(pair(pet(4), { title: "nf" }, pet(1), { title: "nf" }, pet(1), { falsy: 404, control: 404 })).toMatchObject({ status: "failed", signature: "behaviour:boolean-pair" });
    expect(pair({ title: "nf" }, { title: "nf" }, pet(1), { title: "nf" }, pet(1), { benign: 404, falsy: 404, control: 404 }).status).toBe("failed");
    // a lenient parser reads "4 OR 1=1" as 4: the same record
    expect(pair(pet(4), pet(4), pet(4), pet(4)).status).toBe("passed");
    // the control reads the same record as the tautology: not the quote's doing
    expect(pair(pet(4), { title: "nf" }, pet(1), pet(1), pet(1), { falsy: 404 }).status).toBe("passed");
    // a record without an id-like field cannot be told apart
    expect(pair({ color: "red" }, { title: "nf" }, { color: "blue" }, { title: "nf" }, { color: "blue" }, { falsy: 404, control: 404 }).status).toBe("passed");
  });
});

describe("sql_injection time pairs", () => {
  const timeParams = { payload: "zq' AND 1=(SELECT 1 FROM pg_sleep(2)) -- ", location: "query.q", engine: "postgresql", delayMs: 2000, baselineStep: "baseline", controlStep: "zero", repeatStep: "again", repeatControlStep: "zero-again" };
  const run = (ms: { baseline: number; payload: number; zero: number; again: number; zeroAgain: number }) =>
    sql_injection(
      ctx(get("payload", items(), 200, ms.payload), {
        others: [get("baseline", items(), 200, ms.baseline), get("zero", items(), 200, ms.zero), get("again", items(), 200, ms.again), get("zero-again", items(), 200, ms.zeroAgain)],
        params: timeParams,
      }),
    );
  it("slow twice, its zero-second twin and the baseline quick: time-based", () => {
    expect(run({ baseline: 20, payload: 2050, zero: 30, again: 2010, zeroAgain: 25 })).toMatchObject({ status: "failed", signature: "time-based" });
  });
  it("noise is ruled out by the repeat and the controls; a slow baseline keeps its guard", () => {
    expect(run({ baseline: 20, payload: 2050, zero: 30, again: 40, zeroAgain: 25 }).status).toBe("passed");
    expect(run({ baseline: 20, payload: 2050, zero: 1900, again: 2010, zeroAgain: 25 }).status).toBe("passed");
    expect(run({ baseline: 20, payload: 2050, zero: 30, again: 2010, zeroAgain: 1500 }).status).toBe("passed");
    expect(run({ baseline: 1200, payload: 2050, zero: 30, again: 2010, zeroAgain: 25 }).status).toBe("passed");
  });
});

describe("sql_injection differential details", () => {
  it("a step of the pair without a response: no comparison, no evidence", () => {
    const others = [get("baseline", items()), get("false", items())];
    expect(sql_injection(ctx(get("payload", items(1, 2)), { others, params: pairParams })).status).toBe("passed");
  });
  it("the message counts what each value returned, and quotes the payload and where it went", () => {
    const result = pair(items(1), items(), items(1, 2, 3), items(1));
    expect(result.message).toBe('the tautology "zq\' OR \'1\'=\'1\' -- " in query.q returned 3 records where the benign value returned 1, its falsehood 0 and the unquoted control 1: the input is interpreted as SQL');
    const fresh = pair(items(1, 2), items(), items(7, 8), items());
    expect(fresh.message).toContain("2 record(s) no other value returned (id=7, id=8), 2 in all where the benign value returned 2");
    const pet = (id: number) => ({ id, name: `pet ${id}` });
    expect(pair(pet(4), { title: "nf" }, pet(1), { title: "nf" }, pet(1), { falsy: 404, control: 404 }).message).toContain("record id=1 where the benign value got record id=4, its falsehood 404 and the unquoted control 404");
  });
  it("a benign answer that is no listing, fewer records than the benign value, or a repeat of another single record: no evidence", () => {
    expect(pair({ message: "ok" }, items(), items(1, 2), items()).status).toBe("passed");
    expect(pair(items(1, 2, 3), items(), items(7, 8), items()).status).toBe("passed");
    const pet = (id: number) => ({ id, name: `pet ${id}` });
    expect(pair(pet(4), { title: "nf" }, pet(1), { title: "nf" }, pet(2), { falsy: 404, control: 404 }).status).toBe("passed");
    expect(pair(pet(4), { color: "x" }, pet(1), { title: "nf" }, pet(1), { control: 404 }).status).toBe("passed");
    expect(pair(pet(4), pet(5), pet(1), { title: "nf" }, pet(1), { control: 404 }).status).toBe("passed");
  });
  it("reported totals: the tautology's must exceed every other, the repeat's too; a total smaller than the page is no total", () => {
    const page = (total: number, ...ids: number[]) => ({ ...items(...ids), total });
    expect(pair(page(40, 1, 2), page(0), page(41, 1, 2), page(0)).status).toBe("failed");
    expect(pair(page(40, 1, 2), page(0), page(90, 1, 2), page(0), page(40, 1, 2)).status).toBe("passed");
    expect(pair(page(40, 1, 2), page(0), page(90, 1, 2), items()).status).toBe("passed");
    expect(pair(page(40, 1, 2), page(0), { ...items(1, 2), total: 1 }, page(0)).status).toBe("passed");
    expect(pair(page(40, 1, 2), page(0), { ...items(1, 2), count: 90 }, page(0)).status).toBe("failed");
    expect(pair(page(40, 1, 2), page(0), { ...items(1, 2), total: 90.5 }, page(0)).status).toBe("passed");
  });
});

describe("time-based evidence details", () => {
  it("the message gives each duration, and the payload must take 90% of the delay on both tries", () => {
    const params = { payload: "x", location: "query.q", engine: "mysql", delayMs: 2000, baselineStep: "baseline", controlStep: "zero", repeatStep: "again" };
    const judge = (payload: number, again: number) => sql_injection(ctx(get("payload", items(), 200, payload), { others: [get("baseline", items(), 200, 20), get("zero", items(), 200, 30), get("again", items(), 200, again)], params }));
    expect(judge(2050.4, 2010).message).toContain("took 2050 ms (again 2010 ms) vs 20 ms baseline, the same text sleeping 0 s took 30 ms (payload delay 2000 ms)");
    expect(judge(1800, 1800).status).toBe("failed");
    expect(judge(1799, 1800).status).toBe("passed");
    expect(judge(1800, 1799).status).toBe("passed");
    const alone = sql_injection(ctx(get("payload", items(), 200, 2100), { others: [get("baseline", items(), 200, 20)], params: { delayMs: 2000, baselineStep: "baseline" } }));
    expect(alone.message).toBe("time-based SQL injection: took 2100 ms vs 20 ms baseline (payload delay 2000 ms)");
    // a repeat that was planned but has no response is no second slow answer
    const noRepeat = sql_injection(ctx(get("payload", items(), 200, 2100), { others: [get("baseline", items(), 200, 20)], params: { delayMs: 2000, baselineStep: "baseline", repeatStep: "again" } }));
    expect(noRepeat.status).toBe("passed");
    // a zero-second control that got no answer rules no noise out: not judged, and no crash
    const noControl = sql_injection(ctx(get("payload", items(), 200, 2100), { others: [get("baseline", items(), 200, 20), get("again", items(), 200, 2050)], params }));
    expect(noControl.status).toBe("passed");
  });
});

describe("sql_injection differential: what the mutation run showed unpinned", () => {
  const pet = (id: number) => ({ id, name: `pet ${id}` });
  const page = (total: number, ...ids: number[]) => ({ ...items(...ids), total });
  it("both tries must exceed every other count or total; the repeat must list the same records in the same order", () => {
    expect(pair(items(1, 2), items(), items(1, 2), items(), items(1, 2, 3)).status).toBe("passed");
    expect(pair(page(40, 1, 2), page(0), page(40, 1, 2), page(0), page(90, 1, 2)).status).toBe("passed");
    expect(pair(items(1, 2), items(), items(7, 8), items(), items(7, 8, 9)).status).toBe("passed");
    expect(pair(items(1, 2), items(), items(7, 8), items(), items(7, 9)).status).toBe("passed");
    expect(pair(items(1, 2), items(), items(7, 8), items(), pet(7)).status).toBe("passed");
  });
  it("a falsehood that returned part of the benign records still lets fresh records count; the message names three of them", () => {
    expect(pair(items(1, 2), items(1), items(7, 8), items()).status).toBe("failed");
    expect(pair(items(1, 2, 3, 4), items(), items(7, 8, 9, 10), items()).message).toContain("4 record(s) no other value returned (id=7, id=8, id=9), 4 in all");
  });
  it("an empty 200 or a blank body lists nothing, like a 204", () => {
    const blank = { benign: 200, falsy: 200, control: 200 };
    expect(pair("", "", items(1, 2, 3), "", items(1, 2, 3), blank).message).toContain("returned 3 records where the benign value returned 0, its falsehood 0 and the unquoted control 0");
    expect(pair(" \n", " \n", items(1, 2, 3), " \n", items(1, 2, 3), blank).status).toBe("failed");
  });
  it("single records: a benign answer without an id is no comparison; a falsehood reading the benign record is; a refusal's id is no record", () => {
    expect(pair({ color: "x" }, { title: "nf" }, pet(1), { title: "nf" }, pet(1), { falsy: 404, control: 404 }).status).toBe("passed");
    expect(pair(pet(4), pet(4), pet(1), { title: "nf" }, pet(1), { control: 404 }).status).toBe("failed");
    expect(pair(pet(4), { title: "nf" }, pet(1), { id: 1, message: "not found" }, pet(1), { falsy: 404, control: 404 }).status).toBe("failed");
  });
  it("the message quotes the payload on one line, cut at 80 characters; time pairs list both controls", () => {
    const quote = (payload: string) => sql_injection(ctx(get("payload", items(1, 2, 3)), { others: [get("baseline", items()), get("false", items()), get("control", items()), get("repeat", items(1, 2, 3))], params: { ...pairParams, payload } })).message;
    expect(quote("zq'\n  OR '1'='1")).toContain(`the tautology "zq' OR '1'='1" in query.q`);
    expect(quote(`zq' OR ${"a".repeat(74)}`)).toContain(`the tautology "zq' OR ${"a".repeat(72)}…" in query.q`);
    expect(quote(`zq' OR ${"a".repeat(73)}`)).toContain(`the tautology "zq' OR ${"a".repeat(73)}" in query.q`);
    const timeParams = { payload: "x", location: "query.q", delayMs: 2000, baselineStep: "baseline", controlStep: "zero", repeatStep: "again", repeatControlStep: "zero-again" };
    const timed = sql_injection(ctx(get("payload", items(), 200, 2050), { others: [get("baseline", items(), 200, 20), get("zero", items(), 200, 30), get("again", items(), 200, 2010), get("zero-again", items(), 200, 25)], params: timeParams }));
    expect(timed.message).toContain("the same text sleeping 0 s took 30 and 25 ms");
  });
});
