/**
 * The Sentinel REST API as the CLI uses it (DESIGN.md contract): upload a spec, start a run,
 * follow it, fetch its reports. Errors are RFC 9457 problem documents; they become CliErrors
 * whose kind decides nothing but the wording (every one exits 2).
 */
import { TERMINAL_STATUSES, type AuthConfig, type LlmRunRequest, type SpecProblem } from "../../workers/model";
import type { Identities } from "./identities";
import { CliError } from "./exit-codes";
import type { RunLimitsRequest } from "./settings";
import { causeOf, specError } from "./spec-source";

export interface SpecUploaded {
  id: string;
  version?: number;
  operations?: number;
  [key: string]: unknown;
}

export interface RunCreated {
  id: string;
  links?: Record<string, string>;
}

export interface RunRequest {
  spec: { id: string };
  target: { url: string; identities?: Identities; identityScopes?: Record<string, string[]>; identityRoles?: Record<string, string> };
  agents?: string[];
  seed?: number;
  limits?: RunLimitsRequest;
  llm?: LlmRunRequest;
  include?: string[];
  exclude?: string[];
  allowDestructive?: boolean;
  authBurst?: boolean;
  /** with no identity: how the run obtains users (sentinel.yaml auth:) */
  auth?: AuthConfig;
}

/** GET /specs/{id}/oracles items (LLM oracles and inferred invariants). */
export interface StoredOracleView {
  id: string;
  operationId: string;
  source: "llm" | "inferred";
  sentence: string;
  status: "proposed" | "accepted" | "rejected";
  observations?: number;
}

/** GET /runs/{id}: only what the CLI reads, everything else passes through. */
export interface RunState {
  id: string;
  status: string;
  [key: string]: unknown;
}

export const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export interface ClientOptions {
  server: string;
  token: string;
  /** per HTTP call */
  timeoutMs?: number;
  userAgent?: string;
}

export class ApiError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly problem?: Record<string, unknown>,
  ) {
    super(message, "infrastructure");
  }
}

export class SentinelClient {
  private readonly base: string;
  constructor(private readonly options: ClientOptions) {
    this.base = `${options.server.replace(/\/+$/, "")}/api/v1`;
  }

  async uploadSpec(name: string, text: string, contentType: string, display: string): Promise<SpecUploaded> {
    const response = await this.call("POST", `/specs?name=${encodeURIComponent(name)}`, { body: text, contentType });
    if (response.status === 422 || response.status === 400 || response.status === 413) {
      const problem = await readProblem(response);
      const problems = problemsOf(problem);
      if (problems.length > 0) throw specError(display, problems);
      throw new CliError(`the server rejected the spec ${display}: ${describeProblem(problem, response.status)}`, "spec");
    }
    return this.expectJson<SpecUploaded>(response, "upload the spec", [200, 201]);
  }

  async createRun(request: RunRequest): Promise<RunCreated> {
    const response = await this.call("POST", "/runs", { body: JSON.stringify(request), contentType: "application/json" });
    if (response.status === 400 || response.status === 422) {
      const problem = await readProblem(response);
      throw new CliError(`the server refused the run: ${describeProblem(problem, response.status)}`, "usage", problemDetails(problem));
    }
    return this.expectJson<RunCreated>(response, "start the run", [200, 201, 202]);
  }

  async getRun(id: string): Promise<RunState> {
    return this.expectJson<RunState>(await this.call("GET", `/runs/${encodeURIComponent(id)}`), "read the run", [200]);
  }

  /** Best effort: a run the CLI gives up on should not go on running. */
  async cancelRun(id: string): Promise<void> {
    try {
      await this.call("POST", `/runs/${encodeURIComponent(id)}/cancel`, { timeoutMs: 5_000 });
    } catch {
      // nothing more to do
    }
  }

  /** Best effort: why some cases errored (distinct reasons of the first errored results). */
  async erroredReasons(id: string, limit = 20): Promise<string[]> {
    try {
      const response = await this.call("GET", `/runs/${encodeURIComponent(id)}/results?status=errored&limit=${limit}`, { timeoutMs: 10_000 });
      if (!response.ok) {
        await response.body?.cancel();
        return [];
      }
      const body = (await response.json()) as { items?: { reason?: string | null }[] };
      return [...new Set((body.items ?? []).map((r) => r.reason).filter((r): r is string => typeof r === "string" && r !== ""))];
    } catch {
      return [];
    }
  }

  async getReport(id: string): Promise<unknown> {
    return this.expectJson<unknown>(await this.call("GET", `/runs/${encodeURIComponent(id)}/report`), "read the report", [200]);
  }

  /** GET /runs/{id}/report.{format}; undefined when the server does not offer the format. */
  async getReportFormat(id: string, format: string): Promise<string | undefined> {
    const response = await this.call("GET", `/runs/${encodeURIComponent(id)}/report.${format}`);
    if (response.status === 404 || response.status === 406 || response.status === 501) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw new ApiError(`cannot read the ${format} report: ${describeProblem(await readProblem(response), response.status)}`, response.status);
    return response.text();
  }

  // ------------------------------------------------------------ load tests (sentinel load)

