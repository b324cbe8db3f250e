// Placeholder replaced by the gateway work (issue 2).
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";
export class RateLimiter extends DurableObject<Env> {}
