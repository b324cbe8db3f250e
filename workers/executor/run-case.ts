/**
 * Executes one TestCase: its steps in order (extracting variables for later steps), then every
 * step's checks. Pure apart from the injected fetch, so it runs in workerd and in Node alike.
 *
 * Case status: `failed` when any check failed (even if the chain stopped later); otherwise
 * `errored` when a request could not complete (network error, timeout) or could not be built
 * faithfully (e.g. an unfilled `{param}`: nothing is sent); `skipped` when a precondition
 * failed (a requireSuccess step answered >= 400 or its extraction found nothing, or a later
 * step needs a variable that was never extracted); else `passed`. Steps after a stop are not
 * sent and not judged. Checks see raw exchanges; the result holds redacted ones.
 */
import type { ApiModel, CaseResult, CaseStatus, CheckOutcome, CheckSpec, Exchange, Extraction, IdentityVerdict, PickList, ReceivedResponse, RequestTemplate, TestCase } from "../model";
import { judge, type StepRecord } from "./checks";
import { findOperation, getByPointer, header, isHandedOutPath, jsonValue, operationAddressed, operationById } from "./checks/support";
import { failureKindOf, now, sendBoundMs, sendRequest, type FailureKind, type FetchLike, type SendOptions } from "./http-client";
import { probeTarget, type ProbeResult } from "./target-probe";
import { DEFAULT_STALL_MS, sendWatched } from "./liveness";
import { alone, type Tenure } from "./send-gate";
import { STREAM_WINDOW_MS, streamsResponses } from "./streaming";
import type { NoAnswer, TargetWatch, Unanswered } from "./target-watch";
import { chosenSecrets, collectSecrets, redactRequest, redactResponse } from "./redact";
import { placeCredentials } from "./identity-credentials";
import { buildRequest, RequestBuildError, type BuiltRequest } from "./request-builder";
import { deriveSeed, Rng } from "../orchestrator/generate/random";
import { isConflict, mayVaryConflict, varyConflicting } from "./conflict-retry";
import { withFreshKeys } from "./fresh-keys";

export interface RunConfig {
  timeoutMs: number;
  maxBodyBytes: number;
  maxResponseTimeMs?: number;
  /** network-failure retries per request (default 2, see http-client) */
  retries?: number;
  retryDelayMs?: number;
  /** a request in flight this long gets a liveness probe (default 1500; 0 = off), see liveness.ts */
  stallMs?: number;
}

export interface RunEnv {
  fetch: FetchLike;
  baseUrl: string;
  /** identity name → headers sent as that identity */
  identities: Record<string, Record<string, string>>;
  defaultIdentity?: string;
  model: ApiModel;
  config: RunConfig;
  /** variables known before the first step (e.g. seeded ids) */
  variables?: Record<string, unknown>;
  /** told of every successful (2xx) step on a documented operation: invariant inference's observations */
  onSuccess?: (record: { operationId: string; request: BuiltRequest; response: ReceivedResponse }) => void;
  /** shared by the run's cases: which requests the target answered, which it stopped on (stoppedTarget) */
  target?: TargetWatch;
  /** identity health during the run (orchestrator/auth/keeper.ts); without it every answer is taken as it comes */
  guard?: IdentityGuard;
  /** headers identities had before they were signed in again: redacted like the current ones */
  retired?: Record<string, Record<string, string>>[];
  /** the run is over for this executor (deadline, cancel): its requests no longer hold others back (send-gate.ts) */
  signal?: AbortSignal;
}

/**
 * Asked when a request sent with an identity's own credentials got a 401 or a 5xx: the run checks
 * the identity, signs it in again (then `identities` holds the new headers) or declares it dead.
 */
export interface IdentityGuard {
  /** the generation of the headers `identities` holds for `name` now */
  generation(name: string): number;
  /** why `name` can no longer be used, if it cannot */
  dead(name: string): string | undefined;
  trouble(name: string, generation: number, status: number, answeredAt: number): Promise<IdentityVerdict>;
}

/** The reason of a case not run (or not judged) because its identity stopped working. */
export function identityStopped(name: string, why: string): string {
  return `identity ${name} ${why}: its cases are not run`;
}

const suspicious = (status: number) => status === 401 || status >= 500;

/** The identity's own credentials went out unchanged (no probe replaced or removed them). */
function ownCredentials(template: RequestTemplate, built: BuiltRequest, headers: Record<string, string> | undefined): boolean {
  if (!headers || built.identity === null) return false;
  const names = Object.keys(headers).map((h) => h.toLowerCase());
  const touched = new Set([...(template.removeHeaders ?? []), ...Object.keys(template.headers ?? {})].map((h) => h.toLowerCase()));
  return names.length > 0 && !names.some((h) => touched.has(h));
}

