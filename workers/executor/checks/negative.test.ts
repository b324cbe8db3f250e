import { describe, expect, it } from "vitest";
import { missing_required_header, negative_data_rejection, positive_data_acceptance, unsupported_method } from "./negative";
import { ctx, record } from "./test-support";

const create = { method: "POST", path: "/pets" };

describe("negative_data_rejection", () => {
  it("fails when invalid data gets 2xx, signature names the invalid part", () => {
    const result = negative_data_rejection(ctx({ ...create, status: 201 }, { kind: "negative", params: { location: "body", parameter: "name", description: "wrong type" } }));
    expect(result).toMatchObject({ status: "failed", signature: "accepted:body:name" });
    expect(result.message).toContain("wrong type");
  });
  it("passes on any 4xx, leaves 5xx and 429 alone", () => {
    for (const status of [400, 404, 409, 415, 422]) expect(negative_data_rejection(ctx({ ...create, status }, { kind: "negative" })).status).toBe("passed");
    expect(negative_data_rejection(ctx({ ...create, status: 500 }, { kind: "negative" })).status).toBe("skipped");
    expect(negative_data_rejection(ctx({ ...create, status: 429 }, { kind: "negative" })).status).toBe("skipped");
  });
  it("honours expectedStatuses and skips positive cases", () => {
    expect(negative_data_rejection(ctx({ ...create, status: 404 }, { kind: "negative", params: { expectedStatuses: [400, 422] } })).status).toBe("failed");
    expect(negative_data_rejection(ctx({ ...create, status: 201 }, { kind: "positive" })).status).toBe("skipped");
  });
});

