/**
 * The executor: the TASKS queue consumer and its dead-letter consumer. For each task message it
 * asks the run's Durable Object for its RunContext, runs the cases not yet recorded, writes
 * each result (and its findings) once, and reports the task done. A case that throws becomes an
 * errored result; only infrastructure failures (D1, R2, the Durable Object) retry the message.
 */
import { DEADLINE_REASON, DELIVERY_FAILED_REASON, type ApiModel, type CaseResult, type RunContext, type TargetReport, type TaskSummary } from "../model";
import type { Observation } from "../ai/invariants/observe";
import { runStub } from "../runs/stub";
import { BEAT_MS } from "../runs/watchdog";
import { getOrg } from "../storage/orgs-repo";
import { observationInserts } from "../storage/observations-repo";
import { existingCaseIds, writeRenderedOutcomes, writeUnrunResults, type CaseStub } from "../storage/results-repo";
import { checkAddress } from "../shared/address-policy";
import { log } from "../shared/log";
import { timeline } from "../shared/timeline";
import { coalescer } from "./coalesce";
import { circuitAllows, errorText, executeCase, identityGuard, storedCase, type CaseHead, type CaseScope, type RunPort, type StoredCase } from "./case-runner";
import { observationCollector } from "./observations";
import { abortableFetch, createThrottle, DEFAULT_CONCURRENCY, disciplinedFetch, mapWithConcurrency, Semaphore } from "./outbound";
import { executeRemotely, executorEndpoint } from "./process-client";
import { remotePool, type PoolTicket } from "./remote-pool";
import { settledCache } from "./settled-cache";
import { watchRegistry } from "./target-watch";
import { looseTaskRef, messageBody, parseTaskMessage, type TaskMessage } from "../runs/task-messages";

/**
 * Operation models by R2 key, per isolate: a run's messages reuse one parsed model. Only a loaded
 * model is shared; an invocation that finds none reads it itself (settled-cache.ts: a read another
 * invocation started dies with that invocation).
 */
const modelCache = settledCache<ApiModel | null>(8);

function loadModel(env: Env, key: string): Promise<ApiModel | null> {
  return modelCache.get(key, async () => {
    const object = await env.BLOBS.get(key);
    return object ? ((await object.json()) as ApiModel) : null;
  });
}

function stub(c: { id: string; agent: string; operationId: string }): CaseStub {
  return { id: c.id, agent: c.agent, operationId: c.operationId };
}

function emptySummary(): TaskSummary {
  return { passed: 0, failed: 0, errored: 0, skipped: 0, requests: 0 };
}

/** Shared by every message of one invocation: the Workers limit of 6 connections is per invocation. */
interface Invocation {
  cases: Semaphore;
  connections: Semaphore;
  /** per run: its messages' one call to the executor process (remote-pool.ts); their number shares the connections */
  pools: Map<string, ReturnType<typeof remotePool>>;
  runs: Map<string, Promise<RunSetup | null>>;
  /** this invocation's lease on the tasks it runs (runs/watchdog.ts) */
  lease: string;
  /** per run: the ids of this invocation's tasks, and their leases taken in one call (leaseOf) */
  taskIds: Map<string, string[]>;
  leases: Map<string, Promise<Map<string, { go: boolean; fresh?: boolean }>>>;
}

/** What the messages of one run share within an invocation: its context, model, slots and throttle (case-runner.ts). */
interface RunSetup extends CaseScope {
  model: ApiModel | null;
  /** why the target may not be tested, if it may not */
  refusal?: string;
  slots: Semaphore;
  port: RunPort;
  /** the run's tasks this invocation is running: one beat renews all their leases (beatWhileRunning) */
  running: Set<string>;
  beat?: ReturnType<typeof setInterval>;
  /** a task's last rows, stored and reported done together with the run's other tasks that end close by (storeTaskEnd) */
  storeEnd: (end: TaskEnd) => Promise<void>;
}

/** What a task hands in when its cases ended: its rows not yet written, its observations, its summary so far. */
interface TaskEnd {
  taskId: string;
  outcomes: StoredCase[];
  also: D1PreparedStatement[];
  summary: TaskSummary;
}

/** How long a task's end waits for the run's other tasks of the invocation to end too (one D1 batch and one report). */
const STORE_LINGER_MS = 250;

