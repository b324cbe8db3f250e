/**
 * Findings of a run: grouped by check and operation, filtered by severity; one finding's exact
 * request and response (credentials are already `$SENTINEL_…` placeholders in stored data), its
 * curl line, the chain steps that led to it, and whether it is new or was seen before.
 */
import type { Hono } from "hono";
import { toCurl } from "../../../executor/curl";
import { SEVERITIES, SEVERITY_RANK, type Severity } from "../../../model";
import type { CaseResult, Exchange, Finding, Run } from "../api-types";
import type { UiContext, UiEnv } from "../context";
import { notFoundPage } from "../error-page";
import { Badge, CopyBlock, Layout } from "../layout";

function rank(s: string): number {
  return SEVERITY_RANK[s as Severity] ?? -1;
}

/** check → operation label → findings, worst first at each level. */
export function groupFindings(findings: Finding[]): { check: string; worst: string; operations: { label: string; items: Finding[] }[] }[] {
  const byCheck = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    const label = `${f.operation.method.toUpperCase()} ${f.operation.path}`;
    const ops = byCheck.get(f.check) ?? new Map<string, Finding[]>();
    ops.set(label, [...(ops.get(label) ?? []), f]);
    byCheck.set(f.check, ops);
  }
  const groups = [...byCheck.entries()].map(([check, ops]) => {
    const operations = [...ops.entries()].map(([label, items]) => ({ label, items: items.sort((a, b) => rank(b.severity) - rank(a.severity)) }));
    const worst = operations.flatMap((o) => o.items).reduce((w, f) => (rank(f.severity) > rank(w) ? f.severity : w), "info");
    return { check, worst, operations: operations.sort((a, b) => rank(b.items[0].severity) - rank(a.items[0].severity) || a.label.localeCompare(b.label)) };
  });
  return groups.sort((a, b) => rank(b.worst) - rank(a.worst) || a.check.localeCompare(b.check));
}

/**
 * "new" or "seen before" when the finding carries its history across runs (firstSeen: the run it
 * was first seen in, or when; seenInRuns: how many runs had it); null when it carries none.
 */
export function novelty(f: Pick<Finding, "firstSeen" | "seenInRuns">, runId: string): { label: string; isNew: boolean } | null {
  const seen = typeof f.seenInRuns === "number" ? f.seenInRuns : null;
  const firstRun = typeof f.firstSeen === "string" && f.firstSeen.startsWith("run_") ? f.firstSeen : null;
  if (seen === null && firstRun === null) return null;
  const isNew = firstRun !== null ? firstRun === runId : (seen ?? 0) <= 1;
  if (isNew) return { label: "new", isNew: true };
  return { label: seen !== null && seen > 1 ? `seen before (in ${seen} runs)` : "seen before", isNew: false };
}

function Novelty(props: { f: Finding; runId: string }) {
  const n = novelty(props.f, props.runId);
  return n ? <span class={n.isNew ? "tag new" : "tag"}>{n.label}</span> : null;
}

