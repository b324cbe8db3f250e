import { MAX_NESTING_DEPTH } from "./limits";
import { LineIndex, type SourceLocator, type SourcePosition } from "./text-position";
import { locateInEvents, yamlEvents } from "./yaml-events";

/**
 * Positions in YAML text. The event stream is not kept after parsing (it costs several times the
 * text): the text is parsed again only when some problem needs a line number.
 */
export function yamlLocator(text: string): SourceLocator {
  return {
    locate(pointers) {
      const out = new Map<string, SourcePosition>();
      if (pointers.length === 0) return out;
      let offsets: Map<string, number>;
      try {
        offsets = locateInEvents(text, yamlEvents(text, MAX_NESTING_DEPTH), pointers);
      } catch {
        return out;
      }
      const lines = new LineIndex(text);
      for (const [pointer, offset] of offsets) out.set(pointer, lines.position(offset));
      return out;
    },
  };
}