/** One per run in this isolate, shared by its invocations: a culprit may run in another invocation than the last answer. */
const targetWatch = watchRegistry();

export async function handleTaskBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const invocation: Invocation = {
    cases: new Semaphore(DEFAULT_CONCURRENCY),
    connections: new Semaphore(DEFAULT_CONCURRENCY),
    pools: new Map(),
    runs: new Map(),
    lease: crypto.randomUUID(),
    taskIds: new Map(),
    leases: new Map(),
  };
  const bodies = batch.messages.map((m) => messageBody(m.body));
  timeline(env, "delivered", { lease: invocation.lease, tasks: bodies.map((body) => looseTaskRef(body)?.taskId) });
  // every message's pool ticket is taken before anything is awaited: each run's pool knows how many to wait for
  const tasks = new Set<string>();
  const messages = batch.messages.map((message, i) => {
    const body = bodies[i];
    const parsed = parseTaskMessage(body);
    if (!parsed.ok) return { message, body, parsed };
    // a task delivered twice in one batch runs once: both copies hold this invocation's lease, so the
    // run cannot tell them apart; the first copy's retry (if it fails) delivers it again
    if (tasks.has(parsed.message.taskId)) return { message, body, parsed, duplicate: true };
    tasks.add(parsed.message.taskId);
    const runId = parsed.message.runId;
    invocation.taskIds.set(runId, [...(invocation.taskIds.get(runId) ?? []), parsed.message.taskId]);
    let pool = invocation.pools.get(runId);
    if (!pool) invocation.pools.set(runId, (pool = remotePool()));
    return { message, body, parsed, ticket: pool.ticket() };
  });
  await Promise.all(
    messages.map(async ({ message, body, parsed, ticket, duplicate }) => {
      try {
        if (!duplicate) await processMessage(body, parsed, env, invocation, ticket);
        message.ack();
      } catch (error) {
        log("error", "task message failed; retrying", { queue: batch.queue, messageId: message.id, attempts: message.attempts, error: errorText(error) });
        message.retry();
      }
    }),
  );
  timeline(env, "returned", { lease: invocation.lease });
}

function runSetup(env: Env, invocation: Invocation, runId: string): Promise<RunSetup | null> {
  let setup = invocation.runs.get(runId);
  if (!setup) {
    setup = prepareRun(env, invocation, runId);
    setup.catch(() => invocation.runs.delete(runId));
    invocation.runs.set(runId, setup);
  }
  return setup;
}

async function prepareRun(env: Env, invocation: Invocation, runId: string): Promise<RunSetup | null> {
  const ctx = await runStub(env, runId).getRunContext();
  if (!ctx) return null;
  const retired: Record<string, Record<string, string>>[] = [];
  const stop = new AbortController();
  // a stub per call, as everywhere here: a stub that saw its object reset stays broken
  const port: RunPort = {
    circuitState: () => runStub(env, runId).circuitState(),
    identityTrouble: (name, generation, status, answeredAt) => runStub(env, runId).identityTrouble(name, generation, status, answeredAt),
  };
  const ended = new Set<string>();
  const setup: RunSetup = {
    port,
    guard: identityGuard(port, ctx, retired),
    retired,
    ctx,
    model: null,
    slots: new Semaphore(ctx.limits.concurrency),
    fetch: disciplinedFetch(abortableFetch((input, init) => fetch(input, init), stop.signal), {
      allowedOrigin: new URL(ctx.baseUrl).origin,
      semaphore: invocation.connections,
      throttle: createThrottle(ctx.limits.rps),
      maxHoldMs: ctx.limits.timeoutMs + 5000,
    }),
    circuit: ctx.circuit ?? { state: "closed", failures: 0, opened: 0 },
    target: targetWatch(runId),
    stop,
    running: new Set(),
    storeEnd: (end) => {
      ended.add(end.taskId);
      return store(end);
    },
  };
  // the invocation's other tasks of this run that still run will end soon or late: a write waits
  // for them at most STORE_LINGER_MS, and goes at once once every one of them has ended
  const store = coalescer((ends: TaskEnd[]) => storeTaskEnds(env, setup, runId, ends), {
    lingerMs: STORE_LINGER_MS,
    allIn: () => [...setup.running].every((taskId) => ended.has(taskId)),
  });
  if (!ctx.active) return setup;
  // both before the first case: asked together
  [setup.model, setup.refusal] = await Promise.all([loadModel(env, ctx.modelKey), targetRefusal(env, ctx)]);
  return setup;
}

