import { defineConfig } from "vitest/config";

// `npm run test:mutation` (Stryker): only the checks' own node tests, so each mutant of
// workers/executor/checks must be killed by an expectation that sits beside the check.
// MUTATION_TESTS (comma-separated paths) narrows the judges to one check's own test files, e.g.
// `MUTATION_TESTS=workers/executor/checks/abuse.test.ts npx stryker run --mutate workers/executor/checks/abuse.ts`:
// a module-level mutant (a regex or word table) then re-runs that file's tests, not all of them.
export default defineConfig({
  test: {
    name: "checks",
    environment: "node",
    isolate: false,
    // static mutants need their module evaluated again (see the file)
    setupFiles: ["./test/mutation-setup.ts"],
    include: process.env.MUTATION_TESTS?.split(",") ?? ["workers/executor/checks/**/*.test.ts"],
    exclude: ["**/*.workerd.test.ts", "**/*.corpus.test.ts", "**/node_modules/**"],
  },
});
