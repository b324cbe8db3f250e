/** Runs: the list with trends, starting a run, a run's detail with live progress and cancel. */
import type { Hono } from "hono";
import { AGENT_NAMES, SEVERITIES } from "../../../model";
import { ApiError } from "../api-client";
import type { Finding, Run, Spec, Target } from "../api-types";
import { Sparkline } from "../charts";
import { can, type UiContext, type UiEnv } from "../context";
import { all, optionalNumber, parseIdentities, text, type FormBody } from "../form";
import { Badge, Csrf, Flash, Layout, formatDuration, formatTime } from "../layout";

const TERMINAL = new Set(["passed", "failed", "errored", "cancelled"]);
const LIMIT_FIELDS = [
  { name: "maxCases", label: "Max cases" },
  { name: "timeoutMs", label: "Timeout per request (ms)" },
  { name: "concurrency", label: "Concurrency (≤ 6)" },
  { name: "rps", label: "Requests per second" },
  { name: "maxResponseTimeMs", label: "Max response time (ms)" },
  { name: "deadlineMs", label: "Run deadline (ms)" },
] as const;

export function durationOf(run: Pick<Run, "startedAt" | "finishedAt">): number | null {
  return run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;
}

function counts(run: Run): { cases: number; passed: number; failed: number; errored: number; findings: number | null } {
  const s = run.stats ?? run.progress ?? null;
  return {
    cases: s?.cases ?? 0,
    passed: s?.passed ?? 0,
    failed: s?.failed ?? 0,
    errored: s?.errored ?? 0,
    findings: run.stats && typeof run.stats.findings === "number" ? run.stats.findings : null,
  };
}