interface Stop {
  status: Exclude<CaseStatus, "passed" | "failed">;
  reason: string;
}

export async function runCase(testCase: TestCase, env: RunEnv): Promise<CaseResult> {
  const started = now();
  const variables: Record<string, unknown> = { ...(env.variables ?? {}) };
  const declared = new Set<string>();
  for (const step of testCase.steps) {
    for (const name in step.extract) declared.add(name);
    for (const name in step.instead?.extract) declared.add(name);
  }
  const records: Record<string, StepRecord> = {};
  const order: string[] = [];
  let stop: Stop | undefined;
  // steps whose connection the target closed without an answer while it kept serving
  const dropped: CheckOutcome[] = [];
  // preconditions answered 5xx, twice (the second time alone): judged though they carry no checks
  const setupErrors = new Set<string>();
  // a 5xx answered to an identity the run then found lost: only not_a_server_error is judged on it
  const lostIdentityErrors = new Set<string>();
  let lostAfter: string | undefined;
  // a precondition that crashed twice and was sent again with its second body: the crash, and that second record
  let crashed: { built: BuiltRequest; sent: Awaited<ReturnType<typeof send>>; startedAt: string } | undefined;
  const crashes: Record<string, StepRecord> = {};

  // a step answered 5xx is followed by the one to send in its place (Step.instead)
  // an Idempotency-Key (or another key unique per request) of its own for this case
  const steps = [...withFreshKeys(testCase, env.model, () => new Rng(crypto.getRandomValues(new Uint32Array(1))[0]))];
  // a step that repeats an earlier one (idempotency, replays) must stay identical: never re-rolled.
  // Templates are compared as JSON, written only once a second step comes (most cases have one).
  const sentTemplates = new Set<string>();
  let keyed = 0;
  const repeats = (index: number): boolean => {
    if (index === 0) return false;
    for (; keyed < index; keyed++) sentTemplates.add(JSON.stringify(steps[keyed].request));
    return sentTemplates.has(JSON.stringify(steps[index].request));
  };
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    const repeat = repeats(index);
    let built: BuiltRequest;
    let sent: Awaited<ReturnType<typeof send>>;
    let startedAt = new Date().toISOString();
    try {
      built = await build(step.request, step, env, variables, declared);
      const gone = built.identity !== null ? env.guard?.dead(built.identity) : undefined;
      if (gone !== undefined) {
        stop = { status: "skipped", reason: identityStopped(built.identity!, gone) };
        break;
      }
      const generation = built.identity !== null ? (env.guard?.generation(built.identity) ?? 0) : 0;
      sent = await send(built, env, step);
      if (env.guard && built.identity !== null && sent.response && suspicious(sent.response.status) && ownCredentials(step.request, built, env.identities[built.identity])) {
        const verdict = await env.guard.trouble(built.identity, generation, sent.response.status, Date.now()).catch((): IdentityVerdict => ({ state: "ok", generation }));
        if (verdict.state === "dead") {
          // not judged: a 401 is the consequence of a lost identity, not the operation's answer
          if (sent.response.status < 500) {
            stop = { status: "skipped", reason: identityStopped(built.identity, verdict.reason) };
            break;
          }
          // a 5xx is the server's own failure whatever became of the identity: judged, then the case stops
          lostAfter = identityStopped(built.identity, verdict.reason);
        } else if (verdict.generation > generation) {
          // signed in again meanwhile: the same request once more with the new credentials
          built = await build(step.request, step, env, variables, declared);
          startedAt = new Date().toISOString();
          sent = await send(built, env, step);
        }
      }
      // RFC 9110 §15.6.4: a 503 says the server is overloaded or down for a while (load shedding
      // answers it without handling the request): once more alone, after its Retry-After (at most
      // 5 s) or 1 s, and the second answer is the one used. A burst probing throttling keeps its answers.
      if (lostAfter === undefined && !repeat && sent.response?.status === 503 && !testCase.tags?.includes("rate-limit") && overloadRetries(env)) {
        await new Promise((resolve) => setTimeout(resolve, overloadPauseMs(sent.response!)));
        const again = await alone(resendTenure(env), () => sendRequest(built, sendOptions(env)));
        if (again.response) {
          startedAt = new Date().toISOString();
          sent = again;
        }
        overloadOutcome(env, again.response?.status === 503);
      }
      // a precondition (a setup) answered 5xx: once more alone; a 5xx again is judged, another answer is used
      if (lostAfter === undefined && !repeat && unjudgedServerError(step, sent.response)) {
        const again = await alone(resendTenure(env), () => sendRequest(built, sendOptions(env)));
        if (again.response && again.response.status < 500) {
          startedAt = new Date().toISOString();
          sent = again;
        } else if (again.response) {
          sent = again;
          setupErrors.add(step.id);
        }
      }
      // judged on that crash (below), the precondition is sent once with its second body (another kind
      // of resource): a fault in a parent's create must not stop the tests of what lives below it
      if (setupErrors.has(step.id) && step.request.body?.fuller !== undefined) {
        crashed = { built, sent, startedAt };
        built = await build({ ...step.request, body: { ...step.request.body, value: step.request.body.fuller } }, step, env, variables, declared);
        startedAt = new Date().toISOString();
        sent = await send(built, env, step);
      }
      // a unique field (e-mail, slug, SKU, one the error names …) already taken: once more with fresh values
      if (!repeat && sent.response && isConflict(sent.response)) {
        const fresh = varyConflicting(step.request, sent.response, env.model, findOperation(env.model, String(step.request.method), step.request.path), new Rng(deriveSeed(Date.now(), testCase.id, step.id)), !mayVaryConflict(step));
        if (fresh) {
          built = await build(fresh, step, env, variables, declared);
          startedAt = new Date().toISOString();
          sent = await send(built, env, step);
        }
      }
      // a setup create refused with its lean body (a schema that requires nothing): once with the fuller one
      const fuller = crashed === undefined ? refusedLean(step, repeat, sent.response) : undefined;
      if (fuller) {
        built = await build(fuller, step, env, variables, declared);
        startedAt = new Date().toISOString();
        sent = await send(built, env, step);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const precondition = error instanceof RequestBuildError && error.reason === "missing-variable";
      // an identity that stopped working earlier in the run is no longer handed to the executor
      const named = error instanceof RequestBuildError ? error.identity : undefined;
      const gone = named !== undefined ? env.guard?.dead(named) : undefined;
      if (named !== undefined && gone !== undefined) stop = { status: "skipped", reason: identityStopped(named, gone) };
      else stop = { status: precondition ? "skipped" : "errored", reason: `step ${step.id}: request not sent: ${message}` };
      break;
    }

    const retimed = retimeLimit(sent, step, env) === undefined ? undefined : await retime(built, sent, step, env);
    const exchange = exchangeOf(step.id, built, sent, startedAt);
    if (retimed) exchange.retimedMs = retimed;
    // a URL the API handed out (a Location) is answered by the documented operation it addresses
    const addressed = isHandedOutPath(step.request.path) ? operationAddressed(env.model, built.method, built.url, env.baseUrl) : undefined;
    if (addressed) exchange.operationId = addressed.operationId;
    records[step.id] = { step, operation: findOperation(env.model, built.method, step.request.path) ?? addressed, request: built, exchange };
    order.push(step.id);
    if (crashed) {
      // the crash is judged and reproduced (its exchange comes first); the second body's is the step's record
      crashes[step.id] = { ...records[step.id], request: crashed.built, exchange: exchangeOf(step.id, crashed.built, crashed.sent, crashed.startedAt) };
      crashed = undefined;
    }
    if (lostAfter !== undefined) {
      lostIdentityErrors.add(step.id);
      stop = { status: "skipped", reason: lostAfter };
      break;
    }

    if (sent.quietStreamMs !== undefined) {
      // documented as a stream, it sent nothing yet (a watch with no event): nothing to judge, no failure
      stop = { status: "skipped", reason: `step ${step.id}: documented as a stream, it sent nothing (not even a status) within ${sent.quietStreamMs} ms: not judged` };
      break;
    }
    if (sent.error || !sent.response) {
      const cut = await cutBody(built, sent, env);
      if (cut) dropped.push({ stepId: step.id, status: "failed", ...cut });
      const crash = await droppedConnection(built, sent, env);
      if (crash) dropped.push({ stepId: step.id, status: "failed", ...crash });
      const hang = stoppedTarget(built, sent, env);
      if (hang) dropped.push({ check: "max_response_time", stepId: step.id, status: "failed", message: hang, signature: "liveness", severity: "high" });
      stop = { status: "errored", reason: `step ${step.id}: ${sent.error ?? "no response"}` };
      break;
    }
    const missing = extractVariables(step.extract ?? {}, built, sent.response, variables);
    if (step.requireSuccess) {
      if (sent.response.status >= 500 && step.instead && !records[step.instead.id]) {
        steps.splice(index + 1, 0, step.instead);
        continue;
      }
      if (sent.response.status >= 400) {
        stop = { status: "skipped", reason: `step ${step.id} (precondition) answered ${sent.response.status}` };
        break;
      }
      if (missing.length > 0) {
        stop = { status: "skipped", reason: `step ${step.id} (precondition): nothing to extract for ${missing.join(", ")}` };
        break;
      }
    }
  }

  const caseOperation = operationById(env.model, testCase.operationId);
  const checks: CheckOutcome[] = [...dropped];
  // a crashed precondition sent again with its second body: the crash is judged first, under the same step
  const judged = order.flatMap((id) => (crashes[id] ? [{ id, record: crashes[id], crash: true }, { id, record: records[id], crash: false }] : [{ id, record: records[id], crash: false }]));
  for (const { id, record, crash } of judged) {
    const response = record.exchange.response;
    // every documented success is held to its schema, whoever sent the request (the fuzzer's too)
    const implicit = response && response.status >= 200 && response.status < 300 && !record.step.checks.some((c) => c.name === "response_schema_conformance") ? [{ name: "response_schema_conformance" } as CheckSpec] : [];
    // every successful read is examined for exposed secrets, whoever sent it (a read with include=owner is not the exposure probe's)
    if (response && response.status >= 200 && response.status < 300 && record.request.method.toUpperCase() === "GET" && !record.step.checks.some((c) => c.name === "excessive_data_exposure")) implicit.push({ name: "excessive_data_exposure" });
    // a request that stopped the whole target is judged whichever agent sent it
    if (record.exchange.liveness?.confirmed && !record.step.checks.some((c) => c.name === "max_response_time")) implicit.push({ name: "max_response_time" });
    if (setupErrors.has(id) && !crashes[id]) implicit.push({ name: "not_a_server_error" });
    const specs = crash || lostIdentityErrors.has(id) ? [{ name: "not_a_server_error" } as CheckSpec] : [...record.step.checks, ...implicit];
    for (const spec of specs) {
      if (dropped.some((d) => d.stepId === id && d.check === spec.name)) continue; // judged already
      if (!response || record.exchange.error) {
        checks.push({ check: spec.name, stepId: id, status: "skipped", message: `no complete response: ${record.exchange.error ?? "none"}` });
        continue;
      }
      const judging = judge(spec, {
        model: env.model,
        testCase,
        caseOperation,
        step: record.step,
        operation: record.operation,
        params: spec.params ?? {},
        request: record.request,
        exchange: record.exchange,
        response,
        steps: records,
        order,
        variables,
        config: { maxResponseTimeMs: env.config.maxResponseTimeMs },
      });
      const outcome = judging instanceof Promise ? await judging : judging;
      if (outcome.status === "failed" && spec.name === "not_a_server_error" && setupErrors.has(id)) outcome.message = `${outcome.message} (a precondition of this case; sent again alone, it answered ${response.status} again)`;
      checks.push(outcome);
    }
  }

  if (env.onSuccess) {
    for (const id of order) {
      const { operation, request, exchange } = records[id];
      const response = exchange.response;
      if (operation && response && !exchange.error && !response.bodyTruncated && response.status >= 200 && response.status < 300) {
        env.onSuccess({ operationId: operation.operationId, request, response });
      }
    }
  }

  // longest first, so that no secret is replaced inside another
  const sentRecords = judged.map((entry) => entry.record);
  const secrets = [...collectSecrets(env.identities), ...(env.retired ?? []).flatMap(collectSecrets), ...chosenSecrets(sentRecords)].sort((a, b) => b.value.length - a.value.length);
  const exchanges = sentRecords.map(({ exchange: raw }) => {
    const id = raw.stepId;
    const redacted: Exchange = { stepId: id, request: redactRequest(raw.request, secrets) };
    if (raw.startedAt) redacted.startedAt = raw.startedAt;
    if (raw.liveness) redacted.liveness = raw.liveness;
    if (raw.retimedMs) redacted.retimedMs = raw.retimedMs;
    if (raw.operationId) redacted.operationId = raw.operationId;
    if (raw.response) redacted.response = redactResponse(raw.response, secrets);
    if (raw.error) redacted.error = raw.error;
    if (raw.failure) redacted.failure = raw.failure;
    return redacted;
  });

  const failed = checks.some((c) => c.status === "failed");
  // A body cut at the size cap cannot be fully judged: unless a check already proved a bug, the
  // case is errored with the reason rather than passed on half the evidence.
  if (!failed && !stop) {
    const cut = order.find((id) => records[id].exchange.response?.bodyTruncated);
    if (cut) {
      stop = { status: "errored", reason: `step ${cut}: response body larger than ${env.config.maxBodyBytes} bytes; read that much, cancelled the rest, not judged` };
    }
  }
  const result: CaseResult = {
    caseId: testCase.id,
    agent: testCase.agent,
    operationId: testCase.operationId,
    status: failed ? "failed" : (stop?.status ?? "passed"),
    exchanges,
    checks,
    durationMs: Math.round((now() - started) * 100) / 100,
  };
  if (stop) result.reason = stop.reason;
  return result;
}