/**
 * This task's lease. The run's tasks of this invocation take theirs in one call (the TestRun
 * answers its calls one at a time: one call per task queued them behind each other), asked
 * beside the run's context rather than after it. A run not running leases nothing.
 */
async function leaseOf(env: Env, invocation: Invocation, task: TaskMessage): Promise<{ go: boolean; fresh?: boolean }> {
  let leases = invocation.leases.get(task.runId);
  if (!leases) {
    const ids = invocation.taskIds.get(task.runId) ?? [task.taskId];
    leases = runStub(env, task.runId)
      .tasksStarted(ids, invocation.lease)
      .then((answers) => new Map(ids.map((id, i) => [id, answers[i] ?? { go: false }])));
    // a failed call is asked again by the next task that needs it (its message is retried otherwise)
    leases.catch(() => invocation.leases.delete(task.runId));
    invocation.leases.set(task.runId, leases);
  }
  return (await leases).get(task.taskId) ?? { go: false };
}

async function processMessage(body: unknown, parsed: ReturnType<typeof parseTaskMessage>, env: Env, invocation: Invocation, ticket?: PoolTicket): Promise<void> {
  try {
    if (!parsed.ok) return await settleUnreadable(body, env, `invalid task message: ${parsed.error}`);
    await processTask(parsed.message, env, invocation, ticket!);
  } finally {
    // a task that did not join its run's pool (dropped, refused, failed) must not hold the others
    ticket?.leave();
  }
}

async function processTask(task: TaskMessage, env: Env, invocation: Invocation, ticket: PoolTicket): Promise<void> {
  const lease = leaseOf(env, invocation, task);
  lease.catch(() => {}); // awaited below unless the run is unknown or over (its failure then matters not)
  const setup = await runSetup(env, invocation, task.runId);
  if (!setup) {
    log("warn", "task for an unknown run dropped", { runId: task.runId, taskId: task.taskId });
    return;
  }
  const { ctx } = setup;
  if (!ctx.active) return; // cancelled or over: the run settled these cases itself

  // a live executor already runs this task (a duplicate delivery), or it is done: drop this copy
  const started = await lease;
  timeline(env, "started", { task: task.taskId, go: started.go });
  if (!started.go) return;
  const stopBeating = beatWhileRunning(env, invocation, setup, task);
  const deadline = ctx.deadlineAt === undefined ? undefined : setTimeout(() => setup.stop.abort(new Error(DEADLINE_REASON)), Math.max(0, ctx.deadlineAt - Date.now()));
  try {
    await runTask(env, invocation, setup, task, started.fresh === true, ticket);
  } finally {
    stopBeating();
    clearTimeout(deadline);
  }
}

/**
 * Renews the task's lease while it runs: a reload that kills this invocation lets the run send the
 * task again; an answer that the run is over (cancelled, ended) stops the run's tasks at once. One
 * beat for all of the run's tasks running in this invocation. A stub per beat: one kept across a
 * restart of the TestRun stays broken, and every later beat would fail. Returns: this task ended.
 */
function beatWhileRunning(env: Env, invocation: Invocation, setup: RunSetup, task: TaskMessage): () => void {
  setup.running.add(task.taskId);
  setup.beat ??= setInterval(() => {
    runStub(env, task.runId)
      .taskBeat([...setup.running], invocation.lease)
      .then(({ active }) => active || setup.stop.abort(new Error("run over")))
      .catch((error: unknown) => log("warn", "task beat not delivered", { runId: task.runId, error: errorText(error) }));
  }, BEAT_MS);
  return () => {
    setup.running.delete(task.taskId);
    if (setup.running.size > 0) return;
    clearInterval(setup.beat);
    setup.beat = undefined;
  };
}

