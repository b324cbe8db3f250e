/**
 * YAML through js-yaml's flat event stream (offsets into the text, no syntax tree): 13-21x the
 * text in heap where the `yaml` package's Document needed 34-56x (bench/RESULTS.md). The same
 * events give alias-bomb and cycle checks before anything is built, and line numbers for JSON
 * pointers.
 */
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event } from "js-yaml";
import { escapeSegment } from "../../jsonschema/pointer";

/** Start offset of a node's text (a quoted scalar starts at its quote, an alias at its `*`). */
function nodeStart(event: Event): number {
  switch (event.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return event.start;
    case EVENT_ID.SCALAR:
      return event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED ? event.valueStart - 1 : event.valueStart;
    case EVENT_ID.ALIAS:
      return event.anchorStart - 1;
    default:
      return 0;
  }
}

export function yamlEvents(text: string, maxDepth: number): Event[] {
  return parseEvents(text, { maxDepth });
}

export interface AliasCheck {
  documents: number;
  /** a problem message, or undefined when the aliases are harmless */
  problem?: string;
  /** offset of the offending alias */
  offset?: number;
}

/**
 * Counts documents and what aliases would expand to: each alias adds its anchor's whole subtree
 * (itself counted with the aliases inside it), as a consumer that walks or serializes the
 * document would see it. An alias inside its own anchor is a cycle.
 */
export function checkAliases(text: string, events: readonly Event[], maxExpansion: number): AliasCheck {
  const sizes = new Map<string, number>();
  // open collections with their expanded size so far (an anchor's size is known when it closes)
  const open: { anchor?: string; size: number }[] = [];
  let documents = 0;
  let extra = 0; // nodes that aliases add
  const add = (n: number) => {
    if (open.length > 0) open[open.length - 1].size += n;
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        documents++;
        open.push({ size: 0 });
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        open.push({ anchor: event.anchorStart >= 0 ? text.slice(event.anchorStart, event.anchorEnd) : undefined, size: 1 });
        break;
      case EVENT_ID.SCALAR:
        if (event.anchorStart >= 0) sizes.set(text.slice(event.anchorStart, event.anchorEnd), 1);
        add(1);
        break;
      case EVENT_ID.ALIAS: {
        const name = text.slice(event.anchorStart, event.anchorEnd);
        if (open.some((frame) => frame.anchor === name)) {
          return { documents, offset: nodeStart(event), problem: "spec contains a YAML alias that refers to its own anchor (a cycle)" };
        }
        const size = sizes.get(name) ?? 1;
        extra += size;
        if (extra > maxExpansion) {
          return { documents, offset: nodeStart(event), problem: `YAML aliases expand to more than ${maxExpansion} extra nodes: refused as an alias bomb` };
        }
        add(size);
        break;
      }
      case EVENT_ID.POP: {
        const frame = open.pop()!;
        if (frame.anchor !== undefined) sizes.set(frame.anchor, frame.size);
        add(frame.size);
        break;
      }
    }
  }
  return { documents };
}

interface Frame {
  kind: "document" | "mapping" | "sequence";
  pointer: string;
  /** false when no wanted pointer lies below: children are not tracked */
  relevant: boolean;
  index: number;
  expectKey: boolean;
  key?: string;
  keyOffset: number;
}

/**
 * Text offsets of the wanted pointers (a map value at its key, a list item at its start); a
 * pointer that is not in the text maps to its deepest ancestor that is.
 */
export function locateInEvents(text: string, events: readonly Event[], pointers: readonly string[]): Map<string, number> {
  const prefixes = new Set<string>();
  for (const pointer of pointers) {
    prefixes.add("");
    let at = pointer.indexOf("/", 1);
    while (at > 0) {
      prefixes.add(pointer.slice(0, at));
      at = pointer.indexOf("/", at + 1);
    }
    prefixes.add(pointer);
  }
  const found = new Map<string, number>();
  const stack: Frame[] = [];
  // the collection frames of a mapping key (a complex key) are skipped entirely
  let skipDepth = 0;

  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      stack.push({ kind: "document", pointer: "", relevant: found.size === 0, index: 0, expectKey: false, keyOffset: 0 });
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      if (skipDepth > 0) skipDepth--;
      else stack.pop();
      continue;
    }
    if (skipDepth > 0) {
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) skipDepth++;
      continue;
    }
    const parent = stack[stack.length - 1];
    let pointer: string | undefined;
    let offset = nodeStart(event);
    if (!parent) continue;
    if (parent.kind === "mapping" && parent.expectKey) {
      parent.expectKey = false;
      parent.keyOffset = offset;
      parent.key = event.type === EVENT_ID.SCALAR && parent.relevant ? getScalarValue(text, event) : undefined;
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) skipDepth = 1;
      continue;
    }
    if (parent.kind === "mapping") {
      parent.expectKey = true;
      if (parent.relevant && parent.key !== undefined) pointer = `${parent.pointer}/${escapeSegment(parent.key)}`;
      offset = parent.keyOffset;
    } else if (parent.kind === "sequence") {
      if (parent.relevant) pointer = `${parent.pointer}/${parent.index}`;
      parent.index++;
    } else {
      pointer = "";
    }
    const relevant = pointer !== undefined && prefixes.has(pointer);
    if (relevant && !found.has(pointer!)) found.set(pointer!, offset);
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      stack.push({ kind: event.type === EVENT_ID.MAPPING ? "mapping" : "sequence", pointer: pointer ?? "", relevant, index: 0, expectKey: true, keyOffset: 0 });
    }
  }

  const out = new Map<string, number>();
  for (const pointer of pointers) {
    let p = pointer;
    while (!found.has(p) && p !== "") p = p.slice(0, Math.max(0, p.lastIndexOf("/")));
    out.set(pointer, found.get(p) ?? 0);
  }
  return out;
}
