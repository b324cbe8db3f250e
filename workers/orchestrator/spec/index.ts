/** The spec module: OpenAPI / Swagger text → the operation model (workers/model/api.ts). */
export { parseSpec, modelFromDocument } from "./parse-spec";
export { generateSyntheticSpec } from "./synthetic";
