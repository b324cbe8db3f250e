import { LineIndex, type SourceLocator, type SourcePosition } from "./text-position";
import { splitPointer } from "../../jsonschema/pointer";

/**
 * Positions in JSON text without building a second tree: one scan over the text that descends
 * only into the members named by the wanted pointers and skips everything else.
 */

const QUOTE = 34, BACKSLASH = 92, OPEN_OBJ = 123, CLOSE_OBJ = 125, OPEN_ARR = 91, CLOSE_ARR = 93, COMMA = 44, COLON = 58;

/** True when arrays/objects nest deeper than `limit` (strings are skipped correctly). */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = skipString(text, i) - 1;
    } else if (c === OPEN_OBJ || c === OPEN_ARR) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
      depth--;
    }
  }
  return false;
}

/** Index just after the string starting at `i` (a quote). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j += 2;
    else if (c === QUOTE) return j + 1;
    else j++;
  }
  return j;
}

function skipWs(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else break;
  }
  return i;
}

/** Index just after the value starting at `i`. */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_OBJ || c === OPEN_ARR) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) j = skipString(text, j) - 1;
      else if (d === OPEN_OBJ || d === OPEN_ARR) depth++;
      else if (d === CLOSE_OBJ || d === CLOSE_ARR) {
        if (--depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_OBJ || d === CLOSE_ARR || d === 32 || d === 10 || d === 13 || d === 9) break;
    j++;
  }
  return j;
}

interface Trie {
  children: Map<string, Trie>;
  offset?: number;
}

function buildTrie(pointers: readonly string[]): Trie {
  const root: Trie = { children: new Map() };
  for (const p of pointers) {
    let node = root;
    for (const seg of splitPointer(p)) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { children: new Map() }));
      node = next;
    }
  }
  return root;
}

/** Walks the value at `i`, recording offsets of wanted members; returns nothing (offsets land in the trie). */
function visit(text: string, i: number, trie: Trie): void {
  if (trie.children.size === 0) return;
  const c = text.charCodeAt(i);
  if (c === OPEN_OBJ) {
    let j = skipWs(text, i + 1);
    while (j < text.length && text.charCodeAt(j) === QUOTE) {
      const keyStart = j;
      const keyEnd = skipString(text, j);
      const raw = text.slice(j + 1, keyEnd - 1);
      let key = raw;
      if (raw.includes("\\")) {
        try {
          key = JSON.parse(text.slice(j, keyEnd)) as string;
        } catch {
          key = raw;
        }
      }
      j = skipWs(text, keyEnd);
      if (text.charCodeAt(j) !== COLON) return;
      j = skipWs(text, j + 1);
      const child = trie.children.get(key);
      if (child) {
        child.offset = keyStart;
        visit(text, j, child);
      }
      j = skipWs(text, skipValue(text, j));
      if (text.charCodeAt(j) !== COMMA) return;
      j = skipWs(text, j + 1);
    }
  } else if (c === OPEN_ARR) {
    let j = skipWs(text, i + 1);
    let index = 0;
    while (j < text.length && text.charCodeAt(j) !== CLOSE_ARR) {
      const child = trie.children.get(String(index));
      if (child) {
        child.offset = j;
        visit(text, j, child);
      }
      j = skipWs(text, skipValue(text, j));
      if (text.charCodeAt(j) !== COMMA) return;
      j = skipWs(text, j + 1);
      index++;
    }
  }
}

export function jsonLocator(text: string): SourceLocator {
  return {
    locate(pointers) {
      const out = new Map<string, SourcePosition>();
      if (pointers.length === 0) return out;
      const trie = buildTrie(pointers);
      const start = skipWs(text, 0);
      trie.offset = start;
      visit(text, start, trie);
      const lines = new LineIndex(text);
      for (const p of pointers) {
        let node = trie;
        let offset = trie.offset ?? 0;
        for (const seg of splitPointer(p)) {
          const next = node.children.get(seg);
          if (!next || next.offset === undefined) break;
          node = next;
          offset = next.offset;
        }
        out.set(p, lines.position(offset));
      }
      return out;
    },
  };
}
