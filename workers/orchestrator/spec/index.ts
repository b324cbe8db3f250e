/** The spec module: OpenAPI / Swagger text → the operation model (workers/model/api.ts). */
export { parseSpec, modelFromDocument, type ParseSpecOptions, type ParseSpecResult } from "./parse-spec";
export { parseDocument, type ParseDocumentOptions, type ParsedDocument } from "./parse-document";
export { bundleDocument, resolveFilePath, type BundleOptions, type BundleResult } from "./bundle";
export { buildApiModel, deriveOperationId, type BuildOptions } from "./build-model";
export { convertSwagger2 } from "./swagger2";
export { normaliseSchema, makeNullable, type SchemaContext } from "./schema";
export { detectDialect, type Dialect, type DialectInfo } from "./dialect";
export { validateDocument } from "./validate";
export { generateSyntheticSpec } from "./synthetic";
export { escapeSegment, joinPointer, resolvePointer, splitPointer, splitRef, unescapeSegment } from "./pointer";
export type { SourceLocator, SourcePosition } from "./text-position";
export { MAX_SPEC_BYTES, MAX_NESTING_DEPTH, MAX_ALIAS_EXPANSION, MAX_PROBLEMS, MAX_REF_CHAIN } from "./limits";
