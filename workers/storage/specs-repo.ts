/**
 * Specs: the raw document and the operation model live in R2 (they can be megabytes), the
 * catalogue and one row per operation in D1. Versions count up per (org, name) inside the insert
 * statement itself, so two concurrent uploads of the same name get distinct versions.
 */
import type { OperationVectors } from "../ai/embeddings/operation-vectors";
import type { ApiModel, Operation, SpecProblem } from "../model";
import { newId } from "../shared/encoding";
import { D1_MAX_PARAMS, chunk } from "./db";

export interface SpecRow {
  id: string;
  orgId: string;
  name: string;
  version: number;
  title: string;
  apiVersion: string;
  sourceVersion: string;
  operationCount: number;
  rawKey: string;
  modelKey: string;
  sizeBytes: number;
  warnings: SpecProblem[];
  createdBy: string | null;
  createdAt: number;
}

export interface OperationSummary {
  operationId: string;
  method: string;
  path: string;
  summary: string | null;
}

const SPEC_COLUMN_NAMES: [string, keyof SpecRow][] = [
  ["id", "id"],
  ["org_id", "orgId"],
  ["name", "name"],
  ["version", "version"],
  ["title", "title"],
  ["api_version", "apiVersion"],
  ["source_version", "sourceVersion"],
  ["operation_count", "operationCount"],
  ["raw_key", "rawKey"],
  ["model_key", "modelKey"],
  ["size_bytes", "sizeBytes"],
  ["warnings", "warnings"],
  ["created_by", "createdBy"],
  ["created_at", "createdAt"],
];

function specColumns(alias = ""): string {
  const prefix = alias ? `${alias}.` : "";
  return SPEC_COLUMN_NAMES.map(([column, field]) => `${prefix}${column} AS ${field}`).join(", ");
}

function toSpec(row: Record<string, unknown>): SpecRow {
  return { ...(row as unknown as SpecRow), warnings: JSON.parse(String(row.warnings ?? "[]")) as SpecProblem[] };
}

export function specKeys(orgId: string, specId: string): { rawKey: string; modelKey: string } {
  const base = `specs/${orgId}/${specId}`;
  return { rawKey: `${base}/raw`, modelKey: `${base}/model.json` };
}

/** Beside a spec's model: its operations' embeddings (ai/embeddings/operation-vectors.ts). */
export function operationVectorsKey(modelKey: string): string {
  return modelKey.replace(/model\.json$/, "operation-vectors.json");
}

export async function readOperationVectors(blobs: R2Bucket, modelKey: string): Promise<OperationVectors | undefined> {
  const object = await blobs.get(operationVectorsKey(modelKey));
  return object ? ((await object.json()) as OperationVectors) : undefined;
}

export async function storeOperationVectors(blobs: R2Bucket, modelKey: string, encoded: string): Promise<void> {
  await blobs.put(operationVectorsKey(modelKey), encoded, { httpMetadata: { contentType: "application/json" } });
}

const OPERATION_COLUMNS = 6;
const OPERATIONS_PER_INSERT = Math.floor(D1_MAX_PARAMS / OPERATION_COLUMNS);

