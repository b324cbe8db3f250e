/**
 * Producers of an item's id: collections written with a trailing slash, OpenAPI links that cannot
 * give the id (or only hand back one they were sent), and the listing read when the create fails.
 */
import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../model";
import { parseSpec } from "../spec";
import { ResourceGraph, pointerResolves } from "./resources";
import { agentEnv, buildRequest } from "./requests";
import { Rng } from "../generate/random";

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
const idParam = { name: "id", in: "path", required: true, schema: { type: "integer" } };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const getAuthor = { operationId: "getAuthorById", parameters: [idParam], responses: { "200": { description: "an author", ...json(ref("Author")) } } };

/** A bookshop whose collections end in a slash (Platformatic DB's shape), links as `links` says. */
function bookshop(slash = "/", links: Record<string, unknown> = {}): ApiModel {
  const doc = {
    openapi: "3.0.3",
    info: { title: "shop", version: "1" },
    paths: {
      [`/authors${slash}`]: {
        get: { operationId: "getAuthors", responses: { "200": { description: "authors", ...json({ type: "array", items: ref("Author") }) } } },
        post: { operationId: "createAuthor", requestBody: { required: true, ...json(ref("AuthorInput")) }, responses: { "200": { description: "an author", ...json(ref("Author")) } } },
      },
      "/authors/{id}": { get: getAuthor, delete: { operationId: "deleteAuthor", parameters: [idParam], responses: { "200": { description: "gone", ...json(ref("Author")) } } } },
      "/authors/{id}/books": { get: { operationId: "getBooksForAuthor", parameters: [idParam], responses: { "200": { description: "books", ...json({ type: "array", items: ref("Book") }), links: links.fromList ?? {} } } } },
      [`/books${slash}`]: { post: { operationId: "createBook", requestBody: { required: true, ...json(ref("BookInput")) }, responses: { "200": { description: "a book", ...json(ref("Book")), links: links.fromCreate ?? {} } } } },
    },
    components: {
      schemas: {
        Author: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } }, additionalProperties: false },
        AuthorInput: { type: "object", required: ["name"], properties: { name: { type: "string" } }, additionalProperties: false },
        Book: { type: "object", properties: { id: { type: "integer" }, authorId: { type: "integer" }, title: { type: "string" } }, additionalProperties: false },
        BookInput: { type: "object", required: ["authorId", "title"], properties: { authorId: { type: "integer" }, title: { type: "string" } }, additionalProperties: false },
      },
    },
  };
  const parsed = parseSpec(JSON.stringify(doc));
  if (!parsed.model) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

const toAuthor = { GetAuthorById: { operationId: "getAuthorById", parameters: { id: "$response.body#/authorId" } } };
const op = (m: ApiModel, id: string) => m.operations.find((o) => o.operationId === id)!;
const producer = (m: ApiModel) => new ResourceGraph(m).producerFor(op(m, "getAuthorById"), "id");
const build = (m: ApiModel, id: string) => buildRequest(agentEnv({ model: m, seed: 1, config: { identities: [], maxCasesPerOperation: 10 } }), op(m, id), new Rng(1), { useExamples: true, optional: "required" });

describe("a collection written with a trailing slash", () => {
  it("its create produces the id of /authors/{id}, and its listing is where a read falls back to", () => {
    for (const slash of ["/", ""]) {
      expect(producer(bookshop(slash))).toMatchObject({ op: { operationId: "createAuthor" }, extract: { from: "body", pointer: "/id" }, via: "heuristic" });
      const read = build(bookshop(slash), "getAuthorById");
      expect(read.setup).toEqual([expect.objectContaining({ id: "setup-id", request: expect.objectContaining({ method: "post", path: `/authors${slash}` }) })]);
      expect(read.setup[0].instead).toMatchObject({ id: "setup-listed-id", request: { method: "get", path: `/authors${slash}` }, extract: { id: { from: "body", pointer: "/0/id" }, listed_id: { from: "body", pointer: "/0/id" } }, requireSuccess: true });
    }
  });
  it("a write on the item never falls back to an item that was there before the run", () => {
    const del = build(bookshop(), "deleteAuthor");
    expect(del.setup.map((s) => s.id)).toEqual(["setup-id"]);
    expect(del.setup[0].instead).toBeUndefined();
  });
});

describe("OpenAPI links that give no id of their own", () => {
  it("a link whose pointer names a member of what is documented as an array is not followed", () => {
    expect(producer(bookshop("/", { fromList: toAuthor }))).toMatchObject({ op: { operationId: "createAuthor" }, via: "heuristic" });
  });
  it("a link reading back what its producer was sent (authorId) comes after the resource's own create, and is used where there is none", () => {
    expect(producer(bookshop("/", { fromCreate: toAuthor }))).toMatchObject({ op: { operationId: "createAuthor" }, via: "heuristic" });
    const noCreate = bookshop("/", { fromCreate: toAuthor });
    noCreate.operations = noCreate.operations.filter((o) => o.operationId !== "createAuthor");
    expect(producer(noCreate)).toMatchObject({ op: { operationId: "createBook" }, extract: { from: "body", pointer: "/authorId" }, via: "link" });
  });
  it("a link that creates what it names still wins over the heuristic", () => {
    const m = bookshop("/", { fromCreate: { GetAuthorById: { operationId: "getAuthorById", parameters: { id: "$response.body#/id" } } } });
    expect(producer(m)).toMatchObject({ op: { operationId: "createBook" }, extract: { from: "body", pointer: "/id" }, via: "link" });
  });
  it("pointers resolve unless the schema rules them out", () => {
    const m = bookshop();
    const list = { type: "array", items: ref("Book") };
    expect(pointerResolves(list, "/authorId", m.schemas)).toBe(false);
    expect(pointerResolves(list, "/0/authorId", m.schemas)).toBe(true);
    expect(pointerResolves(ref("Book"), "/authorId", m.schemas)).toBe(true);
    expect(pointerResolves(ref("Book"), "/ownerId", m.schemas)).toBe(false);
    expect(pointerResolves({ type: "object" }, "/anything", m.schemas)).toBe(true);
  });
});