describe("negative_data_rejection: values a server may tolerate", () => {
  const negative = (spec: Parameters<typeof ctx>[0], params: Record<string, unknown>, others: ReturnType<typeof record>[] = []) => negative_data_rejection(ctx(spec, { kind: "negative", params, others }));
  it("step flags override the case kind; redirects and ranges of expectedStatuses", () => {
    expect(negative({ ...create, status: 201 }, { invalid: false }).status).toBe("skipped");
    expect(negative_data_rejection(ctx({ ...create, status: 201 }, { kind: "positive", params: { invalid: true } })).status).toBe("failed");
    expect(negative({ ...create, status: 302 }, {}).status).toBe("skipped");
    expect(negative({ ...create, status: 404 }, { expectedStatuses: ["4xx"] }).status).toBe("passed");
    expect(negative({ ...create, status: 201 }, { expectedStatuses: ["4XX"] }).status).toBe("failed");
    expect(negative({ ...create, status: 201 }, { location: "query" }).message).toContain("(query)");
    expect(negative({ ...create, status: 201 }, { parameter: "limit" }).message).toContain("(parameter limit)");
  });
  it("echoProperty: an undeclared property that comes back (top level or one level down) was stored", () => {
    expect(negative({ ...create, status: 201, body: { id: 1, extra: "x" } }, { echoProperty: "extra" })).toMatchObject({ status: "failed", signature: "stored:extra" });
    expect(negative({ ...create, status: 201, body: { data: { extra: null } } }, { echoProperty: "extra" }).status).toBe("failed");
    expect(negative({ ...create, status: 201, body: { id: 1, data: { name: "x" } } }, { echoProperty: "extra" }).status).toBe("passed");
  });
  it("echoValue: a value violating its format that comes back as sent was stored", () => {
    const echoValue = { pointer: "/email", value: "not-an-email" };
    expect(negative({ ...create, status: 201, body: { email: "not-an-email" } }, { echoValue })).toMatchObject({ status: "failed", signature: "stored:/email" });
    expect(negative({ ...create, status: 201, body: { data: { email: "not-an-email" } } }, { echoValue }).status).toBe("failed");
    expect(negative({ ...create, status: 201, body: { email: "normalised@example.com" } }, { echoValue }).status).toBe("passed");
    expect(negative({ ...create, status: 201, body: { email: "not-an-email" } }, { echoValue: { pointer: 1, value: "not-an-email" } }).status).toBe("failed");
  });
  it("coercedValue: a wrong type returned converted into the documented type was read as valid, one returned as sent or not at all was accepted", () => {
    const coercedValue = { pointer: "/name", value: "12345" };
    expect(negative({ ...create, status: 200, body: { id: 7, name: "12345" } }, { coercedValue }).status).toBe("passed");
    expect(negative({ ...create, status: 201, body: { data: { id: 7, name: "12345" } } }, { coercedValue }).status).toBe("passed");
    expect(negative({ ...create, status: 201, body: { id: 7, name: 12345 } }, { coercedValue })).toMatchObject({ status: "failed" });
    // the same number as a decimal column writes it is the documented type too; another number is not
    expect(negative({ ...create, status: 200, body: { id: 7, name: "12345.00" } }, { coercedValue }).status).toBe("passed");
    expect(negative({ ...create, status: 200, body: { id: 7, name: "12345.50" } }, { coercedValue })).toMatchObject({ status: "failed" });
    expect(negative({ ...create, status: 201, body: { id: 7 } }, { coercedValue }).status).toBe("failed");
    expect(negative({ ...create, status: 200, body: "12345" }, { coercedValue: { pointer: "", value: "12345" } }).status).toBe("failed");
  });
  describe("coercedValue on an answer with no body: judged only by a read-back", () => {
    const coercedValue = { pointer: "/name", value: "12345" };
    const put = { id: "request", method: "PUT", path: "/pets/{petId}", urlPath: "/pets/7", requestBody: { name: 12345 } };
    const readBack = (body: unknown, status = 200) => record({ id: "read-back", path: "/pets/{petId}", urlPath: "/pets/7", status, body });
    const judge = (spec: Parameters<typeof ctx>[0], readBody?: unknown, status?: number) =>
      negative_data_rejection(ctx(spec, { kind: "negative", params: { coercedValue, location: "body", parameter: "/name", ...(readBody === undefined ? {} : { readBackStep: "read-back" }) }, others: readBody === undefined ? [] : [readBack(readBody, status)] }));
    it("no body and no read-back: no verdict (204, or an empty 200/202)", () => {
      for (const status of [204, 200, 202]) expect(judge({ ...put, status }).status).toBe("skipped");
    });
    it("no body, read back converted: passes; read back as sent: fails with the read as evidence", () => {
      expect(judge({ ...put, status: 204 }, { id: 7, name: "12345" }).status).toBe("passed");
      expect(judge({ ...put, status: 204 }, { version: 1, pet: { id: 7, name: "12345" } }).status).toBe("passed");
      const stored = judge({ ...put, status: 204 }, { id: 7, name: 12345 });
      expect(stored).toMatchObject({ status: "failed", signature: "accepted:body:/name" });
      expect(stored.message).toContain("GET /pets/7 returns 12345 at /name");
    });
    it("no body, a read-back that shows neither (refused, or the member absent): no verdict", () => {
      expect(judge({ ...put, status: 204 }, { id: 7 }).status).toBe("skipped");
      expect(judge({ ...put, status: 204 }, { id: 7, name: 12345 }, 404).status).toBe("skipped");
    });
    it("a secret the answer shows only masked: no verdict, unless a read-back shows it stored as sent", () => {
      const post = { id: "request", method: "POST", path: "/users", urlPath: "/users", requestBody: { password: 12345 } };
      const password = (body: unknown) => negative({ ...post, status: 200, body }, { coercedValue: { pointer: "/password", value: "12345" } });
      expect(password({ data: { id: "u1", password: "**********" } }).status).toBe("skipped");
      expect(password({ data: { id: "u1", password: "••••" } }).status).toBe("skipped");
      // shown as sent, or a short or partial mask: still the finding
      expect(password({ data: { id: "u1", password: 12345 } }).status).toBe("failed");
      expect(password({ data: { id: "u1", password: "1***5" } }).status).toBe("failed");
      expect(judge({ ...put, status: 200, body: { id: 7, name: "********" } }, { id: 7, name: 12345 }).status).toBe("failed");
    });
    it("a body that does not return the member: a read-back may clear it, else it stays a finding", () => {
      expect(judge({ ...put, status: 200, body: { ok: true } }, { id: 7, name: "12345" }).status).toBe("passed");
      expect(judge({ ...put, status: 200, body: { ok: true } }, { id: 7 }).status).toBe("failed");
      expect(judge({ ...put, status: 200, body: { ok: true } }).status).toBe("failed");
    });
  });
  describe("ignoredStep/clampedStep: used, ignored or clamped, told apart by the listed records", () => {
    const list = (id: string, ids: number[], status = 200) => record({ id, path: "/pets", status, body: ids.map((n) => ({ id: n })) });
    const probe = (ids: number[], others: ReturnType<typeof record>[], extra: Record<string, unknown> = {}) =>
      negative({ id: "probe", path: "/pets", query: "limit=-1", status: 200, body: ids.map((n) => ({ id: n })) }, { ignoredStep: "without", clampedStep: "clamped", location: "query", parameter: "limit", ...extra }, others);
    const without = list("without", [1, 2, 3]);
    const clamped = list("clamped", [1]);
    it("fails when the answer differs from both the request without the value and with the nearest valid one", () => {
      const used = probe([1, 2], [without, clamped]);
      expect(used).toMatchObject({ status: "failed", signature: "accepted:query:limit" });
      expect(used.message).toContain("2 records");
    });
    it("passes when the value was ignored or clamped", () => {
      expect(probe([1, 2, 3], [without, clamped]).status).toBe("passed");
      expect(probe([1], [without, clamped]).status).toBe("passed");
    });
    it("skips without listings to compare, or when the comparison cannot tell", () => {
      expect(probe([1, 2], [without]).status).toBe("skipped");
      expect(probe([1, 2], [list("without", [1, 2, 3], 500), clamped]).status).toBe("skipped");
      // omitting the value and its nearest valid one answer alike; as many records as the nearest valid value
      expect(probe([1, 2], [without, list("clamped", [1, 2, 3])]).status).toBe("skipped");
      expect(probe([4, 5, 6], [without, list("clamped", [7, 8, 9])]).status).toBe("skipped");
    });
    it("a collection that changed while probing: only plain growth allows a verdict", () => {
      const grown = list("again", [1, 2, 3, 4]);
      expect(probe([1, 2, 3, 4], [without, clamped, grown], { ignoredAgainStep: "again" }).status).toBe("passed");
      expect(probe([1, 2], [without, clamped, grown], { ignoredAgainStep: "again" }).status).toBe("failed");
      expect(probe([4], [without, clamped, grown], { ignoredAgainStep: "again" }).status).toBe("skipped");
      expect(probe([1, 2], [without, clamped, list("again", [1, 2])], { ignoredAgainStep: "again" }).status).toBe("skipped");
      expect(probe([1, 2], [without, clamped, list("again", [1, 2, 5])], { ignoredAgainStep: "again" }).status).toBe("skipped");
    });
    it("a full page that changed while probing: fewer records than the records listed throughout allow is a verdict", () => {
      // a default page of 5; a record created meanwhile sorts into it, pushing one out
      const page = list("without", [1, 2, 3, 4, 5]);
      const again = list("again", [6, 1, 2, 3, 4]);
      const used = probe([], [page, clamped, again], { ignoredAgainStep: "again" });
      expect(used).toMatchObject({ status: "failed", signature: "accepted:query:limit" });
      expect(used.message).toContain("0 records");
      // answering like the nearest valid value: clamped; like the later listing alone: no verdict
      expect(probe([1], [page, clamped, again], { ignoredAgainStep: "again" }).status).toBe("passed");
      expect(probe([], [page, list("clamped", []), again], { ignoredAgainStep: "again" }).status).toBe("passed");
      expect(probe([6, 1, 2, 3, 4], [page, clamped, again], { ignoredAgainStep: "again" }).status).toBe("skipped");
      // as many records as the nearest valid value, or every record replaced meanwhile: no verdict
      expect(probe([7], [page, clamped, again], { ignoredAgainStep: "again" }).status).toBe("skipped");
      expect(probe([], [page, clamped, list("again", [6, 7, 8, 9, 10])], { ignoredAgainStep: "again" }).status).toBe("skipped");
      // the probe listed fewer than both, but no fewer than the records there throughout: no verdict
      expect(probe([1, 2], [page, list("clamped", [1, 2, 3]), list("again", [1, 2, 8, 9, 10])], { ignoredAgainStep: "again" }).status).toBe("skipped");
      expect(probe([1], [page, list("clamped", [1, 2, 3]), list("again", [1, 2, 8, 9, 10])], { ignoredAgainStep: "again" }).status).toBe("failed");
    });
  });
});

