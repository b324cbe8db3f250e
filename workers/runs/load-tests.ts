/**
 * Load tests as a service, shared by the REST API (and later schedules): plan and start one (a
 * LoadGenerator per region, placed with locationHint under a fresh test-scoped name), build its
 * report from the stored windows, report live progress, and settle it when every region is done.
 */
import { buildRequest } from "../executor/request-builder";
import { findOperation as findSpecOperation } from "../executor/checks/support";
import { placeCredentials } from "../executor/identity-credentials";
import { errorTotal } from "../load/aggregate";
import type { LoadRequest } from "../load/engine";
import { DEFAULT_DISTRESS_RATIO } from "../load/guard";
import { decodeHistogram, percentileMs } from "../load/histogram";
import { harvestIds, interleave, planLoad, PlanError, profileShape } from "../load/plan";
import { buildLoadReport } from "../load/report";
import { regionShares, scaleSchedule, type Schedule } from "../load/schedule";
import { LOAD_REGIONS, parseThreshold, ThresholdError } from "../load/thresholds";
import type { GeneratorInit, LoadReport, LoadStatus, LoadTestOptions } from "../load/types";
import type { ApiModel, RequestTemplate } from "../model";
import { sendDueNotifications } from "../notifications/send-notifications";
import { newId } from "../shared/encoding";
import { log } from "../shared/log";
import { RunError } from "./errors";
import { resolveSpec, resolveTarget, type RunInput } from "./start-run";
import { assertFetchAllowed, assertTargetAllowed } from "./target-policy";
import {
  getLoadTestById,
  insertLoadTest,
  listRegions,
  listWindows,
  queueLoadNotifications,
  settleLoadTest,
  updateLoadTest,
  type LoadTestConfig,
  type LoadTestRow,
} from "../storage/load-tests-repo";

/** Region name used when none is asked: no locationHint, the platform places it near the caller. */
export const NEAREST = "nearest";
export const TERMINAL_LOAD: readonly LoadStatus[] = ["passed", "failed", "aborted", "errored"];
/** on Cloudflare an invocation holds at most 6 connections; locally the platform allows more */
export const EDGE_MAX_IN_FLIGHT = 6;
const LOCAL_MAX_IN_FLIGHT = 64;

export interface LoadTestInput extends LoadTestOptions {
  spec: RunInput["spec"];
  target: RunInput["target"];
  headers?: Record<string, string>;
  /** URLs that get a signed `load.finished` POST when the test does not pass (a breached threshold) */
  notify?: string[];
  /** the schedule (and minute) that started it */
  source?: { scheduleId: string; slot: number };
}

export interface StartedLoadTest {
  id: string;
  status: "queued";
  links: { self: string; events: string; report: string };
}

export function loadLinks(id: string): StartedLoadTest["links"] {
  const self = `/api/v1/load-tests/${id}`;
  return { self, events: `${self}/events`, report: `${self}/report` };
}

export function generatorStub(env: Env, testId: string, region: string) {
  const id = env.LOAD_GENERATOR.idFromName(`${testId}:${region}`);
  return region === NEAREST ? env.LOAD_GENERATOR.get(id) : env.LOAD_GENERATOR.get(id, { locationHint: region as DurableObjectLocationHint });
}

const invalid = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new RunError("validation-error", `${field}: ${message}`, { errors: [{ field, message, ...extra }] });

export function parseRegions(list: string[] | undefined): { region: string; weight?: number }[] {
  if (!list?.length) return [{ region: NEAREST }];
  const regions = list.map((entry, i) => {
    const m = /^([a-z]+)(?::(\d+(?:\.\d+)?))?$/.exec(entry.trim());
    if (!m || !(LOAD_REGIONS as readonly string[]).includes(m[1])) throw invalid(`regions/${i}`, `"${entry}" is not a region (${LOAD_REGIONS.join(", ")}), optionally with :weight`);
    return m[2] !== undefined ? { region: m[1], weight: Number(m[2]) } : { region: m[1] };
  });
  if (new Set(regions.map((r) => r.region)).size !== regions.length) throw invalid("regions", "a region is listed twice");
  const weighted = regions.filter((r) => r.weight !== undefined).length;
  if (weighted && weighted !== regions.length) throw invalid("regions", "give every region a weight, or none");
  if (weighted && regions.every((r) => !r.weight)) throw invalid("regions", "weights must not all be 0");
  return regions;
}

