/**
 * Idempotency-Key replays: an operation documenting an `Idempotency-Key` (or `X-Idempotency-Key`)
 * request header, and saying a retry with the same key is answered like the first, promises that
 * it does nothing more. The same request is sent twice with one key; `idempotency` judges that the
 * second answer replays the first (same status class, same created id and Location).
 */
import type { Operation, Parameter, Step } from "../../model";
import type { Rng } from "../generate/random";
import { IDEMPOTENCY_KEY_HEADER } from "../generate/unique";
import { check, opLabel, type CaseDraft } from "./case-helpers";
import { buildRequest, conformanceChecks, keyedCreate, parameterValue, sendChosenKey, type AgentEnv } from "./requests";
import type { ResourceTarget } from "./stateful-resources";

/** The request header an operation documents for idempotent retries. */
export function idempotencyKeyHeader(op: Operation): Parameter | undefined {
  return op.parameters.find((p) => p.in === "header" && IDEMPOTENCY_KEY_HEADER.test(p.name));
}

/**
 * Whether the spec says what a retry with a used key gets (the operation's or the header's text
 * speaks of the same key, a repeat, retry or replay): a header only named so, or described as "a
 * key identifying this attempt", promises no replay, and a server creating twice keeps its spec.
 */
export function promisesReplay(op: Operation, header: Parameter): boolean {
  const text = [op.summary, op.description, header.description].filter(Boolean).join(" ");
  return /\b(same|repeat\w*|retr(y|ies|ied|ying)|replay\w*|resen[dt]\w*|duplicat\w*|again|twice|only once)\b/i.test(text);
}

/** A key the header's schema accepts: random enough not to meet an earlier run's key. */
function keyValue(env: AgentEnv, header: Parameter, rng: Rng): string | undefined {
  const own = `sentinel-${rng.hex(24)}`;
  if (env.validator.check(own, header.schema) === "valid") return own;
  const { value } = parameterValue(env, header, rng, false);
  return (typeof value === "string" || typeof value === "number") && env.validator.check(value, header.schema) === "valid" ? String(value) : undefined;
}

/** create with a key → the same request with the same key: the answer is replayed, nothing made twice. */
export function keyedReplayDraft(env: AgentEnv, op: Operation, targets: ResourceTarget[], rng: Rng): CaseDraft | undefined {
  if (op.method !== "post" && op.method !== "patch") return undefined;
  const header = idempotencyKeyHeader(op);
  if (!header || !promisesReplay(op, header)) return undefined;
  const produced = targets.find((t) => t.producer.op === op);
  const built = buildRequest(env, op, rng.fork("request"), { useExamples: true, optional: "required", includeBody: true, exampleParts: "required", ...(produced ? keyedCreate(env, produced.producer) : {}) });
  if (produced) sendChosenKey(env, built, produced.producer, rng.fork("chosen"));
  const key = keyValue(env, header, rng.fork("key"));
  if (key === undefined) return undefined;
  built.request.headers[header.name] = key;
  const idPointer = produced?.producer.extract.from === "body" ? produced.producer.extract.pointer : undefined;
  const first: Step = { id: "keyed", request: built.request, checks: conformanceChecks(built.valid), requireSuccess: true };
  const replay: Step = { id: "keyed-replay", request: built.request, checks: [...conformanceChecks(built.valid), check("idempotency", { compareWith: "keyed", ...(idPointer !== undefined ? { idPointer } : {}) })] };
  return { kind: "stateful", title: `${opLabel(op.method, op.path)} twice with the same ${header.name}`, steps: [...built.setup, first, replay], tags: ["idempotency-key"] };
}