describe("positive_data_acceptance", () => {
  it("fails when schema-valid data gets 400/422", () => {
    expect(positive_data_acceptance(ctx({ ...create, status: 422, body: { message: "bad" } }))).toMatchObject({ status: "failed", signature: "rejected:422" });
  });
  it("passes on 2xx and skips statuses that are not about data", () => {
    expect(positive_data_acceptance(ctx({ ...create, status: 201 })).status).toBe("passed");
    for (const status of [401, 403, 404, 409, 413, 429, 500]) expect(positive_data_acceptance(ctx({ ...create, status })).status).toBe("skipped");
  });
  it("tolerates credential endpoints rejecting unknown credentials, and steps marked invalid", () => {
    expect(positive_data_acceptance(ctx({ method: "POST", path: "/login", status: 400 })).status).toBe("skipped");
    expect(positive_data_acceptance(ctx({ ...create, status: 400 }, { params: { valid: false } })).status).toBe("skipped");
  });
  it("judges only positive cases or steps marked valid: a negative case's 400 is not a false rejection", () => {
    expect(positive_data_acceptance(ctx({ ...create, status: 400 }, { kind: "negative" })).status).toBe("skipped");
    expect(positive_data_acceptance(ctx({ ...create, status: 400 }, { kind: "negative", params: { valid: true } })).status).toBe("failed");
  });
  it("skips every status that is about state, throttling or size, passes redirects", () => {
    for (const status of [408, 410, 412, 428, 414, 431]) expect(positive_data_acceptance(ctx({ ...create, status })).status).toBe("skipped");
    expect(positive_data_acceptance(ctx({ ...create, status: 302 })).status).toBe("passed");
    expect(positive_data_acceptance(ctx({ ...create, status: 418 })).status).toBe("failed");
  });
  it("honours expectedStatuses, and a baseline that was itself refused", () => {
    expect(positive_data_acceptance(ctx({ ...create, status: 200 }, { params: { expectedStatuses: [201] } }))).toMatchObject({ status: "failed", signature: "rejected:200" });
    expect(positive_data_acceptance(ctx({ ...create, status: 201 }, { params: { expectedStatuses: [201] } })).status).toBe("passed");
    expect(positive_data_acceptance(ctx({ id: "probe", ...create, status: 400 }, { params: { baselineStep: "missing" } })).status).toBe("skipped");
  });
  it("skips a 400 that says a value is already taken", () => {
    expect(positive_data_acceptance(ctx({ ...create, status: 409 })).status).toBe("skipped");
    expect(positive_data_acceptance(ctx({ ...create, status: 422, body: { message: "name already exists" } })).status).toBe("skipped");
  });
  it("skips a refusal saying this deployment lacks the capability the value asks for (PowerDNS without a DNSSEC backend)", () => {
    const refused = (error: string) => positive_data_acceptance(ctx({ ...create, status: 422, body: { error } })).status;
    expect(refused("No backend was able to secure 'a.example.', most likely because no DNSSECcapable backends are loaded, or because the backends have DNSSEC disabled. Check your configuration.")).toBe("skipped");
    expect(refused("no GPU-capable worker is available")).toBe("skipped");
    expect(refused("signing is not enabled on this server")).toBe("skipped");
    // a refusal of the value itself stays a finding
    expect(refused("unsupported payment method")).toBe("failed");
    expect(refused("labels cannot be set on creation")).toBe("failed");
  });
});

