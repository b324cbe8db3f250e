/**
 * `sentinel run`: check the spec locally, start (or reach) the platform, upload the spec,
 * start the run, follow it, write the reports, print the summary, and pick the exit code.
 * The local platform is stopped on every way out: success, error, Ctrl-C.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SEVERITY_RANK, type Operation } from "../../workers/model";
import { selectOperations } from "../../workers/orchestrator/operation-filter";
import { UNREACHABLE_PREFIX } from "../../workers/orchestrator/circuit";
import { renderReport } from "../../workers/reports/render";
import type { ReportFormat } from "../../workers/reports/types";
import { basePathMismatch, targetWithSpecBasePath } from "./base-path";
import { ReportSchema, type Report } from "../../workers/reports/types";
import { SentinelClient, TERMINAL, type RunState } from "./client";
import { CliError, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from "./exit-codes";
import { killLocalPlatforms, startLocalPlatform, type LocalPlatform } from "./local-platform";
import type { ReportPaths } from "./options";
import { createProgress, snapshotOf, type ProgressReporter } from "./progress";
import type { RunSettings } from "./settings";
import { loadSpec, type SpecSource } from "./spec-source";
import { formatSummary } from "./summary";
import { flowFromConfig, preflightLines, recheckIdentities, refusedIdentities, runPreflight } from "./preflight";

export interface RunIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  packageRoot: string;
  version: string;
  cwd?: string;
}

/** How long the CLI waits for a run beyond its own deadline before it gives up. */
const WAIT_GRACE_MS = 120_000;
const DEFAULT_DEADLINE_MS = 30 * 60_000;
const MAX_POLL_FAILURES = 5;