/** The record of one request as sent and answered. */
function exchangeOf(stepId: string, built: BuiltRequest, sent: Awaited<ReturnType<typeof send>>, startedAt: string): Exchange {
  const exchange: Exchange = { stepId, request: { method: built.method, url: built.url, headers: built.headers, body: built.body }, startedAt };
  if (built.body === undefined) delete exchange.request.body;
  if (sent.response) exchange.response = sent.response;
  if (sent.error) exchange.error = sent.error;
  if (sent.failure) exchange.failure = sent.failure;
  if (sent.liveness) exchange.liveness = sent.liveness;
  return exchange;
}

function build(template: TestCase["steps"][number]["request"], step: TestCase["steps"][number], env: RunEnv, variables: Record<string, unknown>, declared: Set<string>): Promise<BuiltRequest> {
  return buildRequest(template, {
    baseUrl: env.baseUrl,
    variables,
    declaredVariables: declared,
    identities: env.identities,
    defaultIdentity: env.defaultIdentity,
    placeCredentials: (headers) => placeCredentials(env.model, findOperation(env.model, String(step.request.method), step.request.path), headers),
  });
}

/** "GET /items/{id}": the key of an operation's latency baseline */
const operationKeyOf = (step: TestCase["steps"][number]) => `${String(step.request.method).toUpperCase()} ${step.request.path}`;

