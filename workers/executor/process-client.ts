/**
 * The main process's side of the local executor process (process-protocol.ts): sends a batch of
 * cases there and hands each streamed line to the consumer as it arrives; answers the executor
 * process's questions to the run. An executor process that refuses, breaks off or goes silent
 * is left alone for a while: the consumer runs the cases it did not answer itself.
 */
import type { ApiModel, RunContext, TestCase } from "../model";
import type { Observation } from "../ai/invariants/observe";
import { runStub } from "../runs/stub";
import { log } from "../shared/log";
import { errorText, type StoredCase } from "./case-runner";
import { BEAT_INTERVAL_MS, carriesSecret, EXECUTE_PATH, type ExecuteLine, type ExecuteRequest, type RunCall } from "./process-protocol";

interface ClientEnv {
  /** the executor process's URL; unset: cases run in this process */
  SENTINEL_EXECUTOR_URL?: string;
  SENTINEL_EXECUTOR_SECRET?: string;
}

export interface ExecutorEndpoint {
  url: string;
  secret: string;
}

/** A failed executor process is not asked again for this long. */
const PAUSE_AFTER_FAILURE_MS = 15_000;
/** No line (not even a beat) for this long: the executor process is taken as stuck. */
const SILENCE_MS = 10 * BEAT_INTERVAL_MS;

let pausedUntil = 0;
/** model keys the executor process was sent (it answers 409 when it lost one: restarted) */
const sentModels = new Set<string>();

/** Where this batch's cases may run: the executor process, unless none is configured or it failed recently. */
export function executorEndpoint(env: ClientEnv): ExecutorEndpoint | undefined {
  if (!env.SENTINEL_EXECUTOR_URL || !env.SENTINEL_EXECUTOR_SECRET || Date.now() < pausedUntil) return undefined;
  return { url: env.SENTINEL_EXECUTOR_URL, secret: env.SENTINEL_EXECUTOR_SECRET };
}

export interface RemoteHandlers {
  /** a case's rows (their org and run are the caller's) */
  result(stored: Omit<StoredCase, "outcome"> & { row: string; findingRows: string[] }): Promise<void>;
  skipped(caseId: string): void;
  /** every case of `groups[group]` ended (its lines were handled before): its observations */
  groupEnded(group: number, observations: { id: string; observation: Observation }[]): void;
}

/**
 * Runs the cases of `groups` (each non-empty: one per task) in the executor process as one pool;
 * each line is handled (awaited, in order) as it arrives. Returns true when every group ended (or
 * the run is over: `stop`); false when the executor process failed (it is paused, and the caller
 * runs what was not answered).
 */
export async function executeRemotely(
  endpoint: ExecutorEndpoint,
  ctx: RunContext,
  model: ApiModel,
  groups: TestCase[][],
  share: { concurrency: number; rps?: number },
  stop: AbortSignal,
  on: RemoteHandlers,
): Promise<boolean> {
  try {
    for (let attempt = 0; ; attempt++) {
      const request: ExecuteRequest = { ctx, cases: groups.flat(), groups: groups.map((g) => g.length), ...share };
      if (attempt > 0 || !sentModels.has(ctx.modelKey)) request.model = model;
      // the run over (deadline, cancel): the batch is dropped there too (its requests aborted)
      const aborter = new AbortController();
      if (stop.aborted) return true;
      // one timer per batch, not one per line: the last line's time is checked every beat
      let lastLine = Date.now();
      const silence = setInterval(() => {
        if (Date.now() - lastLine > SILENCE_MS) aborter.abort(new Error("executor process silent"));
      }, BEAT_INTERVAL_MS);
      const onStop = () => aborter.abort(stop.reason);
      stop.addEventListener("abort", onStop, { once: true });
      try {
        const res = await fetch(new URL(EXECUTE_PATH, endpoint.url), {
          method: "POST",
          headers: { authorization: `Bearer ${endpoint.secret}`, "content-type": "application/json" },
          body: JSON.stringify(request),
          signal: aborter.signal,
        });
        if (res.status === 409 && attempt === 0) {
          await res.body?.cancel();
          continue;
        }
        if (!res.ok || !res.body) throw new Error(`executor process answered ${res.status}`);
        sentModels.add(ctx.modelKey);
        let groupsLeft = groups.length;
        // a case's head is followed by its row texts (caseLines): kept as they are, not parsed
        let pending: { head: Extract<ExecuteLine, { case: unknown }>; texts: string[]; needs: number } | undefined;
        await readLines(res.body, async (line) => {
          lastLine = Date.now();
          if (pending) {
            pending.texts.push(line);
            if (pending.texts.length < pending.needs) return;
            const { head, texts } = pending;
            pending = undefined;
            const bodies = head.bodies === undefined ? undefined : { key: head.bodies, json: texts[texts.length - 1] };
            await on.result({ head: head.case, row: texts[0], findingRows: texts.slice(1, 1 + head.findings), ...(bodies ? { bodies } : {}) });
            return;
          }
          const parsed = JSON.parse(line) as ExecuteLine;
          if ("case" in parsed) pending = { head: parsed, texts: [], needs: 1 + parsed.findings + (parsed.bodies === undefined ? 0 : 1) };
          else if ("skipped" in parsed) on.skipped(parsed.skipped);
          else if ("group" in parsed) {
            on.groupEnded(parsed.group, parsed.observations);
            groupsLeft--;
          }
        });
        if (groupsLeft > 0) throw new Error("executor process ended the batch early");
        return true;
      } finally {
        clearInterval(silence);
        stop.removeEventListener("abort", onStop);
      }
    }
  } catch (error) {
    if (stop.aborted) return true;
    pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
    sentModels.clear();
    log("warn", "executor process failed; running its cases in this process", { runId: ctx.runId, error: errorText(error) });
    return false;
  }
}

async function readLines(body: ReadableStream<Uint8Array>, handle: (line: string) => Promise<void>): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line) await handle(line);
    }
  }
}

/** POST RUN_CALL_PATH in the main process: the executor process asks the run (404 unless one is configured). */
export async function serveRunCall(request: Request, env: ClientEnv & Pick<Env, "TEST_RUN">): Promise<Response> {
  if (!env.SENTINEL_EXECUTOR_SECRET) return new Response("not found", { status: 404 });
  if (!carriesSecret(request, env.SENTINEL_EXECUTOR_SECRET)) return new Response("unauthorized", { status: 401 });
  const call = (await request.json()) as RunCall;
  const run = runStub(env, call.runId);
  if (call.call === "circuitState") return Response.json(await run.circuitState());
  if (call.call === "identityTrouble") return Response.json(await run.identityTrouble(call.name, call.generation, call.status, call.answeredAt));
  return new Response("unknown call", { status: 400 });
}
