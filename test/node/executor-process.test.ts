/// <reference types="node" />
/**
 * The local executor process (README, "Executor process"): the embedded platform started with a
 * second workerd that runs the cases. Against the sessions target (test/workerd/sessions-target.ts,
 * one fresh tenant per run, same seed): a run through two processes gives the same results and
 * findings as one through the main process alone; identities whose tokens expire are signed in
 * again across processes (the executor process asks the main one, which asks the run); killing the
 * executor process mid-run loses no case and duplicates none (the main process runs what it had
 * not answered).
 */
import { createServer, type Server } from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalPlatform, type LocalPlatform } from "../../cli/src/local-platform";
import { handleSessions } from "../workerd/sessions-target";
import { SESSIONS_SPEC } from "../workerd/sessions-spec";
import { ROOT } from "./cli-helpers";

const RUN_MS = 150_000;

interface Outcome {
  statuses: Record<string, string>;
  findings: string[];
  /** per finding what does not depend on which case ended first: id, severity, title, the triggers' keys */
  details: string[];
}

/** CPU seconds of the workerd processes under `pid` (wrangler of the executor process). */
function workerdCpuUnder(pid: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), Number(fields[1]));
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) === "workerd") cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // exited meanwhile
    }
  }
  const under = (p: number) => {
    for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) if (q === pid) return true;
    return false;
  };
  return [...cpu].filter(([p]) => under(p)).reduce((sum, [, s]) => sum + s, 0);
}

describe("the executor process", () => {
  let platform: LocalPlatform;
  let target: Server;
  let targetUrl = "";
  let specId = "";
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${platform.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${platform.token}`, "content-type": "application/json", ...init.headers } });

  beforeAll(async () => {
    target = createServer((req, res) => {
      if (!handleSessions(req, res, new URL(req.url ?? "/", "http://127.0.0.1"))) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
    platform = await startLocalPlatform({ packageRoot: ROOT, executor: true, log: () => {} });
    const res = await api("/specs?name=sessions", { method: "POST", body: JSON.stringify(SESSIONS_SPEC) });
    expect(res.status).toBe(201);
    specId = ((await res.json()) as { id: string }).id;
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
    target?.close();
  });

  async function tenant(mode = ""): Promise<{ url: string; logins: () => Promise<number> }> {
    const control = `${targetUrl}/__sessions/t${Math.random().toString(36).slice(2, 10)}`;
    expect((await fetch(`${control}?${mode}`, { method: "POST" })).status).toBe(200);
    return { url: control.replace("/__sessions/", "/s/"), logins: async () => ((await (await fetch(control)).json()) as { logins: number }).logins };
  }

  async function start(url: string): Promise<string> {
    const res = await api("/runs", { method: "POST", body: JSON.stringify({ spec: { id: specId }, target: { url }, seed: 11 }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: string }).id;
  }

  async function outcome(runId: string): Promise<Outcome> {
    const deadline = Date.now() + RUN_MS;
    for (;;) {
      const run = (await (await api(`/runs/${runId}`)).json()) as { status: string };
      if (["passed", "failed", "errored", "cancelled"].includes(run.status)) break;
      if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const statuses: Record<string, string> = {};
    let rows = 0;
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page = (await (await api(`/runs/${runId}/results?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).json()) as { items: { caseId: string; status: string }[]; nextCursor: string | null };
      for (const r of page.items) statuses[r.caseId] = r.status;
      rows += page.items.length;
      cursor = page.nextCursor;
    }
    // one row per case: none written twice
    expect(rows).toBe(Object.keys(statuses).length);
    const report = (await (await api(`/runs/${runId}/report`)).json()) as {
      findings: { id: string; check: string; severity: string; title: string; operation: { method: string; path: string }; triggers?: { key: string }[] }[];
    };
    return {
      statuses,
      findings: report.findings.map((f) => `${f.check} ${f.operation.method.toUpperCase()} ${f.operation.path}`).sort(),
      details: report.findings.map((f) => [f.id, f.severity, f.title, ...(f.triggers ?? []).map((t) => t.key).sort()].join(" | ")).sort(),
    };
  }

  let twoProcesses: Outcome;

  it(
    "runs the cases in the executor process; re-sign-in works across processes",
    async () => {
      const before = workerdCpuUnder(platform.executor!.pid);
      twoProcesses = await outcome(await start((await tenant()).url));
      // the cases ran there: its workerd worked for them
      expect(workerdCpuUnder(platform.executor!.pid) - before).toBeGreaterThan(0.2);
      expect(twoProcesses.findings).toContain("bola GET /notes/{id}");

      const expiring = await tenant("expireAfterUses=4");
      const signedIn = await outcome(await start(expiring.url));
      // two sign-ins of the pre-flight, then many more: each token works for 4 requests only
      expect(await expiring.logins()).toBeGreaterThan(10);
      expect(signedIn.findings).toEqual(twoProcesses.findings);
      expect(Object.values(signedIn.statuses).filter((s) => s === "errored")).toEqual([]);
    },
    2 * RUN_MS,
  );

  it(
    "killing the executor process mid-run loses no case; the results and findings equal a run in the main process alone",
    async () => {
      const runId = await start((await tenant()).url);
      // kill it once the run has results (cases are in flight there)
      for (let seen = 0; seen === 0; ) {
        await new Promise((r) => setTimeout(r, 50));
        seen = ((await (await api(`/runs/${runId}/results?limit=1`)).json()) as { items: unknown[] }).items.length;
      }
      process.kill(-platform.executor!.pid, "SIGKILL");
      const killed = await outcome(runId);
      expect(killed.statuses).toEqual(twoProcesses.statuses);
      expect(killed.findings).toEqual(twoProcesses.findings);
      expect(killed.details).toEqual(twoProcesses.details);

      // and with it gone, every case runs in the main process: the same again
      const oneProcess = await outcome(await start((await tenant()).url));
      expect(oneProcess.statuses).toEqual(twoProcesses.statuses);
      expect(oneProcess.findings).toEqual(twoProcesses.findings);
      // findings built in the executor process are the ones the main process builds
      expect(oneProcess.details).toEqual(twoProcesses.details);
    },
    2 * RUN_MS,
  );
});