/** The case's send options, made once per env (a case sends each request with them, several times over). */
const sendOptionsOf = new WeakMap<RunEnv, SendOptions>();
function sendOptions(env: RunEnv): SendOptions {
  let options = sendOptionsOf.get(env);
  if (!options) sendOptionsOf.set(env, (options = { fetch: env.fetch, timeoutMs: env.config.timeoutMs, maxBodyBytes: env.config.maxBodyBytes, retries: env.config.retries, retryDelayMs: env.config.retryDelayMs }));
  return options;
}

/** A request sent again alone: its own attempts, and one request's time to get a connection slot. */
function resendTenure(env: RunEnv): Tenure {
  return { ms: sendBoundMs(sendOptions(env)) + env.config.timeoutMs, signal: env.signal };
}

/** A send through the liveness gate: its attempts, the probe sent when it stalls, and one request's time to get a connection slot. */
function watchTenure(env: RunEnv, stallMs: number): Tenure {
  return { ms: sendBoundMs(sendOptions(env)) + stallMs + 2 * env.config.timeoutMs, signal: env.signal };
}

/** Repeats of an answer slower than its budget (see retime). */
export const RETIME_REPEATS = 2;

/**
 * An answer slower than the step's max_response_time budget is measured again before it is
 * judged: the same request sent again right away, up to RETIME_REPEATS times, stopping at the
 * first repeat within the budget. One slow answer on a
 * loaded host is noise; a finding must reproduce. Only repeats answering the same status count
 * (a create sent again may answer 409 at once: other work). Not for the backtracking probe
 * (it has its own repeats) nor for a request that stopped the target (liveness judged it).
 */
