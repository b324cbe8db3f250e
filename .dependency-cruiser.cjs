/**
 * The layers of DESIGN.md as executable rules (`npm run lint:layers`). Dependencies point down:
 * entry points (gateway, webhooks, schedules, the queue consumer, Durable Objects) → services
 * (runs) → the pure core and storage → model. Tests may import anything.
 */
const PURE_CORE = "^workers/(orchestrator|executor/checks|reports|jsonschema|load|ai)/";
const TESTS = "(\\.test\\.tsx?$|/test-support\\.ts$|/test-fixtures\\.ts$|/testing/|^test/)";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A cycle makes two modules one; split the shared part out (usually into model/).",
      from: { pathNot: TESTS },
      to: { circular: true, pathNot: TESTS },
    },
    {
      name: "model-imports-nothing",
      severity: "error",
      comment: "workers/model is types and constants that everyone imports; it imports nothing else.",
      from: { path: "^workers/model/", pathNot: TESTS },
      to: { pathNot: "^workers/model/" },
    },
    {
      name: "pure-core-stays-pure",
      severity: "error",
      comment: "The pure core runs in plain Node and the CLI: no storage, gateway, services, Durable Objects or entry points.",
      from: { path: PURE_CORE, pathNot: TESTS },
      to: { path: "^(workers/(storage|gateway|runs|webhooks|notifications|schedules|executor/consumer)|durable-objects)/?" },
    },
    {
      name: "pure-core-no-cloudflare",
      severity: "error",
      comment: "cloudflare:* modules exist only in workerd; the pure core must not need them.",
      from: { path: PURE_CORE, pathNot: TESTS },
      to: { path: "^cloudflare:" },
    },
    {
      name: "only-gateway-imports-hono",
      severity: "error",
      comment: "HTTP is the gateway's business; services return data or throw domain errors (RunError). hono/html (an escaping template tag, no HTTP) may render reports.",
      from: { pathNot: ["^workers/gateway/", "^workers/index\\.ts$", TESTS] },
      to: { path: "(^|/)node_modules/(hono|@hono)/", pathNot: "(^|/)node_modules/hono/dist/(types/)?helper/html/" },
    },
    {
      name: "gateway-is-an-entry-point",
      severity: "error",
      comment: "Nothing but the Worker entry depends on the gateway; shared logic belongs in runs/ or below.",
      from: { pathNot: ["^workers/gateway/", "^workers/index\\.ts$", TESTS] },
      to: { path: "^workers/gateway/" },
    },
    {
      name: "durable-objects-only-from-the-entry",
      severity: "error",
      comment: "Durable Objects are reached through their contract (model/run.ts) and bindings, never imported, except by the Worker entry that exports them.",
      from: { path: "^workers/", pathNot: ["^workers/index\\.ts$", TESTS] },
      to: { path: "^durable-objects/" },
    },
    {
      name: "storage-below-services",
      severity: "error",
      comment: "Storage holds SQL and rows; it knows nothing of HTTP, runs, the executor, the agents or the Durable Objects.",
      from: { path: "^workers/storage/", pathNot: TESTS },
      to: { path: "^(workers/(gateway|runs|executor|orchestrator|webhooks|notifications|schedules)|durable-objects)/" },
    },
    {
      name: "storage-reads-core-types-only",
      severity: "error",
      comment: "Rows may be typed by the pure core's data shapes (load windows, AI records); storage runs none of its code.",
      from: { path: "^workers/storage/", pathNot: TESTS },
      to: { path: "^workers/(load|ai|reports|jsonschema)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "jsonschema-is-a-kernel",
      severity: "error",
      comment: "workers/jsonschema is what every reader of schemas shares (parser, agents, checks, wasm sampler); it depends on model at most.",
      from: { path: "^workers/jsonschema/", pathNot: TESTS },
      to: { path: "^(workers/(?!jsonschema/|model/)|durable-objects/)" },
    },
    {
      name: "shared-is-a-leaf",
      severity: "error",
      comment: "workers/shared holds small utilities (encoding, logs, crypto, address policy) that depend on model at most.",
      from: { path: "^workers/shared/", pathNot: TESTS },
      to: { path: "^(workers/(?!shared/|model/)|durable-objects/)" },
    },
    {
      name: "no-test-code-in-production",
      severity: "error",
      comment: "Test helpers and fixtures stay out of what ships.",
      from: { pathNot: TESTS },
      to: { path: TESTS },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      comment: "Every import resolves (cloudflare:* and node:* are provided by the runtime).",
      from: {},
      to: { couldNotResolve: true, pathNot: ["^cloudflare:", "^node:"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(\\.wrangler|cli/dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".json"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
