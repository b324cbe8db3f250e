/** Hard limits that keep hostile specs from exhausting a Worker (128 MB, CPU budget). */

/** Largest accepted spec, in bytes of UTF-8 text (the gateway answers 413 above it). */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;

/**
 * Largest accepted YAML text. YAML is parsed from js-yaml's event stream (yaml-events.ts): about
 * 13 times the text in heap for a spec with long descriptions (Stripe), 21 times for a dense one
 * (bench/RESULTS.md, "YAML parser heap"). So 8 MB fits a Worker's 128 MB for Stripe-like specs
 * but not for a dense 8 MB one (~164 MB; a streaming constructor would save the event array).
 * Bigger YAML is refused with advice to send JSON (the CLI converts before uploading). Node
 * callers (the CLI) lift this limit.
 */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;

/** Deepest accepted nesting of objects/arrays; real specs stay far below 64. */
export const MAX_NESTING_DEPTH = 256;

/**
 * Nodes that YAML aliases may add when expanded (each alias counts its anchor's whole subtree)
 * before the document counts as an alias bomb; also caps the keys merged by `<<`.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Problems kept per parse; the rest are summarised in one last warning. */
export const MAX_PROBLEMS = 500;

/** Longest chain of `$ref` → `$ref` → ... followed before giving up. */
export const MAX_REF_CHAIN = 64;
