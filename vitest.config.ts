import { defineConfig } from "vitest/config";
import { nodeProject, workersProject } from "./vitest.projects.ts";

// `npm test`: everything that runs on a bare clone. The spec corpus tests: vitest.corpus.config.ts.
export default defineConfig({
  test: { projects: [nodeProject("default"), workersProject("default")] },
});
