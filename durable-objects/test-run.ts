// Placeholder replaced by the run-pipeline work (issue 3).
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
export class TestRun extends DurableObject<Env> {}
