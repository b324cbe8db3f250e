import { describe, expect, it } from "vitest";
import type { HttpMethod, Operation } from "../model";
import { petstoreModel } from "./agents/test-fixtures";
import { classifyOperation, words } from "./destructive";
import { parseFilter, selectOperations } from "./operation-filter";

function op(method: string, path: string, operationId: string, more: Partial<Operation> = {}): Operation {
  return { operationId, method: method as HttpMethod, path, tags: [], deprecated: false, parameters: [], responses: [], security: [], pointer: "", ...more };
}

const destructive = (o: Operation) => classifyOperation(o).destructive;

describe("classifyOperation", () => {
  it("recognises reset, seed, drop, purge, wipe, truncate, shut down and mass deletes by their words", () => {
    expect(classifyOperation(op("post", "/admin/reset", "resetBoard"))).toEqual({ destructive: true, reason: "destructive: operationId says reset" });
    expect(classifyOperation(op("post", "/x", "doIt", { summary: "Purge the event store" })).reason).toBe("destructive: summary says purge");
    expect(classifyOperation(op("post", "/db/drop", "op1")).reason).toBe("destructive: path says drop");
    for (const id of ["seedDatabase", "wipeData", "truncate_tables", "shutDown", "system-shutdown", "deleteAllUsers", "bulkRemoveItems", "factoryReset", "flushCache"]) {
      expect(destructive(op("post", "/ops", id)), id).toBe(true);
    }
    expect(classifyOperation(op("post", "/maintenance", "run", { description: "Deletes all records and starts over." })).reason).toBe('destructive: description says "deletes all"');
    // a read whose own description says it rebuilds the data set (run alongside other cases, it
    // drops the tables they read and turns their answers into 500s)
    expect(classifyOperation(op("get", "/createdb", "populate_db", { summary: "Creates and populates the database with dummy data" })).reason).toBe('destructive: description says "populates the database"');
    expect(classifyOperation(op("post", "/setup", "setup", { description: "Re-creates the database from scratch." })).reason).toBe('destructive: description says "re-creates the database"');
  });

  it("holds back a write that switches the whole service into maintenance or read-only mode", () => {
    // run alongside the other cases, every later write would answer 503 "in maintenance mode"
    const toggle = op("post", "/api/admin/maintenance", "toggleMaintenance", { summary: "Enabled/disabled maintenance mode", description: "Lets administrators put the service into a mostly read-only mode." });
    expect(classifyOperation(toggle)).toEqual({ destructive: true, reason: "destructive: switches the service into maintenance mode" });
    expect(destructive(op("put", "/settings/mode", "setMode", { description: "Puts the store in read-only mode." }))).toBe(true);
    // reading the mode, one item's own mode, and things named maintenance are not that switch
    expect(destructive(op("get", "/api/admin/maintenance", "getMaintenance", { summary: "Get maintenance mode status" }))).toBe(false);
    expect(destructive(op("post", "/registries/{name}/gc", "runGc", { description: "Sets the registry to read-only mode while it runs." }))).toBe(false);
    expect(destructive(op("post", "/maintenance_windows", "createMaintenanceWindow", { summary: "Create a maintenance window" }))).toBe(false);
  });

  it("treats DELETE on a collection as a mass delete, DELETE on one item not", () => {
    expect(classifyOperation(op("delete", "/items", "deleteItems")).reason).toBe("destructive: DELETE on the collection /items");
    expect(destructive(op("delete", "/users/{id}/sessions", "logoutEverywhere"))).toBe(true);
    expect(destructive(op("delete", "/projects/{key}/tasks", "clearTasks"))).toBe(true);
    expect(destructive(op("delete", "/items/{id}", "deleteItem"))).toBe(false);
    // a singular sub-resource of one item: un-star, unfollow, unlock
    expect(destructive(op("delete", "/gists/{id}/star", "unstarGist"))).toBe(false);
    expect(destructive(op("delete", "/profiles/{username}/follow", "unfollow"))).toBe(false);
    expect(destructive(op("delete", "/repos/{owner}/{repo}/issues/{n}/lock", "unlock"))).toBe(false);
    expect(destructive(op("delete", "/repos/{owner}/{repo}/status", "deleteStatus"))).toBe(false);
    expect(destructive(op("delete", "/projects/{key}/tasks/{taskId}", "deleteTask"))).toBe(false);
  });

  it("does not flag per-item actions, credential resets, reads or ordinary CRUD on things named like the words", () => {
    // an action on one item is that item's business, not a mass change
    expect(destructive(op("post", "/orders/{id}/reset-password", "resetOrderPassword"))).toBe(false);
    expect(destructive(op("post", "/devices/{id}/restart", "restartDevice"))).toBe(false);
    // the user's own credential flow
    expect(destructive(op("post", "/auth/reset-password", "resetPassword", { summary: "Reset a forgotten password" }))).toBe(false);
    expect(destructive(op("post", "/password/reset", "requestReset", { summary: "Send a password reset link" }))).toBe(false);
    // reads never change anything; creation of a thing called "seed"/"drop" is not a reset
    expect(destructive(op("get", "/admin/reset", "getResetStatus"))).toBe(false);
    expect(destructive(op("get", "/databases/{id}", "getDatabase", { description: "Re-creates the database view of one item." }))).toBe(false);
    expect(destructive(op("get", "/reports", "listReports", { description: "Creates the database export on demand." }))).toBe(false);
    expect(destructive(op("post", "/seeds", "createSeed", { summary: "Create a seed packet" }))).toBe(false);
    expect(destructive(op("post", "/drops", "addDrop"))).toBe(false);
    expect(destructive(op("put", "/books/{id}", "replaceBook", { summary: "Replace a book: optional fields left out are cleared" }))).toBe(false);
    // the words of an ordinary sentence are not a mass-delete announcement
    expect(destructive(op("post", "/reviews", "createReview", { description: "All reviews are moderated." }))).toBe(false);
  });

  it("lets x-sentinel-destructive decide either way", () => {
    expect(classifyOperation(op("post", "/jobs", "runJob", { extensions: { "x-sentinel-destructive": true } })).reason).toBe("destructive: x-sentinel-destructive is true");
    expect(destructive(op("post", "/admin/reset", "resetBoard", { extensions: { "x-sentinel-destructive": false } }))).toBe(false);
    expect(destructive(op("delete", "/cart", "emptyCart", { extensions: { "x-sentinel-destructive": false } }))).toBe(false);
  });

  it("splits identifiers into words", () => {
    expect(words("resetBoard")).toEqual(["reset", "board"]);
    expect(words("HTTPServerShutdown")).toEqual(["http", "server", "shutdown"]);
    expect(words("truncate_all-tables")).toEqual(["truncate", "all", "tables"]);
  });
});

