/**
 * The real-world spec corpus (shared/specs beside the clone, or $SENTINEL_CORPUS_DIR). Only `*.corpus.test.ts` files use
 * it (`npm run test:corpus`); they fail with this message, never skip, when it is missing.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_DIR = path.resolve(process.env.SENTINEL_CORPUS_DIR ?? fileURLToPath(new URL("../../shared/specs", import.meta.url))) + path.sep;

/** Absolute path of a corpus file, e.g. corpusPath("real/vampi-0.1.yaml"); throws when the corpus is absent. */
export function corpusPath(relative = ""): string {
  if (!existsSync(CORPUS_DIR)) {
    throw new Error(`the spec corpus is missing: expected ${CORPUS_DIR} (a copy of shared/specs beside the clone)`);
  }
  return CORPUS_DIR + relative;
}
