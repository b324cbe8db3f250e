import { defineConfig } from "vitest/config";

// `npm run test:mutation` (Stryker): only the checks' own node tests, so each mutant of
// workers/executor/checks must be killed by an expectation that sits beside the check.
export default defineConfig({
  test: {
    name: "checks",
    environment: "node",
    isolate: false,
    // static mutants need their module evaluated again (see the file)
    setupFiles: ["./test/mutation-setup.ts"],
    include: ["workers/executor/checks/**/*.test.ts"],
    exclude: ["**/*.workerd.test.ts", "**/*.corpus.test.ts", "**/node_modules/**"],
  },
});