async function loadModel(env: Env, modelKey: string): Promise<ApiModel> {
  const object = await env.BLOBS.get(modelKey);
  if (!object) throw new RunError("internal", "the spec's model is missing");
  return (await object.json()) as ApiModel;
}

/** A checked and planned load test, ready to launch (nothing stored yet). */
export interface PreparedLoadTest {
  specId: string;
  baseUrl: string;
  config: LoadTestConfig;
  schedule: Schedule;
  requests: LoadRequest[];
}

/**
 * Everything short of starting: options checked, target allowed, spec resolved and planned,
 * requests built with credentials. Schedules call it when created, so a bad template fails then.
 */
export async function prepareLoadTest(env: Env, principal: { orgId: string; userId: string | null }, input: LoadTestInput): Promise<PreparedLoadTest> {
  const profile = input.profile ?? "load";
  const rate = input.rate ?? 10;
  const durationMs = Math.round((input.duration ?? (profile === "soak" ? 600 : 30)) * 1000);
  const rampMs = Math.round((input.ramp ?? 0) * 1000);
  if (rampMs > durationMs) throw invalid("ramp", "is longer than the duration");
  const regions = parseRegions(input.regions);
  const local = env.SENTINEL_ENV === "local";
  const maxInFlight = input.maxInFlight ?? EDGE_MAX_IN_FLIGHT;
  if (!local && maxInFlight > EDGE_MAX_IN_FLIGHT) throw invalid("maxInFlight", `at most ${EDGE_MAX_IN_FLIGHT} on Cloudflare (connections per invocation)`);
  if (maxInFlight > LOCAL_MAX_IN_FLIGHT) throw invalid("maxInFlight", `at most ${LOCAL_MAX_IN_FLIGHT}`);
  const thresholds = (input.thresholds ?? []).map((expression, i) => {
    try {
      const t = parseThreshold(expression);
      if (t.region && !regions.some((r) => r.region === t.region)) throw invalid(`thresholds/${i}`, `region ${t.region} is not one of the test's regions`);
      return t;
    } catch (error) {
      if (error instanceof ThresholdError) throw invalid(`thresholds/${i}`, error.message, { position: error.position });
      throw error;
    }
  });

  const target = await resolveTarget(env, principal.orgId, input.target);
  const baseUrl = (await assertTargetAllowed(env, principal.orgId, target.url)).toString().replace(/\/+$/, "");
  const spec = await resolveSpec(env, principal.orgId, principal.userId, input.spec);
  const model = await loadModel(env, spec.modelKey);
  const seed = input.seed ?? 1;
  let plan;
  try {
    plan = planLoad(model, { operations: input.operations, allowWrites: input.allowWrites, seed });
  } catch (error) {
    if (error instanceof PlanError) throw invalid("operations", error.message);
    throw error;
  }

  // the first identity's credentials (placed where the spec wants them) plus --header values
  const identityNames = Object.keys(target.identities);
  const identities = { default: { ...(identityNames.length ? target.identities[identityNames[0]] : {}), ...(input.headers ?? {}) } };
  const build = async (template: RequestTemplate): Promise<LoadRequest> => {
    const built = await buildRequest(template, {
      baseUrl,
      variables: {},
      identities,
      defaultIdentity: "default",
      placeCredentials: (headers) => placeCredentials(model, findSpecOperation(model, String(template.method), template.path), headers),
    });
    return { method: built.method, url: built.url, headers: built.headers, ...(built.body !== undefined ? { body: built.body } : {}) };
  };
  const perOperation: LoadRequest[][] = [];
  const operations: string[] = [];
  for (const planned of plan.requests) {
    if (!planned.harvest) {
      perOperation.push([await build(planned.template)]);
      operations.push(planned.label);
      continue;
    }
    const { param, list, listLabel } = planned.harvest;
    const ids = await harvest(await build(list), param);
    if (typeof ids === "string") {
      plan.skipped.push({ operation: planned.label, reason: `no ids for {${param}}: ${listLabel} ${ids}` });
      continue;
    }
    perOperation.push(await Promise.all(ids.map((id) => build({ ...planned.template, pathParams: { ...planned.template.pathParams, [param]: id } }))));
    operations.push(`${planned.label} (${ids.length} ids from ${listLabel})`);
  }
  if (!perOperation.length) throw invalid("operations", `none of the operations can be loaded: ${plan.skipped.map((s) => `${s.operation}: ${s.reason}`).join("; ")}`);
  const requests = interleave(perOperation);

  for (const url of input.notify ?? []) assertFetchAllowed(env, url);

  const shape = profileShape(profile, rate, durationMs, rampMs);
  const config: LoadTestConfig = {
    spec: spec.meta,
    profile,
    rate,
    durationMs,
    rampMs,
    regions,
    maxInFlight,
    timeoutMs: input.timeoutMs ?? 10_000,
    operations,
    skipped: plan.skipped,
    thresholds: thresholds.map((t) => t.expression),
    abortOnFail: input.abortOnFail ?? false,
    distressRatio: input.distressRatio ?? DEFAULT_DISTRESS_RATIO,
    allowWrites: input.allowWrites ?? false,
    identities: identityNames,
    ...(profile === "stress" ? { stress: { p95Ms: input.stress?.p95Ms ?? 1000, errorRate: input.stress?.errorRate ?? 0.05 } } : {}),
    ...(shape.spike ? { spike: shape.spike } : {}),
    ...(input.notify?.length ? { notify: input.notify } : {}),
    ...(input.source ? { source: input.source } : {}),
    startAt: 0,
  };
  return { specId: spec.specId, baseUrl, config, schedule: shape.schedule, requests };
}

