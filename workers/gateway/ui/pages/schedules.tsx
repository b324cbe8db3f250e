/** Schedules: list, create, pause/resume, delete; a schedule's slots, runs and flaky cases. */
import type { Hono } from "hono";
import { ApiError } from "../api-client";
import type { CaseResult, Run, Schedule, Spec, Target } from "../api-types";
import type { UiContext, UiEnv } from "../context";
import { flakyCases, type FlakyCase, type RunFailures } from "../flaky";
import { text, type FormBody } from "../form";
import { Badge, Csrf, Flash, Layout, formatTime } from "../layout";
import { problemLines } from "./runs";

const TERMINAL = new Set(["passed", "failed", "errored", "cancelled"]);
const FLAKY_RUNS = 8;

function SchedulesPage(props: { c: UiContext; schedules: Schedule[]; specs: Spec[]; targets: Target[]; error?: string; errors?: string[] }) {
  const { c } = props;
  const viewer = c.get("viewer");
  const specName = new Map(props.specs.map((s) => [s.id, `${s.name} v${s.version}`]));
  const targetName = new Map(props.targets.map((t) => [t.id, t.name]));
  return (
    <Layout title="Schedules" nonce={c.get("nonce")} viewer={viewer} section="schedules">
      <Flash error={props.error} />
      {props.errors?.length ? (
        <ul class="flash error">
          {props.errors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      ) : null}
      {props.schedules.length === 0 ? (
        <p class="muted">No schedules yet.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Cron (UTC)</th>
                <th scope="col">Spec</th>
                <th scope="col">Target</th>
                <th scope="col">Next run</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {props.schedules.map((s) => (
                <tr>
                  <td>
                    <a href={`/app/schedules/${s.id}`}>
                      <code>{s.cron}</code>
                    </a>
                    {s.enabled ? null : <span class="tag">paused</span>}
                  </td>
                  <td>{specName.get(s.specId) ?? s.specId}</td>
                  <td>{targetName.get(s.targetId) ?? s.targetId}</td>
                  <td>{s.enabled ? formatTime(s.nextRunAt) : "—"}</td>
                  <td>
                    <form class="inline" method="post" action={`/app/schedules/${s.id}/toggle`}>
                      <Csrf viewer={viewer} />
                      <input type="hidden" name="enabled" value={s.enabled ? "false" : "true"} />
                      <button type="submit" class="secondary">
                        {s.enabled ? "Pause" : "Resume"}
                      </button>
                    </form>{" "}
                    <form class="inline" method="post" action={`/app/schedules/${s.id}/delete`}>
                      <Csrf viewer={viewer} />
                      <button type="submit" class="danger" aria-label={`Delete schedule ${s.cron}`}>
                        Delete
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>New schedule</h2>
      {props.targets.length === 0 ? (
        <p class="muted">Schedules test a saved target; create one with POST /api/v1/targets first.</p>
      ) : (
        <form class="stack" method="post" action="/app/schedules">
          <Csrf viewer={viewer} />
          <div>
            <label for="cron">
              Cron <span class="hint">(five fields, UTC, e.g. 0 6 * * 1-5)</span>
            </label>
            <input id="cron" name="cron" required placeholder="0 6 * * 1-5" />
          </div>
          <div>
            <label for="sch-spec">Spec</label>
            <select id="sch-spec" name="specId" required>
              {props.specs.map((s) => (
                <option value={s.id}>
                  {s.name} v{s.version} — {s.title}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="sch-target">Target</label>
            <select id="sch-target" name="targetId" required>
              {props.targets.map((t) => (
                <option value={t.id}>
                  {t.name} ({t.baseUrl})
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="sch-seed">
              Seed <span class="hint">(fixed, so the runs plan the same cases and flaky ones show)</span>
            </label>
            <input id="sch-seed" name="seed" type="number" min="0" inputmode="numeric" />
          </div>
          <div>
            <button type="submit">Create schedule</button>
          </div>
        </form>
      )}
    </Layout>
  );
}

function Pattern(props: { history: boolean[] }) {
  const words = props.history.map((f) => (f ? "failed" : "not failed")).join(", ");
  return (
    <span role="img" aria-label={words} title={words}>
      {props.history.map((f) => (f ? "✗" : "✓")).join(" ")}
    </span>
  );
}

function SchedulePage(props: { c: UiContext; schedule: Schedule & { recent: { slot: number; at: string; runId: string | null; error: string | null }[] }; runs: Run[]; flaky: FlakyCase[] }) {
  const { c, schedule: s } = props;
  return (
    <Layout title={`Schedule ${s.cron}`} nonce={c.get("nonce")} viewer={c.get("viewer")} section="schedules">
      <p>
        {s.enabled ? `Next run ${formatTime(s.nextRunAt)}` : "Paused"} · spec <a href={`/app/specs/${s.specId}`}>{s.specId}</a> · target {s.targetId}
      </p>
      <h2>Flaky cases</h2>
      <p class="hint">Cases that failed in some of the last {props.runs.length} finished runs and not in others (oldest → newest).</p>
      {props.flaky.length === 0 ? (
        <p class="muted">{props.runs.length < 2 ? "Needs two finished runs." : "None: every failure repeats in every run."}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Operation</th>
                <th scope="col">History</th>
                <th scope="col">Flips</th>
              </tr>
            </thead>
            <tbody>
              {props.flaky.slice(0, 200).map((f) => (
                <tr>
                  <td>
                    <code>{f.caseId}</code>
                  </td>
                  <td>{f.operationId}</td>
                  <td>
                    <Pattern history={f.history} />
                  </td>
                  <td>{f.flips}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Runs</h2>
      <ul>
        {props.runs.map((r) => (
          <li>
            <a href={`/app/runs/${r.id}`}>{r.id}</a> <Badge kind="st" value={r.status} /> {formatTime(r.startedAt ?? r.createdAt)}
          </li>
        ))}
      </ul>
      <h2>Recent slots</h2>
      <ul>
        {s.recent.map((slot) => (
          <li>
            {formatTime(slot.at)}: {slot.runId ? <a href={`/app/runs/${slot.runId}`}>{slot.runId}</a> : slot.error ?? "—"}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

async function failures(c: UiContext, run: Run): Promise<RunFailures> {
  const failed = new Map<string, string>();
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const q = new URLSearchParams({ status: "failed", limit: "200" });
    if (cursor) q.set("cursor", cursor);
    const res: { items: CaseResult[]; nextCursor: string | null } = await c.get("api").get(`/api/v1/runs/${run.id}/results?${q}`);
    for (const r of res.items) failed.set(r.caseId, r.operationId);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return { runId: run.id, failed };
}

async function page(c: UiContext, extra: { error?: string; errors?: string[] } = {}, status: 200 | 400 | 404 | 422 = 200) {
  const api = c.get("api");
  const [schedules, specs, targets] = await Promise.all([
    api.get<{ items: Schedule[] }>("/api/v1/schedules"),
    api.get<{ specs: Spec[] }>("/api/v1/specs?versions=all&limit=500"),
    api.get<{ targets: Target[] }>("/api/v1/targets"),
  ]);
  return c.html(<SchedulesPage c={c} schedules={schedules.items} specs={specs.specs} targets={targets.targets} {...extra} />, status);
}

export function registerSchedules(app: Hono<UiEnv>): void {
  app.get("/app/schedules", (c) => page(c));

  app.post("/app/schedules", async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    const seed = text(body, "seed");
    try {
      await c.get("api").send("POST", "/api/v1/schedules", {
        cron: text(body, "cron"),
        specId: text(body, "specId"),
        targetId: text(body, "targetId"),
        ...(seed ? { seed: Number(seed) } : {}),
      });
    } catch (error) {
      if (error instanceof ApiError && [400, 404, 422].includes(error.status)) return page(c, { error: error.message, errors: problemLines(error) }, error.status as 400);
      throw error;
    }
    return c.redirect("/app/schedules", 303);
  });

  app.post("/app/schedules/:id/toggle", async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    await c.get("api").send("PATCH", `/api/v1/schedules/${encodeURIComponent(c.req.param("id"))}`, { enabled: text(body, "enabled") === "true" });
    return c.redirect("/app/schedules", 303);
  });

  app.post("/app/schedules/:id/delete", async (c) => {
    await c.get("api").send("DELETE", `/api/v1/schedules/${encodeURIComponent(c.req.param("id"))}`);
    return c.redirect("/app/schedules", 303);
  });

  app.get("/app/schedules/:id", async (c) => {
    const api = c.get("api");
    const [schedule, runs] = await Promise.all([
      api.get<Schedule & { recent: { slot: number; at: string; runId: string | null; error: string | null }[] }>(
        `/api/v1/schedules/${encodeURIComponent(c.req.param("id"))}`,
      ),
      api.get<{ items: Run[] }>("/api/v1/runs?limit=200"),
    ]);
    const mine = runs.items.filter((r) => r.source?.scheduleId === schedule.id);
    const finished = mine.filter((r) => TERMINAL.has(r.status) && r.status !== "cancelled").slice(0, FLAKY_RUNS).reverse();
    const flaky = flakyCases(await Promise.all(finished.map((r) => failures(c, r))));
    return c.html(<SchedulePage c={c} schedule={schedule} runs={mine} flaky={flaky} />);
  });
}
