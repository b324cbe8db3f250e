import { fileURLToPath } from "node:url";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import type { TestProjectInlineConfiguration } from "vitest/config";

/**
 * The two test projects, shared by `npm test` (vitest.config.ts) and `npm run test:corpus`
 * (vitest.corpus.config.ts). Files named `*.corpus.test.ts` need the spec corpus (shared/specs
 * beside the clone, or $SENTINEL_CORPUS_DIR); they run only in the corpus script, so a bare clone
 * passes `npm test`. In import.meta.glob the corpus is "@corpus/…".
 */
export type Suite = "default" | "corpus";

const CORPUS_FILES = "**/*.corpus.test.ts";
/** test/node files that share one local platform (nodePlatformProject) instead of each starting its own */
const PLATFORM_FILES = "test/node/**/*.platform.test.ts";
const CORPUS_DIR = path.resolve(process.env.SENTINEL_CORPUS_DIR ?? fileURLToPath(new URL("../shared/specs", import.meta.url)));
const corpusAlias = { "@corpus": CORPUS_DIR };

/** Pure modules, the CLI and end-to-end runs against the platform started as a user starts it. */
export function nodeProject(suite: Suite): TestProjectInlineConfiguration {
  const corpus = suite === "corpus";
  return {
    resolve: { alias: corpusAlias },
    test: {
      name: corpus ? "node-corpus" : "node",
      environment: "node",
      include: corpus
        ? ["workers/**/*.corpus.test.ts", "test/node/**/*.corpus.test.ts"]
        : ["workers/**/*.test.ts", "cli/**/*.test.ts", "cli/**/*.test.mjs", "examples/**/*.test.ts", "test/node/**/*.test.ts", "scripts/**/*.test.ts"],
      exclude: ["**/*.workerd.test.ts", "**/node_modules/**", PLATFORM_FILES, ...(corpus ? [] : [CORPUS_FILES])],
      testTimeout: corpus ? 300_000 : 30_000, // the big corpus specs take minutes on a loaded 2-core machine
      hookTimeout: 120_000,
    },
  };
}

/**
 * The CLI's --server mode against one local platform (`wrangler dev`, as the CLI starts it) shared
 * by every `*.platform.test.ts` file: its start-up (bundle, migrations, workerd) took ~50 s per file
 * on a loaded 2-core machine. Started only when a run includes such a file; inject("platform").
 * Files share its D1: one whose assertions depend on a spec's stored state gives the spec a title of its own.
 */
export function nodePlatformProject(): TestProjectInlineConfiguration {
  return {
    test: {
      name: "node-platform",
      environment: "node",
      include: [PLATFORM_FILES],
      globalSetup: ["./test/node/platform-setup.ts"],
      testTimeout: 30_000,
      hookTimeout: 120_000,
    },
  };
}

/** The Worker itself inside workerd with real local D1, R2, Queues and Durable Objects. */
export function workersProject(suite: Suite): TestProjectInlineConfiguration {
  const corpus = suite === "corpus";
  return {
    resolve: { alias: corpusAlias },
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
      name: corpus ? "workers-corpus" : "workers",
      include: corpus ? ["test/workerd/**/*.corpus.test.ts"] : ["test/workerd/**/*.test.ts", "**/*.workerd.test.ts"],
      exclude: ["**/node_modules/**", ...(corpus ? [] : [CORPUS_FILES])],
      setupFiles: ["./test/workerd/apply-migrations.ts"],
      // One workerd (Miniflare) serves every file instead of one started per file: that start-up
      // (workerd, the Worker's module graph) was ~2/3 of this project's time. Files share D1/R2/DO
      // state, so a test names its own rows (unique spec names, tenants, record names).
      isolate: false,
      // a local target API (loopback) for the executor: inject("targetUrl")
      globalSetup: ["./test/workerd/global-setup.ts"],
      testTimeout: corpus ? 120_000 : 60_000,
    },
  };
}
