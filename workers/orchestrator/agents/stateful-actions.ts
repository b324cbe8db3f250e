/**
 * Workflow actions: a POST on `{item path}/{verb}` (submit, approve, cancel …) moves the item from
 * one state to another. Where the spec documents a 409 for the action and ties it to the item's
 * state, the action sent a second time right after it succeeded must be refused: the item is no
 * longer in the state the action leaves (stateful_invariant with `repeatOf`).
 *
 * The state the action needs is reached by the item's other actions listed before it in the spec
 * (draft → submit → approve): one case per prefix of those, nearest first, each prerequisite a
 * requireSuccess step, so a chain the server refuses is skipped, never judged. The action and its
 * repeat are sent by each identity in turn (the creator may not be allowed to act on its own item).
 * Left out: actions the spec calls idempotent, and those whose 409 is not about state.
 */
import type { Operation, Step } from "../../model";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import type { Rng } from "../generate/random";
import { conformanceChecks, type AgentEnv } from "./requests";
import { createResource, itemRequest, type ResourceTarget } from "./stateful-resources";

/** More prerequisites than this and the chains are too many to be worth it. */
const MAX_ACTIONS = 6;

/**
 * POST operations on `{itemPath}/{literal}`: the item's actions, in the spec's order. A path with
 * items of its own (`/pets/{petId}/orders/{orderId}`) is a sub-collection, its POST a create.
 */
export function itemActions(env: AgentEnv, itemPath: string): Operation[] {
  const prefix = `${itemPath}/`;
  const ops = env.model.operations;
  return ops.filter((op) => op.method === "post" && op.path.startsWith(prefix) && /^[^{}/]+$/.test(op.path.slice(prefix.length)) && !ops.some((o) => o.path.startsWith(`${op.path}/`)));
}

/**
 * The spec documents a 409 for the action and the action's own prose ties it to a state (`draft →
 * submitted`, "any other state answers 409", "already …"): a shared "conflicts with the current
 * state" response alone does not say a repeat is refused (renewing a loan may go twice). Left out:
 * actions that create (201: a payment, an event — each repeat another one), actions the spec calls
 * idempotent or allows a number of times ("at most 2 renewals").
 */
export function isStateTransition(op: Operation): boolean {
  if (!op.responses.some((r) => r.status === "409") || op.responses.some((r) => r.status === "201")) return false;
  const words = `${op.summary ?? ""} ${op.description ?? ""}`;
  if (/idempoten|(at most|up to|maximum of)\s+\d/i.test(words)) return false;
  return /409|→|->|already|(state|status)/i.test(words);
}

/**
 * The chains of earlier actions that may bring an item to the state `op` acts on, nearest first
 * ([submit] before approve), when `op` is a state transition among its item's actions; [] otherwise.
 */
export function actionPrerequisites(env: AgentEnv, op: Operation): Operation[][] {
  const itemPath = op.path.slice(0, op.path.lastIndexOf("/"));
  if (op.method !== "post" || !/\/\{[^{}/]+\}$/.test(itemPath) || !isStateTransition(op)) return [];
  const actions = itemActions(env, itemPath);
  const index = actions.indexOf(op);
  if (index <= 0 || actions.length > MAX_ACTIONS) return [];
  return Array.from({ length: index }, (_, i) => actions.slice(index - i - 1, index));
}

function step(id: string, request: Step["request"], checks: Step["checks"], requireSuccess = false): Step {
  return requireSuccess ? { id, request, checks, requireSuccess } : { id, request, checks };
}

/** create → (earlier actions) → action → the same action again, per prefix and identity. */
export function repeatedActionDrafts(env: AgentEnv, target: ResourceTarget, rng: Rng): { op: Operation; drafts: CaseDraft[] }[] {
  const actions = itemActions(env, target.itemPath);
  if (actions.length > MAX_ACTIONS) return [];
  const identities: (string | undefined)[] = [undefined, ...env.config.identities.slice(1)];
  const out: { op: Operation; drafts: CaseDraft[] }[] = [];
  actions.forEach((action, index) => {
    if (!isStateTransition(action)) return;
    const drafts: CaseDraft[] = [];
    // the nearest prerequisite first (submit before approve), the action on a fresh item last
    const lengths = [...Array.from({ length: index }, (_, i) => i + 1), 0];
    for (const length of lengths) {
      const before = actions.slice(index - length, index);
      for (const identity of identities) {
        const r = rng.fork(`${action.path}:${length}:${identity ?? ""}`);
        const created = createResource(env, target, r.fork("create"));
        const steps = [...created.steps];
        before.forEach((prior, i) => steps.push(step(`before-${i + 1}`, itemRequest(env, prior, r.fork(`before-${i}`), created.known).request, conformanceChecks(), true)));
        const act = itemRequest(env, action, r.fork("action"), created.known, identity);
        steps.push(step("action", act.request, conformanceChecks(act.valid), true));
        steps.push(step("action-again", act.request, [...conformanceChecks(act.valid), check("stateful_invariant", { repeatOf: "action" })]));
        const by = identity ? ` by ${identity}` : "";
        const chain = before.map((p) => p.path.slice(target.itemPath.length + 1)).join(", ");
        drafts.push({ kind: "stateful", title: `${opLabel(action.method, action.path)}${by} twice${chain ? ` after ${chain}` : ""}: the repeat is refused`, steps, tags: ["transition"] });
      }
    }
    out.push({ op: action, drafts });
  });
  return out;
}
