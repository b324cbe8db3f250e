/**
 * Load tests (the /api/v1/load-tests API): latency over time per region, percentiles per region,
 * thresholds, and which colo each region's hint landed in. Reads the report JSON contract.
 */
import type { Hono } from "hono";
import { ApiError } from "../api-client";
import { LineChart, SERIES_COLORS, type Series } from "../charts";
import type { UiContext, UiEnv } from "../context";
import type { LatencySummary as Latency } from "../../../load/histogram";
import { Badge, Flash, Layout, formatTime } from "../layout";


interface RegionRow {
  latencyUncorrected?: Latency;
  generatorLimited?: boolean;
  region: string;
  colo: string;
  requests: number;
  errors: { byStatus?: Record<string, number>; byKind?: Record<string, number> };
  rps: number;
  late?: number;
  dropped?: number;
  latency: Latency;
}

export interface LoadReport {
  load: {
    asked?: { rate?: number; duration?: number | string; regions?: string[] };
    regions: RegionRow[];
    overall: Omit<RegionRow, "region" | "colo"> & { region?: string; colo?: string };
    windows: { t: number; region: string; requests: number; errors: number; p50: number; p95: number; p99: number }[];
    thresholds: { expression: string; region?: string; value: number; ok: boolean }[];
    breakingPoint?: { t: number; rate: number; p95: number; errorRate: number } | null;
    recovery?: Record<string, unknown> | null;
  };
}