describe("missing_required_header", () => {
  it("fails when the request without the header succeeds", () => {
    expect(missing_required_header(ctx({ ...create, status: 201 }, { params: { header: "X-Request-Id" } }))).toMatchObject({ status: "failed", signature: "header:x-request-id" });
  });
  it("passes on 4xx and skips when the header was actually sent", () => {
    expect(missing_required_header(ctx({ ...create, status: 400 }, { params: { header: "X-Request-Id" } })).status).toBe("passed");
    expect(missing_required_header(ctx({ ...create, status: 201, requestHeaders: { "x-request-id": "1" } }, { params: { header: "X-Request-Id" } })).status).toBe("skipped");
  });
});

describe("unsupported_method", () => {
  it("fails when an undocumented method is executed, or refused with 405 but no Allow", () => {
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets", status: 200 }))).toMatchObject({ status: "failed", signature: "PATCH:executed", severity: "medium" });
    // routers matching method and path together (Express, Rails) answer 404: refused all the same
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets", status: 404 })).status).toBe("skipped");
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets", status: 400 })).status).toBe("skipped");
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets", status: 405 }))).toMatchObject({ status: "failed", signature: "405-without-allow", severity: "info" });
  });
  it("passes 405 with Allow and 501", () => {
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets", status: 405, headers: { allow: "GET, POST" } })).status).toBe("passed");
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets", status: 501 })).status).toBe("passed");
  });
  it("skips what proves nothing: documented methods, 404 on parameterised paths, 401 on secured paths", () => {
    expect(unsupported_method(ctx({ method: "GET", path: "/pets", status: 200 })).status).toBe("skipped");
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/1", status: 404 })).status).toBe("skipped");
    expect(unsupported_method(ctx({ method: "PATCH", path: "/pets/{petId}", urlPath: "/pets/1", status: 401 })).status).toBe("skipped");
    expect(unsupported_method(ctx({ method: "HEAD", path: "/pets", status: 200 })).status).toBe("skipped");
  });
});