async function runTask(env: Env, invocation: Invocation, setup: RunSetup, task: TaskMessage, fresh: boolean, ticket: PoolTicket): Promise<void> {
  const { ctx, model } = setup;
  const summary = emptySummary();
  const settle = async (reason: string) => {
    ticket.leave();
    summary.errored += await writeUnrunResults(env.DB, ctx.orgId, task.runId, task.cases.map(stub), "errored", reason);
    await runStub(env, task.runId).tasksDone([{ taskId: task.taskId, summary }]);
  };
  if (!model) return settle(`the spec's operation model is missing (${ctx.modelKey})`);
  if (setup.refusal) return settle(`target not allowed: ${setup.refusal}`);

  // a redelivered task skips the cases already recorded (one D1 read, not needed on a first delivery)
  const done = fresh ? new Set<string>() : await existingCaseIds(env.DB, task.runId, task.cases.map((c) => c.id));
  const pending = task.cases.filter((c) => !done.has(c.id));
  const outcomes: StoredCase[] = [];
  // one D1 round trip for the whole message, except when the target stops answering: once the
  // circuit trips, the run records every case without a row as skipped, so what is done (the
  // culprit of a hang among it) is written before a failure is reported or a case is held.
  // A redelivery finds the rows and writes nothing twice.
  const flush = async (also: D1PreparedStatement[] = []) => {
    const batch = outcomes.splice(0);
    const written = await writeRenderedOutcomes(env.DB, batch.map(({ outcome }) => outcome), also);
    batch.forEach(({ head }, i) => {
      if (!written[i]) return;
      summary.requests += head.requests;
      summary[head.status] += 1;
    });
  };
  const observations = observationCollector(ctx.identities);
  const remoteObservations: { id: string; observation: Observation }[] = [];
  // a case's whole exchanges go to R2 (when a body was cut in its row) before its rows are written
  const afterCase = async (stored: StoredCase) => {
    if (stored.bodies) await env.BLOBS.put(stored.bodies.key, stored.bodies.json, { httpMetadata: { contentType: "application/json" } });
    outcomes.push(stored);
    if (stored.head.noAnswer || setup.circuit.state !== "closed") await flush();
    await reportTarget(env, task.runId, setup, stored.head);
  };
  let local = pending;
  const endpoint = pending.length > 0 && !setup.stop.signal.aborted ? executorEndpoint(env) : undefined;
  if (!endpoint) ticket.leave(); // at once: the run's other tasks need not wait for this one's cases
  else {
    // the executor process runs the cases, with the other tasks' of this invocation (remote-pool.ts);
    // this one stores each result as it streams in. Whatever it did not answer (it failed or went
    // silent) runs here below, so nothing is lost or run twice.
    const byId = new Map(pending.map((c) => [c.id, c]));
    const answered = new Set<string>();
    timeline(env, "joined", { task: task.taskId, first: pending[0]!.id, cases: pending.length });
    await ticket.join(
      pending,
      {
        result: async ({ head, row, findingRows, bodies }) => {
          const testCase = byId.get(head.caseId);
          if (!testCase || answered.has(testCase.id) || setup.stop.signal.aborted) return;
          answered.add(testCase.id);
          await afterCase({ head, outcome: { orgId: ctx.orgId, runId: task.runId, caseId: head.caseId, row, findingRows }, ...(bodies ? { bodies } : {}) });
        },
        skipped: (caseId) => answered.add(caseId),
        observations: (rows) => remoteObservations.push(...rows),
      },
      (groups, on) => {
        // the run's concurrency (within the invocation's connections), shared by the runs of this invocation
        const concurrency = Math.max(1, Math.floor(Math.min(ctx.limits.concurrency, DEFAULT_CONCURRENCY) / invocation.pools.size));
        const share = { concurrency, rps: ctx.limits.rps && ctx.limits.rps / invocation.pools.size };
        timeline(env, "remote", { first: groups[0]![0]!.id, tasks: groups.length });
        return executeRemotely(endpoint, { ...ctx, circuit: setup.circuit }, model, groups, share, setup.stop.signal, on);
      },
    );
    local = pending.filter((c) => !answered.has(c.id));
    timeline(env, "remoted", { task: task.taskId, answered: answered.size });
  }
  await mapWithConcurrency(local, local.length, async (testCase) => {
    const releaseRun = await setup.slots.acquire();
    const releaseCase = await invocation.cases.acquire();
    let result: CaseResult | undefined;
    try {
      if (setup.circuit.state !== "closed" && outcomes.length > 0) await flush();
      if (await circuitAllows(setup.port, setup)) result = await executeCase(testCase, model, setup, observations);
    } finally {
      releaseCase();
      releaseRun();
    }
    // the circuit tripped, or the run is over: the run records this case (skipped, or deadline exceeded)
    if (result) await afterCase(storedCase(ctx.orgId, task.runId, result, testCase, model));
  });
  // the rest, with the task's observations (for invariant inference), then the report
  await setup.storeEnd({
    taskId: task.taskId,
    outcomes: outcomes.splice(0),
    also: observationInserts(env.DB, ctx.orgId, task.runId, [...remoteObservations, ...observations.rows()]),
    summary,
  });
}

