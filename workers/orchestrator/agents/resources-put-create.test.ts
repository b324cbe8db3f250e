import { describe, expect, it } from "vitest";
import { parseSpec } from "../spec";
import { extractValue } from "../../executor/run-case";
import { ResourceGraph } from "./resources";
import { functionalPositive } from "./functional-positive";
import { stateful } from "./stateful";

/** Shelves made by POST; boxes exist only through PUT /shelves/{shelfId}/boxes/{boxId} (201 new, 200 replaced). */
function boxesApi(putCreated = "201", collectionPost = false) {
  const json = (ref: string) => ({ content: { "application/json": { schema: { $ref: ref } } } });
  const shelfId = { name: "shelfId", in: "path", required: true, schema: { type: "integer" } };
  const boxId = { name: "boxId", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9-]{3,20}$" }, example: "box-1" };
  const doc = {
    openapi: "3.0.3",
    info: { title: "Boxes", version: "1" },
    components: {
      schemas: {
        Shelf: { type: "object", required: ["id"], properties: { id: { type: "integer", readOnly: true }, name: { type: "string" } } },
        Box: { type: "object", required: ["label"], properties: { id: { type: "string", readOnly: true }, label: { type: "string", minLength: 1 } } },
      },
    },
    paths: {
      "/shelves": { post: { operationId: "createShelf", requestBody: { required: true, ...json("#/components/schemas/Shelf") }, responses: { "201": { description: "made", ...json("#/components/schemas/Shelf") } } } },
      "/shelves/{shelfId}/boxes": {
        get: { operationId: "listBoxes", parameters: [shelfId], responses: { "200": { description: "boxes", content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Box" } } } } } } },
        ...(collectionPost ? { post: { operationId: "addBox", parameters: [shelfId], requestBody: { required: true, ...json("#/components/schemas/Box") }, responses: { "204": { description: "added" } } } } : {}),
      },
      "/shelves/{shelfId}/boxes/{boxId}": {
        parameters: [shelfId, boxId],
        get: { operationId: "getBox", responses: { "200": { description: "a box", ...json("#/components/schemas/Box") } } },
        put: { operationId: "putBox", requestBody: { required: true, ...json("#/components/schemas/Box") }, responses: { [putCreated]: { description: "created", ...json("#/components/schemas/Box") }, "200": { description: "replaced", ...json("#/components/schemas/Box") } } },
        delete: { operationId: "deleteBox", responses: { "204": { description: "gone" } } },
      },
    },
  };
  return parseSpec(JSON.stringify(doc)).model!;
}

describe("a resource created by PUT on its own item path (RFC 9110 §9.3.4)", () => {
  it("the PUT that documents 201 produces the item's id, read from the URL it requested", () => {
    const model = boxesApi();
    const getBox = model.operations.find((o) => o.operationId === "getBox")!;
    expect(new ResourceGraph(model).producerFor(getBox, "boxId")).toMatchObject({ op: { operationId: "putBox" }, extract: { from: "path-id" }, via: "put" });
    // the PUT is no producer of itself, and a PUT without 201 creates nothing
    const putBox = model.operations.find((o) => o.operationId === "putBox")!;
    expect(new ResourceGraph(model).producerFor(putBox, "boxId")).toBeUndefined();
    // a collection with a POST has its own create (here one whose answer names nothing): the PUT only replaces
    const posted = boxesApi("201", true);
    expect(new ResourceGraph(posted).producerFor(posted.operations.find((o) => o.operationId === "getBox")!, "boxId")).toBeUndefined();
    const replaceOnly = boxesApi("202");
    expect(new ResourceGraph(replaceOnly).producerFor(replaceOnly.operations.find((o) => o.operationId === "getBox")!, "boxId")).toBeUndefined();
  });

  it("reads of a box PUT one first under a fresh id (not the example) and take the id it sent", async () => {
    const model = boxesApi();
    const cases = await functionalPositive.generate({ model, seed: 5, config: { identities: [], maxCasesPerOperation: 10 } });
    const read = cases.find((c) => c.operationId === "getBox")!;
    const setup = read.steps.find((s) => s.id === "setup-boxId")!;
    expect(setup).toMatchObject({ request: { method: "put", path: "/shelves/{shelfId}/boxes/{boxId}", pathParams: { shelfId: "{{shelfId}}" } }, extract: { boxId: { from: "path-id" } }, requireSuccess: true });
    const sent = setup.request.pathParams.boxId as string;
    expect(sent).toMatch(/^[a-z0-9-]{3,20}$/);
    expect(sent).not.toBe("box-1");
    expect(read.steps[read.steps.length - 1].request.pathParams).toMatchObject({ boxId: "{{boxId}}" });
    expect(read.steps.some((s) => s.id.startsWith("setup-listed"))).toBe(false);
    // the executor reads the id back from the URL it requested
    const url = `http://127.0.0.1/api/shelves/7/boxes/${encodeURIComponent(sent)}`;
    expect(extractValue({ from: "path-id" }, { url }, { status: 201, headers: {}, body: "" } as never)).toBe(sent);
  });

  it("the lifecycle creates a box by PUT, then reads and deletes that one", async () => {
    const model = boxesApi();
    const cases = await stateful.generate({ model, seed: 5, config: { identities: [], maxCasesPerOperation: 10 } });
    const onBox = cases.filter((c) => c.steps.some((s) => s.extract?.boxId?.from === "path-id"));
    expect(onBox.length).toBeGreaterThan(0);
    expect(onBox.some((c) => c.steps.some((s) => s.request.method === "delete" && s.request.pathParams.boxId === "{{boxId}}"))).toBe(true);
  });
});
