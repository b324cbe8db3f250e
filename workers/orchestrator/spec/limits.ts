/** Hard limits that keep hostile specs from exhausting a Worker (128 MB, CPU budget). */

/** Largest accepted spec, in bytes of UTF-8 text (the gateway answers 413 above it). */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;

/**
 * Largest accepted YAML text. Parsing YAML costs about 35 times its size in memory (the yaml
 * package's syntax tree: a 4 MB spec peaks near 145 MB), which a Worker (128 MB) cannot afford;
 * JSON costs a few times its size. Bigger YAML is refused with advice to send JSON (the CLI
 * converts before uploading). Node callers (the CLI) lift this limit.
 */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;

/** Deepest accepted nesting of objects/arrays; real specs stay far below 64. */
export const MAX_NESTING_DEPTH = 256;

/** YAML alias expansions allowed before the document counts as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/** Problems kept per parse; the rest are summarised in one last warning. */
export const MAX_PROBLEMS = 500;

/** Longest chain of `$ref` → `$ref` → ... followed before giving up. */
export const MAX_REF_CHAIN = 64;
