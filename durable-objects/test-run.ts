/**
 * TestRun: one Durable Object per run. It plans the run, hands cases to the executor through the
 * TASKS queue, counts what comes back, enforces the deadline and settles the final status.
 *
 * Everything it knows is in its own SQLite storage (tables `meta` and `tasks`), so an eviction or
 * restart loses nothing: the alarm is the engine, each step is idempotent, and every entry point
 * re-arms the alarm if it is missing. Target credentials are kept here only, encrypted.
 */
import { DurableObject } from "cloudflare:workers";
import { connect } from "cloudflare:sockets";
import {
  CANCELLED_REASON,
  DEADLINE_REASON,
  DEFAULT_LIMITS,
  OVERSIZED_REASON,
  type ApiModel,
  type Identities,
  type RunContext,
  type RunInit,
  type RunProgress,
  type RunStats,
  type RunStatus,
  type TargetReport,
  type TaskSummary,
  type TerminalStatus,
  type TestCase,
  type TestRunRpc,
  type LlmRunRequest,
  type AuthConfig,
  type IdentityVerdict,
} from "../workers/model";
import { identityKeeper, identityPreflight, recordIdentitiesAfterRun, runRoles, type KeptIdentities } from "../workers/runs/identities";
import type { IdentityKeeper } from "../workers/orchestrator/auth/keeper";
import type { PreflightSummary } from "../workers/orchestrator/auth/preflight";
import { guardDestructive, planRun } from "../workers/orchestrator/plan";
import { wasmAgents } from "../workers/orchestrator/wasm/bundled";
import { canMove, capCases, finalStatus, isTerminal } from "../workers/runs/lifecycle";
import { chunkForSendBatch, packTasks, type TaskMessage } from "../workers/runs/task-messages";
import type { ReplayInput } from "../workers/runs/replay-input";
import { probeTarget, type TcpCheck } from "../workers/executor/target-probe";
import {
  afterProbe,
  closedCircuit,
  MAX_PROBE_TIMEOUT_MS,
  recordFailure,
  recordSuccess,
  viewOf,
  type Circuit,
  type CircuitView,
} from "../workers/orchestrator/circuit";
import { mayTake, tasksToResend, WATCHDOG_CHECK_MS } from "../workers/runs/watchdog";
import { listFindings } from "../workers/storage/findings-repo";
import { countResultRows, countRunStats, existingCaseIds, writeUnrunResults, type CaseStub } from "../workers/storage/results-repo";
import { recordHeldBack, updateRun } from "../workers/storage/runs-repo";
import { recordCoverage } from "../workers/runs/coverage";
import { RunTaskStore } from "../workers/storage/run-tasks-store";
import { queueNotifications } from "../workers/storage/notifications-repo";
import { decryptJson, encryptJson } from "../workers/shared/secret-box";
import { log } from "../workers/shared/log";
import { timeline } from "../workers/shared/timeline";
import { sendDueNotifications } from "../workers/notifications/send-notifications";
import { caseFamilies, planningGuidance, rememberFindings } from "../workers/runs/finding-memory";
import { meaningLinks } from "../workers/runs/meaning-links";
import { triageRun } from "../workers/runs/triage";
import { learnInvariants } from "../workers/runs/invariant-learning";
import { applyAiLayer } from "../workers/runs/llm-planning";
import { confirmAfterOwnWrites } from "../workers/runs/own-writes";
import { suppressOwnValueConsequences } from "../workers/runs/own-invalid-values";
import { confirmStoppedTarget, describeSkipped, REPLAY_BUDGET_MS } from "../workers/runs/stopped-target";

interface StoredInit extends Omit<RunInit, "identities" | "llm" | "auth"> {
  identitiesEnc: string;
  identityNames: string[];
  /** the LLM settings with their keys, encrypted like the identities */
  llmEnc?: string;
  /** the declared auth flow (bodies may hold passwords), encrypted like the identities */
  authEnc?: string;
}

interface RunState {
  status: RunStatus;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  deadlineAt: number;
  cases: number;
  error: string | null;
  warnings: string[];
  stats: RunStats | null;
}

/** Per operation and agent: keeps big specs plannable while leaving room for every probe family. */
const MAX_CASES_PER_OPERATION = 50;

/** While a step is under way the alarm is pushed this far out, so a crash mid-step resumes soon. */
const WATCHDOG_MS = 15_000;

/** The post-run re-confirmation of findings after the run's own destructive requests fits in this. */
const OWN_WRITES_BUDGET_MS = 120_000;

