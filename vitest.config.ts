import { defineConfig } from "vitest/config";
import { nodePlatformProject, nodeProject, workersProject } from "./vitest.projects.ts";

// `npm test`: everything that runs on a bare clone. The spec corpus tests: vitest.corpus.config.ts.
export default defineConfig({
  test: { projects: [nodeProject("default"), nodePlatformProject(), workersProject("default")] },
});
