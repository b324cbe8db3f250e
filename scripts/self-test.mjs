#!/usr/bin/env node
/**
 * `npm run test:self`: Sentinel tests itself. Starts the platform as `npm start` does, seeds two
 * organizations (A and B, an admin API key each) plus a third one that hosts the run, and runs
 * `sentinel run` against the platform's own REST API (its /api/v1/openapi.json) with identity A
 * and identity B: every check applies, BOLA/BFLA included (what A creates, B must not reach).
 * Any finding fails (exit 1); the report is left in sentinel-self-test/.
 *
 * Everything runs in a fresh network namespace that has only loopback (`unshare`), so requests
 * the agents invent (spec imports, notification URLs, run targets) can never leave the machine.
 * Environment: SENTINEL_SELF_TEST_MAX_CASES (default 1500), SENTINEL_DEBUG=1 (platform log).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureNode22 } from "./node22.mjs";
import { whileWaiting } from "./elapsed.mjs";
import { startPlatformProcess } from "./platform-process.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NETNS_MARK = "SENTINEL_SELF_TEST_NETNS";

if (!process.env[NETNS_MARK]) {
  // re-run this script inside its own network namespace (loopback only)
  const inner = spawnSync("unshare", ["--net", "--map-root-user", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [NETNS_MARK]: "1" },
  });
  if (inner.error) {
    console.error(`self-test: cannot isolate the network (${inner.error.message}); it needs unshare (util-linux) and ip (iproute2)`);
    process.exit(2);
  }
  process.exit(inner.status ?? 1);
}
await ensureNode22();

const say = (line) => console.log(`[self-test] ${line}`);
const randomKey = (label) => `sk_selftest_${label}_${randomBytes(18).toString("hex")}`;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const sql = (value) => `'${String(value).replace(/'/g, "''")}'`;

function wranglerScript() {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "node_modules/wrangler/package.json"), "utf8"));
  return path.join(ROOT, "node_modules/wrangler", typeof pkg.bin === "string" ? pkg.bin : pkg.bin.wrangler);
}

function wrangler(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerScript(), ...args], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(" ")} failed (${code}):\n${output.slice(-2000)}`))));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    import("node:net").then(({ createServer }) => {
      const server = createServer();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  });
}

/** Verdicts per check over a run's results (GET /runs/{id}/results?check=…, every page). */
async function judgedChecks(url, token, runId, checks) {
  const out = {};
  for (const check of checks) {
    const tally = { passed: 0, failed: 0 };
    let cursor = "";
    do {
      const res = await fetch(`${url}/api/v1/runs/${runId}/results?check=${check}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`results of ${runId}: ${res.status} ${await res.text()}`);
      const page = await res.json();
      for (const item of page.items) for (const c of item.checks) if (c.check === check && (c.status === "passed" || c.status === "failed")) tally[c.status]++;
      cursor = page.nextCursor ?? "";
    } while (cursor);
    out[check] = tally;
  }
  return out;
}

/** The most common reasons of the run's skipped cases (ids and numbers folded). */
async function skipReasons(url, token, runId) {
  const counts = new Map();
  let cursor = "";
  do {
    const res = await fetch(`${url}/api/v1/runs/${runId}/results?status=skipped&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return [];
    const page = await res.json();
    for (const item of page.items) {
      const reason = `${item.operationId} (${item.agent}): ${(item.reason ?? "").replace(/\b\w+_[A-Za-z0-9]{8,}\b/g, "<id>").replace(/\d{5,}/g, "N").slice(0, 160)}`;
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    cursor = page.nextCursor ?? "";
  } while (cursor);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20);
}

// Three organizations, each with its own admin (A, B) or tester (runner) key, written straight
// into the local D1 before the Worker starts: the API has no "create organization" route.
const orgs = [
  { id: "org_selftest_a", name: "self-test A", key: randomKey("a"), role: "admin" },
  { id: "org_selftest_b", name: "self-test B", key: randomKey("b"), role: "admin" },
  { id: "org_selftest_runner", name: "self-test runner", key: randomKey("runner"), role: "tester" },
];
const now = Date.now();
const seed = orgs
  .flatMap((o) => [
    `INSERT INTO orgs (id, name, target_allowlist, created_at) VALUES (${sql(o.id)}, ${sql(o.name)}, '[]', ${now});`,
    `INSERT INTO api_keys (id, org_id, user_id, name, prefix, hash, role, created_at) VALUES (${sql(`key_${o.id}`)}, ${sql(o.id)}, NULL, 'self-test', ${sql(o.key.slice(0, 12))}, ${sql(sha256(o.key))}, ${sql(o.role)}, ${now});`,
  ])
  .join("\n");

const started = Date.now();
const stateDir = mkdtempSync(path.join(os.tmpdir(), "sentinel-self-test-"));
const outDir = path.join(ROOT, "sentinel-self-test");
mkdirSync(outDir, { recursive: true });
let platform;
let code = 2;
try {
  const config = path.join(ROOT, "wrangler.toml");
  await whileWaiting("applying migrations and seeding two organizations", (async () => {
    await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir, "--config", config]);
    const seedFile = path.join(stateDir, "seed.sql");
    writeFileSync(seedFile, seed);
    await wrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--config", config, "--file", seedFile]);
  })(), say);
  const port = await freePort();
  platform = await whileWaiting("starting the platform as npm start does", startPlatformProcess({
    port,
    stateDir,
    env: { SENTINEL_RATE_LIMIT: "1000000", SENTINEL_CRON_TICK_MS: "" },
    echo: process.env.SENTINEL_DEBUG === "1",
  }), say);

  const [a, b, runner] = orgs;
  const args = [
    path.join(ROOT, "cli/bin/sentinel.mjs"), "run",
    "--server", platform.url, "--token", runner.key,
    "--spec", `${platform.url}/api/v1/openapi.json`,
    "--target", platform.url,
    "--identity", `orgA:Authorization: Bearer ${a.key}`,
    "--identity", `orgB:Authorization: Bearer ${b.key}`,
    "--seed", "1",
    "--max-cases", process.env.SENTINEL_SELF_TEST_MAX_CASES ?? "1500",
    "--report-json", path.join(outDir, "report.json"),
    "--markdown", path.join(outDir, "summary.md"),
    "--html", path.join(outDir, "report.html"),
    "--fail-on", "low",
  ];
  say(`sentinel run against ${platform.url}/api/v1/openapi.json as orgA and orgB`);
  const run = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "inherit", "pipe"], env: { ...process.env, SENTINEL_SERVER: "", SENTINEL_TOKEN: "" } });
  let progress = "";
  run.stderr.on("data", (chunk) => {
    progress += chunk;
    process.stderr.write(chunk);
  });
  code = await new Promise((resolve) => run.on("exit", (c) => resolve(c ?? 2)));
  const runId = /run (run_\w+) started/.exec(progress)?.[1];
  if (code !== 2) {
    // the cross-org guarantee must really have been exercised, not merely have found nothing
    const judged = runId ? await judgedChecks(platform.url, runner.key, runId, ["bola", "bfla", "ignored_auth"]) : {};
    say(`cross-org and auth checks judged: ${Object.entries(judged).map(([check, n]) => `${check} ${n.passed} passed / ${n.failed} failed`).join(", ") || "none"}`);
    if (runId) say(`skipped cases, most common reasons:\n${(await skipReasons(platform.url, runner.key, runId)).map(([reason, n]) => `  ${n} × ${reason}`).join("\n")}`);
    if (!judged.bola || judged.bola.passed + judged.bola.failed === 0) {
      say("FAIL: no bola check reached a verdict: the self-test did not try org B on org A's resources");
      code = 1;
    }
  }
  say(`${code === 0 ? "PASS: no findings" : code === 1 ? "FAIL: findings (see sentinel-self-test/summary.md)" : "ERROR"} in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (err) {
  console.error(`[self-test] ${err instanceof Error ? err.message : err}`);
  if (platform) console.error(platform.output().slice(-3000));
  code = 2;
} finally {
  await platform?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
process.exit(code);
