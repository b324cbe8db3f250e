/**
 * Setup of `npm run test:mutation` (vitest.mutation.config.ts, runs after Stryker's own setup file).
 * With `isolate: false` the worker keeps every imported module between Stryker's runs. A static
 * mutant (module-level code: a regex constant, a word list) only takes effect when its module is
 * evaluated again, and stays in force for the runs after it if nothing evaluates it back: so the
 * module registry is reset for a static mutant's run and for the run that follows one.
 */
import { inject, vi } from "vitest";

const state = globalThis as { __sentinelStaticMutantLoaded?: boolean };
const provided = inject as (key: string) => unknown;
const staticRun = provided("mode") === "mutant" && provided("mutantActivation") === "static";
if (staticRun || state.__sentinelStaticMutantLoaded) vi.resetModules();
state.__sentinelStaticMutantLoaded = staticRun;