function FindingsPage(props: { c: UiContext; run: Run; findings: Finding[]; severity: string | null }) {
  const { c, run } = props;
  const shown = props.severity ? props.findings.filter((f) => rank(f.severity) >= rank(props.severity!)) : props.findings;
  const groups = groupFindings(shown);
  return (
    <Layout title={`Findings of ${run.id}`} nonce={c.get("nonce")} viewer={c.get("viewer")} section="runs">
      <p>
        <a href={`/app/runs/${run.id}`}>← Run {run.id}</a> · {run.spec.title} against <code>{run.target.url}</code>
      </p>
      <form method="get" action={`/app/runs/${run.id}/findings`} class="panel">
        <label for="severity">Show severity at least</label>
        <div class="copyrow">
          <select id="severity" name="severity">
            <option value="">all</option>
            {SEVERITIES.map((s) => (
              <option value={s} selected={s === props.severity}>
                {s}
              </option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </div>
      </form>
      <p>
        {shown.length} of {props.findings.length} findings, in {groups.length} checks.
      </p>
      {groups.map((g) => (
        <section aria-labelledby={`check-${g.check}`}>
          <h2 id={`check-${g.check}`}>
            {g.check} <Badge kind="sev" value={g.worst} />
          </h2>
          {g.operations.map((op) => (
            <>
              <h3>
                <code>{op.label}</code>
              </h3>
              <ul>
                {op.items.map((f) => (
                  <li>
                    <Badge kind="sev" value={f.severity} /> <a href={`/app/runs/${run.id}/findings/${encodeURIComponent(f.id)}`}>{f.title}</a>{" "}
                    <Novelty f={f} runId={run.id} /> {f.occurrences > 1 ? <span class="muted">×{f.occurrences}</span> : null}
                  </li>
                ))}
              </ul>
            </>
          ))}
        </section>
      ))}
    </Layout>
  );
}

function Headers(props: { headers: Record<string, string> }) {
  return <>{Object.entries(props.headers).map(([k, v]) => `${k}: ${v}\n`)}</>;
}

/** A step of a chain, from the finding's own steps or from its case's exchanges. */
interface StepView {
  id: string;
  identity?: string | null;
  request?: Exchange["request"];
  response?: { status: number; headers: Record<string, string>; body?: string };
  error?: string;
  finding?: boolean;
}

export function stepsOf(f: Finding, exchanges: Exchange[] | null): StepView[] {
  if (f.steps?.length) return f.steps;
  return (exchanges ?? []).map((x) => ({ id: x.stepId, request: x.request, response: x.response, error: x.error }));
}

function ExchangeView(props: { x: StepView; index: number; total: number; id: string }) {
  const { x } = props;
  const open = x.finding ?? props.index === props.total - 1;
  return (
    <details open={open}>
      <summary>
        Step {props.index + 1}
        {x.identity ? ` as ${x.identity}` : x.identity === null ? " without credentials" : ""}: {x.request ? `${x.request.method} ${x.request.url}` : x.id} →{" "}
        {x.response ? x.response.status : x.error ?? "no response"}
        {x.finding ? " (the failing step)" : ""}
      </summary>
      <div>
        {x.request ? <CopyBlock id={`${props.id}-curl`} label={`curl of step ${props.index + 1}`} text={toCurl(x.request as never)} /> : null}
        {x.response ? (
          <pre aria-label={`response of step ${props.index + 1}`}>
            {`HTTP ${x.response.status}\n`}
            <Headers headers={x.response.headers} />
            {x.response.body ? `\n${x.response.body}` : ""}
          </pre>
        ) : null}
      </div>
    </details>
  );
}

function FindingPage(props: { c: UiContext; run: Run; finding: Finding; steps: StepView[] }) {
  const { c, run, finding: f } = props;
  return (
    <Layout title={f.title} nonce={c.get("nonce")} viewer={c.get("viewer")} section="runs">
      <p>
        <a href={`/app/runs/${run.id}/findings`}>← All findings of {run.id}</a>
      </p>
      <p>
        <Badge kind="sev" value={f.severity} /> <code>{f.check}</code> on <code>{`${f.operation.method.toUpperCase()} ${f.operation.path}`}</code> ({f.operation.operationId}) by{" "}
        {f.agent} <Novelty f={f} runId={run.id} />
      </p>
      <p>{f.message}</p>
      <h2>Reproduce</h2>
      <p class="hint">Credentials appear as $SENTINEL_… placeholders: export them, then paste the line.</p>
      <CopyBlock id="finding-curl" label="curl reproduction" text={f.curl} />
      <h2>Request</h2>
      <pre aria-label="request">
        {`${f.request.method} ${f.request.url}\n`}
        <Headers headers={f.request.headers} />
        {f.request.body ? `\n${f.request.body}` : ""}
      </pre>
      <h2>Response</h2>
      {f.response ? (
        <pre aria-label="response">
          {`HTTP ${f.response.status} (${Math.round(f.response.durationMs)} ms)\n`}
          <Headers headers={f.response.headers} />
          {f.response.body ? `\n${f.response.body}` : ""}
        </pre>
      ) : (
        <p class="muted">No response was received.</p>
      )}
      {props.steps.length > 1 ? (
        <>
          <h2>Chain steps</h2>
          {props.steps.map((x, i) => (
            <ExchangeView x={x} index={i} total={props.steps.length} id={`step-${i + 1}`} />
          ))}
        </>
      ) : null}
      {f.similar && f.similar.length ? (
        <>
          <h2>Similar findings</h2>
          <ul>
            {f.similar.map((s) => (
              <li>
                <a href={`/app/runs/${encodeURIComponent(s.runId)}/findings/${encodeURIComponent(s.findingId)}`}>{s.title}</a> <span class="muted">in {s.runId}</span>
                {typeof s.score === "number" ? <span class="muted"> ({Math.round(s.score * 100)}% similar)</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

/** The exchanges of the case that produced a finding (its chain), looked up through the results API. */
async function caseSteps(c: UiContext, runId: string, f: Finding): Promise<Exchange[] | null> {
  if (!f.caseId) return null;
  let cursor: string | null = null;
  for (let page = 0; page < 10; page++) {
    const q = new URLSearchParams({ operation: f.operation.operationId, limit: "200" });
    if (cursor) q.set("cursor", cursor);
    const res: { items: CaseResult[]; nextCursor: string | null } = await c.get("api").get(`/api/v1/runs/${encodeURIComponent(runId)}/results?${q}`);
    const hit = res.items.find((r) => r.caseId === f.caseId);
    if (hit) return hit.exchanges;
    cursor = res.nextCursor;
    if (!cursor) return null;
  }
  return null;
}

export function registerFindings(app: Hono<UiEnv>): void {
  app.get("/app/runs/:id/findings", async (c) => {
    const id = encodeURIComponent(c.req.param("id"));
    const [run, findings] = await Promise.all([
      c.get("api").get<Run>(`/api/v1/runs/${id}`),
      c.get("api").get<{ items: Finding[] }>(`/api/v1/runs/${id}/findings`),
    ]);
    const severity = (SEVERITIES as readonly string[]).includes(c.req.query("severity") ?? "") ? c.req.query("severity")! : null;
    return c.html(<FindingsPage c={c} run={run} findings={findings.items} severity={severity} />);
  });

  app.get("/app/runs/:id/findings/:findingId", async (c) => {
    const id = encodeURIComponent(c.req.param("id"));
    const [run, findings] = await Promise.all([
      c.get("api").get<Run>(`/api/v1/runs/${id}`),
      c.get("api").get<{ items: Finding[] }>(`/api/v1/runs/${id}/findings`),
    ]);
    const finding = findings.items.find((f) => f.id === c.req.param("findingId"));
    if (!finding) return notFoundPage(c);
    const steps = stepsOf(finding, finding.steps?.length ? null : await caseSteps(c, run.id, finding));
    return c.html(<FindingPage c={c} run={run} finding={finding} steps={steps} />);
  });
}
