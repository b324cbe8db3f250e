/// <reference types="node" />
/**
 * The dashboard in a real browser (Debian's Chromium, driven by playwright-core), used as a person
 * would: the platform started with `npm start`'s script, the demo API started as its README says.
 * Sign in, upload the demo spec, start a run, watch it finish live, open a finding, copy its curl,
 * create a viewer key, sign out; a viewer cannot start a run; another org's run is a 404; axe-core
 * finds nothing serious or critical on any page; every page is screenshot to test-artifacts/.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoToken } from "../../examples/demo-api/tokens.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(ROOT, "test-artifacts/dashboard");
const ADMIN_KEY = "sk_dashboard_browser_test_admin_0000000000";
const OTHER_KEY = "sk_dashboard_browser_test_other_org_00000000";
const AXE = readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

function chromiumPath(): string | null {
  for (const candidate of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (candidate && existsSync(candidate)) return candidate;
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor(url: string, ms: number, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before answering:\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms:\n${log()}`);
}

let platform: ChildProcess;
let demo: ChildProcess;
let base: string;
let demoUrl: string;
let stateDir: string;
let browser: Browser;
let platformLog = "";
let otherOrg: Promise<void>;
const execFileAsync = promisify(execFile);
const audited = new Set<string>();
const seriousByPage: Record<string, string[]> = {};

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stateDir = mkdtempSync(path.join(os.tmpdir(), "sentinel-dashboard-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  platform = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SENTINEL_STATE_DIR: stateDir, SENTINEL_BOOTSTRAP_KEY: ADMIN_KEY },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  platform.stdout!.on("data", (d) => (platformLog = (platformLog + d).slice(-20_000)));
  platform.stderr!.on("data", (d) => (platformLog = (platformLog + d).slice(-20_000)));

  demo = spawn(process.execPath, [path.join(ROOT, "examples/demo-api/server.mjs"), "--port", String(await freePort()), "--variant", "buggy"], { stdio: ["ignore", "pipe", "inherit"] });
  demoUrl = await new Promise<string>((resolve, reject) => {
    demo.stdout!.on("data", (d) => {
      const m = /listening on (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    demo.on("exit", (code) => reject(new Error(`demo API exited ${code}`)));
  });

  const exe = chromiumPath();
  if (!exe) throw new Error("Chromium is missing: apt-get install -y chromium (.ci/run installs it)");
  [browser] = await Promise.all([
    chromium.launch({ executablePath: exe, args: ["--no-sandbox", "--disable-dev-shm-usage"] }),
    waitFor(`${base}/health`, 150_000, platform, () => platformLog),
  ]);

  // A second organization with its own key, made the way an operator would (SQL on the local D1);
  // it runs while the first test does, and the org test waits for it.
  const hash = createHash("sha256").update(OTHER_KEY).digest("hex");
  otherOrg = execFileAsync(
    process.execPath,
    [
      path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      stateDir,
      "--command",
      `INSERT INTO orgs (id, name) VALUES ('org_other', 'Other'); INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ('key_other', 'org_other', 'other', 'sk_dashboard', '${hash}', 'admin');`,
    ],
    { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  ).then(() => undefined);
  otherOrg.catch(() => {}); // reported where it is awaited
}, 200_000);

function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5000);
    child.once("exit", () => (clearTimeout(timer), resolve()));
  });
}

afterAll(async () => {
  await browser?.close();
  await otherOrg?.catch(() => {});
  demo?.kill();
  if (platform?.pid) {
    try {
      process.kill(-platform.pid, "SIGTERM"); // its own process group: wrangler and workerd too
    } catch {
      /* already gone */
    }
  }
  await Promise.all([exited(demo), exited(platform)]);
  for (const child of [demo, platform]) for (const stream of [child?.stdin, child?.stdout, child?.stderr]) stream?.destroy();
  rmSync(stateDir, { recursive: true, force: true });
});

async function newContext(width = 1280): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  return context;
}

