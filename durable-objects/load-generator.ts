/**
 * LoadGenerator: one Durable Object per (load test, region), created with a locationHint so it
 * runs in that region. Thin glue over workers/load: the alarm runs the test in slices of whole
 * windows sized to stay under an invocation's subrequest budget; each finished window goes to D1
 * before the next one is judged, and the cursor (next window) to this object's storage, so a
 * restart resumes at the first unfinished window. The last generator to finish settles the test.
 */
import { DurableObject } from "cloudflare:workers";
import { runWindows, ENGINE_DEFAULTS, type LoadRequest } from "../workers/load/engine";
import { distressReason, thresholdAbortReason, ABORT_EVAL_MIN_WINDOWS } from "../workers/load/guard";
import { evaluate } from "../workers/load/report";
import { ArrivalPlan } from "../workers/load/schedule";
import { parseThreshold } from "../workers/load/thresholds";
import type { GeneratorInit, LoadWindow } from "../workers/load/types";
import { finalizeLoadTest } from "../workers/runs/load-tests";
import { log } from "../workers/shared/log";
import { decryptJson, encryptJson } from "../workers/shared/secret-box";
import { getLoadTestById, listWindows, requestAbort, storeWindow, updateLoadTest, updateRegion } from "../workers/storage/load-tests-repo";

type StoredInit = Omit<GeneratorInit, "requests"> & { requestsEnc: string };

/** Requests one slice may send: under the platform's subrequest budget per invocation. */
export const SLICE_REQUEST_BUDGET = 900;
const MAX_SLICE_WINDOWS = 30;

export class LoadGenerator extends DurableObject<Env> {
  private restartRequested = false;

  /** Idempotent: a second start of the same generator changes nothing. */
  async start(init: GeneratorInit): Promise<void> {
    if (await this.ctx.storage.get("init")) return;
    const { requests, ...rest } = init;
    const stored: StoredInit = { ...rest, requestsEnc: await encryptJson(this.env, this.purpose(init), requests) };
    await this.ctx.storage.put({ init: stored, nextWindow: 0, done: false });
    await this.ctx.storage.setAlarm(Math.max(Date.now(), init.startAt - 200));
  }

  /**
   * Resets this object after its current slice, as an eviction or a deploy between two alarms
   * does; the alarm already set resumes it from storage. Lets tests prove that resuming loses
   * and repeats nothing.
   */
  async restartAfterSlice(): Promise<void> {
    this.restartRequested = true;
  }

  async status(): Promise<{ nextWindow: number; done: boolean } | null> {
    const init = await this.ctx.storage.get<StoredInit>("init");
    if (!init) return null;
    return { nextWindow: (await this.ctx.storage.get<number>("nextWindow")) ?? 0, done: (await this.ctx.storage.get<boolean>("done")) ?? false };
  }

  override async alarm(): Promise<void> {
    const init = await this.ctx.storage.get<StoredInit>("init");
    if (!init || (await this.ctx.storage.get<boolean>("done"))) return;
    const db = this.env.DB;
    const test = await getLoadTestById(db, init.testId);
    if (!test) return;
    const colo = await this.colo();
    const from = (await this.ctx.storage.get<number>("nextWindow")) ?? 0;
    if (from === 0) {
      await updateRegion(db, init.testId, init.region, { colo });
      if (test.status === "queued") await updateLoadTest(db, init.testId, { status: "running", startedAt: Date.now() });
    }
    const plan = new ArrivalPlan(init.schedule);
    const windowMs = ENGINE_DEFAULTS.windowMs;
    const perWindow = Math.max(1, plan.total / Math.max(1, Math.ceil(plan.durationMs / windowMs)));
    const sliceWindows = Math.max(1, Math.min(MAX_SLICE_WINDOWS, Math.floor(SLICE_REQUEST_BUDGET / perWindow)));
    const thresholds = init.thresholds.map(parseThreshold);
    let stop = test.abortReason !== null;
    let judged = 0;

    const onWindow = async (window: LoadWindow) => {
      await storeWindow(db, init.testId, window);
      await this.ctx.storage.put("nextWindow", window.index + 1);
      const distress = distressReason(window, init.distressRatio);
      if (distress) await requestAbort(db, init.testId, distress);
      if (init.abortOnFail && thresholds.length && window.index + 1 >= ABORT_EVAL_MIN_WINDOWS && ++judged % 2 === 1) {
        const reason = thresholdAbortReason(thresholds, evaluate(await listWindows(db, init.testId), init.regions, {}, thresholds));
        if (reason) await requestAbort(db, init.testId, reason);
      }
      if (distress || (await getLoadTestById(db, init.testId))?.abortReason) stop = true;
    };

    const requests = await decryptJson<LoadRequest[]>(this.env, this.purpose(init), init.requestsEnc);
    const result = stop
      ? { nextWindow: from, stopped: true, finished: true }
      : await runWindows(
          { ...ENGINE_DEFAULTS, plan, requests, maxInFlight: init.maxInFlight, timeoutMs: init.timeoutMs, region: init.region, colo },
          { fetch: (r) => fetch(r), now: () => performance.timeOrigin + performance.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
          init.startAt,
          from,
          from + sliceWindows,
          onWindow,
          () => stop,
        );
    await this.ctx.storage.put("nextWindow", result.nextWindow);
    if (result.finished) {
      await this.ctx.storage.put("done", true);
      await updateRegion(db, init.testId, init.region, { done: true });
      await finalizeLoadTest(this.env, init.testId).catch((error) => log("error", "load test settle failed", { testId: init.testId, error: String(error) }));
      return;
    }
    await this.ctx.storage.setAlarm(Date.now());
    if (this.restartRequested) this.ctx.abort("restart requested");
  }

  /** The colo this object really runs in ("local" on the local platform). */
  private async colo(): Promise<string> {
    const known = await this.ctx.storage.get<string>("colo");
    if (known) return known;
    let colo = "local";
    if (this.env.SENTINEL_ENV !== "local") {
      try {
        const text = await (await fetch("https://www.cloudflare.com/cdn-cgi/trace")).text();
        colo = /^colo=(\w+)$/m.exec(text)?.[1] ?? "unknown";
      } catch {
        colo = "unknown";
      }
    }
    await this.ctx.storage.put("colo", colo);
    return colo;
  }

  private purpose(init: { testId: string; region: string }): string {
    return `load-generator:${init.testId}:${init.region}`;
  }
}
