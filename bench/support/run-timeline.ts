/**
 * `npm run bench -- platform timeline`: where one run's clock goes. Both workerd processes print
 * timeline lines (workers/shared/timeline.ts, SENTINEL_TIMELINE=1); their main threads' CPU is
 * sampled from /proc (schedstat: nanoseconds on a CPU) every few milliseconds. The summary puts
 * each task's way through the pipeline (sent, delivered, leased, in the executor process, stored,
 * done) beside how busy each process was meanwhile, and names the gaps where both waited.
 */
import { readFileSync } from "node:fs";

export interface TimelineEvent {
  timeline: string;
  at: number;
  [field: string]: unknown;
}

/** Timeline events out of wrangler's stdout chunks (one JSON object per line, maybe among other lines). */
export function timelineCollector(): { feed(chunk: string): void; events: TimelineEvent[] } {
  const events: TimelineEvent[] = [];
  let buffered = "";
  return {
    events,
    feed(chunk) {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const start = line.indexOf('{"timeline"');
        if (start < 0) continue;
        try {
          events.push(JSON.parse(line.slice(start).replace(/\u001b\[[0-9;]*m/g, "")) as TimelineEvent);
        } catch {
          /* a line cut or wrapped by the logger: skipped */
        }
      }
    },
  };
}

interface Sample {
  at: number;
  /** per role: nanoseconds its main thread has been on a CPU so far */
  ns: Record<string, number>;
  /** per role: nanoseconds it has waited, runnable, for a CPU so far (a busy machine) */
  waitNs: Record<string, number>;
}

