import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";

export default defineConfig({
  test: {
    projects: [
      {
        // Pure modules, the CLI and end-to-end runs against the platform started as a user starts it.
        test: {
          name: "node",
          environment: "node",
          include: ["workers/**/*.test.ts", "cli/**/*.test.ts", "cli/**/*.test.mjs", "examples/**/*.test.ts", "test/node/**/*.test.ts"],
          exclude: ["**/*.workerd.test.ts", "**/node_modules/**"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The Worker itself inside workerd with real local D1, R2, Queues and Durable Objects.
        plugins: [
          cloudflareTest(async () => ({
            main: "./workers/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                SENTINEL_BOOTSTRAP_KEY: "sk_test_bootstrap_admin_key_0000000000",
                SENTINEL_ALLOW_LOOPBACK: "true",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workerd/**/*.test.ts", "**/*.workerd.test.ts"],
          exclude: ["**/node_modules/**"],
          setupFiles: ["./test/workerd/apply-migrations.ts"],
          // a local target API (loopback) for the executor: inject("targetUrl")
          globalSetup: ["./test/workerd/global-setup.ts"],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
