/**
 * The executor process's side (process-protocol.ts): runs a batch of one run's cases as one pool
 * and streams each result back as it ends, and each group's (task's) observations once its last
 * case ended. Per run, this isolate keeps one target watch (which request the
 * target stopped on sees every request of the run sent from here) and one identity guard (headers
 * signed in again stay in use and redacted across batches). Slots and the throttle are per
 * request: workerd cancels a request that waits on a promise only another request can resolve.
 */
import { DEADLINE_REASON, type ApiModel, type RunContext } from "../model";
import { log } from "../shared/log";
import { timeline } from "../shared/timeline";
import { circuitAllows, errorText, executeCase, identityGuard, noAnswer, storedCase, type CaseScope, type RunPort } from "./case-runner";
import { observationCollector } from "./observations";
import { abortableFetch, createThrottle, DEFAULT_CONCURRENCY, disciplinedFetch, mapWithConcurrency, Semaphore } from "./outbound";
import type { IdentityGuard } from "./run-case";
import { watchRegistry, type TargetWatch } from "./target-watch";
import { BEAT_INTERVAL_MS, carriesSecret, caseLines, RUN_CALL_PATH, type ExecuteLine, type ExecuteRequest, type RunCall } from "./process-protocol";

interface ProcessEnv {
  SENTINEL_EXECUTOR_SECRET?: string;
  /** the main process's URL, for the run's answers mid-batch */
  SENTINEL_MAIN_URL?: string;
  SENTINEL_TIMELINE?: string;
}

/** What this isolate keeps per run across batches: identities as last signed in, and the target's watch. */
interface RunState {
  ctx: RunContext;
  guard: IdentityGuard;
  retired: Record<string, Record<string, string>>[];
  target: TargetWatch;
}

const MAX_RUNS = 16;
/** Lines written within this long of each other share a chunk. */
const LINE_BATCH_MS = 5;
const runs = new Map<string, RunState>();
const models = new Map<string, ApiModel>();
const watch = watchRegistry(MAX_RUNS);

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_RUNS) map.delete(map.keys().next().value!);
  return value;
}

