/**
 * What wrangler.toml cannot declare, so `wrangler types` cannot generate: secrets
 * (`wrangler secret put`) and optional variables (`--var`, .dev.vars). Merged into the generated
 * Env (worker-configuration.d.ts); every one may be missing, and the code says what happens then.
 */
interface SentinelSecrets {
  /** creates this admin API key in a default org at start (local/test; refused when deployed unless SENTINEL_ALLOW_BOOTSTRAP) */
  SENTINEL_BOOTSTRAP_KEY?: string;
  SENTINEL_ALLOW_BOOTSTRAP?: string;
  /** secret: signs session JWTs (HS256); a per-process random key is used when missing locally */
  SENTINEL_JWT_SECRET?: string;
  /** secret: base64 32-byte key for AES-GCM encryption of target credentials and hook secrets */
  SENTINEL_ENCRYPTION_KEY?: string;
  /** secret: HMAC key that signs run-finished notifications (X-Sentinel-Signature); a fixed development key is used when missing locally */
  SENTINEL_NOTIFY_SECRET?: string;
  /** an OpenAI-compatible embeddings endpoint for the memory of findings (e.g. http://127.0.0.1:11434/v1); the lexical embedder when unset */
  SENTINEL_EMBEDDINGS_BASE_URL?: string;
  /** its model (default text-embedding-3-small) */
  SENTINEL_EMBEDDINGS_MODEL?: string;
  /** secret: its API key, when it needs one */
  SENTINEL_EMBEDDINGS_API_KEY?: string;
  /** local executor process (executor/process-protocol.ts): the secret both processes share, set per start */
  SENTINEL_EXECUTOR_SECRET?: string;
  /** in the main process: the executor process's URL (unset: cases run in the queue consumer) */
  SENTINEL_EXECUTOR_URL?: string;
  /** in an executor process: the main process's URL */
  SENTINEL_MAIN_URL?: string;
  /** requests per minute per API key (default 600) */
  SENTINEL_RATE_LIMIT?: string;
  /** "1": print the run pipeline's timeline lines (shared/timeline.ts; bench only) */
  SENTINEL_TIMELINE?: string;
}

interface Env extends SentinelSecrets {}
declare namespace Cloudflare {
  interface Env extends SentinelSecrets {}
}