/** Tasks' last rows in one D1 batch, then one report of them done to the run. */
async function storeTaskEnds(env: Env, setup: RunSetup, runId: string, ends: TaskEnd[]): Promise<void> {
  const outcomes = ends.flatMap((end) => end.outcomes);
  const written = await writeRenderedOutcomes(
    env.DB,
    outcomes.map(({ outcome }) => outcome),
    ends.flatMap((end) => end.also),
  );
  let i = 0;
  for (const end of ends) {
    for (const { head } of end.outcomes) {
      if (!written[i++]) continue;
      end.summary.requests += head.requests;
      end.summary[head.status] += 1;
    }
    timeline(env, "stored", { task: end.taskId });
  }
  // a run that is over settles the tasks' unfinished cases itself: a report now would mark them done unrecorded
  if (setup.stop.signal.aborted) return;
  await runStub(env, runId).tasksDone(ends.map(({ taskId, summary }) => ({ taskId, summary })));
}

/** Tell the run about the target: a request without any answer counts toward its circuit; an answer ends a streak. */
async function reportTarget(env: Env, runId: string, setup: RunSetup, head: CaseHead): Promise<void> {
  let report: TargetReport | undefined;
  if (head.noAnswer) report = { failure: head.noAnswer };
  else if (head.answered && setup.circuit.failures > 0) report = { ok: true };
  if (!report) return;
  try {
    setup.circuit = await runStub(env, runId).reportTarget(report);
  } catch (error) {
    log("warn", "target report not delivered", { runId, error: errorText(error) });
  }
}

async function targetRefusal(env: Env, ctx: RunContext): Promise<string | undefined> {
  const org = await getOrg(env.DB, ctx.orgId);
  const verdict = checkAddress(ctx.baseUrl, {
    allowLoopback: env.SENTINEL_ALLOW_LOOPBACK === "true",
    allowPrivate: env.SENTINEL_ALLOW_PRIVATE === "true",
    allowlist: org?.targetAllowlist ?? [],
  });
  return verdict.ok ? undefined : verdict.reason;
}

/** A body that does not validate cannot run; settle whatever cases it names so the run does not wait for its deadline. */
async function settleUnreadable(body: unknown, env: Env, reason: string): Promise<void> {
  const ref = looseTaskRef(body);
  log("error", "unreadable task message", { runId: ref?.runId, taskId: ref?.taskId, reason });
  if (!ref) return;
  await settleTask(env, ref.runId, ref.taskId, ref.caseIds.map((id) => ({ id, agent: "unknown", operationId: "unknown" })), reason);
}

async function settleTask(env: Env, runId: string, taskId: string, cases: CaseStub[], reason: string): Promise<void> {
  const run = runStub(env, runId);
  const ctx = await run.getRunContext();
  if (!ctx) return;
  const summary = emptySummary();
  summary.errored = await writeUnrunResults(env.DB, ctx.orgId, runId, cases, "errored", reason);
  await run.tasksDone([{ taskId, summary }]);
}

/**
 * Messages that failed every retry: each case they carry is recorded as errored ("delivery
 * failed") — unless a result exists already — and the task is reported so the run can end.
 */
export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const body = messageBody(message.body);
        const parsed = parseTaskMessage(body);
        if (parsed.ok) {
          await settleTask(env, parsed.message.runId, parsed.message.taskId, parsed.message.cases.map(stub), DELIVERY_FAILED_REASON);
        } else {
          await settleUnreadable(body, env, DELIVERY_FAILED_REASON);
        }
        message.ack();
      } catch (error) {
        log("error", "dead-letter message failed; retrying", { messageId: message.id, error: errorText(error) });
        message.retry();
      }
    }),
  );
}