describe("negative checks: guards the mutants showed unpinned", () => {
  const negative = (spec: Parameters<typeof ctx>[0], params: Record<string, unknown>, others: ReturnType<typeof record>[] = []) => negative_data_rejection(ctx(spec, { kind: "negative", params, others }));
  const list = (id: string, ids: number[]) => record({ id, path: "/pets", status: 200, body: ids.map((n) => ({ id: n })) });
  const probe = (ids: number[] | unknown, others: ReturnType<typeof record>[], extra: Record<string, unknown> = {}) =>
    negative({ id: "probe", path: "/pets", query: "limit=-1", status: 200, body: Array.isArray(ids) ? ids.map((n) => ({ id: n })) : ids }, { ignoredStep: "without", clampedStep: "clamped", ...extra }, others);
  const without = list("without", [1, 2, 3]);
  const clamped = list("clamped", [1]);
  it("negative_data_rejection: an empty expectedStatuses is the default judgement; any listed status is expected", () => {
    expect(negative({ ...create, status: 404 }, { expectedStatuses: [] }).status).toBe("passed");
    expect(negative({ ...create, status: 422 }, { expectedStatuses: [400, 422] }).status).toBe("passed");
    expect(negative({ ...create, status: 201 }, {}).signature).toBe("accepted");
    expect(probe([1, 2], [without, clamped]).signature).toBe("accepted");
  });
  it("lenient verdicts need both comparison steps and a listing from each", () => {
    expect(probe([1, 2], [without, clamped], { clampedStep: undefined }).status).toBe("skipped");
    expect(probe([1, 2], [without, clamped], { ignoredStep: "nope" }).status).toBe("skipped");
    expect(probe({ message: "done" }, [without, clamped]).status).toBe("skipped");
    expect(negative({ ...create, status: 201 }, { echoProperty: "extra" }).status).toBe("passed");
  });
  it("a collection that changed while probing: grown means longer and keeping every record", () => {
    expect(probe([1, 2], [without, clamped, list("again", [3, 2, 1])], { ignoredAgainStep: "again" }).status).toBe("skipped");
    expect(probe([1, 2], [without, clamped, list("again", [1, 2, 4, 5])], { ignoredAgainStep: "again" }).status).toBe("skipped");
    expect(probe([1, 2, 3, 9], [without, clamped, list("again", [1, 2, 3, 4])], { ignoredAgainStep: "again" }).status).toBe("failed");
  });
  it("positive_data_acceptance: credential endpoints and taken values excuse 400 and 422 only; the whole body is searched", () => {
    expect(positive_data_acceptance(ctx({ method: "POST", path: "/login", status: 422 })).status).toBe("skipped");
    expect(positive_data_acceptance(ctx({ method: "POST", path: "/login", status: 418 })).status).toBe("failed");
    expect(positive_data_acceptance(ctx({ ...create, status: 400, body: { message: "email already exists" } })).status).toBe("skipped");
    expect(positive_data_acceptance(ctx({ ...create, status: 418, body: { message: "email already exists" } })).status).toBe("failed");
    expect(positive_data_acceptance(ctx({ ...create, status: 400, body: "x".repeat(2000) + " already exists" })).status).toBe("failed");
    const result = positive_data_acceptance(ctx({ ...create, status: 422, body: `bad\n\n   value ${"y".repeat(200)}` }));
    expect(result.message).toBe(`POST /pets rejected schema-valid data with 422: bad value ${"y".repeat(86)}`);
    expect(positive_data_acceptance(ctx({ ...create, status: 400 }, { params: { baselineStep: 5 } })).status).toBe("failed");
  });
  it("missing_required_header: no header named, or a redirect: no verdict", () => {
    expect(missing_required_header(ctx({ ...create, status: 201 })).status).toBe("skipped");
    expect(missing_required_header(ctx({ ...create, status: 201 }, { params: { header: 5 } })).status).toBe("skipped");
    expect(missing_required_header(ctx({ ...create, status: 302 }, { params: { header: "X-Request-Id" } })).status).toBe("skipped");
    expect(missing_required_header(ctx({ ...create, status: 500 }, { params: { header: "X-Request-Id" } })).status).toBe("skipped");
  });
  it("unsupported_method: OPTIONS is the frameworks'", () => {
    expect(unsupported_method(ctx({ method: "OPTIONS", path: "/pets", status: 200 })).status).toBe("skipped");
    expect(unsupported_method(ctx({ method: "HEAD", path: "/login", status: 200 })).status).toBe("failed");
  });
});

