/**
 * `sentinel load`: start (or reach) the platform, upload the spec, start the load test, show a
 * live progress line (elapsed, rps, p95, errors per region) from its event stream, then the
 * k6-style summary, the reports, and the exit code: 0 thresholds hold, 1 one failed, 2 error.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderLoadSummary } from "../../workers/reports/load-report";
import type { LoadReport } from "../../workers/load/types";
import { targetWithSpecBasePath } from "./base-path";
import { SentinelClient } from "./client";
import { CliError, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from "./exit-codes";
import { killLocalPlatforms, startLocalPlatform, type LocalPlatform } from "./local-platform";
import type { LoadSettings } from "./load-options";
import { specName } from "./run-command";
import type { RunIo } from "./run-command";
import { loadSpec } from "./spec-source";

interface Progress {
  status: string;
  elapsedMs: number;
  durationMs: number;
  regions: { region: string; requests: number; errors: number; rps: number; p95: number }[];
}

export function progressLine(p: Progress): string {
  const regions = p.regions.map((r) => `${r.region} ${r.rps} rps p95 ${r.p95} ms ${r.errors} err`).join(" | ");
  return `${p.status} ${(p.elapsedMs / 1000).toFixed(0)}/${(p.durationMs / 1000).toFixed(0)} s  ${regions}`;
}

export async function loadCommand(settings: LoadSettings, io: RunIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const tty = io.stderr.isTTY === true && process.env.TERM !== "dumb";
  const say = (line: string) => {
    if (!settings.quiet) io.stderr.write(`${line}\n`);
  };
  let platform: LocalPlatform | undefined;
  const onExit = () => killLocalPlatforms();
  // Ctrl-C or a CI timeout: the local platform must not outlive the CLI
  const onSignal = (signal: NodeJS.Signals) => {
    io.stderr.write(`\nsentinel: ${signal === "SIGINT" ? "interrupted" : signal}; stopping\n`);
    void (platform?.stop() ?? Promise.resolve()).finally(() => {
      killLocalPlatforms();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  };
  process.on("exit", onExit);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const spec = await loadSpec(settings.spec, cwd);
    say(`spec ${spec.display}: ${spec.model.title} ${spec.model.version}, ${spec.model.operations.length} operations`);
    let client: SentinelClient;
    if (settings.server) {
      client = new SentinelClient({ server: settings.server, token: settings.token!, userAgent: `sentinel-cli/${io.version}` });
    } else {
      platform = await startLocalPlatform({ packageRoot: io.packageRoot, stateDir: settings.stateDir, log: say });
      client = new SentinelClient({ server: platform.url, token: platform.token, userAgent: `sentinel-cli/${io.version}` });
    }
    const target = targetWithSpecBasePath(settings.target, spec.model.servers);
    const uploaded = await client.uploadSpec(specName(spec), spec.text, spec.contentType, spec.display);
    const created = await client.createLoadTest({
      spec: { id: uploaded.id },
      target: { url: target.url, ...(settings.identities ? { identities: settings.identities } : {}) },
      ...(settings.operations.length ? { operations: settings.operations } : {}),
      profile: settings.profile,
      ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
      ...(settings.durationS !== undefined ? { duration: settings.durationS } : {}),
      ...(settings.rampS !== undefined ? { ramp: settings.rampS } : {}),
      ...(settings.maxInFlight !== undefined ? { maxInFlight: settings.maxInFlight } : {}),
      ...(settings.regions ? { regions: settings.regions } : {}),
      ...(settings.thresholds.length ? { thresholds: settings.thresholds } : {}),
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      abortOnFail: settings.abortOnFail,
      allowWrites: settings.allowWrites,
    });
    say(`load test ${created.id} started against ${target.url}`);
    await follow(client, created.id, (p) => {
      if (settings.quiet) return;
      io.stderr.write(tty ? `\r\x1b[2K${progressLine(p)}` : `${progressLine(p)}\n`);
    });
    if (tty && !settings.quiet) io.stderr.write("\r\x1b[2K");

    const report = (await client.getLoadReport(created.id)) as LoadReport;
    if (!report?.load?.overall) throw new CliError("the server's load report does not match the contract", "infrastructure");
    io.stdout.write(renderLoadSummary(report));
    const write = (file: string | undefined, text: string) => {
      if (!file) return;
      const abs = path.resolve(cwd, file);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      say(`wrote ${file}`);
    };
    write(settings.reports.json, JSON.stringify(report, null, 2) + "\n");
    if (settings.reports.html) write(settings.reports.html, String(await client.getLoadReport(created.id, "html")));
    if (settings.reports.junit) write(settings.reports.junit, String(await client.getLoadReport(created.id, "junit")));

    const status = report.load.status;
    if (status === "errored") {
      const row = await client.getLoadTest(created.id);
      io.stderr.write(`sentinel: the load test errored${row.error ? `: ${row.error}` : ""}\n`);
      return EXIT_ERROR;
    }
    return status === "passed" ? EXIT_OK : EXIT_FINDINGS;
  } finally {
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await platform?.stop();
  }
}

const TERMINAL = new Set(["passed", "failed", "aborted", "errored"]);

/** Follows the SSE stream; if it breaks, polls the test until it is over. */
async function follow(client: SentinelClient, id: string, onProgress: (p: Progress) => void): Promise<void> {
  const controller = new AbortController();
  try {
    const response = await client.loadEvents(id, controller.signal);
    if (response.ok && response.body) {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!data) continue;
          const progress = JSON.parse(data) as Progress;
          onProgress(progress);
          if (event === "end" || TERMINAL.has(progress.status)) {
            controller.abort();
            return;
          }
        }
      }
    }
  } catch {
    // fall back to polling below
  } finally {
    controller.abort();
  }
  for (;;) {
    const state = await client.getLoadTest(id);
    if (TERMINAL.has(state.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