describe("operation filters", () => {
  const ops = petstoreModel().operations;
  const ids = (filter: string) => ops.filter(parseFilter(filter)).map((o) => o.operationId);

  it("match by operationId, METHOD, METHOD /glob, /glob and tag:name", () => {
    expect(ids("getPet")).toEqual(["getPet"]);
    expect(ids("DELETE")).toEqual(["deletePet"]);
    // `*` crosses "/": GET /pets/* also matches the nested /pets/{petId}/orders/{orderId}
    expect(ids("GET /pets/*")).toEqual(ops.filter((o) => o.method === "get" && o.path.startsWith("/pets/")).map((o) => o.operationId));
    expect(ids("GET /pets/{petId}")).toEqual(["getPet"]);
    expect(ids("get /pets*")).toEqual(ops.filter((o) => o.method === "get" && o.path.startsWith("/pets")).map((o) => o.operationId));
    expect(ids("/admin/*")).toEqual(["adminStats"]);
    expect(ids("tag:ADMIN")).toEqual(["adminStats"]);
    expect(ids("nope")).toEqual([]);
  });

  it("rejects malformed filters", () => {
    expect(() => parseFilter("  ")).toThrow(/empty/);
    expect(() => parseFilter("POST pets")).toThrow(/must start with \//);
    expect(() => parseFilter("tag:")).toThrow(/tag name/);
    expect(() => parseFilter("two words")).toThrow(/expected an operationId/);
  });

  it("include narrows, exclude wins, and unmatched filters are reported", () => {
    const chosen = selectOperations(ops, { include: ["/pets*", "nothingHere"], exclude: ["DELETE", "tag:none"] });
    expect(chosen.operations.every((o) => o.path.startsWith("/pets") && o.method !== "delete")).toBe(true);
    expect(chosen.operations.some((o) => o.operationId === "getPet")).toBe(true);
    expect(chosen.unmatched).toEqual(["nothingHere", "tag:none"]);
    expect(selectOperations(ops, { include: ["getPet"], exclude: ["getPet"] }).operations).toEqual([]);
  });

  it("holds destructive operations back unless allowed", () => {
    const all = [...ops, op("post", "/admin/reset", "resetStore"), op("delete", "/pets", "deleteAllPets")];
    const held = selectOperations(all);
    expect(held.operations.map((o) => o.operationId)).toEqual(ops.map((o) => o.operationId));
    expect(held.heldBack).toEqual([
      { operationId: "resetStore", method: "POST", path: "/admin/reset", reason: "destructive: operationId says reset" },
      { operationId: "deleteAllPets", method: "DELETE", path: "/pets", reason: "destructive: DELETE on the collection /pets" },
    ]);
    const allowed = selectOperations(all, { allowDestructive: true });
    expect(allowed.operations).toHaveLength(all.length);
    expect([...allowed.destructive]).toEqual(["POST /admin/reset", "DELETE /pets"]);
    expect(allowed.heldBack).toEqual([]);
    // an excluded destructive operation is simply excluded, not "held back"
    expect(selectOperations(all, { exclude: ["resetStore"] }).heldBack.map((o) => o.operationId)).toEqual(["deleteAllPets"]);
  });

  it("takes a DELETE that ends the caller's session for a sign-out, not a collection emptied", () => {
    const signOut = op("delete", "/session", "signOut", { summary: "Sign out (ends this session)" });
    const chosen = selectOperations([signOut, op("delete", "/sessions/{id}", "deleteSession"), op("delete", "/sessions", "deleteSessions")]);
    // DELETE /session runs (last, alone: plan.ts); DELETE /sessions/{id} is one item; /sessions without a sign-out word is the caller's too
    expect(chosen.operations.map((o) => o.operationId)).toEqual(["signOut", "deleteSession", "deleteSessions"]);
    expect(chosen.heldBack).toEqual([]);
    expect(selectOperations([op("delete", "/session", "endSession", { extensions: { "x-sentinel-destructive": true } })]).heldBack).toHaveLength(1);
    expect(selectOperations([op("delete", "/sessions/{id}/events", "clearEvents")]).heldBack).toHaveLength(1);
  });
});