describe("negative_data_rejection: an answer that reports the invalid value it used", () => {
  // JSON:API paging on a collection smaller than any page: the records cannot tell, the meta can
  const doc = (size: number) => ({ data: [{ id: "c1" }, { id: "c2" }], meta: { page: { number: 1, size } } });
  const step = (id: string, size: number) => record({ id, path: "/courses", status: 200, body: doc(size) });
  const probe = (size: number, others: ReturnType<typeof record>[], extra: Record<string, unknown> = {}) =>
    negative_data_rejection(
      ctx({ id: "probe", path: "/courses", query: "page[size]=51", status: 200, body: doc(size) }, { kind: "negative", others, params: { ignoredStep: "without", clampedStep: "clamped", location: "query", parameter: "page[size]", sentNumber: 51, clampedNumber: 50, ...extra } }),
    );
  it("fails when it reports the value sent where the nearest valid value's answer reports that one", () => {
    const used = probe(51, [step("without", 20), step("clamped", 50)]);
    expect(used).toMatchObject({ status: "failed", signature: "accepted:query:page[size]" });
    expect(used.message).toContain("/meta/page/size = 51");
  });
  it("passes when it reports the clamped or the default value; no verdict from a number the other answers do not place alike", () => {
    expect(probe(50, [step("without", 20), step("clamped", 50)]).status).toBe("passed");
    expect(probe(20, [step("without", 20), step("clamped", 50)]).status).toBe("passed");
    // the answer without the value reports 51 there too: a coincidence, not a use
    expect(probe(51, [step("without", 51), step("clamped", 50)]).status).toBe("passed");
    expect(probe(51, [step("without", 20), step("clamped", 49)]).status).toBe("passed");
    // the numbers are not given: records only, as before
    expect(probe(51, [step("without", 20), step("clamped", 50)], { sentNumber: undefined }).status).toBe("passed");
  });
});