async function retime(built: BuiltRequest, sent: Sent, step: TestCase["steps"][number], env: RunEnv): Promise<number[] | undefined> {
  const limit = retimeLimit(sent, step, env);
  const response = sent.response;
  if (limit === undefined || !response) return undefined;
  const times: number[] = [];
  for (let n = 0; n < RETIME_REPEATS; n++) {
    // not through the liveness gate's `alone`: that would hold every other request of the run
    const again = await sendRequest(built, sendOptions(env));
    if (!again.response || again.response.status !== response.status) continue;
    times.push(Math.round(again.response.durationMs));
    if (again.response.durationMs <= limit) break;
  }
  return times;
}

/** The step's max_response_time budget when its answer took longer (see retime), else undefined. */
function retimeLimit(sent: Sent, step: TestCase["steps"][number], env: RunEnv): number | undefined {
  const spec = step.checks.find((c) => c.name === "max_response_time");
  const response = sent.response;
  if (!spec || !response || sent.error || sent.liveness?.confirmed || spec.params?.redos === true) return undefined;
  const limit = typeof spec.params?.limitMs === "number" ? spec.params.limitMs : env.config.maxResponseTimeMs;
  return limit === undefined || response.durationMs <= limit ? undefined : limit;
}

/** A connection closed without an answer: the request had reached the server. */
const CLOSED = new Set<FailureKind>(["lost", "reset"]);

