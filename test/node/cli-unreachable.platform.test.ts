/// <reference types="node" />
/**
 * `sentinel run` against dead targets, as a user sees it: a refused port and a server that never
 * answers each end within seconds with exit 2 and one line naming the kind of failure; a target
 * that drops every connection for a moment and comes back is probed again and the run completes.
 * The local platform the *.platform.test.ts files share (started as the CLI starts it) serves the
 * three runs (--server mode).
 */
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoApi, type DemoApi } from "../../examples/demo-api/server.mjs";
import { buildCli } from "../../scripts/build-cli.mjs";
import { ROOT, runCli, sharedServer } from "./cli-helpers";

const SPEC = path.join(ROOT, "examples/demo-api/openapi.yaml");

let demo: DemoApi;
let dead: TcpServer;
let flaky: Server;
const sockets = new Set<Socket>();
let outage: { ms: number; until?: number } | undefined;

function port(server: { address(): unknown }): number {
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  await buildCli({ quiet: true });
  demo = await startDemoApi({ port: 0, variant: "clean" });
  // accepts connections, never answers
  dead = createTcpServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
  // the demo API behind an outage: every connection is dropped for `ms` from the first request on
  flaky = createServer(async (req, res) => {
    if (outage) {
      outage.until ??= Date.now() + outage.ms;
      if (Date.now() < outage.until) return void req.socket.destroy();
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "connection").map(([k, v]) => [k, String(v)]));
    const upstream = await fetch(`${demo.url}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, redirect: "manual" });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  flaky.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await demo?.close();
  dead?.close();
  flaky?.close();
});

async function run(target: string, extra: string[] = []) {
  const started = Date.now();
  const result = await runCli(["run", "--spec", SPEC, "--target", target, ...sharedServer(), ...extra], { timeoutMs: 120_000 });
  return { ...result, elapsedMs: Date.now() - started };
}

function unreachableLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.includes("target unreachable"));
}

describe("sentinel run against a dead target", () => {
  it("a refused port: exit 2 within seconds, one line saying connection refused", async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${port(closed)}`;
    await new Promise((resolve) => closed.close(resolve));
    const result = await run(target);
    expect(result.code, result.stderr).toBe(2);
    const lines = unreachableLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^sentinel: target unreachable: connection refused at ${target.replace(/\./g, "\\.")} \\(\\d+ requests failed in a row, then 3 probes\\); \\d+ cases skipped \\((?:GET|PUT|POST|PATCH|DELETE) \\/\\S* \\d+, [^)]*\\)$`));
    // never answered at all: no request is blamed for taking it down
    expect(lines[0]).not.toContain("went down with");
    expect(result.stderr).not.toMatch(/^\s+errored: /m);
    expect(result.elapsedMs).toBeLessThan(30_000);
  }, 130_000);

  it("a server that never answers (default 10 s timeout): exit 2, one line saying timeout, far below one timeout per case", async () => {
    const result = await run(`http://127.0.0.1:${port(dead)}`);
    expect(result.code, result.stderr).toBe(2);
    const lines = unreachableLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sentinel: target unreachable: no response \(timeout\) within 10000 ms at http:\/\/127\.0\.0\.1:\d+ \(\d+ requests failed in a row, then 3 probes\); \d+ cases skipped \((?:GET|PUT|POST|PATCH|DELETE) \/\S* \d+, [^)]*\)$/);
    expect(lines[0]).not.toContain("went down with");
    // one 10 s round of timeouts plus the probes: not 10 s per case
    expect(result.elapsedMs).toBeLessThan(45_000);
  }, 130_000);

  it("a target that drops every connection for 1.5 s and comes back: the run completes (no unreachable line, not exit 2)", async () => {
    outage = { ms: 1500 };
    const result = await run(`http://127.0.0.1:${port(flaky)}`, ["--agents", "functional-positive", "--fail-on", "none"]);
    expect(outage.until, "the outage was hit").toBeDefined();
    expect(unreachableLines(result.stderr)).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Result: PASS");
  }, 130_000);
});