/** Trend rows: one per spec title × target URL, failures per run oldest → newest. */
export function trends(runs: Run[]): { key: string; spec: string; target: string; failures: number[]; last: Run; total: number }[] {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = `${run.spec.title}\u0000${run.target.url}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.entries()].map(([key, list]) => {
    const chronological = [...list].reverse().filter((r) => TERMINAL.has(r.status));
    return {
      key,
      spec: list[0].spec.title,
      target: list[0].target.url,
      failures: chronological.slice(-20).map((r) => counts(r).findings ?? counts(r).failed),
      last: list[0],
      total: list.length,
    };
  });
}

function RunsPage(props: { c: UiContext; runs: Run[]; nextCursor: string | null }) {
  const { c, runs } = props;
  return (
    <Layout title="Runs" nonce={c.get("nonce")} viewer={c.get("viewer")} section="runs">
      {can(c, "runs:create") ? (
        <p>
          <a class="button" href="/app/runs/new">
            Start a run
          </a>
        </p>
      ) : null}
      <h2>Trends</h2>
      {runs.length === 0 ? (
        <p class="muted">No runs yet.</p>
      ) : (
        <div class="scroll">
          <table>
            <caption class="sr-only">Findings per run for each spec and target, oldest to newest</caption>
            <thead>
              <tr>
                <th scope="col">Spec</th>
                <th scope="col">Target</th>
                <th scope="col">Findings per run</th>
                <th scope="col">Last run</th>
              </tr>
            </thead>
            <tbody>
              {trends(runs).map((t) => (
                <tr>
                  <td>{t.spec}</td>
                  <td class="hide-sm">
                    <code>{t.target}</code>
                  </td>
                  <td>
                    <span class="trend">
                      <Sparkline values={t.failures} label={`Findings per run for ${t.spec}: ${t.failures.join(", ") || "none finished"}`} />
                      <span>
                        {t.failures.length ? `${t.failures[t.failures.length - 1]} latest` : ""}
                        <span class="muted"> · {t.total} runs</span>
                      </span>
                    </span>
                  </td>
                  <td>
                    <a href={`/app/runs/${t.last.id}`}>
                      <Badge kind="st" value={t.last.status} />
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>All runs</h2>
      {runs.length === 0 ? null : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Spec</th>
                <th scope="col" class="hide-sm">
                  Target
                </th>
                <th scope="col">Duration</th>
                <th scope="col">Cases</th>
                <th scope="col">Failed</th>
                <th scope="col">Findings</th>
                <th scope="col" class="hide-sm">
                  Started
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const n = counts(run);
                return (
                  <tr>
                    <td>
                      <a href={`/app/runs/${run.id}`}>{run.id}</a>
                    </td>
                    <td>
                      <Badge kind="st" value={run.status} />
                    </td>
                    <td>{run.spec.title}</td>
                    <td class="hide-sm">
                      <code>{run.target.url}</code>
                    </td>
                    <td>{formatDuration(durationOf(run))}</td>
                    <td>{n.cases}</td>
                    <td>{n.failed}</td>
                    <td>{n.findings ?? "—"}</td>
                    <td class="hide-sm">{formatTime(run.startedAt ?? run.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {props.nextCursor ? (
        <p>
          <a href={`/app/runs?cursor=${encodeURIComponent(props.nextCursor)}`}>Older runs</a>
        </p>
      ) : null}
    </Layout>
  );
}

interface NewRunValues {
  specId?: string;
  targetId?: string;
  targetUrl?: string;
  identities?: string;
  agents?: string[];
  seed?: string;
  limits?: Record<string, string>;
}

function NewRunPage(props: { c: UiContext; specs: Spec[]; targets: Target[]; values: NewRunValues; error?: string; fieldErrors?: string[] }) {
  const { c, values } = props;
  const chosenAgents = new Set(values.agents ?? AGENT_NAMES);
  return (
    <Layout title="Start a run" nonce={c.get("nonce")} viewer={c.get("viewer")} section="runs">
      <Flash error={props.error} />
      {props.fieldErrors?.length ? (
        <ul class="flash error">
          {props.fieldErrors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      ) : null}
      {props.specs.length === 0 ? (
        <p>
          Upload a spec first: <a href="/app/specs">Specs</a>.
        </p>
      ) : (
        <form class="stack" method="post" action="/app/runs">
          <Csrf viewer={c.get("viewer")} />
          <div>
            <label for="specId">Spec</label>
            <select id="specId" name="specId" required>
              {props.specs.map((s) => (
                <option value={s.id} selected={s.id === values.specId}>
                  {s.name} v{s.version} — {s.title} ({s.operations} operations)
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>Target</legend>
            {props.targets.length > 0 ? (
              <div>
                <label for="targetId">Saved target</label>
                <select id="targetId" name="targetId">
                  <option value="">— none: use the URL below —</option>
                  {props.targets.map((t) => (
                    <option value={t.id} selected={t.id === values.targetId}>
                      {t.name} ({t.baseUrl}; identities: {Object.keys(t.identities).join(", ") || "none"})
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div>
              <label for="targetUrl">Base URL</label>
              <input id="targetUrl" name="targetUrl" type="url" placeholder="http://127.0.0.1:4010" value={values.targetUrl ?? ""} />
            </div>
            <div>
              <label for="identities">
                Identities <span class="hint">(one per line: name:Header: value — the first one creates, the others attack for BOLA/BFLA)</span>
              </label>
              <textarea id="identities" name="identities" rows={3} placeholder="alice:Authorization: Bearer …" autocomplete="off" spellcheck={false}>
                {values.identities ?? ""}
              </textarea>
            </div>
          </fieldset>
          <fieldset>
            <legend>Agents</legend>
            <div class="checks">
              {AGENT_NAMES.map((a) => (
                <label>
                  <input type="checkbox" name="agents" value={a} checked={chosenAgents.has(a)} /> {a}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>Limits (optional)</legend>
            <div class="grid">
              {LIMIT_FIELDS.map((f) => (
                <div>
                  <label for={`limit-${f.name}`}>{f.label}</label>
                  <input id={`limit-${f.name}`} name={f.name} type="number" min="0" step="any" inputmode="numeric" value={values.limits?.[f.name] ?? ""} />
                </div>
              ))}
              <div>
                <label for="seed">Seed</label>
                <input id="seed" name="seed" type="number" min="0" inputmode="numeric" value={values.seed ?? ""} />
              </div>
            </div>
          </fieldset>
          <div>
            <button type="submit">Start the run</button>
          </div>
        </form>
      )}
    </Layout>
  );
}

function severityCounts(findings: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.severity] = (out[f.severity] ?? 0) + 1;
  return out;
}

function RunPage(props: { c: UiContext; run: Run; findings: Finding[]; flash?: string }) {
  const { c, run, findings } = props;
  const live = !TERMINAL.has(run.status);
  const n = counts(run);
  const progress = run.progress;
  const bySeverity = severityCounts(findings);
  return (
    <Layout title={`Run ${run.id}`} nonce={c.get("nonce")} viewer={c.get("viewer")} section="runs">
      <Flash ok={props.flash} error={run.error} />
      <div class="panel" data-events={live ? `/app/runs/${run.id}/events` : undefined} aria-live="polite">
        <p>
          Status: <span data-status="">
            <Badge kind="st" value={run.status} />
          </span>
        </p>
        {live ? (
          <>
            <label for="run-progress">Progress</label>
            <progress id="run-progress" max={Math.max(progress?.cases ?? 1, 1)} value={progress?.done ?? 0}></progress>
            <p data-progress-text="">
              {progress
                ? `${progress.done} of ${progress.cases} cases done: ${progress.passed} passed, ${progress.failed} failed, ${progress.errored} errored, ${progress.skipped} skipped`
                : "Planning…"}
            </p>
          </>
        ) : null}
        {live && can(c, "runs:cancel") ? (
          <form method="post" action={`/app/runs/${run.id}/cancel`}>
            <Csrf viewer={c.get("viewer")} />
            <button type="submit" class="danger">
              Cancel the run
            </button>
          </form>
        ) : null}
      </div>
      <div class="grid">
        <div class="stat">
          Cases<b>{n.cases}</b>
        </div>
        <div class="stat">
          Passed<b>{n.passed}</b>
        </div>
        <div class="stat">
          Failed<b>{n.failed}</b>
        </div>
        <div class="stat">
          Errored<b>{n.errored}</b>
        </div>
        <div class="stat">
          Findings<b>{findings.length}</b>
        </div>
        <div class="stat">
          Duration<b>{formatDuration(durationOf(run))}</b>
        </div>
      </div>
      <h2>Details</h2>
      <div class="scroll">
        <table>
          <tbody>
            <tr>
              <th scope="row">Spec</th>
              <td>
                <a href={`/app/specs/${run.specId}`}>{run.spec.title}</a> {run.spec.version} ({run.spec.operations} operations)
              </td>
            </tr>
            <tr>
              <th scope="row">Target</th>
              <td>
                <code>{run.target.url}</code>
              </td>
            </tr>
            <tr>
              <th scope="row">Identities</th>
              <td>{run.identities.join(", ") || "none"}</td>
            </tr>
            <tr>
              <th scope="row">Agents</th>
              <td>{run.agents?.join(", ") ?? "all"}</td>
            </tr>
            <tr>
              <th scope="row">Seed</th>
              <td>{run.seed}</td>
            </tr>
            <tr>
              <th scope="row">Trigger</th>
              <td>
                {run.trigger}
                {run.source?.scheduleId ? (
                  <>
                    {" "}
                    (<a href={`/app/schedules/${run.source.scheduleId}`}>schedule</a>)
                  </>
                ) : null}
              </td>
            </tr>
            <tr>
              <th scope="row">Started</th>
              <td>{formatTime(run.startedAt)}</td>
            </tr>
            <tr>
              <th scope="row">Finished</th>
              <td>{formatTime(run.finishedAt)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {run.warnings.length ? (
        <ul>
          {run.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      ) : null}
      <h2>Findings</h2>
      {findings.length === 0 ? (
        <p class="muted">{live ? "None yet." : "No findings."}</p>
      ) : (
        <>
          <p>
            {SEVERITIES.filter((s) => bySeverity[s]).map((s) => (
              <>
                <Badge kind="sev" value={s} /> {bySeverity[s]}{" "}
              </>
            ))}
          </p>
          <p>
            <a class="button" href={`/app/runs/${run.id}/findings`}>
              Open the {findings.length} findings
            </a>
          </p>
        </>
      )}
      {TERMINAL.has(run.status) ? (
        <>
          <h2>Reports</h2>
          <ul class="checks">
            {(["html", "junit", "sarif", "md", "har"] as const).map((f) => (
              <li>
                <a href={`/app/runs/${run.id}/report.${f}`}>{f.toUpperCase()}</a>
              </li>
            ))}
            <li>
              <a href={`/app/runs/${run.id}/report.json`}>JSON</a>
            </li>
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

function formValues(body: FormBody): NewRunValues {
  return {
    specId: text(body, "specId"),
    targetId: text(body, "targetId"),
    targetUrl: text(body, "targetUrl"),
    identities: text(body, "identities"),
    agents: all(body, "agents"),
    seed: text(body, "seed"),
    limits: Object.fromEntries(LIMIT_FIELDS.map((f) => [f.name, text(body, f.name)])),
  };
}

async function formChoices(c: UiContext): Promise<{ specs: Spec[]; targets: Target[] }> {
  const [specs, targets] = await Promise.all([
    c.get("api").get<{ specs: Spec[] }>("/api/v1/specs?versions=all&limit=200"),
    can(c, "targets:read") ? c.get("api").get<{ targets: Target[] }>("/api/v1/targets") : Promise.resolve({ targets: [] }),
  ]);
  return { specs: specs.specs, targets: targets.targets };
}

export function problemLines(error: ApiError): string[] {
  return (error.problem.errors ?? []).map((e) => `${e.path ?? e.pointer ?? ""}: ${e.message ?? ""}`.replace(/^: /, ""));
}

export function registerRuns(app: Hono<UiEnv>): void {
  app.get("/app/runs", async (c) => {
    const cursor = c.req.query("cursor");
    const page = await c.get("api").get<{ items: Run[]; nextCursor: string | null }>(
      `/api/v1/runs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    return c.html(<RunsPage c={c} runs={page.items} nextCursor={page.nextCursor} />);
  });

  app.get("/app/runs/new", async (c) => {
    const choices = await formChoices(c);
    return c.html(<NewRunPage c={c} {...choices} values={{ specId: c.req.query("spec") }} />);
  });

  app.post("/app/runs", async (c) => {
    const body = (await c.req.parseBody({ all: true })) as FormBody;
    const values = formValues(body);
    const retry = async (error: string, fieldErrors: string[] = [], status: 400 | 403 | 404 | 422 = 400) =>
      c.html(<NewRunPage c={c} {...(await formChoices(c))} values={values} error={error} fieldErrors={fieldErrors} />, status);
    const ids = parseIdentities(values.identities ?? "");
    if (ids.error) return retry(ids.error);
    const limits = Object.fromEntries(
      LIMIT_FIELDS.map((f) => [f.name, optionalNumber(body, f.name)] as const).filter(([, v]) => v !== undefined),
    );
    const target = values.targetId
      ? { id: values.targetId }
      : { url: values.targetUrl ?? "", ...(Object.keys(ids.identities).length ? { identities: ids.identities } : {}) };
    if (!values.targetId && !values.targetUrl) return retry("Choose a saved target or enter a base URL.");
    const request = {
      spec: { id: values.specId ?? "" },
      target,
      ...(values.agents?.length ? { agents: values.agents } : {}),
      ...(values.seed ? { seed: Number(values.seed) } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    };
    try {
      const run = await c.get("api").send<{ id: string }>("POST", "/api/v1/runs", request);
      return c.redirect(`/app/runs/${run.id}`, 303);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.status !== 401) {
        return retry(error.message, problemLines(error), ([400, 403, 404, 422].includes(error.status) ? error.status : 400) as 400);
      }
      throw error;
    }
  });

  app.get("/app/runs/:id", async (c) => {
    const id = encodeURIComponent(c.req.param("id"));
    const [run, findings] = await Promise.all([
      c.get("api").get<Run>(`/api/v1/runs/${id}`),
      c.get("api").get<{ items: Finding[] }>(`/api/v1/runs/${id}/findings`),
    ]);
    return c.html(<RunPage c={c} run={run} findings={findings.items} flash={c.req.query("cancelled") ? "Cancel requested." : undefined} />);
  });

  // The browser's EventSource cannot send a bearer token: relay the API's stream under the session.
  app.get("/app/runs/:id/events", async (c) => {
    const res = await c.get("api").raw(`/api/v1/runs/${encodeURIComponent(c.req.param("id"))}/events`);
    if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))) as ApiError["problem"]);
    return new Response(res.body, { status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-store" } });
  });

  app.get("/app/runs/:id/:report{report\\.(?:json|html|junit|sarif|md|har)}", async (c) => {
    const format = c.req.param("report").slice("report.".length);
    const id = encodeURIComponent(c.req.param("id"));
    const res = await c.get("api").raw(`/api/v1/runs/${id}/report${format === "json" ? "" : `.${format}`}`);
    if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))) as ApiError["problem"]);
    const headers = new Headers(res.headers);
    // the HTML report has its own inline styles and scripts: serve it sandboxed, not as a dashboard page
    headers.set("content-security-policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return new Response(res.body, { status: 200, headers });
  });

  app.post("/app/runs/:id/cancel", async (c) => {
    const id = encodeURIComponent(c.req.param("id"));
    await c.get("api").send("POST", `/api/v1/runs/${id}/cancel`);
    return c.redirect(`/app/runs/${id}?cancelled=1`, 303);
  });
}
