/** `npm run deploy -- --dry-run` touches nothing on Cloudflare, so it never claims to have created anything. */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

describe("npm run deploy -- --dry-run", () => {
  it("bundles the Worker and lists what a real deploy would create, claiming nothing", () => {
    try {
      const output = execFileSync(process.execPath, ["scripts/deploy.mjs", "--dry-run"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", FORCE_COLOR: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(output).not.toMatch(/\bcreated\b/i);
      expect(output).toMatch(/would create unless it exists: wrangler queues create sentinel-tasks\b/);
      expect(output).toMatch(/would create unless it exists: wrangler vectorize create sentinel-findings/);
      expect(output).toMatch(/--dry-run: exiting now|dry-run/i);
    } finally {
      rmSync(path.join(ROOT, "dist/worker"), { recursive: true, force: true });
    }
  }, 180_000);
});
