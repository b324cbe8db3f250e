import { describe, expect, it } from "vitest";
import type { ApiModel, Operation, TestCase } from "../../model";
import { stateful } from "./stateful";
import { isPrivileged, securityAuth } from "./security-auth";
import { petstoreModel } from "./test-fixtures";
import { stateful_invariant } from "../../executor/checks/stateful";
import { ctx, record } from "../../executor/checks/test-support";

const petIdParam = { name: "petId", in: "path" as const, required: true, schema: { type: "integer", minimum: 1 } };

function action(verb: string, description: string, statuses = ["200", "409"]): Operation {
  return {
    operationId: `${verb}Pet`,
    method: "post",
    path: `/pets/{petId}/${verb}`,
    description,
    tags: [],
    deprecated: false,
    parameters: [petIdParam],
    responses: statuses.map((status) => ({ status, content: [], headers: [], links: [] })),
    security: [{ bearer: [] }],
    pointer: `#/paths/~1pets~1{petId}~1${verb}/post`,
  };
}

function withActions(...ops: Operation[]): ApiModel {
  const model = petstoreModel();
  model.operations.push(...ops);
  return model;
}

function transitions(model: ApiModel, identities: string[] = []): TestCase[] {
  return (stateful.generate({ model, seed: 1, config: { identities, maxCasesPerOperation: 50 } }) as TestCase[]).filter((c) => c.tags?.includes("transition"));
}

describe("workflow actions sent twice", () => {
  it("runs the earlier actions first (nearest first), then the action twice, the repeat judged by stateful_invariant", () => {
    const model = withActions(action("submit", "draft → submitted. Any other state answers 409."), action("approve", "submitted → approved. Any state but `submitted` answers 409."));
    const cases = transitions(model, ["admin", "manager"]);
    const approve = cases.filter((c) => c.operationId === "approvePet");
    // prefixes [submit] then [] (fresh item), each by the default identity and by manager
    expect(approve.map((c) => c.steps.map((s) => s.id))).toEqual([
      ["create", "before-1", "action", "action-again"],
      ["create", "before-1", "action", "action-again"],
      ["create", "action", "action-again"],
      ["create", "action", "action-again"],
    ]);
    const [first, byManager] = approve;
    expect(first.steps[1].request.path).toBe("/pets/{petId}/submit");
    expect(first.steps[1].requireSuccess).toBe(true);
    expect(first.steps[2].requireSuccess).toBe(true);
    expect(first.steps[3].request.path).toBe("/pets/{petId}/approve");
    expect(first.steps[3].checks.find((c) => c.name === "stateful_invariant")?.params).toEqual({ repeatOf: "action" });
    // the prerequisites are the creator's; the action and its repeat the other identity's
    expect(byManager.steps[1].request.identity).toBeUndefined();
    expect(byManager.steps[2].request.identity).toBe("manager");
    expect(byManager.steps[3].request.identity).toBe("manager");
    expect(cases.filter((c) => c.operationId === "submitPet")).toHaveLength(2);
  });

  it("no case when 409 is not documented, the 409 is not about state, or the action is idempotent", () => {
    expect(transitions(withActions(action("archive", "Archives the pet; any other state answers 409.", ["200"])))).toEqual([]);
    expect(transitions(withActions(action("feed", "Feeds the pet; 409 when the bowl is full.")))).toEqual([]);
    expect(transitions(withActions(action("archive", "Archives the pet (idempotent: an archived pet stays archived). 409 in any other state.")))).toEqual([]);
    // a shared 409 ("conflicts with the current state") with prose that names no state: renewing may go twice
    const renew = action("renew", "Renew the pet's licence for a year.");
    renew.responses[1].description = "The request conflicts with the current state";
    expect(transitions(withActions(renew))).toEqual([]);
    expect(transitions(withActions(action("renew", "Renew an active licence (at most 2 renewals); 409 in any other state.")))).toEqual([]);
    // an action that creates (201): each repeat is another one
    expect(transitions(withActions(action("vaccinate", "Records a vaccination; 409 when the pet's status is adopted.", ["201", "409"])))).toEqual([]);
  });
});

describe("stateful_invariant repeatOf", () => {
  const first = record({ id: "action", method: "POST", path: "/pets/{petId}/approve", urlPath: "/pets/7/approve", status: 200 });
  const again = (status: number, urlPath = "/pets/7/approve") => stateful_invariant(ctx({ id: "action-again", method: "POST", path: "/pets/{petId}/approve", urlPath, status }, { others: [first], params: { repeatOf: "action" } }));
  it("fails on a second 2xx, passes on a refusal", () => {
    expect(again(200)).toMatchObject({ status: "failed", signature: "repeat:action" });
    expect(again(409).status).toBe("passed");
  });
  it("skips when the first action failed or another item is addressed", () => {
    const refused = record({ id: "action", method: "POST", path: "/pets/{petId}/approve", urlPath: "/pets/7/approve", status: 403 });
    expect(stateful_invariant(ctx({ id: "action-again", method: "POST", path: "/pets/{petId}/approve", urlPath: "/pets/7/approve", status: 200 }, { others: [refused], params: { repeatOf: "action" } })).status).toBe("skipped");
    expect(again(200, "/pets/8/approve").status).toBe("skipped");
  });
});

describe("bfla on a workflow action reserved to a role", () => {
  it("the action's prose reserves it to a privileged role; the owner runs the earlier action before the unprivileged call", async () => {
    const approve = action("approve", "submitted → approved. Only managers and admins. Any state but `submitted` answers 409.");
    approve.summary = "Approve a submitted pet (manager or admin)";
    const config = { identities: ["admin", "employee"], maxCasesPerOperation: 50 };
    const model = withActions(action("submit", "draft → submitted. Any other state answers 409."), approve);
    expect(isPrivileged(model, approve, config)).toBe(true);
    expect(isPrivileged(model, action("feed", "Feeds the pet (any user); admins see the log."), config)).toBe(false);
    // a user's role in parentheses within prose (sign-in's sandbox users) reserves nothing
    expect(isPrivileged(model, action("token", "Sandbox users: alice/alice-1, carol/carol-3 (admin)"), config)).toBe(false);
    const cases = (await securityAuth.generate({ model, seed: 1, config })) as TestCase[];
    const bfla = cases.find((c) => c.operationId === "approvePet" && c.tags?.includes("bfla"))!;
    expect(bfla.steps.map((s) => s.id)).toEqual(["setup-petId", "before-1", "attacker-call"]);
    expect(bfla.steps[1]).toMatchObject({ requireSuccess: true, request: { path: "/pets/{petId}/submit", identity: "admin" } });
    expect(bfla.steps[2].request.identity).toBe("employee");
  });
});
