import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { splitPointer } from "./pointer";
import type { SourceLocator, SourcePosition } from "./text-position";

/**
 * Positions in YAML text. The YAML syntax tree costs ~30x the text in memory, so it is not kept
 * after parsing: the text is parsed again only when some problem needs a line number.
 */
export function yamlLocator(text: string): SourceLocator {
  return {
    locate(pointers) {
      const out = new Map<string, SourcePosition>();
      if (pointers.length === 0) return out;
      const lineCounter = new LineCounter();
      let doc: Document.Parsed;
      try {
        doc = parseDocument(text, { lineCounter, uniqueKeys: false, merge: true });
      } catch {
        return out;
      }
      const toPosition = (offset: number): SourcePosition => {
        const p = lineCounter.linePos(offset);
        return { line: p.line, column: p.col };
      };
      for (const pointer of pointers) {
        out.set(pointer, toPosition(locateOffset(doc, pointer)));
      }
      return out;
    },
  };
}

function locateOffset(doc: Document.Parsed, pointer: string): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const seg of splitPointer(pointer)) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((it) => keyText(it.key) === seg);
      if (!pair) break;
      const keyRange = (pair.key as Node | null)?.range;
      if (keyRange) offset = keyRange[0];
      node = pair.value;
    } else if (isSeq(node)) {
      const item = /^\d+$/.test(seg) ? node.items[Number(seg)] : undefined;
      if (item === undefined) break;
      const range = (item as Node | null)?.range;
      if (range) offset = range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}