/** GET /api/v1/load-tests items (the fields shown). */
interface LoadTest {
  id: string;
  status: string;
  target: string;
  profile: string;
  rate: number;
  duration: number;
  regions: string[];
  operations: string[];
  thresholds: string[];
  summary: { overall: RegionRow; thresholds: { expression: string; region?: string; value: number; ok: boolean }[] } | null;
  abortReason: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function errorCount(e: RegionRow["errors"]): number {
  return Object.values(e.byKind ?? {}).reduce((a, b) => a + b, 0) + Object.values(e.byStatus ?? {}).reduce((a, b) => a + b, 0);
}

/** Windows → one series per region of the chosen percentile, x in seconds from the first window. */
export function latencySeries(windows: LoadReport["load"]["windows"], key: "p50" | "p95" | "p99"): Series[] {
  const t0 = Math.min(...windows.map((w) => w.t));
  const regions = [...new Set(windows.map((w) => w.region))].sort();
  return regions.map((region, i) => ({
    name: `${region} ${key}`,
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    points: windows
      .filter((w) => w.region === region)
      .sort((a, b) => a.t - b.t)
      .map((w) => ({ x: (w.t - t0) / (w.t > 1e11 ? 1000 : 1), y: w[key] })),
  }));
}

function fmt(ms: number | undefined): string {
  return typeof ms === "number" && Number.isFinite(ms) ? (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) : "—";
}

function thresholdVerdict(t: LoadTest): string {
  if (!t.summary || t.summary.thresholds.length === 0) return "—";
  const failed = t.summary.thresholds.filter((x) => !x.ok).length;
  return failed ? `${failed} of ${t.summary.thresholds.length} failed` : `all ${t.summary.thresholds.length} hold`;
}

function LoadListPage(props: { c: UiContext; items: LoadTest[] | null; nextCursor: string | null }) {
  const { c } = props;
  return (
    <Layout title="Load tests" nonce={c.get("nonce")} viewer={c.get("viewer")} section="load">
      {props.items === null ? (
        <p class="muted">This server has no load-test API.</p>
      ) : props.items.length === 0 ? (
        <p class="muted">No load tests yet. Start one with sentinel load or POST /api/v1/load-tests.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Load test</th>
                <th scope="col">Status</th>
                <th scope="col">Profile</th>
                <th scope="col">Rate × duration</th>
                <th scope="col">Regions</th>
                <th scope="col">p95 (ms)</th>
                <th scope="col">Thresholds</th>
                <th scope="col" class="hide-sm">
                  Started
                </th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((t) => (
                <tr>
                  <td>
                    <a href={`/app/load-tests/${encodeURIComponent(t.id)}`}>{t.id}</a>
                  </td>
                  <td>
                    <Badge kind="st" value={t.status} />
                  </td>
                  <td>{t.profile}</td>
                  <td>
                    {t.rate}/s × {t.duration} s
                  </td>
                  <td>{t.regions.join(", ")}</td>
                  <td>{fmt(t.summary?.overall.latency?.p95)}</td>
                  <td>{thresholdVerdict(t)}</td>
                  <td class="hide-sm">{formatTime(t.startedAt ?? t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.nextCursor ? (
        <p>
          <a href={`/app/load-tests?cursor=${encodeURIComponent(props.nextCursor)}`}>Older load tests</a>
        </p>
      ) : null}
    </Layout>
  );
}

const NO_FIGURES = { requests: 0, errors: {}, rps: 0, latency: undefined as unknown as Latency };
const EMPTY_REPORT: LoadReport = { load: { regions: [], overall: NO_FIGURES, windows: [], thresholds: [] } };

function LoadPage(props: { c: UiContext; test: LoadTest; report: LoadReport; reportError?: string }) {
  const { c, test } = props;
  const load = props.report.load;
  const live = test.status === "queued" || test.status === "running";
  const rows = [...load.regions, { ...load.overall, region: "overall", colo: "—" } as RegionRow];
  const failed = load.thresholds.filter((t) => !t.ok).length;
  return (
    <Layout title={`Load test ${test.id}`} nonce={c.get("nonce")} viewer={c.get("viewer")} section="load">
      <Flash
        error={test.error ?? test.abortReason ?? (failed ? `${failed} of ${load.thresholds.length} thresholds failed.` : null)}
        ok={!failed && load.thresholds.length && !live ? "All thresholds hold." : null}
      />
      <p>
        <Badge kind="st" value={test.status} /> {test.profile} profile, {test.rate} requests/s for {test.duration} s against <code>{test.target}</code>
        {live ? " — figures so far; reload for more." : ""}
      </p>
      <p>Operations: {test.operations.map((o) => <code>{o} </code>)}</p>
      {props.reportError ? (
        <div class="flash error" role="alert">
          The report could not be built: {props.reportError}
        </div>
      ) : null}
      {load.breakingPoint ? (
        <p>
          Breaking point: {fmt(load.breakingPoint.rate)} requests/s at {fmt(load.breakingPoint.t)} s (p95 {fmt(load.breakingPoint.p95)} ms, errors{" "}
          {(load.breakingPoint.errorRate * 100).toFixed(1)}%).
        </p>
      ) : null}
      <h2>Thresholds</h2>
      {load.thresholds.length === 0 ? (
        test.thresholds.length ? (
          <ul>
            {test.thresholds.map((t) => (
              <li>
                <code>{t}</code> <span class="muted">not evaluated yet</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No thresholds were set.</p>
        )
      ) : (
        <ul>
          {load.thresholds.map((t) => (
            <li>
              <span class={`badge ${t.ok ? "st-passed" : "st-failed"}`}>{t.ok ? "pass" : "fail"}</span> <code>{t.expression}</code>
              {t.region ? ` in ${t.region}` : ""}: {fmt(t.value)}
            </li>
          ))}
        </ul>
      )}
      <h2>Latency over time (p95, ms)</h2>
      <LineChart series={latencySeries(load.windows, "p95")} label="p95 latency per region over time" xLabel="seconds" yLabel="ms" />
      <h2>Latency over time (p99, ms)</h2>
      <LineChart series={latencySeries(load.windows, "p99")} label="p99 latency per region over time" xLabel="seconds" yLabel="ms" />
      <h2>Percentiles per region (ms)</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Region hint</th>
              <th scope="col">Colo</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">rps</th>
              <th scope="col">p50</th>
              <th scope="col">p90</th>
              <th scope="col">p95</th>
              <th scope="col">p99</th>
              <th scope="col">p99 uncorrected</th>
              <th scope="col">max</th>
              <th scope="col">Late / dropped</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">{r.region}</th>
                <td>{r.colo}</td>
                <td>{r.requests}</td>
                <td>{errorCount(r.errors ?? {})}</td>
                <td>{fmt(r.rps)}</td>
                <td>{fmt(r.latency?.p50)}</td>
                <td>{fmt(r.latency?.p90)}</td>
                <td>{fmt(r.latency?.p95)}</td>
                <td>{fmt(r.latency?.p99)}</td>
                <td>{fmt(r.latencyUncorrected?.p99)}</td>
                <td>{fmt(r.latency?.max)}</td>
                <td>
                  {r.late ?? 0} / {r.dropped ?? 0}
                  {r.generatorLimited ? " (generator was the limit)" : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function registerLoadTests(app: Hono<UiEnv>): void {
  app.get("/app/load-tests", async (c) => {
    const cursor = c.req.query("cursor");
    try {
      const page = await c.get("api").get<{ items: LoadTest[]; nextCursor: string | null }>(`/api/v1/load-tests?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      return c.html(<LoadListPage c={c} items={page.items} nextCursor={page.nextCursor} />);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return c.html(<LoadListPage c={c} items={null} nextCursor={null} />);
      throw error;
    }
  });

  app.get("/app/load-tests/:id", async (c) => {
    const id = encodeURIComponent(c.req.param("id"));
    const [test, report] = await Promise.all([
      c.get("api").get<LoadTest>(`/api/v1/load-tests/${id}`),
      // the test's own row still shows when its report cannot be built
      c.get("api").get<LoadReport>(`/api/v1/load-tests/${id}/report`).catch((error: unknown) => {
        if (error instanceof ApiError && error.status >= 500) return error;
        throw error;
      }),
    ]);
    if (report instanceof ApiError) return c.html(<LoadPage c={c} test={test} report={EMPTY_REPORT} reportError={report.message} />);
    return c.html(<LoadPage c={c} test={test} report={report} />);
  });
}