async function send(built: BuiltRequest, env: RunEnv, step: TestCase["steps"][number]) {
  const operation = operationKeyOf(step);
  // the first close without an answer, as it happens (retries hide it): when a target dies, which
  // requests were already in flight is decided by it (target-watch.ts)
  let closed: FailureKind | undefined;
  const fetch: FetchLike = (url, init) =>
    env.fetch(url, init).catch((error: unknown) => {
      if (!init.signal?.aborted) {
        closed ??= failureKindOf(error);
        env.target?.closed();
      }
      throw error;
    });
  // an answer documented as a stream (a watch) may never end: read until it goes quiet, then closed
  const stream = streamsResponses(findOperation(env.model, String(step.request.method), step.request.path));
  const options = { ...sendOptions(env), fetch, ...(stream ? { streamWindowMs: STREAM_WINDOW_MS } : {}) };
  // any answer to a credential-less GET of the base URL shows the target is still serving
  const probe = async () => {
    const result = await sendRequest({ method: "GET", url: env.baseUrl, headers: {} }, { ...sendOptions(env), maxBodyBytes: 1024, retries: 0 });
    return { status: result.response?.status, error: result.error };
  };
  const sentAt = Date.now();
  const ticket = env.target?.sent(sentAt);
  const stallMs = env.config.stallMs ?? DEFAULT_STALL_MS;
  const sent = await sendWatched(() => sendRequest(built, options), probe, env.baseUrl, { stallMs, tenure: watchTenure(env, stallMs) });
  if (!env.target || ticket === undefined) return { ...sent, closed };
  if (sent.quietStreamMs !== undefined) {
    env.target.unanswered(ticket, "other");
    return sent;
  }
  if (sent.response) {
    env.target.answered(ticket, sentAt + sent.response.durationMs);
    // the operation's usual answer time, before this one counts: a stop that long is not this input's doing
    const typical = sent.liveness?.confirmed ? env.target.typical(operation) : undefined;
    env.target.took(operation, sent.response.durationMs);
    if (typical !== undefined) return { ...sent, liveness: { ...sent.liveness!, typicalMs: Math.round(typical) } };
    return sent;
  }
  const how: NoAnswer = sent.failure === "timeout" ? "timeout" : closed && CLOSED.has(closed) ? "dropped" : "other";
  const unanswered: Unanswered = env.target.unanswered(ticket, how);
  return { ...sent, unanswered, closed };
}

type Sent = Awaited<ReturnType<typeof send>>;

/**
 * A connection closed without any answer (after the client's retry) is a crash of the request's
 * handler when the target still answers a probe right after: a panic the server recovered by
 * dropping the connection, a worker killed by this input (not_a_server_error). When the probe gets
 * no answer either, the target went down with the request in flight: a denial-of-service finding
 * if the request was in flight when it went (diedWith). A target unreachable for other reasons
 * (refused from the start, timeout, DNS, TLS) is the circuit breaker's case, not a finding.
 */
async function droppedConnection(built: BuiltRequest, sent: Sent, env: RunEnv): Promise<Omit<CheckOutcome, "stepId" | "status"> | undefined> {
  const failure = ("closed" in sent ? sent.closed : undefined) ?? sent.failure;
  if (failure === undefined || !CLOSED.has(failure)) return undefined;
  const probe = await probeTarget(env.baseUrl, { fetch: env.fetch, timeoutMs: Math.min(env.config.timeoutMs, 5000) });
  if (!probe.alive) {
    const message = diedWith(built, sent, probe, failure);
    return message ? { check: "max_response_time", message, signature: "liveness", severity: "high" } : undefined;
  }
  // once more with nothing else of this isolate in flight: a loaded target (or stale keep-alive
  // connections) can drop requests in a burst, a handler that crashes on this input drops it again
  const again = await alone(resendTenure(env), () => sendRequest(built, sendOptions(env)));
  if (again.response || (again.failure !== "lost" && again.failure !== "reset")) return undefined;
  const message = `${built.method.toUpperCase()} ${new URL(built.url).pathname} got no answer: the connection was closed (${failure}) on every attempt, again when sent alone, while the target kept serving (GET ${env.baseUrl} answered ${probe.status})`;
  return { check: "not_a_server_error", message, signature: "no-answer" };
}

/** A body whose read failed after the status and headers came (not a timeout, not our size cap). */
function cutOff(result: { response?: ReceivedResponse; error?: string }): boolean {
  return !!result.response?.bodyTruncated && result.error !== undefined && !result.error.startsWith("timeout");
}