/** axe-core on the page as it is; returns its serious and critical violations. Also saves a screenshot. */
async function audit(page: Page, name: string): Promise<string[]> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  await page.addScriptTag({ content: AXE });
  // (strings: this project's TypeScript has no DOM types; the code runs in the page)
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })))`)) as {
    id: string;
    impact: string;
    targets: string[];
  }[];
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}) at ${v.targets.join(", ")}`);
  seriousByPage[name] = serious;
  return serious;
}

/** Follows a link of the main navigation and waits for its page. */
async function nav(page: Page, name: string, path: string): Promise<void> {
  await page.getByRole("link", { name, exact: true }).click();
  await page.waitForURL(`${base}${path}`);
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${base}/`);
  await expect.poll(() => page.url()).toContain("/app/sign-in");
  if (!audited.has("sign-in")) {
    audited.add("sign-in");
    expect(await audit(page, "sign-in")).toEqual([]);
  }
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/app/runs`);
}

describe("dashboard in Chromium", () => {
  let runId = "";

  it("a tester's day: upload, run, watch, open a finding, copy its curl, make a viewer key, sign out", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN_KEY);
    expect(await audit(page, "runs-empty")).toEqual([]);

    // upload the demo spec
    await nav(page, "Specs", "/app/specs");
    await page.getByLabel("Name").first().fill("demo");
    await page.setInputFiles("#upload-file", path.join(ROOT, "examples/demo-api/openapi.yaml"));
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/\/app\/specs\/spec_/);
    await expect.poll(() => page.textContent("main")).toContain("Spec stored.");
    expect(await audit(page, "spec")).toEqual([]);
    const specId = page.url().split("/").pop()!.split("?")[0];

    // a short load test through the REST API (as a CI job would), to look at in the dashboard later
    const load = await fetch(`${base}/api/v1/load-tests`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        spec: { id: specId },
        target: { url: demoUrl, identities: { alice: { Authorization: `Bearer ${demoToken("alice")}` } } },
        operations: ["GET /items"],
        rate: 20,
        duration: 2,
        thresholds: ["p(95)<2000", "http_req_failed<0.5"],
      }),
    });
    expect(load.status, await load.clone().text()).toBe(202);
    const loadId = ((await load.json()) as { id: string }).id;

    // start a run against the demo API as alice and bob
    await page.getByRole("link", { name: "Start a run with this spec" }).click();
    await page.waitForURL(/\/app\/runs\/new/);
    await page.getByLabel("Base URL").fill(demoUrl);
    await page.getByLabel(/^Identities/).fill(`alice:Authorization: Bearer ${demoToken("alice")}\nbob:Authorization: Bearer ${demoToken("bob")}`);
    for (const agent of ["functional-positive", "stateful", "security-injection", "data-exposure"]) await page.getByLabel(agent).uncheck();
    await page.getByLabel("Max cases").fill("120");
    expect(await audit(page, "new-run")).toEqual([]);
    await page.getByRole("button", { name: "Start the run" }).click();
    await page.waitForURL(/\/app\/runs\/run_/);
    runId = page.url().split("/").pop()!;
    await audit(page, "run-live");

    // live progress over SSE, then the page reloads itself with the result
    await page.waitForFunction(`!document.querySelector("[data-events]") && /passed|failed|errored/.test(document.querySelector("[data-status]")?.textContent ?? "")`, null, {
      timeout: 60_000,
    });
    expect(await page.textContent("[data-status]")).toMatch(/failed/);
    expect(await audit(page, "run-finished")).toEqual([]);

    // findings, grouped; filter by severity; open one and copy its curl
    await page.getByRole("link", { name: /Open the \d+ findings/ }).click();
    await page.waitForURL(/\/findings$/);
    expect(await audit(page, "findings")).toEqual([]);
    await page.getByLabel("Show severity at least").selectOption("high");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/severity=high/);
    const firstFinding = page.locator("main ul li a").first();
    await firstFinding.click();
    await page.waitForURL(/\/findings\/[^/]+$/);
    expect(await audit(page, "finding")).toEqual([]);
    const curl = (await page.textContent("#finding-curl"))!;
    expect(curl).toMatch(/^curl /);
    expect(curl).not.toContain(demoToken("alice"));
    await page.getByRole("button", { name: "Copy curl reproduction" }).click();
    await expect.poll(() => page.getAttribute('button[data-copy="finding-curl"]', "data-copied")).toBe("true");
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(curl);

    // the run appears in the list with its trend
    await nav(page, "Runs", "/app/runs");
    expect(await page.locator(`a[href="/app/runs/${runId}"]`).count()).toBeGreaterThan(0);
    expect(await page.locator("svg[role=img]").count()).toBeGreaterThan(0);
    expect(await audit(page, "runs")).toEqual([]);

    // a viewer key for the next test, shown once
    await nav(page, "API keys", "/app/keys");
    await page.getByLabel("Name").fill("dashboard-viewer");
    await page.getByLabel("Role").selectOption("viewer");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.waitForSelector("#new-key");
    const viewerKey = (await page.textContent("#new-key"))!.trim();
    expect(viewerKey).toMatch(/^sk_/);
    expect(await audit(page, "keys")).toEqual([]);
    // the load test's page (its figures and charts are checked on a finished test in dashboard-pages.test.ts)
    await nav(page, "Load tests", "/app/load-tests");
    await page.getByRole("link", { name: loadId }).click();
    await page.waitForURL(`${base}/app/load-tests/${loadId}`);
    expect(await page.textContent("main")).toContain("p(95)<2000");
    expect(await audit(page, "load-test")).toEqual([]);
    for (const [link, name] of [
      ["Schedules", "schedules"],
      ["Webhooks", "hooks"],
      ["Load tests", "load-tests"],
    ] as const) {
      await nav(page, link, `/app/${name}`);
      expect(await audit(page, name), name).toEqual([]);
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/app\/sign-in/);
    await page.goto(`${base}/app/runs/${runId}`);
    expect(page.url()).toContain("/app/sign-in");
    await context.close();
  }, 120_000);

  it("a viewer sees runs but cannot start one; another org gets 404 for the run", async () => {
    expect(runId).not.toBe("");
    const context = await newContext();
    const page = await context.newPage();
    const made = await fetch(`${base}/api/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "viewer", role: "viewer" }),
    });
    await signIn(page, ((await made.json()) as { key: string }).key);
    await page.goto(`${base}/app/runs/${runId}`);
    expect(await page.textContent("h1")).toContain(runId);
    await page.goto(`${base}/app/runs`);
    expect(await page.getByRole("link", { name: "Start a run" }).count()).toBe(0);
    await page.goto(`${base}/app/runs/new`);
    const csrf = await page.getAttribute('input[name="_csrf"]', "value");
    const res = await page.request.post(`${base}/app/runs`, { form: { _csrf: csrf!, specId: "x", targetUrl: demoUrl }, headers: { origin: base } });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain("runs:create");
    await context.close();

    await otherOrg;
    const other = await newContext();
    const page2 = await other.newPage();
    await signIn(page2, OTHER_KEY);
    const resp = await page2.goto(`${base}/app/runs/${runId}`);
    expect(resp!.status()).toBe(404);
    expect(await audit(page2, "not-found")).toEqual([]);
    await other.close();
  }, 60_000);

  it("works at 375 px wide: no page scrolls sideways", async () => {
    const context = await newContext(375);
    const page = await context.newPage();
    await signIn(page, ADMIN_KEY);
    for (const p of ["/app/runs", `/app/runs/${runId}`, `/app/runs/${runId}/findings`, "/app/specs", "/app/keys"]) {
      await page.goto(base + p);
      const name = `narrow-${p.split("/").filter(Boolean).slice(1).join("-").replace(/run_[A-Za-z0-9]+/, "run") || "runs"}`;
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      const overflow = (await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) as number;
      expect(overflow, p).toBeLessThanOrEqual(0);
    }
    await context.close();
  }, 60_000);
});
