/** Hard limits that keep hostile specs from exhausting a Worker (128 MB, CPU budget). */

/** Largest accepted spec, in bytes of UTF-8 text (the gateway answers 413 above it). */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;

/** Deepest accepted nesting of objects/arrays; real specs stay far below 64. */
export const MAX_NESTING_DEPTH = 256;

/** YAML alias expansions allowed before the document counts as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/** Problems kept per parse; the rest are summarised in one last warning. */
export const MAX_PROBLEMS = 500;

/** Longest chain of `$ref` → `$ref` → ... followed before giving up. */
export const MAX_REF_CHAIN = 64;
