/**
 * Mutation testing of the check oracles (`npm run test:mutation`). Incremental: results are kept
 * in reports/stryker-incremental.json, so a second run tests only the mutants of changed code or
 * changed tests. Restrict it further with `npm run test:mutation -- --mutate workers/executor/checks/auth.ts`.
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  // jwt-secrets.ts is a word list, not an oracle: its 207 mutants (206 strings, the array) are static (each re-runs every
  // check test) and say nothing about a verdict; weak_jwt_secret's use of it is pinned in abuse.test.ts
  mutate: ["workers/executor/checks/**/*.ts", "!workers/executor/checks/**/*.test.ts", "!workers/executor/checks/test-support.ts", "!workers/executor/checks/jwt-secrets.ts"],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 90, low: 80, break: null },
};
