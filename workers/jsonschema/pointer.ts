/** JSON Pointer (RFC 6901) helpers and `$ref` splitting. */
import { isObject } from "./types";

export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** A token of a `$ref` fragment: percent-decoded (URI fragment), then unescaped (JSON pointer). */
export function decodeRefToken(token: string): string {
  if (!token.includes("%") && !token.includes("~")) return token;
  let text = token;
  try {
    text = decodeURIComponent(token);
  } catch {
    // not percent-encoded after all
  }
  return unescapeSegment(text);
}

/** Appends segments to a pointer: join("/paths", "/pets") === "/paths/~1pets". */
export function joinPointer(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const s of segments) out += "/" + escapeSegment(String(s));
  return out;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "" || pointer === "#") return [];
  const p = pointer.startsWith("#") ? pointer.slice(1) : pointer;
  if (!p.startsWith("/")) return [unescapeSegment(p)];
  return p.slice(1).split("/").map(unescapeSegment);
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Looks a pointer up in a parsed document; `undefined` when any segment is missing. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const seg of splitPointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return undefined;
      node = node[Number(seg)];
    } else if (node !== null && typeof node === "object" && hasOwn(node, seg)) {
      node = (node as Record<string, unknown>)[seg];
    } else {
      return undefined;
    }
  }
  return node;
}

export interface SplitRef {
  /** the part before `#` (a file path or URL); "" for a reference into the same document */
  file: string;
  /** JSON pointer without `#` ("" for the whole document), percent-decoded */
  pointer: string;
  /** true when the fragment is a plain-name anchor (`#foo`) rather than a pointer */
  anchor: boolean;
}

function percentDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function splitRef(ref: string): SplitRef {
  const hash = ref.indexOf("#");
  const file = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : percentDecode(ref.slice(hash + 1));
  return { file, pointer: fragment, anchor: fragment !== "" && !fragment.startsWith("/") };
}

/** A `{ "$ref": "..." }` object (siblings allowed). */
export function refOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const ref = value.$ref;
  return typeof ref === "string" ? ref : undefined;
}