/**
 * An answer whose body was cut: the status and headers came, then the connection closed before
 * the body ended (a handler that crashed while writing it). A server failure when it happens again
 * sent alone while the target keeps answering a probe; a target that went down is liveness's case.
 */
async function cutBody(built: BuiltRequest, sent: Sent, env: RunEnv): Promise<Omit<CheckOutcome, "stepId" | "status"> | undefined> {
  if (!sent.response || !cutOff(sent)) return undefined;
  const probe = await probeTarget(env.baseUrl, { fetch: env.fetch, timeoutMs: Math.min(env.config.timeoutMs, 5000) });
  if (!probe.alive) return undefined;
  const again = await alone(resendTenure(env), () => sendRequest(built, sendOptions(env)));
  if (!again.response || !cutOff(again)) return undefined;
  const { status, bodySize } = sent.response;
  const message = `${built.method.toUpperCase()} ${new URL(built.url).pathname} answered ${status}, then the connection closed before the body ended (${bodySize} bytes read; ${sent.error}), again when sent alone, while the target kept serving (GET ${env.baseUrl} answered ${probe.status}): the response was cut`;
  return { check: "not_a_server_error", message, signature: "cut-body" };
}

/**
 * The request's connection closed without an answer and right after, the target answered nothing:
 * it went down (a process that exits on this input closes every connection, then refuses new
 * ones). Named when it was in flight at that moment (target-watch.ts): sent while the target still
 * answered, before the outage's first close. Which of several such requests took it down is
 * decided after the run (runs/stopped-target.ts).
 */
function diedWith(built: BuiltRequest, sent: Sent, probe: Extract<ProbeResult, { alive: false }>, failure: FailureKind): string | undefined {
  const verdict = "unanswered" in sent ? sent.unanswered : undefined;
  if (!verdict?.suspect) return undefined;
  const n = verdict.alongside;
  const alongside = n > 0 ? ` ${n} other request${n === 1 ? " was" : "s were"} in flight with it and got no answer either: the target went down on one of them.` : "";
  return `${built.method.toUpperCase()} ${new URL(built.url).pathname} got no answer: its connection was closed (${failure}) while it was in flight, and from then on the target answered nothing (a probe of its base URL right after: ${probe.failure.message}), though it had answered other requests until then.${alongside} Denial of service: one such request can take the whole target down for every client`;
}

/**
 * A request that got no answer in time while the probe got none either, sent while the target
 * still answered others (target-watch.ts): the target stopped with it in flight. The repeat-alone
 * confirmation is not possible now (the target no longer answers; the circuit breaker takes over),
 * so the finding says what was seen, and how many other requests were in flight with it (each
 * named too: from outside, which of them stopped it cannot be told yet). After the run, once the
 * target answers again, each is replayed alone and only those that stop it again are reported
 * (runs/stopped-target.ts). A target down from the start, or one that had stopped before the
 * request was sent, names nobody.
 */
function stoppedTarget(built: BuiltRequest, sent: Sent, env: RunEnv): string | undefined {
  const live = sent.liveness;
  const verdict = "unanswered" in sent ? sent.unanswered : undefined;
  if (sent.response || sent.failure !== "timeout" || !live?.blocked || live.probeStatus !== undefined || !verdict?.suspect) return undefined;
  const n = verdict.alongside;
  const alongside = n > 0 ? ` ${n} other request${n === 1 ? " was" : "s were"} in flight with it and got no answer either: the target stopped on one of them.` : "";
  return `${built.method.toUpperCase()} ${new URL(built.url).pathname} got no answer in ${env.config.timeoutMs} ms, and the target stopped answering while it was in flight: a probe GET ${live.probeUrl} sent ${env.config.stallMs ?? DEFAULT_STALL_MS} ms after it got no answer either (${live.probeError ?? "none"}), though the target had answered other requests until then.${alongside} Denial of service: one such request can stop the whole target for every client`;
}

/**
 * The step's template with its fuller body, when the step must succeed and its body was refused
 * as invalid (400/422, not a conflict): the schema required nothing, the server needed more.
 */
export function refusedLean(step: TestCase["steps"][number], repeat: boolean, response: ReceivedResponse | undefined): RequestTemplate | undefined {
  const body = step.request.body;
  if (repeat || !step.requireSuccess || body?.fuller === undefined || !response) return undefined;
  if ((response.status !== 400 && response.status !== 422) || isConflict(response)) return undefined;
  return { ...step.request, body: { ...body, value: body.fuller } };
}

