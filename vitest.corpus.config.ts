import { defineConfig } from "vitest/config";
import { nodeProject, workersProject } from "./vitest.projects.ts";

// npm run test:corpus: the tests over the real-world spec corpus (shared/specs beside the
// clone); they fail, never skip, when the corpus is missing.
export default defineConfig({
  test: { projects: [nodeProject("corpus"), workersProject("corpus")] },
});