/** Samples the main thread of each workerd (by role) every `everyMs` until stopped. */
export function threadSampler(threads: Record<string, number>, everyMs = 4): { stop(): Sample[] } {
  const samples: Sample[] = [];
  const take = () => {
    const ns: Record<string, number> = {};
    const waitNs: Record<string, number> = {};
    for (const [role, pid] of Object.entries(threads)) {
      try {
        const [on, waiting] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ");
        ns[role] = Number(on);
        waitNs[role] = Number(waiting);
      } catch {
        ns[role] = NaN;
        waitNs[role] = NaN;
      }
    }
    samples.push({ at: Date.now(), ns, waitNs });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Busy milliseconds of a role's main thread between two wall-clock times (linear within a sample); `wait`: runnable but off a CPU. */
function busyMs(samples: Sample[], role: string, from: number, to: number, field: "ns" | "waitNs" = "ns"): number {
  let ns = 0;
  for (const { a, b, ms } of intervalsWithin(samples, from, to)) ns += ((b[field][role]! - a[field][role]!) * ms) / (b.at - a.at);
  return ns / 1e6;
}

/** Each pair of consecutive samples overlapping [from, to], with the overlap's length in ms. */
function* intervalsWithin(samples: Sample[], from: number, to: number): Generator<{ a: Sample; b: Sample; ms: number }> {
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const ms = Math.min(b.at, to) - Math.max(a.at, from);
    if (ms > 0 && b.at !== a.at) yield { a, b, ms };
  }
}

const first = (events: TimelineEvent[], name: string, match: (e: TimelineEvent) => boolean = () => true) => events.find((e) => e.timeline === name && match(e));
const last = (events: TimelineEvent[], name: string) => events.filter((e) => e.timeline === name).at(-1);

/** The run's phases, each invocation with its tasks, and per-process busy time, as printable lines and figures. */
export function summarizeTimeline(events: TimelineEvent[], samples: Sample[], createdAt: number, finishedAt: number): { lines: string[]; figures: Record<string, number> } {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const rel = (at: number | undefined) => (at === undefined ? "—" : String(Math.round(at - createdAt)).padStart(5));
  const roles = Object.keys(samples[0]?.ns ?? {});
  const lines: string[] = [];
  const at = (e: TimelineEvent | undefined) => e?.at;
  const phases: [string, number | undefined][] = [
    ["created", createdAt],
    ["planning starts", at(first(sorted, "plan"))],
    ["planned (running)", at(first(sorted, "planned"))],
    ["first tasks sent", at(first(sorted, "sent"))],
    ["first batch delivered", at(first(sorted, "delivered"))],
    ["last task done", at(last(sorted, "done"))],
    ["last invocation returned", at(last(sorted, "returned"))],
    ["finalize starts", at(first(sorted, "finalize"))],
    ["concluded", at(first(sorted, "concluded"))],
    ["finished (the run's clock)", finishedAt],
  ];
  lines.push("phase (ms since the run was created):");
  for (const [name, when] of phases) lines.push(`  ${rel(when)}  ${name}`);

  const busy = (from: number, to: number) => roles.map((r) => `${r} ${Math.round(busyMs(samples, r, from, to))} (+${Math.round(busyMs(samples, r, from, to, "waitNs"))} waiting for a CPU)`).join(", ");
  const spans: [string, number | undefined, number | undefined][] = [
    ["planning", at(first(sorted, "plan")), at(first(sorted, "planned"))],
    ["planned → first batch delivered", at(first(sorted, "planned")), at(first(sorted, "delivered"))],
    ["first batch delivered → first case", at(first(sorted, "delivered")), at(first(sorted, "exec-first"))],
    ["execution (first delivery → last done)", at(first(sorted, "delivered")), at(last(sorted, "done"))],
    ["finalize", at(first(sorted, "finalize")), at(first(sorted, "concluded"))],
    ["whole run", createdAt, finishedAt],
  ];
  lines.push("ms on a CPU of each main thread:");
  for (const [name, from, to] of spans) if (from !== undefined && to !== undefined) lines.push(`  ${name}: ${Math.round(to - from)} ms wall; ${busy(from, to)}`);
  // finalize's passes: each "finalize-step" mark ends the step it names (test-run.ts finalize)
  let stepFrom = at(first(sorted, "finalize"));
  for (const step of sorted.filter((e) => e.timeline === "finalize-step")) {
    if (stepFrom !== undefined) lines.push(`    ${String(step.step)}: ${Math.round(step.at - stepFrom)} ms wall; ${busy(stepFrom, step.at)}`);
    stepFrom = step.at;
  }
  const concluded = at(first(sorted, "concluded"));
  if (stepFrom !== undefined && concluded !== undefined && sorted.some((e) => e.timeline === "finalize-step")) lines.push(`    conclude: ${Math.round(concluded - stepFrom)} ms wall; ${busy(stepFrom, concluded)}`);

  // the TestRun's planning steps (durable-objects/test-run.ts plan()): each one's wall and CPU since the step before
  const steps = sorted.filter((e) => e.timeline === "plan-step" || e.timeline === "plan" || e.timeline === "planned");
  if (steps.some((e) => e.timeline === "plan-step")) {
    lines.push("planning steps (ms since created; wall and main-thread CPU since the step before):");
    for (let i = 1; i < steps.length; i++) {
      const [a, b] = [steps[i - 1]!, steps[i]!];
      lines.push(`  ${rel(b.at)}  ${b.timeline === "plan-step" ? String(b.step) : b.timeline}: ${Math.round(b.at - a.at)} ms wall; ${busy(a.at, b.at)}`);
    }
  }
  lines.push(`tasks sent: ${sorted.filter((e) => e.timeline === "sent").map((e) => `${(e.tasks as string[]).length} at ${rel(e.at).trim()}`).join(", ")}`);
  lines.push("invocations (ms since created): delivered → returned; calls to the executor process: sent / got there / first case / last case; tasks: leased / joined the call / its cases ended / stored / done");
  const invocations = sorted.filter((e) => e.timeline === "delivered");
  let previousReturn: number | undefined;
  let gapMs = 0;
  for (const inv of invocations) {
    const returned = first(sorted, "returned", (e) => e.lease === inv.lease);
    const gap = previousReturn === undefined ? undefined : inv.at - previousReturn;
    if (gap !== undefined) gapMs += gap;
    lines.push(`  ${rel(inv.at)} → ${rel(returned?.at)} (${returned ? Math.round(returned.at - inv.at) : "?"} ms; after the previous return: ${gap === undefined ? "—" : Math.round(gap)} ms; busy ${returned ? busy(inv.at, returned.at) : "?"})`);
    const tasks = new Set((inv.tasks as string[]) ?? []);
    const firsts = new Set(sorted.filter((e) => e.timeline === "joined" && tasks.has(e.task as string)).map((e) => e.first));
    for (const call of sorted.filter((e) => e.timeline === "remote" && firsts.has(e.first))) {
      const byFirst = (name: string) => first(sorted, name, (e) => e.first === call.first);
      lines.push(`    call (${call.tasks} tasks) ${[call, byFirst("exec"), byFirst("exec-first"), byFirst("exec-last")].map((e) => rel(e?.at)).join(" ")}`);
    }
    for (const task of tasks) {
      const cells = ["leased", "joined", "remoted", "stored", "done"].map((name) => first(sorted, name, (e) => e.task === task));
      lines.push(`      ${task.slice(-6)} ${cells.map((e) => rel(e?.at)).join(" ")}`);
    }
    previousReturn = returned?.at;
  }
  // wall time with cases in flight in the executor process: the union of its calls' first-case → last-case spans
  const windows = sorted
    .filter((e) => e.timeline === "exec-first")
    .map((e) => [e.at, first(sorted, "exec-last", (l) => l.first === e.first)?.at ?? e.at] as const)
    .sort((x, y) => x[0] - y[0]);
  let casesRunningMs = 0;
  let reach = -Infinity;
  for (const [from, to] of windows) {
    casesRunningMs += Math.max(0, to - Math.max(from, reach));
    reach = Math.max(reach, to);
  }
  const exec = spans[3]!;
  const [planFrom, planTo] = [spans[0]![1], spans[0]![2]];
  const [sendFrom, sendTo] = [spans[1]![1], spans[1]![2]];
  const firstCase = at(first(sorted, "exec-first"));
  const figures: Record<string, number> = {
    ...(planFrom !== undefined && planTo !== undefined ? { planningMs: Math.round(planTo - planFrom), planningMainCpuMs: Math.round(busyMs(samples, "main", planFrom, planTo)) } : {}),
    ...(sendFrom !== undefined && sendTo !== undefined ? { plannedToDeliveredMs: Math.round(sendTo - sendFrom), plannedToDeliveredMainCpuMs: Math.round(busyMs(samples, "main", sendFrom, sendTo)) } : {}),
    ...(sendTo !== undefined ? { createdToDeliveredMs: Math.round(sendTo - createdAt), createdToDeliveredMainCpuMs: Math.round(busyMs(samples, "main", createdAt, sendTo)) } : {}),
    ...(firstCase !== undefined ? { createdToFirstCaseMs: Math.round(firstCase - createdAt) } : {}),
    ...(sendTo !== undefined && firstCase !== undefined
      ? { deliveredToFirstCaseMs: Math.round(firstCase - sendTo), deliveredToFirstCaseMainCpuMs: Math.round(busyMs(samples, "main", sendTo, firstCase)) }
      : {}),
    invocations: invocations.length,
    msBetweenInvocations: Math.round(gapMs),
    executorCasesInFlightMs: Math.round(casesRunningMs),
  };
  if (exec[1] !== undefined && exec[2] !== undefined) {
    figures.executionMs = Math.round(exec[2] - exec[1]);
    for (const r of roles) {
      figures[`${r}BusyInExecutionMs`] = Math.round(busyMs(samples, r, exec[1], exec[2]));
      figures[`${r}WaitingForCpuInExecutionMs`] = Math.round(busyMs(samples, r, exec[1], exec[2], "waitNs"));
    }
    figures.bothIdleInExecutionMs = Math.round(bothIdleMs(samples, roles, exec[1], exec[2]));
  }
  return { lines, figures };
}

/** Wall milliseconds in which no role's main thread was on a CPU, or waiting for one, more than a quarter of the time (sample by sample). */
function bothIdleMs(samples: Sample[], roles: string[], from: number, to: number): number {
  let idle = 0;
  for (const { a, b, ms } of intervalsWithin(samples, from, to)) {
    const wallNs = (b.at - a.at) * 1e6;
    if (roles.every((r) => b.ns[r]! - a.ns[r]! + b.waitNs[r]! - a.waitNs[r]! < wallNs / 4)) idle += ms;
  }
  return idle;
}