export class TestRun extends DurableObject<Env> implements TestRunRpc {
  private readonly store: RunTaskStore;
  private identitiesCache: Identities | undefined;
  /** The run's operation model, read from R2 and parsed once per instance (planning and finalize each need it several times). */
  private modelCache: { key: string; model: Promise<ApiModel> } | undefined;
  private keeperCache: Promise<IdentityKeeper | undefined> | undefined;
  /** the task bodies' cases, parsed once (finalize reads them up to four times); set only once every task is stored */
  private casesCache: TestCase[] | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RunTaskStore(ctx.storage.sql);
  }

  // ---------------------------------------------------------------- RPC: gateway

  /** Idempotent: a second start of the same run returns its progress and changes nothing. */
  async start(init: RunInit): Promise<RunProgress> {
    const existing = this.readState();
    if (existing) return this.progress();
    const identitiesEnc = await encryptJson(this.env, this.purpose(init.runId), init.identities);
    const { identities, plannedCases, llm, auth, ...rest } = init;
    const stored: StoredInit = { ...rest, identitiesEnc, identityNames: Object.keys(identities) };
    if (llm) stored.llmEnc = await encryptJson(this.env, this.purpose(init.runId, "llm"), llm);
    if (auth) stored.authEnc = await encryptJson(this.env, this.purpose(init.runId, "auth"), auth);
    const now = Date.now();
    const state: RunState = {
      status: "queued",
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      deadlineAt: now + init.limits.deadlineMs,
      cases: 0,
      error: null,
      warnings: [],
      stats: null,
    };
    this.ctx.storage.transactionSync(() => {
      this.writeMeta("init", stored);
      if (plannedCases) this.writeMeta("plannedCases", plannedCases);
      this.writeState(state);
    });
    await this.ctx.storage.setAlarm(now);
    return this.progress();
  }

  async getProgress(): Promise<RunProgress | null> {
    if (!this.readState()) return null;
    await this.ensureAlarm();
    return this.progress();
  }

  /** Stops sending, settles every case not yet reported as skipped, and ends the run as cancelled. */
  async cancel(): Promise<RunProgress | null> {
    const state = this.readState();
    if (!state) return null;
    if (isTerminal(state.status)) return this.progress();
    this.writeState({ ...state, status: "cancelled" });
    // if this call fails half-way, the alarm finishes the cancel
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    await this.finishCancel();
    log("info", "run cancelled", { runId: this.readInit().runId });
    return this.progress();
  }

  /** A cancelled run is concluded once its unfinished cases are recorded and the runs row says so (stats set). */
  private async finishCancel(): Promise<void> {
    await this.settleOutstanding("skipped", CANCELLED_REASON);
    await this.conclude("cancelled", null);
  }

  // ---------------------------------------------------------------- RPC: executor

  async getRunContext(): Promise<RunContext | null> {
    const state = this.readState();
    if (!state) return null;
    const init = this.readInit();
    await this.ensureAlarm();
    const active = state.status === "running";
    const keeper = active ? await this.keeper() : undefined;
    return {
      active,
      status: state.status,
      runId: init.runId,
      orgId: init.orgId,
      specId: init.specId,
      modelKey: init.modelKey,
      baseUrl: init.baseUrl,
      identities: keeper ? keeper.identities() : active ? await this.identities(init) : {},
      defaultIdentity: init.identityNames[0],
      limits: init.limits,
      circuit: viewOf(this.readCircuit()),
      deadlineAt: state.deadlineAt,
      ...(keeper ? { generations: keeper.generations(), dead: keeper.dead() } : {}),
    };
  }

  /** An identity's request got a 401 or a 5xx: check it, sign it in again, or declare it dead (auth/keeper.ts). */
  async identityTrouble(name: string, generation: number, status: number, answeredAt: number): Promise<IdentityVerdict> {
    const state = this.readState();
    const keeper = state?.status === "running" ? await this.keeper() : undefined;
    if (!keeper) return { state: "ok", generation };
    const verdict = await keeper.trouble(name, generation, status, answeredAt);
    const after = keeper.state[name];
    const before = this.identityLogged.get(name) ?? { generation: 0 };
    // concurrent reports share one check: the first one back stores and logs what changed
    if (after && (after.generation !== before.generation || after.dead !== before.dead)) {
      this.identityLogged.set(name, { generation: after.generation, dead: after.dead });
      const init = this.readInit();
      this.writeMeta("keptEnc", await encryptJson(this.env, this.purpose(init.runId, "kept"), { state: keeper.state, ...(this.keptFlow ? { flow: this.keptFlow } : {}) } satisfies KeptIdentities));
      if (after.dead && !before.dead) log("warn", "identity stopped working", { runId: init.runId, identity: name, reason: after.dead });
      else log("info", "identity signed in again", { runId: init.runId, identity: name, generation: after.generation });
    }
    return verdict;
  }

  /** Run-wide consecutive connection failures: the threshold opens the circuit, and the alarm probes the target. */
  async reportTarget(report: TargetReport): Promise<CircuitView> {
    const state = this.readState();
    if (!state || state.status !== "running") return viewOf(this.readCircuit());
    const before = this.readCircuit();
    const threshold = this.readInit().limits.circuitBreaker ?? DEFAULT_LIMITS.circuitBreaker;
    const after = "failure" in report ? recordFailure(before, report.failure, threshold, Date.now()) : recordSuccess(before);
    if (after !== before) this.writeMeta("circuit", after);
    if (before.state === "closed" && after.state === "open") {
      log("warn", "target circuit open", { runId: this.readInit().runId, failures: after.failures, last: after.last?.message });
      await this.alarmNoLaterThan(after.probeAt!);
    }
    return viewOf(after);
  }

  async circuitState(): Promise<CircuitView> {
    await this.ensureAlarm();
    return viewOf(this.readCircuit());
  }

  /**
   * An executor is about to run these tasks (one queue invocation's, of this run): each gets its
   * lease unless a live executor holds it (a duplicate delivery) or it is done. `go: false` means:
   * drop that delivery. One call for the invocation's tasks: the run answers its calls one at a time.
   */
  async tasksStarted(taskIds: string[], lease: string): Promise<{ go: boolean; fresh?: boolean }[]> {
    const state = this.readState();
    if (!state || state.status !== "running") return taskIds.map(() => ({ go: false }));
    const now = Date.now();
    const answers = taskIds.map((taskId) => {
      const held = this.store.lease(taskId);
      if (!held || held.done || !mayTake(held, lease, now)) return { go: false };
      this.store.takeLease(taskId, lease, now);
      timeline(this.env, "leased", { task: taskId });
      // sent once and never leased: no executor ever ran it, so none of its cases has a result
      return { go: true, fresh: held.lease === null && held.sends <= 1 };
    });
    if (answers.some((a) => a.go)) {
      this.writeMeta("lifeAt", now);
      await this.ensureAlarm();
    }
    return answers;
  }

  /** An executor still works on these tasks under its lease; `active: false` tells it to stop (the run settles them). */
  async taskBeat(taskIds: string[], lease: string): Promise<{ active: boolean }> {
    const state = this.readState();
    const active = state?.status === "running" && Date.now() < state.deadlineAt;
    if (!active || taskIds.length === 0) return { active };
    const now = Date.now();
    this.store.beat(taskIds, lease, now);
    this.writeMeta("lifeAt", now);
    return { active };
  }

  async tasksDone(reports: { taskId: string; summary: TaskSummary }[]): Promise<{ accepted: boolean[] }> {
    const state = this.readState();
    if (!state) return { accepted: reports.map(() => false) };
    this.writeMeta("lifeAt", Date.now());
    const accepted = reports.map(({ taskId, summary }) => {
      const counted = this.store.finish(taskId, summary);
      timeline(this.env, "done", { task: taskId, accepted: counted });
      return counted;
    });
    // nothing in flight: either the run is over or a held-back (destructive) task may go now
    if (accepted.some(Boolean) && state.status === "running" && this.store.countInFlight() === 0) {
      await this.ctx.storage.setAlarm(Date.now());
    }
    return { accepted };
  }

  // ---------------------------------------------------------------- the engine

  override async alarm(): Promise<void> {
    let state = this.readState();
    if (!state) return;
    if (isTerminal(state.status)) {
      if (state.status === "cancelled" && state.stats === null) await this.finishCancel();
      return;
    }
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    if (Date.now() >= state.deadlineAt && state.status !== "finalizing") {
      await this.expire();
      return;
    }
    if (state.status === "queued" || state.status === "planning") {
      await this.plan();
      state = this.readState()!;
    }
    if (state.status === "running") {
      await this.sendPending();
      if (await this.probeIfDue()) return; // the circuit tripped: the run is over
      state = this.readState()!;
      if (state.status === "running") {
        if (this.outstandingTasks() > 0) {
          if (this.resendDeadWork() > 0) await this.sendPending();
          await this.ctx.storage.setAlarm(Math.min(state.deadlineAt, this.readCircuit().probeAt ?? Infinity, Date.now() + WATCHDOG_CHECK_MS));
          return;
        }
        this.move("finalizing");
      }
    }
    if (this.readState()!.status === "finalizing") await this.finalize();
  }

  private async plan(): Promise<void> {
    let init = this.readInit();
    timeline(this.env, "plan", { runId: init.runId });
    if (this.readState()!.status === "queued") {
      const startedAt = Date.now();
      this.move("planning", { startedAt });
      // the spec's model is read from R2 while the runs row is written (loadModel keeps the read; a failed one is read again when needed)
      if (this.readMeta("plannedCases") === undefined) this.loadModel(init.modelKey).catch(() => undefined);
      await updateRun(this.env.DB, init.runId, { status: "planning", startedAt });
    }
    timeline(this.env, "plan-step", { step: "d1-planning" });
    // a restart mid-planning finds the tasks already stored: planning is done
    if (this.taskCount() > 0) {
      this.move("running");
      await updateRun(this.env.DB, init.runId, { status: "running" });
      return;
    }
    let cases: TestCase[];
    let warnings: string[] = [];
    let destructiveCases = 0;
    try {
      const preplanned = this.readMeta<TestCase[]>("plannedCases");
      if (!preplanned && this.readMeta<boolean>("identitiesChecked") !== true) init = await this.checkIdentities(init);
      timeline(this.env, "plan-step", { step: "identities" });
      const model = preplanned ? undefined : await this.loadModel(init.modelKey);
      timeline(this.env, "plan-step", { step: "model" });
      const selection = { include: init.include, exclude: init.exclude, allowDestructive: init.allowDestructive };
      // payload families that found bugs on similar operations of this org's earlier runs go first
      const guidance = model ? await planningGuidance(this.env, { orgId: init.orgId, runId: init.runId, model, modelKey: init.modelKey }) : undefined;
      timeline(this.env, "plan-step", { step: "guidance" });
      // producer → consumer links whose names differ, trusted only once the target confirms them
      const meaning = model ? await meaningLinks(this.env, { runId: init.runId, model, selection, baseUrl: init.baseUrl, identities: await this.identities(init), seed: init.seed, timeoutMs: init.limits.timeoutMs }) : { links: [], warnings: [] };
      timeline(this.env, "plan-step", { step: "meaning" });
      // who is a peer of whom for BFLA: declared roles, else the ones the pre-flight read from profiles
      const roles = runRoles(init.identityRoles, this.readMeta<PreflightSummary>("preflight"));
      const plan = preplanned ? { cases: preplanned, warnings: [] as unknown[], heldBack: [], destructiveCases: 0, unmatchedFilters: [] } : await planRun({
        model: model!,
        seed: init.seed,
        agents: init.agents,
        extraAgents: wasmAgents,
        selection,
        ...(guidance ? { guidance } : {}),
        config: {
          identities: init.identityNames,
          maxCasesPerOperation: Math.min(MAX_CASES_PER_OPERATION, init.limits.maxCases),
          maxTotalCases: init.limits.maxCases,
          identityTokens: authorizationValues(await this.identities(init)),
          ...(init.identityScopes ? { identityScopes: init.identityScopes } : {}),
          ...(roles ? { identityRoles: roles } : {}),
          ...(init.authBurst === false ? { authBurst: false } : {}),
          ...(meaning.links.length > 0 ? { links: meaning.links } : {}),
        },
      });
      if (plan.unmatchedFilters.length > 0) throw new Error(`filter ${plan.unmatchedFilters.map((f) => `"${f}"`).join(", ")} matches no operation of the spec`);
      timeline(this.env, "plan-step", { step: "planRun" });
      if (plan.heldBack.length > 0) await recordHeldBack(this.env.DB, init.runId, plan.heldBack);
      cases = capCases(plan.cases, init.limits.maxCases);
      warnings = [...meaning.warnings, ...(plan.warnings as unknown[]).map((w) => (typeof w === "string" ? w : JSON.stringify(w)))].slice(0, 100);
      if (plan.cases.length > cases.length) warnings.push(`planned ${plan.cases.length} cases, kept ${cases.length} (limits.maxCases)`);
      if (model) {
        // the AI layer: LLM cases (bounded by the run's LLM settings) and stored/new oracles as checks
        const llm = init.llmEnc ? await decryptJson<LlmRunRequest>(this.env, this.purpose(init.runId, "llm"), init.llmEnc) : undefined;
        const ai = await applyAiLayer(this.env, { runId: init.runId, orgId: init.orgId, specId: init.specId, model, cases, llm, identities: await this.identities(init) });
        cases = ai.cases;
        warnings.push(...ai.warnings);
      timeline(this.env, "plan-step", { step: "ai" });
      }
      // whatever added cases, held-back operations stay untested and destructive cases go last
      if (model) ({ cases, destructiveCases } = guardDestructive(model, selection, cases));
      else destructiveCases = 0;
      timeline(this.env, "plan-step", { step: "guard" });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log("error", "planning failed", { runId: init.runId, error: message });
      if (this.readState()!.status !== "planning") return; // cancelled meanwhile
      await this.conclude("errored", `planning failed: ${message}`);
      return;
    }
    if (this.readState()!.status !== "planning") return; // cancelled while planning

    // destructive cases run alone: one case per task, each sent once everything before it is done
    const ordinary = packTasks(init.runId, cases.slice(0, cases.length - destructiveCases));
    const alone = cases.slice(cases.length - destructiveCases).map((c, n) => packTasks(init.runId, [c], { firstTaskIndex: ordinary.tasks.length + n }));
    const tasks = [...ordinary.tasks, ...alone.flatMap((p) => p.tasks)];
    const bodies = [...ordinary.bodies, ...alone.flatMap((p) => p.bodies)];
    const oversized = [...ordinary.oversized, ...alone.flatMap((p) => p.oversized)];
    timeline(this.env, "plan-step", { step: "pack" });
    if (oversized.length > 0) {
      await writeUnrunResults(this.env.DB, init.orgId, init.runId, oversized.map(stub), "errored", OVERSIZED_REASON);
    }
    this.ctx.storage.transactionSync(() => {
      this.store.deleteMeta("plannedCases");
      if (destructiveCases > 0) this.writeMeta("aloneFromSeq", ordinary.tasks.length);
      tasks.forEach((task, seq) => {
        this.store.insertTask(task.taskId, seq, bodies[seq]!, task.cases.length);
      });
      const state = this.readState()!;
      this.writeState({ ...state, cases: cases.length, warnings });
      this.move("running");
    });
    timeline(this.env, "planned", { runId: init.runId, tasks: tasks.length, cases: cases.length });
    // the first tasks go out while the runs row is updated: delivery need not wait for D1
    await Promise.all([updateRun(this.env.DB, init.runId, { status: "running" }), this.sendPending()]);
  }

  /**
   * The identity pre-flight (runs/identities.ts): given identities checked, or users provisioned
   * when none were given. The identities the run plans with are the ones it found.
   */
  private async checkIdentities(init: StoredInit): Promise<StoredInit> {
    const model = await this.loadModel(init.modelKey);
    const auth = init.authEnc ? await decryptJson<AuthConfig>(this.env, this.purpose(init.runId, "auth"), init.authEnc) : undefined;
    const given = await this.identities(init);
    const pre = await identityPreflight(this.env, { runId: init.runId, model, baseUrl: init.baseUrl, identities: given, ...(auth ? { auth } : {}), ...(init.identityRoles ? { roles: init.identityRoles } : {}), timeoutMs: init.limits.timeoutMs, seed: init.seed });
    const next: StoredInit = { ...init, identitiesEnc: await encryptJson(this.env, this.purpose(init.runId), pre.identities), identityNames: Object.keys(pre.identities) };
    const keptEnc = await encryptJson(this.env, this.purpose(init.runId, "kept"), pre.kept);
    this.ctx.storage.transactionSync(() => {
      this.writeMeta("init", next);
      this.writeMeta("keptEnc", keptEnc);
      this.writeMeta("preflight", pre.summary);
      this.writeMeta("identitiesChecked", true);
    });
    this.identitiesCache = pre.identities;
    this.keeperCache = undefined;
    return next;
  }

  private keptFlow: KeptIdentities["flow"];
  /** per identity: the generation and death last stored (and logged) */
  private readonly identityLogged = new Map<string, { generation: number; dead?: string }>();

  /** The keeper of the run's identities (absent before the pre-flight, after the run, for replays). */
  private keeper(): Promise<IdentityKeeper | undefined> {
    this.keeperCache ??= (async () => {
      const enc = this.readMeta<string>("keptEnc");
      if (!enc) return undefined;
      const init = this.readInit();
      const kept = await decryptJson<KeptIdentities>(this.env, this.purpose(init.runId, "kept"), enc);
      this.keptFlow = kept.flow;
      return identityKeeper(kept, await this.loadModel(init.modelKey), init.baseUrl, init.limits.timeoutMs);
    })();
    this.keeperCache.catch(() => (this.keeperCache = undefined));
    return this.keeperCache;
  }

  /** Send every task not sent yet; a crash between send and mark re-sends, which the executor tolerates. */
  private async sendPending(): Promise<void> {
    const pending = this.sendable();
    const encoder = new TextEncoder();
    const batches = chunkForSendBatch(pending, (t) => encoder.encode(t.body).byteLength + 64);
    for (const batch of batches) {
      if (this.readState()!.status !== "running") return; // cancelled or expired: stop sending
      // the stored JSON as it is: the consumer parses it once (task-messages.ts messageBody)
      await this.env.TASKS.sendBatch(batch.map((t) => ({ body: t.body, contentType: "text" as const })));
      const ids = batch.map((t) => t.id);
      timeline(this.env, "sent", { tasks: ids });
      this.store.markSent(ids, Date.now());
    }
  }

  /**
   * The tasks to send now. Tasks from seq `aloneFromSeq` on (destructive cases) wait until every
   * earlier task is done, and then go one at a time, each after the previous one came back.
   */
  private sendable(): { id: string; body: string }[] {
    const aloneFrom = this.readMeta<number>("aloneFromSeq");
    if (aloneFrom === undefined) return this.store.unsent();
    const before = this.store.unsent({ beforeSeq: aloneFrom });
    if (before.length > 0) return before;
    if (this.store.countInFlight() > 0) return [];
    return this.store.unsent({ limit: 1 });
  }

  /**
   * An open circuit whose probe is due: probe the target (half-open). Alive closes the circuit and
   * the held cases go on; after the last failed probe the circuit trips: every case not reported
   * yet is skipped with the reason and the run ends errored. Returns whether the run ended.
   */
  private async probeIfDue(): Promise<boolean> {
    const circuit = this.readCircuit();
    if (circuit.state !== "open" || (circuit.probeAt ?? 0) > Date.now()) return false;
    const init = this.readInit();
    const timeoutMs = Math.min(init.limits.timeoutMs, MAX_PROBE_TIMEOUT_MS);
    const probe = await probeTarget(init.baseUrl, { fetch: (url, req) => fetch(url, req), tcp: tcpCheck, timeoutMs });
    const after = afterProbe(this.readCircuit(), probe, Date.now(), new URL(init.baseUrl).origin);
    this.writeMeta("circuit", after);
    log(probe.alive ? "info" : "warn", "target probed", { runId: init.runId, alive: probe.alive, circuit: after.state });
    if (after.state !== "tripped" || this.readState()!.status !== "running") return false;
    // the tasks open as it tripped: an executor that sees the trip meanwhile reports its task done
    // without the cases it held back (they are the run's to record), so they are settled all the same
    const openTasks = this.store.open();
    const open = openTasks.flatMap((task) => (JSON.parse(task.body) as TaskMessage).cases);
    const done = await existingCaseIds(this.env.DB, init.runId, open.map((c) => c.id));
    const unrun = open.filter((c) => !done.has(c.id));
    const skipped = await this.settleOutstanding("skipped", after.reason!, openTasks);
    this.move("finalizing");
    // kept, so that a restart during the replays below still ends the run with this reason (finalize)
    this.writeMeta("trippedError", `${after.reason}; ${describeSkipped(skipped, unrun)}`);
    await this.finalize();
    return true;
  }

  /**
   * The watchdog (runs/watchdog.ts): tasks whose executor died (lease without beats) or whose
   * message was lost (never started while the run is silent) are marked to be sent again.
   */
  private resendDeadWork(): number {
    const init = this.readInit();
    const now = Date.now();
    const open = this.store.inFlight();
    const lifeAt = Math.max(this.readMeta<number>("lifeAt") ?? 0, this.readState()!.startedAt ?? 0);
    const ids = tasksToResend(open, lifeAt, now, init.limits.timeoutMs);
    if (ids.length === 0) return 0;
    this.store.markUnsent(ids);
    this.writeMeta("lifeAt", now);
    log("warn", "tasks sent again (no progress)", { runId: init.runId, tasks: ids.length });
    return ids.length;
  }

  private readCircuit(): Circuit {
    return this.readMeta<Circuit>("circuit") ?? closedCircuit();
  }

  private async alarmNoLaterThan(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** The deadline passed: whatever never came back is errored, then the run ends. */
  private async expire(): Promise<void> {
    const init = this.readInit();
    const state = this.readState()!;
    if (state.status === "queued" || state.status === "planning") {
      await this.conclude("errored", `${DEADLINE_REASON} before planning finished`);
      return;
    }
    const settled = await this.settleOutstanding("errored", DEADLINE_REASON);
    log("warn", "run deadline exceeded", { runId: init.runId, settledCases: settled });
    if (this.readState()!.status === "running") this.move("finalizing");
    await this.finalize(settled > 0 ? `${DEADLINE_REASON}: ${settled} cases never came back` : null);
  }

  /** Record every case of every unfinished task as `status` (existing results win) and mark the tasks done. */
  private async settleOutstanding(status: "errored" | "skipped", reason: string, open = this.store.open()): Promise<number> {
    const init = this.readInit();
    let settled = 0;
    for (const task of open) {
      const message = JSON.parse(task.body) as TaskMessage;
      settled += await writeUnrunResults(this.env.DB, init.orgId, init.runId, message.cases.map(stub), status, reason);
      this.store.settle(task.id, { settled: status, reason });
    }
    return settled;
  }

  private async finalize(error: string | null = null): Promise<void> {
    const init = this.readInit();
    const state = this.readState()!;
    if (state.status !== "finalizing") return;
    timeline(this.env, "finalize", { runId: init.runId });
    const step = (name: string) => timeline(this.env, "finalize-step", { step: name });
    const tripped = this.readMeta<string>("trippedError");
    if (tripped !== undefined) {
      // the circuit tripped: the requests in flight when the target stopped are replayed alone if
      // it answers again, else named as seen; nothing else runs against a dead target
      const stops = await this.confirmStopped(init);
      await this.conclude("errored", [tripped, ...stops].join("; "));
      return;
    }
    await this.fillMissingResults(init);
    step("missing results");
    // identities that stopped working (or stop answering their profile now) are named in the report
    const keeper = await this.keeper().catch(() => undefined);
    if (keeper) {
      const input = { runId: init.runId, model: await this.loadModel(init.modelKey), baseUrl: init.baseUrl, timeoutMs: init.limits.timeoutMs, summary: this.readMeta<PreflightSummary>("preflight"), keeper, recheck: error === null && this.readCircuit().state === "closed" };
      await recordIdentitiesAfterRun(this.env, input).catch((err: unknown) => log("warn", "identities not re-checked", { runId: init.runId, error: err instanceof Error ? err.message : String(err) }));
    }
    step("identities");
    // requests in flight when the target stopped: only those that stop it again alone are reported
    await this.confirmStopped(init, keeper);
    step("stopped target");
    // findings caused by the run's own destructive requests: re-confirmed, else not reported (with why)
    if (init.allowDestructive && this.readMeta<boolean>("ownWritesChecked") !== true) await this.confirmOwnWrites(init, keeper);
    // firstSeen / seenInRuns / similar on every finding, before the run is reported as done
    const model = await this.loadModel(init.modelKey).catch(() => undefined);
    step("model");
    // the run's findings, read once for the two passes below (the first may take some away)
    let findingRows = await listFindings(this.env.DB, init.orgId, init.runId).catch(() => undefined);
    // schema findings on reads that return the run's own accepted invalid values: that acceptance is the bug
    if (model) {
      const suppressed = await suppressOwnValueConsequences(this.env, { runId: init.runId, orgId: init.orgId, model, cases: () => this.plannedCases(), ...(findingRows ? { findings: findingRows } : {}) }).catch((err: unknown) => {
        log("warn", "consequences of accepted invalid values not attributed", { runId: init.runId, error: err instanceof Error ? err.message : String(err) });
        return undefined;
      });
      // a pass that failed half-way may have taken some away: the memory reads them again
      const gone = new Set(suppressed?.map((s) => s.findingId));
      findingRows = suppressed === undefined ? undefined : findingRows?.filter((row) => !gone.has(row.id));
    }
    step("own invalid values");
    const families = (caseIds: ReadonlySet<string>) => caseFamilies(this.plannedCases(), caseIds);
    await rememberFindings(this.env, { orgId: init.orgId, specId: init.specId, runId: init.runId, families, ...(model ? { model } : {}), ...(findingRows ? { findings: findingRows } : {}) });
    step("finding memory");
    // with an LLM: each cluster of findings explained, with its likely cause (the budget's remainder)
    const llm = init.llmEnc ? await decryptJson<LlmRunRequest>(this.env, this.purpose(init.runId, "llm"), init.llmEnc).catch(() => undefined) : undefined;
    if (llm) await triageRun(this.env, { orgId: init.orgId, runId: init.runId, llm, identities: await this.identities(init).catch(() => ({})) });
    // what every successful response agreed on becomes an invariant the next run checks
    await learnInvariants(this.env, { orgId: init.orgId, specId: init.specId, runId: init.runId, model });
    step("invariants");
    // what the run exercised and what it could not, per operation (read by every report)
    if (model) await recordCoverage(this.env, { orgId: init.orgId, runId: init.runId, model, identities: init.identityNames.length });
    step("coverage");
    const stats = await countRunStats(this.env.DB, init.runId);
    const verdict = finalStatus(stats, stats.findings);
    step("counts");
    await this.conclude(verdict.status, error ?? verdict.error ?? null, stats);
  }

  /** What both re-run passes below need: the run's model, every planned case, its identities and limits. */
  private async replayInput(init: StoredInit, keeper: IdentityKeeper | undefined): Promise<ReplayInput> {
    const plannedCases = () => this.plannedCases();
    return {
      runId: init.runId,
      orgId: init.orgId,
      model: await this.loadModel(init.modelKey),
      baseUrl: init.baseUrl,
      // read only by a pass that has something to re-run (most runs have nothing in flight when they end)
      get cases() {
        return plannedCases();
      },
      identities: keeper ? keeper.identities() : await this.identities(init),
      ...(init.identityNames[0] ? { defaultIdentity: init.identityNames[0] } : {}),
      timeoutMs: init.limits.timeoutMs,
      maxBodyBytes: init.limits.maxBodyBytes,
    };
  }

  /** runs/own-writes.ts: the cases that came after a destructive request of the run are run again, alone. */
  private async confirmOwnWrites(init: StoredInit, keeper: IdentityKeeper | undefined): Promise<void> {
    // re-runs wait for the target to settle: keep the watchdog alarm from firing meanwhile
    await this.ctx.storage.setAlarm(Date.now() + OWN_WRITES_BUDGET_MS);
    try {
      await confirmAfterOwnWrites(this.env, {
        ...(await this.replayInput(init, keeper)),
        selection: { include: init.include, exclude: init.exclude, allowDestructive: init.allowDestructive },
      });
    } catch (err) {
      log("warn", "findings after the run's own destructive requests not re-confirmed", { runId: init.runId, error: err instanceof Error ? err.message : String(err) });
    }
    this.writeMeta("ownWritesChecked", true);
  }

  /** runs/stopped-target.ts: the requests in flight when the target stopped answering, replayed alone (once per run); one line per stop named. */
  private async confirmStopped(init: StoredInit, keeper?: IdentityKeeper): Promise<string[]> {
    if (this.readMeta<boolean>("stoppedChecked") === true) return this.readMeta<string[]>("stops") ?? [];
    let stops: string[] = [];
    // replays wait for the target to answer again: keep the watchdog alarm from firing meanwhile
    await this.ctx.storage.setAlarm(Date.now() + REPLAY_BUDGET_MS + 2 * init.limits.timeoutMs);
    try {
      keeper ??= await this.keeper().catch(() => undefined);
      stops = (await confirmStoppedTarget(this.env, await this.replayInput(init, keeper))).stops;
    } catch (err) {
      log("warn", "requests in flight when the target stopped not replayed", { runId: init.runId, error: err instanceof Error ? err.message : String(err) });
    }
    this.writeMeta("stops", stops);
    this.writeMeta("stoppedChecked", true);
    return stops;
  }

  /** Never lose a case: one without a result row after every task is done gets an errored row. */
  private async fillMissingResults(init: StoredInit): Promise<void> {
    const planned = this.readState()!.cases;
    if ((await countResultRows(this.env.DB, init.runId)) >= planned) return;
    const all = this.plannedCases().map(stub);
    const existing = await existingCaseIds(this.env.DB, init.runId, all.map((c) => c.id));
    const missing = all.filter((c) => !existing.has(c.id));
    if (missing.length > 0) await writeUnrunResults(this.env.DB, init.orgId, init.runId, missing, "errored", "no result was reported for this case");
  }

  /** Terminal: stats from D1, the runs row, notifications; the alarm is no longer needed. */
  private async conclude(status: TerminalStatus, error: string | null, stats?: RunStats): Promise<void> {
    const init = this.readInit();
    const finalStats = stats ?? (await countRunStats(this.env.DB, init.runId));
    const finishedAt = Date.now();
    const state = this.readState()!;
    const startedAt = state.startedAt ?? finishedAt;
    await updateRun(this.env.DB, init.runId, { status, stats: finalStats, error, startedAt, finishedAt });
    timeline(this.env, "concluded", { runId: init.runId, status, finishedAt });
    const notify = init.notify ?? [];
    if (notify.length > 0) {
      await queueNotifications(this.env.DB, { orgId: init.orgId, runId: init.runId, urls: notify, at: finishedAt });
      // first attempt right away; the cron handler retries what fails
      this.ctx.waitUntil(
        sendDueNotifications(this.env, { runId: init.runId }).catch((err) =>
          log("warn", "notifications not sent yet", { runId: init.runId, error: err instanceof Error ? err.message : String(err) }),
        ),
      );
    }
    this.writeState({ ...this.readState()!, status, error, stats: finalStats, startedAt, finishedAt });
    // the credentials are no longer needed once nothing will run
    this.store.blankMetaFields("init", ["identitiesEnc", "llmEnc", "authEnc"]);
    this.store.deleteMeta("keptEnc");
    this.identitiesCache = undefined;
    this.keeperCache = undefined;
    this.modelCache = undefined;
    this.casesCache = undefined;
    await this.ctx.storage.deleteAlarm();
  }

  // ---------------------------------------------------------------- storage helpers

  private progress(): RunProgress {
    const state = this.readState()!;
    const init = this.readInit();
    const row = this.store.totals();
    const final = state.stats;
    return {
      id: init.runId,
      status: state.status,
      cases: state.cases,
      done: final ? final.cases : row.doneCases,
      passed: final ? final.passed : row.passed,
      failed: final ? final.failed : row.failed,
      errored: final ? final.errored : row.errored,
      skipped: final ? final.skipped : row.skipped,
      tasks: { total: row.total, sent: row.sent, done: row.done },
      createdAt: state.createdAt,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
      deadlineAt: state.deadlineAt,
      error: state.error,
      warnings: state.warnings,
      stats: state.stats,
    };
  }

  /** After a restart the alarm may be gone (or never set): any live call puts it back. */
  private async ensureAlarm(): Promise<void> {
    const state = this.readState();
    if (!state || (isTerminal(state.status) && state.stats !== null)) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 1000);
  }

  private move(to: RunStatus, patch: Partial<RunState> = {}): void {
    const state = this.readState()!;
    if (!canMove(state.status, to)) throw new Error(`run cannot move from ${state.status} to ${to}`);
    this.writeState({ ...state, ...patch, status: to });
  }

  private readMeta<T>(key: string): T | undefined {
    return this.store.readMeta<T>(key);
  }

  private writeMeta(key: string, value: unknown): void {
    this.store.writeMeta(key, value);
  }

  private readState(): RunState | undefined {
    return this.readMeta<RunState>("state");
  }

  private writeState(state: RunState): void {
    this.writeMeta("state", state);
  }

  private readInit(): StoredInit {
    const init = this.readMeta<StoredInit>("init");
    if (!init) throw new Error("run not initialised");
    return init;
  }

  private outstandingTasks(): number {
    return this.store.countOpen();
  }

  private taskCount(): number {
    return this.store.count();
  }

  private purpose(runId: string, what: "identities" | "llm" | "auth" | "kept" = "identities"): string {
    return `run-${what}:${runId}`;
  }

  private async identities(init: StoredInit): Promise<Identities> {
    if (!this.identitiesCache) {
      this.identitiesCache = init.identitiesEnc ? await decryptJson<Identities>(this.env, this.purpose(init.runId), init.identitiesEnc) : {};
    }
    return this.identitiesCache;
  }

  /** Every case of the run's tasks, in order, parsed once per instance for the finalize passes (never mutated by them). */
  private plannedCases(): TestCase[] {
    this.casesCache ??= this.store.bodies().flatMap((body) => (JSON.parse(body) as TaskMessage).cases);
    return this.casesCache;
  }

  /** Never mutated by its readers (the executor shares one per isolate too). A failed read is not kept. */
  private loadModel(modelKey: string): Promise<ApiModel> {
    if (this.modelCache?.key !== modelKey) {
      const model = (async () => {
        const object = await this.env.BLOBS.get(modelKey);
        if (!object) throw new Error(`the spec's operation model is missing (${modelKey})`);
        return (await object.json()) as ApiModel;
      })();
      const entry = { key: modelKey, model };
      model.catch(() => {
        if (this.modelCache === entry) this.modelCache = undefined;
      });
      this.modelCache = entry;
    }
    return this.modelCache.model;
  }
}

/** The Authorization value of each identity: security-auth forges look-alike tokens from its claims. */
function authorizationValues(identities: Identities): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, headers] of Object.entries(identities)) {
    const entry = Object.entries(headers).find(([header]) => header.toLowerCase() === "authorization");
    if (entry) out[name] = entry[1];
  }
  return out;
}

/** A bare TCP connection to the target (probe.ts tells refused from reset, DNS from TLS with it). */
const tcpCheck: TcpCheck = async (hostname, port, timeoutMs) => {
  const socket = connect({ hostname, port });
  try {
    return await Promise.race([socket.opened.then(() => true, () => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
  } finally {
    socket.close().catch(() => undefined);
  }
};

function stub(c: TestCase): CaseStub {
  return { id: c.id, agent: c.agent, operationId: c.operationId };
}
