/**
 * What a JSON Patch document (RFC 6902, `application/json-patch+json`) sets: the members its
 * `add` and `replace` operations write, as one object a read-back can be compared with
 * (`[{"op":"replace","path":"/title","value":"Pulse 2"}]` → `{ title: "Pulse 2" }`) and the
 * pointers it writes. `remove` drops what an earlier operation set; `test` changes nothing; a
 * `move` or `copy` (whose effect depends on the stored item), an append (`/-`) or a malformed
 * operation make the effect unknown (undefined). Pure.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const unescape = (token: string) => token.replace(/~1/g, "/").replace(/~0/g, "~");

export interface JsonPatchEffect {
  /** the members written, nested as their pointers say */
  value: Record<string, unknown>;
  /** JSON pointers written, in order, each once */
  pointers: string[];
}

/** Is `body` a JSON Patch document (an array of operations with `op` and `path`)? */
export function isJsonPatch(body: unknown): body is Record<string, unknown>[] {
  return Array.isArray(body) && body.length > 0 && body.every((op) => isRecord(op) && typeof op.op === "string" && typeof op.path === "string");
}

export function jsonPatchEffect(body: unknown): JsonPatchEffect | undefined {
  if (!isJsonPatch(body)) return undefined;
  const value: Record<string, unknown> = {};
  const pointers: string[] = [];
  for (const operation of body) {
    const path = operation.path as string;
    const tokens = path.split("/").slice(1).map(unescape);
    if (!path.startsWith("/") || tokens.length === 0 || tokens.includes("-")) return undefined;
    if (operation.op === "test") continue;
    if (operation.op !== "add" && operation.op !== "replace" && operation.op !== "remove") return undefined;
    if (operation.op !== "remove" && !("value" in operation)) return undefined;
    let at = value;
    for (const token of tokens.slice(0, -1)) {
      if (!isRecord(at[token])) at[token] = {};
      at = at[token] as Record<string, unknown>;
    }
    const last = tokens[tokens.length - 1];
    const index = pointers.indexOf(path);
    if (index >= 0) pointers.splice(index, 1);
    if (operation.op === "remove") {
      delete at[last];
      continue;
    }
    at[last] = operation.value;
    pointers.push(path);
  }
  return { value, pointers };
}