/** Stores a parsed spec: R2 first, then one D1 batch (a transaction) with the spec and its operations. */
export async function storeSpec(
  db: D1Database, blobs: R2Bucket,
  input: { orgId: string; name: string; raw: Uint8Array; contentType: string; model: ApiModel; warnings: SpecProblem[]; createdBy: string | null },
): Promise<SpecRow> {
  const id = newId("spec");
  const { rawKey, modelKey } = specKeys(input.orgId, id);
  const { model } = input;
  await blobs.put(rawKey, input.raw, { httpMetadata: { contentType: input.contentType } });
  await blobs.put(modelKey, JSON.stringify(model), { httpMetadata: { contentType: "application/json" } });
  try {
    const insertSpec = db.prepare(
      `INSERT INTO specs (id, org_id, name, version, title, api_version, source_version, operation_count, raw_key, model_key, size_bytes, warnings, created_by)
       SELECT ?1, ?2, ?3, COALESCE(MAX(version), 0) + 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 FROM specs WHERE org_id = ?2 AND name = ?3
       RETURNING ${specColumns()}`,
    ).bind(
      id,
      input.orgId,
      input.name,
      model.title,
      model.version,
      model.sourceVersion,
      model.operations.length,
      rawKey,
      modelKey,
      input.raw.byteLength,
      JSON.stringify(input.warnings),
      input.createdBy,
    );
    const inserts = chunk(uniqueOperations(model.operations), OPERATIONS_PER_INSERT).map((ops) =>
      db.prepare(
        `INSERT INTO operations (spec_id, org_id, operation_id, method, path, summary) VALUES ${ops.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
      ).bind(...ops.flatMap((op) => [id, input.orgId, op.operationId, op.method, op.path, op.summary ?? null])),
    );
    const [specResult] = await db.batch([insertSpec, ...inserts]);
    return toSpec((specResult.results as Record<string, unknown>[])[0]);
  } catch (err) {
    await blobs.delete([rawKey, modelKey]).catch(() => {});
    throw err;
  }
}

/** The operations table is keyed by (spec, operationId); the parser guarantees uniqueness, this guards it. */
function uniqueOperations(ops: Operation[]): Operation[] {
  const seen = new Set<string>();
  return ops.filter((op) => !seen.has(op.operationId) && (seen.add(op.operationId), true));
}

export async function getSpec(db: D1Database, orgId: string, specId: string): Promise<SpecRow | null> {
  const row = await db.prepare(`SELECT ${specColumns()} FROM specs WHERE org_id = ? AND id = ?`).bind(orgId, specId).first();
  return row ? toSpec(row) : null;
}

/** Latest version of each name (or every version with `allVersions`), newest first. */
export async function listSpecs(
  db: D1Database,
  orgId: string,
  opts: { name?: string; allVersions?: boolean; limit?: number } = {},
): Promise<SpecRow[]> {
  const where = ["s.org_id = ?1"];
  const binds: unknown[] = [orgId];
  if (opts.name !== undefined) {
    binds.push(opts.name);
    where.push(`s.name = ?${binds.length}`);
  }
  if (!opts.allVersions) where.push("s.version = (SELECT MAX(v.version) FROM specs v WHERE v.org_id = s.org_id AND v.name = s.name)");
  binds.push(Math.min(Math.max(opts.limit ?? 100, 1), 1000));
  const sql = `SELECT ${specColumns("s")} FROM specs s WHERE ${where.join(" AND ")} ORDER BY s.created_at DESC, s.version DESC LIMIT ?${binds.length}`;
  const { results } = await db.prepare(sql).bind(...binds).all();
  return results.map(toSpec);
}

export async function listOperations(db: D1Database, orgId: string, specId: string): Promise<OperationSummary[]> {
  const { results } = await db.prepare(
    "SELECT operation_id AS operationId, method, path, summary FROM operations WHERE org_id = ? AND spec_id = ? ORDER BY path, method",
  )
    .bind(orgId, specId)
    .all<OperationSummary>();
  return results;
}

/** The operation model of a spec, for the run pipeline and the CLI; null when absent or another org's. */
export async function loadSpecModel(db: D1Database, blobs: R2Bucket, orgId: string, specId: string): Promise<ApiModel | null> {
  const spec = await getSpec(db, orgId, specId);
  if (!spec) return null;
  const object = await blobs.get(spec.modelKey);
  if (!object) return null;
  return (await object.json()) as ApiModel;
}

/** The stored model JSON as a stream (for serving it without parsing); null when absent or another org's. */
export async function openSpecModel(db: D1Database, blobs: R2Bucket, orgId: string, specId: string): Promise<ReadableStream | null> {
  const spec = await getSpec(db, orgId, specId);
  if (!spec) return null;
  return (await blobs.get(spec.modelKey))?.body ?? null;
}

/** Deletes the spec, its operations and its R2 objects; false when it is not this org's. */
export async function deleteSpec(db: D1Database, blobs: R2Bucket, orgId: string, specId: string): Promise<boolean> {
  const spec = await getSpec(db, orgId, specId);
  if (!spec) return false;
  await db.batch([
    db.prepare("DELETE FROM operations WHERE org_id = ? AND spec_id = ?").bind(orgId, specId),
    db.prepare("DELETE FROM specs WHERE org_id = ? AND id = ?").bind(orgId, specId),
  ]);
  await blobs.delete([spec.rawKey, spec.modelKey, operationVectorsKey(spec.modelKey)]);
  return true;
}