  async createLoadTest(request: Record<string, unknown>): Promise<{ id: string; links: { self: string; events: string; report: string } }> {
    const response = await this.call("POST", "/load-tests", { body: JSON.stringify(request), contentType: "application/json" });
    if (response.status === 400 || response.status === 422) {
      const problem = await readProblem(response);
      throw new CliError(`the server refused the load test: ${describeProblem(problem, response.status)}`, "usage", problemDetails(problem));
    }
    return this.expectJson(response, "start the load test", [202]);
  }

  async getLoadTest(id: string): Promise<{ status: string; error: string | null; abortReason: string | null }> {
    return this.expectJson(await this.call("GET", `/load-tests/${encodeURIComponent(id)}`), "read the load test", [200]);
  }

  async getLoadReport(id: string, format?: "html" | "junit"): Promise<unknown> {
    const response = await this.call("GET", `/load-tests/${encodeURIComponent(id)}/report${format ? `.${format}` : ""}`);
    if (!format) return this.expectJson<unknown>(response, "read the load report", [200]);
    if (!response.ok) throw new ApiError(`cannot read the ${format} load report: ${describeProblem(await readProblem(response), response.status)}`, response.status);
    return response.text();
  }

  /** The live progress stream (Server-Sent Events) of a load test. */
  async loadEvents(id: string, signal: AbortSignal): Promise<Response> {
    return fetch(`${this.base}/load-tests/${encodeURIComponent(id)}/events`, {
      headers: { authorization: `Bearer ${this.options.token}`, accept: "text/event-stream", "user-agent": this.options.userAgent ?? "sentinel-cli" },
      signal,
    });
  }

  /** The latest version of the spec stored under `name`, if any. */
  async findSpec(name: string): Promise<{ id: string; name: string } | undefined> {
    const { specs } = await this.expectJson<{ specs: { id: string; name: string }[] }>(await this.call("GET", `/specs?name=${encodeURIComponent(name)}`), "list the specs", [200]);
    return specs.find((s) => s.name === name);
  }

  async listOracles(specId: string): Promise<StoredOracleView[]> {
    return (await this.expectJson<{ items: StoredOracleView[] }>(await this.call("GET", `/specs/${encodeURIComponent(specId)}/oracles`), "list the oracles", [200])).items;
  }

  async setOracleVerdict(specId: string, oracleId: string, verdict: "accept" | "reject"): Promise<StoredOracleView> {
    return this.expectJson<StoredOracleView>(
      await this.call("POST", `/specs/${encodeURIComponent(specId)}/oracles/${encodeURIComponent(oracleId)}/${verdict}`),
      `${verdict} oracle ${oracleId}`,
      [200],
    );
  }

  private async call(method: string, pathAndQuery: string, opts: { body?: string; contentType?: string; timeoutMs?: number } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: "application/json, application/problem+json;q=0.9, */*;q=0.1",
      "user-agent": this.options.userAgent ?? "sentinel-cli",
    };
    if (opts.contentType) headers["content-type"] = opts.contentType;
    try {
      return await fetch(this.base + pathAndQuery, {
        method,
        headers,
        body: opts.body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? this.options.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new CliError(`cannot reach Sentinel at ${this.options.server}: ${causeOf(err)}`, "infrastructure");
    }
  }

  private async expectJson<T>(response: Response, what: string, ok: number[]): Promise<T> {
    if (!ok.includes(response.status)) {
      const problem = await readProblem(response);
      const hint = response.status === 401 ? " (check --token)" : response.status === 403 ? " (the key's role is not allowed to)" : "";
      throw new ApiError(`cannot ${what}: ${describeProblem(problem, response.status)}${hint}`, response.status, problem);
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(`cannot ${what}: the server's answer is not JSON`, response.status);
    }
  }
}

async function readProblem(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    return body && typeof body === "object" ? (body as Record<string, unknown>) : undefined;
  } catch {
    return text ? { detail: text.slice(0, 300) } : undefined;
  }
}

function describeProblem(problem: Record<string, unknown> | undefined, status: number): string {
  if (!problem) return `HTTP ${status}`;
  const title = typeof problem.title === "string" ? problem.title : `HTTP ${status}`;
  const detail = typeof problem.detail === "string" && problem.detail !== title ? `: ${problem.detail}` : "";
  return `${title}${detail} (HTTP ${status})`;
}

/** Spec problems in a problem document: `problems`, `errors` or `issues`, each with pointer/line/message. */
export function problemsOf(problem: Record<string, unknown> | undefined): SpecProblem[] {
  if (!problem) return [];
  const list = [problem.problems, problem.errors, problem.issues].find(Array.isArray) as unknown[] | undefined;
  if (!list) return [];
  return list
    .filter((p): p is Record<string, unknown> => !!p && typeof p === "object")
    .map((p) => ({
      severity: p.severity === "warning" ? "warning" : "error",
      pointer: typeof p.pointer === "string" ? p.pointer : Array.isArray(p.path) ? `/${p.path.join("/")}` : "",
      line: typeof p.line === "number" ? p.line : undefined,
      column: typeof p.column === "number" ? p.column : undefined,
      message: typeof p.message === "string" ? p.message : JSON.stringify(p),
    }));
}

function problemDetails(problem: Record<string, unknown> | undefined): string[] {
  return problemsOf(problem).map((p) => `  ${p.pointer || "/"}  ${p.message}`);
}