export async function runCommand(settings: RunSettings, io: RunIo): Promise<number> {
  const progress = createProgress(io.stderr, { quiet: settings.quiet });
  const cwd = io.cwd ?? process.cwd();
  let platform: LocalPlatform | undefined;
  let client: SentinelClient | undefined;
  let runId: string | undefined;

  const onExit = () => killLocalPlatforms();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal (terminal and parent both forward Ctrl-C) must not cut the clean-up short.
    if (stopping) return;
    stopping = true;
    progress.done();
    io.stderr.write(`sentinel: ${signal === "SIGINT" ? "interrupted" : signal}; stopping\n`);
    const finish = async () => {
      if (client && runId) await client.cancelRun(runId);
      if (platform) await platform.stop();
      killLocalPlatforms(); // anything still starting up
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    void finish();
  };
  process.on("exit", onExit);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);

  for (const warning of settings.warnings) io.stderr.write(`sentinel: warning: ${warning}\n`);
  try {
    const spec = await loadSpec(settings.spec, cwd);
    checkFilters(spec.model.operations, settings);
    progress.log(`spec ${spec.display}: ${spec.model.title} ${spec.model.version}, ${spec.model.operations.length} operations${spec.bundled ? " (bundled from several files)" : ""}${spec.warnings.length ? `, ${spec.warnings.length} warnings` : ""}`);

    // a wrong base path turns every check into a false alarm on 404s (checked meanwhile; stops the run below)
    const mismatchCheck = basePathMismatch(spec.model, targetWithSpecBasePath(settings.target, spec.model.servers).url, fetch, Math.min(settings.limits.timeoutMs ?? 2_000, 2_000));
    if (settings.server) {
      client = new SentinelClient({ server: settings.server, token: settings.token!, userAgent: `sentinel-cli/${io.version}` });
    } else {
      platform = await startLocalPlatform({ packageRoot: io.packageRoot, stateDir: settings.stateDir, log: (line) => progress.log(line) });
      client = new SentinelClient({ server: platform.url, token: platform.token, userAgent: `sentinel-cli/${io.version}` });
    }

    const target = targetWithSpecBasePath(settings.target, spec.model.servers);
    if (target.basePath) progress.log(`base path ${target.basePath} from the spec's servers appended: target ${target.url} (give --target with a path to choose another)`);

    // the pre-flight waits less than a case would: a dead target is the circuit breaker's to report
    const preflightTimeoutMs = Math.min(settings.limits.timeoutMs ?? 5_000, 5_000);
    // given identities are checked here; users to provision are the run's (it signs them in again when needed)
    const given = settings.identities && Object.keys(settings.identities).length > 0 ? settings.identities : undefined;
    // OAuth2 client credentials are exchanged here, and their tokens go to the run as given identities
    const clients = !given && settings.auth?.clients ? settings.auth : undefined;
    const preflight = given || clients ? await runPreflight({ model: spec.model, target: target.url, ...(given ? { identities: given } : { auth: clients }), ...(settings.roles ? { roles: settings.roles } : {}), timeoutMs: preflightTimeoutMs }) : undefined;
    for (const line of preflight?.lines ?? []) progress.log(`identities: ${line}`);
    if (!given && !clients && settings.auth) flowFromConfig(spec.model, settings.auth);
    const identities = preflight?.identities;

    const mismatch = await mismatchCheck;
    if (mismatch) throw new CliError(mismatch, "usage");

    const name = settings.name ?? specName(spec);
    const uploaded = await client.uploadSpec(name, spec.text, spec.contentType, spec.display);
    const created = await client.createRun({
      spec: { id: uploaded.id },
      // the scopes each client was granted: BFLA probes an identity lacking an operation's scope
      target: { url: target.url, ...(identities ? { identities } : {}), ...(identities && preflight?.scopes ? { identityScopes: preflight.scopes } : {}), ...(identities && settings.roles ? { identityRoles: settings.roles } : {}) },
      ...(settings.agents ? { agents: settings.agents } : {}),
      ...(settings.include ? { include: settings.include } : {}),
      ...(settings.exclude ? { exclude: settings.exclude } : {}),
      ...(settings.allowDestructive ? { allowDestructive: true } : {}),
      ...(settings.authBurst ? {} : { authBurst: false }),
      ...(!given && !clients && settings.auth ? { auth: settings.auth } : {}),
      ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
      ...(Object.keys(settings.limits).length > 0 ? { limits: settings.limits } : {}),
      ...(settings.llm ? { llm: settings.llm } : {}),
    });
    runId = created.id;
    progress.log(`run ${runId} started against ${target.url}`);

    const final = await follow(client, runId, settings, progress, platform ? 400 : 1_000);
    progress.done();

    const raw = await client.getReport(runId);
    const parsed = ReportSchema.safeParse(raw);
    if (!parsed.success) {
      throw new CliError(
        "the server's report does not match the report contract",
        "infrastructure",
        parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join(".") || "/"}: ${i.message}`),
      );
    }
    const recheck = !preflight || parsed.data.run.status === "errored" || parsed.data.run.status === "cancelled" ? [] : await recheckIdentities({ model: spec.model, target: target.url, identities, report: preflight.report, timeoutMs: preflightTimeoutMs });
    for (const line of recheck) io.stderr.write(`sentinel: warning: identity ${line}\n`);
    // provisioned users: the run's own pre-flight (how they were obtained, which stopped working and why)
    const serverPreflight = parsed.data.preflight;
    if (!preflight && serverPreflight) {
      // like the CLI's own pre-flight lines: progress, silent under --quiet (the report keeps them)
      for (const line of preflightLines(serverPreflight)) progress.log(`identities: ${line}`);
    }
    const report = { ...parsed.data, ...(preflight ? { preflight: preflight.report } : {}) };
    const written = await writeReports(report, settings.reports, spec, client, runId, io, cwd, progress);

    const failing = settings.failOn === "none" ? 0 : report.findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[settings.failOn as keyof typeof SEVERITY_RANK]).length;
    io.stdout.write(formatSummary(report, { failOn: settings.failOn, failing, written }));

    if (report.run.status === "errored" && typeof final.error === "string" && final.error.startsWith(UNREACHABLE_PREFIX)) {
      // the circuit tripped: one line says what happened to the target (refused, reset, timeout, DNS, TLS)
      io.stderr.write(`sentinel: ${final.error}\n`);
      return EXIT_ERROR;
    }
    if (report.run.status === "errored" || report.run.status === "cancelled") {
      const reason = typeof final.error === "string" && final.error ? `: ${final.error}` : "";
      io.stderr.write(`sentinel: the run ${report.run.status}${reason}\n`);
      for (const why of (await client.erroredReasons(runId)).slice(0, 5)) io.stderr.write(`  errored: ${why}\n`);
      return EXIT_ERROR;
    }
    // a refused identity made its secured requests anonymous: never a silent pass
    const refused = preflight ? refusedIdentities(preflight.report) : undefined;
    if (refused) io.stderr.write(`sentinel: ${refused.message}\n`);
    if (refused?.fatal) return EXIT_ERROR;
    if (report.run.stats.errored > 0) {
      const reasons = (await client.erroredReasons(runId)).slice(0, 3);
      io.stderr.write(`sentinel: ${report.run.stats.errored} of ${report.run.stats.cases} cases errored${reasons.length ? `, e.g. ${reasons.join("; ")}` : ""}\n`);
    }
    return failing > 0 ? EXIT_FINDINGS : EXIT_OK;
  } catch (err) {
    // In local mode the platform's own log usually says why: show its last lines.
    if (platform && err instanceof CliError && err.kind === "infrastructure") {
      // the line that says why may still be on its way from workerd
      await new Promise((resolve) => setTimeout(resolve, 300));
      const logs = platform.recentLogs(10);
      if (logs.length > 0) throw new CliError(err.message, err.kind, [...err.details, "local platform log (last lines):", ...logs.map((l) => `  ${l}`)]);
    }
    throw err;
  } finally {
    progress.done();
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGHUP", onSignal);
    await platform?.stop();
  }
}

/** A malformed filter, or one that matches no operation of the spec, is a usage error naming it. */
export function checkFilters(operations: readonly Operation[], settings: Pick<RunSettings, "include" | "exclude">): void {
  let unmatched: string[];
  try {
    unmatched = selectOperations(operations, { include: settings.include, exclude: settings.exclude, allowDestructive: true }).unmatched;
  } catch (err) {
    throw new CliError(`--include/--exclude: ${(err as Error).message}`, "usage");
  }
  if (unmatched.length > 0) {
    throw new CliError(`${unmatched.map((f) => `filter "${f}"`).join(", ")} matches no operation of the spec (forms: operationId, METHOD, "METHOD /path/glob*", /path/glob*, tag:name)`, "usage");
  }
}

async function follow(client: SentinelClient, runId: string, settings: RunSettings, progress: ProgressReporter, intervalMs: number): Promise<RunState> {
  const giveUpAt = Date.now() + (settings.limits.deadlineMs ?? DEFAULT_DEADLINE_MS) + WAIT_GRACE_MS;
  let failures = 0;
  for (;;) {
    let state: RunState | undefined;
    try {
      state = await client.getRun(runId);
      failures = 0;
    } catch (err) {
      if (++failures >= MAX_POLL_FAILURES) throw err;
    }
    if (state) {
      progress.update(snapshotOf(state));
      if (TERMINAL.has(state.status)) return state;
    }
    if (Date.now() > giveUpAt) {
      await client.cancelRun(runId);
      throw new CliError(`run ${runId} did not finish in time (status ${state?.status ?? "unknown"}); cancelled`, "infrastructure");
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const FORMAT_OF: Record<keyof ReportPaths, ReportFormat | "json"> = { json: "json", junit: "junit", sarif: "sarif", html: "html", markdown: "md", har: "har" };

/**
 * JSON, SARIF and Markdown are rendered here from the report (SARIF then points at the spec
 * file in the repository); JUnit, HTML and HAR come from the server, which has every case —
 * or, from an older server without them, are rendered here from the findings.
 */
async function writeReports(report: Report, paths: ReportPaths, spec: SpecSource, client: SentinelClient, runId: string, io: RunIo, cwd: string, progress: ProgressReporter): Promise<string[]> {
  const written: string[] = [];
  for (const [slot, file] of Object.entries(paths) as [keyof ReportPaths, string | undefined][]) {
    if (!file) continue;
    const format = FORMAT_OF[slot];
    let text: string | undefined;
    if (format === "junit" || format === "html" || format === "har") {
      text = await client.getReportFormat(runId, format);
      if (text === undefined) progress.log(`the server has no ${format} report; rendering it from the findings`);
    }
    text ??= renderReport(format, { report }, {
      toolVersion: io.version,
      sarif: spec.relativePath ? { specUri: spec.relativePath, operationLine: (op) => spec.operationLines.get(`${op.method.toUpperCase()} ${op.path}`) } : undefined,
    });
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    } catch (err) {
      throw new CliError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, "infrastructure");
    }
    written.push(path.relative(cwd, file) || file);
  }
  return written;
}

/** The name the spec is stored under: its title as a slug, else the file name. */
export function specName(spec: Pick<SpecSource, "model" | "display">): string {
  const slug = spec.model.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
  return slug || path.basename(spec.display).replace(/\.[^.]+$/, "") || "spec";
}