/** Re-sent 503s answered 503 again, per run (its cases share `target`, else `config`): after three, a 503 is the target's answer. */
const persistent503 = new WeakMap<object, number>();
const overloadRetries = (env: RunEnv) => (persistent503.get(env.target ?? env.config) ?? 0) < 3;
function overloadOutcome(env: RunEnv, stillUnavailable: boolean): void {
  const key = env.target ?? env.config;
  persistent503.set(key, stillUnavailable ? (persistent503.get(key) ?? 0) + 1 : 0);
}

/** Retry-After as seconds or an HTTP date, at most 5 s; 1 s without one. */
function overloadPauseMs(response: ReceivedResponse): number {
  const value = header(response.headers, "retry-after")?.trim();
  const seconds = value === undefined ? Number.NaN : /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), 5) * 1000 : 1000;
}

/**
 * A precondition (requireSuccess, no not_a_server_error of its own: a setup create, a listing)
 * answered 5xx. Such a step used to stop the chain unjudged, so a create that fails on the values
 * the run chose was never reported.
 */
function unjudgedServerError(step: TestCase["steps"][number], response: ReceivedResponse | undefined): boolean {
  return !!step.requireSuccess && !!response && response.status >= 500 && !step.checks.some((c) => c.name === "not_a_server_error");
}

/** Stores extracted values in `variables`; returns the names that found nothing. */
function extractVariables(extract: Record<string, Extraction>, request: BuiltRequest, response: ReceivedResponse, variables: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const [name, extraction] of Object.entries(extract)) {
    const value = extractValue(extraction, request, response, variables);
    if (value === undefined || value === null || value === "") missing.push(name);
    else variables[name] = value;
  }
  return missing;
}

/** `value` reduced to the properties `pick` names, at every depth it names (each item of an array alike). */
function picked(value: unknown, pick: PickList): unknown {
  if (Array.isArray(value)) return value.map((item) => picked(item, pick));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const entry of pick) {
    const [key, nested] = typeof entry === "string" ? [entry, undefined] : entry;
    if (record[key] === undefined || record[key] === null) continue;
    out[key] = nested === undefined ? record[key] : picked(record[key], nested);
  }
  return out;
}

export function extractValue(extraction: Extraction, request: { url: string; body?: string }, response: ReceivedResponse, variables: Record<string, unknown> = {}): unknown {
  switch (extraction.from) {
    case "request":
      return getByPointer(sentJson(request.body), extraction.pointer);
    case "foreign":
      return foreignValue(extraction, jsonValue(response), variables);
    case "body": {
      const value = getByPointer(jsonValue(response), extraction.pointer);
      if (!extraction.pick) return value;
      if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
      return picked(value, extraction.pick);
    }
    case "status":
      return response.status;
    case "header": {
      const value = header(response.headers, extraction.name);
      // Location is relative to the request URL (RFC 9110): store it resolved, ready to request
      if (value !== undefined && extraction.name.toLowerCase() === "location") return resolveUrl(value, request.url) ?? value;
      return value;
    }
    case "cookie":
      return setCookieValue(header(response.headers, "set-cookie"), extraction.name);
    case "location-id": {
      const location = header(response.headers, "location");
      const resolved = location === undefined ? undefined : resolveUrl(location, request.url);
      return resolved ? lastSegment(resolved) : undefined;
    }
    case "path-id":
      return lastSegment(request.url);
    default:
      return undefined;
  }
}

/** The last segment of a URL's path, decoded. */
function lastSegment(url: string): string | undefined {
  const segment = new URL(url).pathname.split("/").filter(Boolean).pop();
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The value a Set-Cookie header sets for cookie `name` (several headers arrive joined by ", "). */
export function setCookieValue(setCookie: string | undefined, name: string): string | undefined {
  if (setCookie === undefined) return undefined;
  for (const part of setCookie.split(/,\s*(?=[^;,=\s]+=)/)) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).split(";")[0].trim();
  }
  return undefined;
}

function sentJson(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const scalar = (value: unknown): string | undefined => (typeof value === "string" || typeof value === "number" ? String(value) : undefined);

function foreignValue(extraction: Extract<Extraction, { from: "foreign" }>, body: unknown, variables: Record<string, unknown>): unknown {
  const own = extraction.notOwners.map((name) => scalar(variables[name])).filter((v): v is string => v !== undefined);
  if (own.length === 0) return undefined;
  const list = getByPointer(body, extraction.array);
  if (!Array.isArray(list)) return undefined;
  for (const item of list.slice(0, 500)) {
    const owner = scalar(getByPointer(item, extraction.owner));
    if (owner === undefined || own.includes(owner)) continue;
    const value = getByPointer(item, extraction.value);
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

function resolveUrl(value: string, base: string): string | undefined {
  try {
    return new URL(value, base).toString();
  } catch {
    return undefined;
  }
}