/** The run's answers, asked of the main process (which asks the TestRun). */
function mainPort(env: ProcessEnv, runId: string): RunPort {
  const call = async <T>(body: RunCall): Promise<T> => {
    const res = await fetch(new URL(RUN_CALL_PATH, env.SENTINEL_MAIN_URL), {
      method: "POST",
      headers: { authorization: `Bearer ${env.SENTINEL_EXECUTOR_SECRET}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`main process answered ${res.status} to ${body.call}`);
    return (await res.json()) as T;
  };
  return {
    circuitState: () => call({ runId, call: "circuitState" }),
    identityTrouble: (name, generation, status, answeredAt) => call({ runId, call: "identityTrouble", name, generation, status, answeredAt }),
  };
}

/** The run's state here; a context whose identities were signed in again since (elsewhere) replaces it. */
function runState(env: ProcessEnv, ctx: RunContext): RunState {
  const known = runs.get(ctx.runId);
  const newer = known && Object.entries(ctx.generations ?? {}).some(([name, generation]) => generation > known.guard.generation(name));
  if (known && !newer) return known;
  const retired = known?.retired ?? [];
  const own: RunContext = { ...ctx, identities: { ...ctx.identities } };
  return remember(runs, ctx.runId, { ctx: own, retired, guard: identityGuard(mainPort(env, ctx.runId), own, retired), target: watch(ctx.runId) });
}

/** POST EXECUTE_PATH: 404 unless this is an executor process, 401 without the secret, 409 when the model must be sent. */
export async function serveExecute(request: Request, env: ProcessEnv, waitUntil: (work: Promise<unknown>) => void): Promise<Response> {
  if (!env.SENTINEL_EXECUTOR_SECRET || !env.SENTINEL_MAIN_URL) return new Response("not found", { status: 404 });
  if (!carriesSecret(request, env.SENTINEL_EXECUTOR_SECRET)) return new Response("unauthorized", { status: 401 });
  const body = (await request.json()) as ExecuteRequest;
  const { ctx } = body;
  const first = body.cases[0]?.id;
  timeline(env, "exec", { first, cases: body.cases.length, model: body.model !== undefined });
  if (body.model) remember(models, ctx.modelKey, body.model);
  const model = models.get(ctx.modelKey);
  if (!model) return Response.json({ modelNeeded: ctx.modelKey }, { status: 409 });

  const state = runState(env, ctx);
  const stop = new AbortController();
  const port = mainPort(env, ctx.runId);
  const scope: CaseScope = {
    ctx: state.ctx,
    guard: state.guard,
    retired: state.retired,
    target: state.target,
    circuit: ctx.circuit,
    stop,
    fetch: disciplinedFetch(abortableFetch((input, init) => fetch(input, init), stop.signal), {
      allowedOrigin: new URL(ctx.baseUrl).origin,
      semaphore: new Semaphore(Math.min(body.concurrency, DEFAULT_CONCURRENCY)),
      throttle: createThrottle(body.rps),
      maxHoldMs: ctx.limits.timeoutMs + 5000,
    }),
  };
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  // lines of cases that end together go out as one chunk: the main process's one thread reads
  // (and wakes for) fewer chunks per case. A write that fails means the main process stopped
  // reading (the run is over there, or it gave up on this batch): stop too.
  let queued = "";
  let flushing: Promise<void> | undefined;
  const flushLines = (): Promise<void> => {
    flushing = undefined;
    const chunk = queued;
    queued = "";
    return chunk ? writer.write(encoder.encode(chunk)).catch((error: unknown) => scope.stop.abort(error)) : Promise.resolve();
  };
  const send = (line: ExecuteLine | string): Promise<void> => {
    queued += typeof line === "string" ? line : `${JSON.stringify(line)}\n`;
    flushing ??= new Promise<void>((resolve) => setTimeout(resolve, LINE_BATCH_MS)).then(flushLines);
    return flushing;
  };
  const beat = setInterval(() => void send({ beat: 1 }), BEAT_INTERVAL_MS);
  const deadline = ctx.deadlineAt === undefined ? undefined : setTimeout(() => scope.stop.abort(new Error(DEADLINE_REASON)), Math.max(0, ctx.deadlineAt - Date.now()));
  // per group (task): its observations (bounded per task, as where cases run in the consumer) and the cases still running
  const groups = body.groups.map((size) => ({ left: size, observations: observationCollector(state.ctx.identities) }));
  const groupOf = body.groups.flatMap((size, group) => Array.from({ length: size }, () => group));
  // a case of this batch got no answer: ask the run for the circuit before each next case until one is answered
  let suspect = false;
  const slots = new Semaphore(body.concurrency);
  let ran = 0;
  const work = mapWithConcurrency(body.cases, body.cases.length, async (testCase, index) => {
    const group = groups[groupOf[index]!]!;
    const release = await slots.acquire();
    if (ran++ === 0) timeline(env, "exec-first", { first });
    try {
      if (suspect || scope.circuit.state !== "closed") {
        try {
          scope.circuit = await port.circuitState();
        } catch (error) {
          log("warn", "circuit state unavailable", { runId: ctx.runId, error: errorText(error) });
        }
      }
      // lines are not awaited: a case's slot goes to the next case at once, its line goes with the next chunk
      if (!(await circuitAllows(port, scope))) void send({ skipped: testCase.id });
      else {
        const result = await executeCase(testCase, model, scope, group.observations);
        // no result: the run is over, and the run records this case
        if (result) {
          suspect = noAnswer(result);
          void send(caseLines(storedCase(ctx.orgId, ctx.runId, result, testCase, model)));
        }
      }
    } finally {
      release();
    }
    // the group's last case: its task can be stored while the other groups' cases go on
    if (--group.left === 0) void send({ group: groupOf[index]!, observations: group.observations.rows() });
  })
    .then(() => timeline(env, "exec-last", { first }))
    .then(flushLines)
    .then(
      () => writer.close(),
      (error: unknown) => {
        log("error", "executor batch failed", { runId: ctx.runId, error: errorText(error) });
        return writer.abort(error);
      },
    )
    .finally(() => {
      clearInterval(beat);
      clearTimeout(deadline);
    });
  waitUntil(work);
  return new Response(readable, { headers: { "content-type": "application/x-ndjson" } });
}
