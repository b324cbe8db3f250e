/** Bindings only the workers test project has (vitest.config.ts, miniflare.bindings). */
declare namespace Cloudflare {
  interface Env {
    /** D1 migrations applied before each test file */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
