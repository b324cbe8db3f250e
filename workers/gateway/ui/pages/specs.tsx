/** Specs: upload a file or import a URL, versions per name, a spec's operations and which have findings. */
import type { Hono } from "hono";
import { SEVERITY_RANK, type Severity } from "../../../model";
import { ApiError } from "../api-client";
import type { Finding, Run, Spec, SpecDetail } from "../api-types";
import { can, type UiContext, type UiEnv } from "../context";
import { file, text, type FormBody } from "../form";
import { Badge, Csrf, Flash, Layout, formatTime } from "../layout";
import { problemLines } from "./runs";

function SpecsPage(props: { c: UiContext; specs: Spec[]; error?: string; errors?: string[]; ok?: string }) {
  const { c } = props;
  const byName = new Map<string, Spec[]>();
  for (const s of props.specs) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const viewer = c.get("viewer");
  return (
    <Layout title="Specs" nonce={c.get("nonce")} viewer={viewer} section="specs">
      <Flash error={props.error} ok={props.ok} />
      {props.errors?.length ? (
        <ul class="flash error">
          {props.errors.slice(0, 20).map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      ) : null}
      {can(c, "specs:write") ? (
        <div class="grid" style="grid-template-columns:repeat(auto-fit,minmax(280px,1fr))">
          <form class="stack panel" method="post" action="/app/specs" enctype="multipart/form-data">
            <h2 style="margin-top:0">Upload a file</h2>
            <Csrf viewer={viewer} />
            <div>
              <label for="upload-name">Name</label>
              <input id="upload-name" name="name" required maxlength={200} placeholder="demo" />
            </div>
            <div>
              <label for="upload-file">OpenAPI or Swagger document (JSON or YAML)</label>
              <input id="upload-file" name="file" type="file" accept=".json,.yaml,.yml,application/json,application/yaml" required />
            </div>
            <div>
              <button type="submit">Upload</button>
            </div>
          </form>
          <form class="stack panel" method="post" action="/app/specs/import">
            <h2 style="margin-top:0">Import from a URL</h2>
            <Csrf viewer={viewer} />
            <div>
              <label for="import-name">Name</label>
              <input id="import-name" name="name" required maxlength={200} />
            </div>
            <div>
              <label for="import-url">URL</label>
              <input id="import-url" name="url" type="url" required placeholder="https://…/openapi.json" />
            </div>
            <div>
              <button type="submit">Import</button>
            </div>
          </form>
        </div>
      ) : null}
      <h2>Stored specs</h2>
      {byName.size === 0 ? (
        <p class="muted">No specs yet.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Title</th>
                <th scope="col">Operations</th>
                <th scope="col" class="hide-sm">
                  Uploaded
                </th>
              </tr>
            </thead>
            <tbody>
              {[...byName.entries()].flatMap(([name, versions]) =>
                versions.map((s, i) => (
                  <tr>
                    <td>{i === 0 ? <b>{name}</b> : <span class="sr-only">{name}</span>}</td>
                    <td>
                      <a href={`/app/specs/${s.id}`}>v{s.version}</a>
                      {i === 0 ? <span class="muted"> (latest)</span> : null}
                    </td>
                    <td>
                      {s.title} {s.apiVersion}
                    </td>
                    <td>{s.operations}</td>
                    <td class="hide-sm">{formatTime(s.createdAt)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function SpecPage(props: { c: UiContext; spec: SpecDetail; run: Run | null; findings: Finding[]; ok?: string }) {
  const { c, spec } = props;
  const byOp = new Map<string, { count: number; worst: string }>();
  for (const f of props.findings) {
    const cur = byOp.get(f.operation.operationId) ?? { count: 0, worst: "info" };
    cur.count++;
    if ((SEVERITY_RANK[f.severity as Severity] ?? -1) > (SEVERITY_RANK[cur.worst as Severity] ?? -1)) cur.worst = f.severity;
    byOp.set(f.operation.operationId, cur);
  }
  return (
    <Layout title={`${spec.name} v${spec.version}`} nonce={c.get("nonce")} viewer={c.get("viewer")} section="specs">
      <Flash ok={props.ok} />
      <p>
        {spec.title} {spec.apiVersion} · OpenAPI {spec.sourceVersion} · {spec.operations} operations · {Math.ceil(spec.sizeBytes / 1024)} KB
      </p>
      {can(c, "runs:create") ? (
        <p>
          <a class="button" href={`/app/runs/new?spec=${spec.id}`}>
            Start a run with this spec
          </a>
        </p>
      ) : null}
      <p>
        {props.run ? (
          <>
            Findings from the latest finished run <a href={`/app/runs/${props.run.id}`}>{props.run.id}</a> ({props.findings.length}).
          </>
        ) : (
          <span class="muted">No finished run of this spec yet.</span>
        )}
      </p>
      {spec.warnings.length ? (
        <details>
          <summary>{spec.warnings.length} warnings</summary>
          <ul>
            {spec.warnings.map((w) => (
              <li>
                <code>{w.pointer}</code> {w.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col" class="hide-sm">
                Operation
              </th>
              <th scope="col">Findings</th>
            </tr>
          </thead>
          <tbody>
            {spec.operationList.map((op) => {
              const hit = byOp.get(op.operationId);
              return (
                <tr>
                  <td>
                    <code>{op.method.toUpperCase()}</code>
                  </td>
                  <td>
                    <code>{op.path}</code>
                  </td>
                  <td class="hide-sm">
                    {op.operationId}
                    {op.summary ? <span class="muted"> — {op.summary}</span> : null}
                  </td>
                  <td>
                    {hit ? (
                      <>
                        <Badge kind="sev" value={hit.worst} /> {hit.count}
                      </>
                    ) : (
                      <span class="muted">none</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** The media type the API wants, from the file name or, failing that, the first character. */
export function specContentType(name: string, head: string): string {
  if (/\.json$/i.test(name)) return "application/json";
  if (/\.ya?ml$/i.test(name)) return "application/yaml";
  return head.trimStart().startsWith("{") ? "application/json" : "application/yaml";
}

const TERMINAL = new Set(["passed", "failed", "errored", "cancelled"]);

async function listSpecs(c: UiContext): Promise<Spec[]> {
  return (await c.get("api").get<{ specs: Spec[] }>("/api/v1/specs?versions=all&limit=500")).specs;
}

export function registerSpecs(app: Hono<UiEnv>): void {
  app.get("/app/specs", async (c) => c.html(<SpecsPage c={c} specs={await listSpecs(c)} />));

  const store = async (c: UiContext, call: () => Promise<Spec>) => {
    try {
      const spec = await call();
      return c.redirect(`/app/specs/${spec.id}?uploaded=1`, 303);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.status !== 401) {
        const lines = (error.problem.errors ?? []).map((e) => `${e.pointer ?? e.path ?? ""} ${e.message ?? ""}`.trim());
        return c.html(<SpecsPage c={c} specs={await listSpecs(c)} error={error.message} errors={lines.length ? lines : problemLines(error)} />, 422);
      }
      throw error;
    }
  };

  app.post("/app/specs", async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    const upload = file(body, "file");
    const name = text(body, "name");
    if (!upload) return c.html(<SpecsPage c={c} specs={await listSpecs(c)} error="Choose a file to upload." />, 400);
    const bytes = new Uint8Array(await upload.arrayBuffer());
    const type = specContentType(upload.name, new TextDecoder().decode(bytes.subarray(0, 64)));
    return store(c, async () => {
      const res = await c.get("api").raw(`/api/v1/specs?name=${encodeURIComponent(name)}`, { method: "POST", body: bytes, headers: { "content-type": type } });
      const json = (await res.json()) as Spec & ApiError["problem"];
      if (!res.ok) throw new ApiError(res.status, json);
      return json;
    });
  });

  app.post("/app/specs/import", async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    return store(c, () => c.get("api").send<Spec>("POST", "/api/v1/specs/import", { name: text(body, "name"), url: text(body, "url") }));
  });

  app.get("/app/specs/:id", async (c) => {
    const api = c.get("api");
    const [spec, runs] = await Promise.all([
      api.get<SpecDetail>(`/api/v1/specs/${encodeURIComponent(c.req.param("id"))}`),
      can(c, "runs:read") ? api.get<{ items: Run[] }>("/api/v1/runs?limit=200") : Promise.resolve({ items: [] as Run[] }),
    ]);
    const run = runs.items.find((r) => r.specId === spec.id && TERMINAL.has(r.status)) ?? null;
    const findings = run ? (await api.get<{ items: Finding[] }>(`/api/v1/runs/${run.id}/findings`)).items : [];
    return c.html(<SpecPage c={c} spec={spec} run={run} findings={findings} ok={c.req.query("uploaded") ? "Spec stored." : undefined} />);
  });
}
