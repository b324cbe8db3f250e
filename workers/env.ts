/** Bindings and variables of the one Sentinel Worker (wrangler.toml). */
import type { TestRun } from "../durable-objects/test-run";
import type { RateLimiter } from "../durable-objects/rate-limiter";
import type { LoadGenerator } from "../durable-objects/load-generator";

export interface Env {
  DB: D1Database;
  BLOBS: R2Bucket;
  TEST_RUN: DurableObjectNamespace<TestRun>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  LOAD_GENERATOR: DurableObjectNamespace<LoadGenerator>;
  TASKS: Queue<unknown>;
  DEAD_TASKS: Queue<unknown>;
  /** Vectorize: absent or non-functional locally; the local D1 implementation is used then. */
  VECTORS?: VectorizeIndex;
  /** Workers AI: only in the deployed configuration. */
  AI?: Ai;
  SENTINEL_ENV?: string;
  SENTINEL_ALLOW_LOOPBACK?: string;
  SENTINEL_ALLOW_PRIVATE?: string;
  /** creates this admin API key in a default org at start (local/test; refused when deployed unless SENTINEL_ALLOW_BOOTSTRAP) */
  SENTINEL_BOOTSTRAP_KEY?: string;
  SENTINEL_ALLOW_BOOTSTRAP?: string;
  /** secret: signs session JWTs (HS256); a per-process random key is used when missing locally */
  SENTINEL_JWT_SECRET?: string;
  /** secret: base64 32-byte key for AES-GCM encryption of target credentials and hook secrets */
  SENTINEL_ENCRYPTION_KEY?: string;
  /** secret: HMAC key that signs run-finished notifications (X-Sentinel-Signature); a fixed development key is used when missing locally */
  SENTINEL_NOTIFY_SECRET?: string;
  /** requests per minute per API key (default 600) */
  SENTINEL_RATE_LIMIT?: string;
  /** tests only: D1 migrations to apply */
  TEST_MIGRATIONS?: import("cloudflare:test").D1Migration[];
}

type SentinelEnv = Env;
declare global {
  namespace Cloudflare {
    interface Env extends SentinelEnv {}
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "TestRun" | "RateLimiter" | "LoadGenerator";
    }
  }
}
