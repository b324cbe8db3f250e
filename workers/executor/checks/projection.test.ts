import { describe, expect, it } from "vitest";
import { response_schema_conformance } from "./conformance";
import { projectedOut } from "./projection";
import { ctx } from "./test-support";

// Pet requires id, name and password (writeOnly); an answer without `name` is only right when the request asked for it
const rex = { id: 1, tag: "dog" };
const read = (query: string, body: unknown = rex) => response_schema_conformance(ctx({ method: "GET", path: "/pets/{petId}", urlPath: "/pets/1", query, status: 200, body }));
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

describe("a required member the request's field projection left out", () => {
  it("is absent by request: fields lists, $select, sparse fieldsets, a projection inside a JSON filter or a deepObject", () => {
    expect(read(q({ fields: "id,tag" })).status).toBe("passed");
    expect(read(q({ $select: "id" })).status).toBe("passed");
    expect(read(q({ "fields[pets]": "id,tag" })).status).toBe("passed");
    expect(read(q({ filter: JSON.stringify({ fields: { name: false } }) })).status).toBe("passed");
    expect(read(q({ filter: JSON.stringify({ skip: 3, fields: { id: true, tag: true } }) })).status).toBe("passed");
    expect(read(q({ filter: JSON.stringify({ fields: ["id"] }) })).status).toBe("passed");
    expect(read(q({ "filter[fields][name]": "false" })).status).toBe("passed");
  });

  it("is still a finding when the projection asked for it, names other members only as excluded, or is absent", () => {
    expect(read(q({ fields: "id,name" })).status).toBe("failed");
    expect(read(q({ filter: JSON.stringify({ fields: { name: true } }) })).status).toBe("failed");
    expect(read(q({ filter: JSON.stringify({ fields: { tag: false } }) })).status).toBe("failed");
    expect(read(q({ filter: JSON.stringify({ limit: 5 }) })).status).toBe("failed");
    expect(read("").status).toBe("failed");
  });

  it("excuses absence only: a member of the wrong type stays a finding", () => {
    expect(read(q({ fields: "id,tag" }), { id: "one", tag: "dog" })).toMatchObject({ status: "failed", signature: "type:/id" });
  });

  it("reads lists, maps and JSON from the query", () => {
    expect(projectedOut("http://x/a")).toBeUndefined();
    expect(projectedOut("http://x/a?limit=5&where=%7B%22name%22%3A%22x%22%7D")).toBeUndefined();
    const out = projectedOut("http://x/a?fields=id%2Ctitle")!;
    expect([out("id"), out("title"), out("desc")]).toEqual([false, false, true]);
    const map = projectedOut(`http://x/a?filter=${encodeURIComponent('{"fields":{"title":false,"tag":false}}')}`)!;
    expect([map("id"), map("title"), map("tag")]).toEqual([false, true, true]);
  });
});