const HARVEST_TIMEOUT_MS = 5000;
const HARVEST_MAX_BYTES = 2 * 1024 * 1024;

/** One GET of a list operation before the test: the ids it returns, or why there are none. */
async function harvest(list: LoadRequest, param: string): Promise<string[] | string> {
  try {
    const res = await fetch(list.url, { method: list.method, headers: list.headers, redirect: "manual", signal: AbortSignal.timeout(HARVEST_TIMEOUT_MS) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return `answered ${res.status}`;
    }
    const text = await res.text();
    if (text.length > HARVEST_MAX_BYTES) return "answered more than 2 MB";
    const ids = harvestIds(JSON.parse(text), param);
    return ids.length ? ids : "returned no ids";
  } catch (error) {
    return `could not be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

export async function startLoadTest(env: Env, principal: { orgId: string; userId: string | null }, input: LoadTestInput): Promise<StartedLoadTest> {
  const prepared = await prepareLoadTest(env, principal, input);
  const { regions, maxInFlight } = prepared.config;
  const id = newId("load");
  const startAt = Date.now() + 1000 + regions.length * 100;
  const config: LoadTestConfig = { ...prepared.config, startAt };
  const requests = prepared.requests;
  await insertLoadTest(env.DB, { id, orgId: principal.orgId, specId: prepared.specId, targetUrl: prepared.baseUrl, config, createdBy: principal.userId });
  const shares = regionShares(regions);
  try {
    await Promise.all(
      regions.map((r) => {
        const init: GeneratorInit = {
          testId: id,
          region: r.region,
          regions: regions.map((x) => x.region),
          schedule: scaleSchedule(prepared.schedule, shares.get(r.region) ?? 1),
          requests,
          maxInFlight,
          timeoutMs: config.timeoutMs,
          startAt,
          thresholds: config.thresholds,
          abortOnFail: config.abortOnFail,
          distressRatio: config.distressRatio,
        };
        return generatorStub(env, id, r.region).start(init);
      }),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log("error", "load test could not start", { testId: id, error: message });
    await updateLoadTest(env.DB, id, { status: "errored", error: `could not start: ${message}`, finishedAt: Date.now() });
    throw new RunError("internal", "The load test could not be started", { testId: id });
  }
  return { id, status: "queued", links: loadLinks(id) };
}

/** The report of a test from its stored windows (live while it runs). */
export async function loadTestReport(env: Env, row: LoadTestRow): Promise<LoadReport> {
  const [windows, regions] = await Promise.all([listWindows(env.DB, row.id), listRegions(env.DB, row.id)]);
  const c = row.config;
  return buildLoadReport(
    {
      id: row.id,
      status: row.status,
      profile: c.profile,
      target: row.targetUrl,
      operations: c.operations,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      asked: { rate: c.rate, durationMs: c.durationMs, regions: c.regions.map((r) => r.region) },
      colos: Object.fromEntries(regions.map((r) => [r.region, r.colo ?? ""])),
      thresholds: c.thresholds.map(parseThreshold),
      ...(c.stress ? { stress: c.stress } : {}),
      ...(c.spike ? { spike: c.spike } : {}),
      abortReason: row.abortReason,
    },
    windows,
  );
}

/** Settles the test once every region is done (idempotent; any generator or reader may call it). */
export async function finalizeLoadTest(env: Env, testId: string): Promise<void> {
  const row = await getLoadTestById(env.DB, testId);
  if (!row || TERMINAL_LOAD.includes(row.status)) return;
  const regions = await listRegions(env.DB, testId);
  if (!regions.every((r) => r.done)) return;
  const report = await loadTestReport(env, row);
  const thresholdFailed = report.load.thresholds.some((t) => !t.ok);
  const distress = row.abortReason !== null && !row.abortReason.startsWith("threshold");
  const status: LoadStatus = distress ? "aborted" : thresholdFailed || row.abortReason ? "failed" : "passed";
  const finishedAt = Date.now();
  const settled = await settleLoadTest(env.DB, testId, {
    status,
    summary: { overall: report.load.overall, thresholds: report.load.thresholds },
    finishedAt,
    ...(row.startedAt ? {} : { startedAt: finishedAt }),
  });
  // only the settler tells, and only when it did not pass: a monitor that pages on every pass is noise
  const notify = row.config.notify ?? [];
  if (!settled || status === "passed" || notify.length === 0) return;
  await queueLoadNotifications(env.DB, row.orgId, testId, notify, finishedAt);
  await sendDueNotifications(env, { runId: testId }).catch((error) => log("warn", "load notifications not sent yet", { testId, error: error instanceof Error ? error.message : String(error) }));
}

export interface LoadProgress {
  id: string;
  status: LoadStatus;
  elapsedMs: number;
  durationMs: number;
  regions: { region: string; colo: string; requests: number; errors: number; rps: number; p95: number }[];
  abortReason: string | null;
}

/** Live figures: cumulative counts per region, the rate and p95 of its latest window. */
export async function loadProgress(env: Env, row: LoadTestRow): Promise<LoadProgress> {
  const [windows, regions] = await Promise.all([listWindows(env.DB, row.id), listRegions(env.DB, row.id)]);
  const last = Math.max(-1, ...windows.map((w) => w.index));
  return {
    id: row.id,
    status: row.status,
    elapsedMs: last >= 0 ? Math.min(row.config.durationMs, (last + 1) * 1000) : 0,
    durationMs: row.config.durationMs,
    regions: regions.map((r) => {
      const mine = windows.filter((w) => w.region === r.region);
      const latest = mine[mine.length - 1];
      return {
        region: r.region,
        colo: r.colo ?? "",
        requests: mine.reduce((a, w) => a + w.requests, 0),
        errors: mine.reduce((a, w) => a + errorTotal(w.errors), 0),
        rps: latest && latest.durationMs > 0 ? Math.round((latest.requests / (latest.durationMs / 1000)) * 10) / 10 : 0,
        p95: latest ? percentileMs(decodeHistogram(latest.hdr), 95) : 0,
      };
    }),
    abortReason: row.abortReason,
  };
}
